//! Time zones in the browser: a zone's rules come from `Intl`, so the app ships no zone database.

use chrono::{DateTime, FixedOffset, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use taskdesk_domain::zone::{self, Zone};
use wasm_bindgen::{JsCast, JsValue};

/// A zone of the browser's database, by its IANA name.
pub struct BrowserZone {
    /// The zone's name, such as `Europe/Prague`.
    pub name: String,
    format: Intl::DateTimeFormat,
}

impl BrowserZone {
    /// The zone of that name; `None` when the browser does not know it.
    pub fn named(name: &str) -> Option<BrowserZone> {
        let options = Object::new();
        Reflect::set(&options, &"timeZone".into(), &name.into()).ok()?;
        Reflect::set(&options, &"timeZoneName".into(), &"longOffset".into()).ok()?;
        let args = Array::of2(&"en-GB".into(), &options);
        // Constructed through Reflect so that an unknown name is a RangeError to handle, not a throw.
        let constructor = Reflect::get(&intl()?, &"DateTimeFormat".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let format = Reflect::construct(&constructor, &args).ok()?;
        Some(BrowserZone { name: name.to_string(), format: format.unchecked_into() })
    }

    /// The zone this device is set to.
    pub fn device_name() -> String {
        let resolved = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
        Reflect::get(&resolved, &"timeZone".into()).ok().and_then(|z| z.as_string()).unwrap_or_else(|| "UTC".into())
    }

    /// Every zone the browser knows, for a person to choose from.
    pub fn all_names() -> Vec<String> {
        let supported = intl().and_then(|i| Reflect::get(&i, &"supportedValuesOf".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let list = supported.and_then(|f| f.call1(&JsValue::NULL, &"timeZone".into()).ok()).map(|l| Array::from(&l));
        let mut names: Vec<String> = list.map(|l| l.iter().filter_map(|n| n.as_string()).collect()).unwrap_or_default();
        if !names.iter().any(|n| n == "UTC") {
            names.push("UTC".into());
        }
        names
    }

    /// The zone a person reads times in: their own choice, else this device's.
    pub fn of_person(choice: Option<&str>) -> Rc<BrowserZone> {
        thread_local! {
            static LAST: RefCell<Option<Rc<BrowserZone>>> = const { RefCell::new(None) };
            // Asked of Intl once per page: every time shown asks for the zone.
            static DEVICE: String = BrowserZone::device_name();
        }
        let name = choice.map(str::to_string).unwrap_or_else(|| DEVICE.with(String::clone));
        LAST.with(|last| {
            if let Some(zone) = last.borrow().as_ref().filter(|z| z.name == name) {
                return zone.clone();
            }
            let zone = Rc::new(BrowserZone::named(&name).or_else(|| BrowserZone::named("UTC")).expect("every browser knows UTC"));
            *last.borrow_mut() = Some(zone.clone());
            zone
        })
    }
}

fn intl() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"Intl".into()).ok().filter(|i| i.is_object())
}

impl Zone for BrowserZone {
    fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset {
        let date = js_sys::Date::new(&JsValue::from_f64(utc.timestamp_millis() as f64));
        let parts = self.format.format_to_parts(&date);
        parts
            .iter()
            .find(|p| Reflect::get(p, &"type".into()).ok().and_then(|t| t.as_string()).as_deref() == Some("timeZoneName"))
            .and_then(|p| Reflect::get(&p, &"value".into()).ok()?.as_string())
            .and_then(|v| zone::parse_gmt_offset(&v))
            .unwrap_or_else(zone::utc)
    }
}
