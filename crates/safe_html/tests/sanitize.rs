//! The sanitiser against every payload of the shared XSS fixture, in headless Chromium: what
//! comes out, parsed again, holds only allowed elements, no event handlers, no script links and
//! no remote sources.
#![cfg(target_arch = "wasm32")]

use taskdesk_safe_html::{image_source, safe_link, sanitize, ImageSource};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DomParser, Element, SupportedType};

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../../../tests/fixtures/xss-payloads.txt");

fn payloads() -> Vec<String> {
    FIXTURE.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()).map(|(n, l)| l.replace("{{URL}}", "http://127.0.0.1:9").replace("{{N}}", &n.to_string())).collect()
}

/// Every element of `html` once parsed, with what is wrong with it, if anything.
fn problems(html: &str, images_allowed: bool) -> Vec<String> {
    let doc = DomParser::new().unwrap().parse_from_string(html, SupportedType::TextHtml).unwrap();
    let all = doc.body().unwrap().query_selector_all("*").unwrap();
    let mut found = Vec::new();
    for i in 0..all.length() {
        let el: Element = all.item(i).unwrap().dyn_into().unwrap();
        let name = el.local_name();
        if ["script", "style", "iframe", "object", "embed", "svg", "math", "link", "meta", "base", "form", "input", "template"].contains(&name.as_str()) {
            found.push(format!("a <{name}> element"));
        }
        let attrs = el.get_attribute_names();
        for a in attrs.iter() {
            let a = a.as_string().unwrap();
            let value = el.get_attribute(&a).unwrap_or_default();
            if a.starts_with("on") {
                found.push(format!("an event handler {a}"));
            }
            if a == "href" && safe_link(&value).is_none() {
                found.push(format!("a link to {value}"));
            }
            if a == "src" && (image_source(&value) == ImageSource::Refused || (!images_allowed && image_source(&value) == ImageSource::Remote)) {
                found.push(format!("a source {value}"));
            }
            if ["background", "srcset", "poster", "data", "action", "formaction", "ping", "xlink:href", "dynsrc", "lowsrc"].contains(&a.as_str()) {
                found.push(format!("an attribute {a}"));
            }
            if a == "style" && value.to_ascii_lowercase().contains("url") {
                found.push("a style with url()".into());
            }
        }
    }
    found
}

#[wasm_bindgen_test]
fn t3_at_least_a_hundred_known_payloads_come_out_harmless() {
    let list = payloads();
    assert!(list.len() >= 100, "only {} payloads", list.len());
    for payload in &list {
        for images in [false, true] {
            let clean = sanitize(payload, images).unwrap();
            let wrong = problems(&clean.html, images);
            assert!(wrong.is_empty(), "{payload}\n  became {}\n  with {wrong:?}", clean.html);
        }
    }
}

#[wasm_bindgen_test]
fn t3_ordinary_mail_keeps_its_formatting_and_remote_images_wait() {
    let mail = r#"<div style="color: #333"><p>Hello <b>Jana</b>,</p><table border="1"><tr><td colspan="2">Order</td></tr></table>
        <a href="https://shop.example.com/o/1">your order</a><img src="https://t.example.com/p.gif" width="1" height="1">
        <img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"></div>"#;
    let clean = sanitize(mail, false).unwrap();
    assert!(clean.html.contains(r#"<div style="color: #333"><p>Hello <b>Jana</b>,</p>"#), "{}", clean.html);
    assert!(clean.html.contains(r#"<td colspan="2">Order</td>"#));
    assert!(clean.html.contains(r#"<a href="https://shop.example.com/o/1" target="_blank" rel="noopener noreferrer">your order</a>"#));
    assert!(clean.html.contains(r#"alt="logo" src="data:image/png;base64,iVBORw0KGgo=""#));
    assert!(!clean.html.contains("t.example.com"));
    assert_eq!(clean.blocked_images, 1);
    let loaded = sanitize(mail, true).unwrap();
    assert!(loaded.html.contains(r#"src="https://t.example.com/p.gif""#));
    assert_eq!(loaded.blocked_images, 0);
}

#[wasm_bindgen_test]
fn t3_hostile_nesting_keeps_its_text_without_exhausting_the_stack() {
    let deep = format!("{}deep text{}", "<div>".repeat(5000), "</div>".repeat(5000));
    let clean = sanitize(&deep, false).unwrap();
    assert!(clean.html.contains("deep text"));
}
