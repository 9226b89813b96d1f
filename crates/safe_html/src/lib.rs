//! Shows email HTML so that no script can run and nothing remote loads until the agent allows it.
//!
//! Three layers, each enough on its own for scripts:
//! 1. [`sanitize`] parses the HTML with the browser's `DOMParser` (an inert document: nothing
//!    runs, nothing loads) and writes a new document from an allow-list of elements and
//!    attributes, escaping every text and value. Remote images are left out until the agent
//!    chooses "Load images".
//! 2. [`policy`] is the Content-Security-Policy the email frame (`mail-frame.html`) puts on
//!    the email before showing it: nothing runs or loads, images only once allowed; the frame
//!    itself is served with a policy that lets only its own script run.
//! 3. The app shows it in an `<iframe sandbox>` without `allow-same-origin`, so even the
//!    frame's own script reaches nothing of the app.

pub mod app_markup;

/// What a sanitised email holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CleanEmail {
    /// The body markup, built only from allowed elements and attributes.
    pub html: String,
    /// Remote images left out (shown once the agent chooses "Load images").
    pub blocked_images: usize,
}

/// Elements kept (with their allowed attributes). Anything else is dropped: listed in
/// [`DROP_WITH_CONTENT`] together with its content, otherwise replaced by its content.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the walk over the parsed email runs in the browser only
const KEEP: &[&str] = &[
    "a",
    "abbr",
    "address",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Elements whose content must not be shown either: code, raw text, foreign markup, embedded
/// documents and form controls.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the walk over the parsed email runs in the browser only
const DROP_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "title",
    "head",
    "textarea",
    "select",
    "option",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "meta",
    "link",
    "base",
    "input",
    "button",
    "audio",
    "video",
    "source",
    "track",
    "picture",
    "canvas",
    "portal",
    "dialog",
    "slot",
];

/// Elements with no end tag.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the walk over the parsed email runs in the browser only
const VOID: &[&str] = &["br", "hr", "img", "col"];

/// Presentational attributes kept on any kept element; values are escaped.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the walk over the parsed email runs in the browser only
const ATTRIBUTES: &[&str] =
    &["title", "alt", "width", "height", "align", "valign", "colspan", "rowspan", "border", "cellpadding", "cellspacing", "bgcolor", "color", "face", "size", "dir", "lang", "start", "type", "span"];

/// Deepest nesting written out; deeper content keeps only its text, so hostile nesting cannot
/// exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// Escapes text for an element's content or a double-quoted attribute value.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A link target that is safe to keep: web and mail addresses only.
pub fn safe_link(href: &str) -> Option<&str> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:"].iter().any(|p| lower.starts_with(p)) && !href.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(href)
}

/// What an image source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// An inline raster image (`data:image/png`, …): nothing is fetched.
    Inline,
    /// An image on the web: fetched only when the agent chooses "Load images".
    Remote,
    /// Anything else (scripts, SVG documents, local files): never used.
    Refused,
}

/// Classifies an image source.
pub fn image_source(src: &str) -> ImageSource {
    let src = src.trim();
    if src.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return ImageSource::Refused;
    }
    let lower = src.to_ascii_lowercase();
    if ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].iter().any(|p| lower.starts_with(p)) {
        ImageSource::Inline
    } else if lower.starts_with("https://") || lower.starts_with("http://") {
        ImageSource::Remote
    } else {
        ImageSource::Refused
    }
}

/// Whether an inline style is plain presentation: no way to fetch, script or escape from it.
pub fn safe_style(style: &str) -> bool {
    let lower = style.to_ascii_lowercase();
    !["url", "\\", "expression", "import", "javascript", "behavio", "binding", "image", "&", "<", "/*"].iter().any(|bad| lower.contains(bad))
}

/// The attribute an email's inline styles are parked under while the email is parsed.
pub const PARKED_STYLE: &str = "data-td-style";

/// Renames every `style` attribute of the email's start tags to [`PARKED_STYLE`] before the
/// parse: under the app's strict CSP the browser reports each inline style it parses, even in
/// the inert document the sanitiser reads. Text, comments and values are copied as they are;
/// the sanitiser then checks each parked style and writes the safe ones back as `style`.
pub fn park_styles(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(comment.len(), |e| e + 3);
            out.push_str("<!--");
            out.push_str(&comment[..end]);
            rest = &comment[end..];
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest = start_tag(rest, &mut out);
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Copies one start tag from `tag` into `out`, parking its `style` attributes; returns the rest.
fn start_tag<'a>(tag: &'a str, out: &mut String) -> &'a str {
    let name_end = tag[1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').map_or(tag.len(), |e| e + 1);
    out.push_str(&tag[..name_end]);
    let mut rest = &tag[name_end..];
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        out.push_str(&rest[..rest.len() - trimmed.len()]);
        rest = trimmed;
        if rest.is_empty() {
            return rest;
        }
        if let Some(after) = rest.strip_prefix('>') {
            out.push('>');
            return after;
        }
        let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/').unwrap_or(rest.len()).max(1);
        let name = &rest[..name_end.min(rest.len())];
        out.push_str(if name.eq_ignore_ascii_case("style") { PARKED_STYLE } else { name });
        rest = &rest[name.len()..];
        let spaced = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(value) = spaced.strip_prefix('=') {
            out.push_str(&rest[..rest.len() - spaced.len()]);
            out.push('=');
            let value_start = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
            out.push_str(&value[..value.len() - value_start.len()]);
            let end = match value_start.chars().next() {
                Some(q @ ('"' | '\'')) => value_start[1..].find(q).map_or(value_start.len(), |e| e + 2),
                _ => value_start.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(value_start.len()),
            };
            out.push_str(&value_start[..end]);
            rest = &value_start[end..];
        }
    }
}

/// The Content-Security-Policy of the frame: nothing may run or load, except images once the
/// agent allows them.
pub fn policy(load_images: bool) -> String {
    let images = if load_images { "data: https: http:" } else { "data:" };
    format!("default-src 'none'; style-src 'unsafe-inline'; img-src {images}; form-action 'none'; base-uri 'none'; frame-src 'none'")
}

#[cfg(target_arch = "wasm32")]
mod dom {
    use super::*;
    use wasm_bindgen::JsValue;
    use web_sys::{DomParser, Element, Node, SupportedType};

    const XHTML: &str = "http://www.w3.org/1999/xhtml";

    thread_local! {
        static POLICY: Option<JsValue> = inert_policy();
    }

    /// Under Trusted Types (`require-trusted-types-for 'script'`) the parser takes only trusted
    /// HTML: the email gets there through a policy of its own, used nowhere else, because an
    /// inert parse (nothing runs, nothing loads) is this sanitiser's first step.
    fn inert_policy() -> Option<JsValue> {
        use wasm_bindgen::JsCast;
        let tt = js_sys::Reflect::get(&js_sys::global(), &"trustedTypes".into()).ok().filter(|t| !t.is_undefined() && !t.is_null())?;
        let create = js_sys::Reflect::get(&tt, &"createPolicy".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let rules = js_sys::Object::new();
        // No `new Function` (a strict CSP forbids eval): the policy is a closure that lives as
        // long as the page.
        let same = wasm_bindgen::closure::Closure::<dyn Fn(String) -> String>::new(|html: String| html).into_js_value();
        js_sys::Reflect::set(&rules, &"createHTML".into(), &same).ok()?;
        create.call2(&tt, &"taskdesk-email-parser".into(), &rules).ok()
    }

    fn parse(parser: &DomParser, dirty: &str) -> Option<web_sys::Document> {
        use wasm_bindgen::JsCast;
        let Some(policy) = POLICY.with(Clone::clone) else {
            return parser.parse_from_string(dirty, SupportedType::TextHtml).ok();
        };
        let create = js_sys::Reflect::get(&policy, &"createHTML".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let trusted = create.call1(&policy, &dirty.into()).ok()?;
        let parse = js_sys::Reflect::get(parser, &"parseFromString".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        parse.call2(parser, &trusted, &"text/html".into()).ok()?.dyn_into().ok()
    }

    /// Sanitises an email's HTML. Fails only when the browser offers no HTML parser.
    pub fn sanitize(dirty: &str, load_images: bool) -> Result<CleanEmail, String> {
        let parser = DomParser::new().map_err(|_| "the browser cannot read HTML here".to_string())?;
        let doc = parse(&parser, &park_styles(dirty)).ok_or_else(|| "the email's HTML could not be read".to_string())?;
        let mut clean = CleanEmail::default();
        if let Some(body) = doc.body() {
            let mut child = body.first_child();
            while let Some(node) = child {
                walk(&node, &mut clean, load_images, 0);
                child = node.next_sibling();
            }
        }
        Ok(clean)
    }

    fn walk(node: &Node, clean: &mut CleanEmail, load_images: bool, depth: usize) {
        match node.node_type() {
            Node::TEXT_NODE => escape(&node.node_value().unwrap_or_default(), &mut clean.html),
            Node::ELEMENT_NODE => {
                let Some(el) = wasm_bindgen::JsCast::dyn_ref::<Element>(node) else { return };
                let name = el.local_name().to_ascii_lowercase();
                if el.namespace_uri().as_deref() != Some(XHTML) || DROP_WITH_CONTENT.contains(&name.as_str()) {
                    return;
                }
                let kept = KEEP.contains(&name.as_str()) && depth < MAX_DEPTH;
                if kept {
                    if name == "img" && !open_image(el, clean, load_images) {
                        return;
                    }
                    if name != "img" {
                        open_tag(el, &name, &mut clean.html);
                    }
                }
                if !VOID.contains(&name.as_str()) {
                    let mut child = node.first_child();
                    while let Some(c) = child {
                        walk(&c, clean, load_images, depth + 1);
                        child = c.next_sibling();
                    }
                    if kept {
                        clean.html.push_str("</");
                        clean.html.push_str(&name);
                        clean.html.push('>');
                    }
                }
            }
            // Comments, processing instructions and the rest carry nothing to show.
            _ => {}
        }
    }

    fn attribute(out: &mut String, name: &str, value: &str) {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape(value, out);
        out.push('"');
    }

    fn common_attributes(el: &Element, out: &mut String) {
        for name in ATTRIBUTES {
            if let Some(v) = el.get_attribute(name) {
                attribute(out, name, &v);
            }
        }
        if let Some(style) = el.get_attribute(PARKED_STYLE).or_else(|| el.get_attribute("style")).filter(|s| safe_style(s)) {
            attribute(out, "style", &style);
        }
    }

    fn open_tag(el: &Element, name: &str, out: &mut String) {
        out.push('<');
        out.push_str(name);
        common_attributes(el, out);
        if name == "a" {
            if let Some(href) = el.get_attribute("href").as_deref().and_then(safe_link) {
                attribute(out, "href", href);
                out.push_str(" target=\"_blank\" rel=\"noopener noreferrer\"");
            }
        }
        out.push('>');
    }

    /// Writes an image if its source may be shown now; says whether it was written.
    fn open_image(el: &Element, clean: &mut CleanEmail, load_images: bool) -> bool {
        let src = el.get_attribute("src").unwrap_or_default();
        let shown = match image_source(&src) {
            ImageSource::Inline => true,
            ImageSource::Remote if load_images => true,
            ImageSource::Remote => {
                clean.blocked_images += 1;
                false
            }
            ImageSource::Refused => false,
        };
        if shown {
            clean.html.push_str("<img");
            common_attributes(el, &mut clean.html);
            attribute(&mut clean.html, "src", src.trim());
            clean.html.push('>');
        }
        shown
    }
}

#[cfg(target_arch = "wasm32")]
pub use dom::sanitize;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_are_kept() {
        assert_eq!(safe_link(" https://example.com/a "), Some("https://example.com/a"));
        assert_eq!(safe_link("mailto:jana@example.com"), Some("mailto:jana@example.com"));
        for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example", "https://a b"] {
            assert_eq!(safe_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn image_sources_are_classified() {
        assert_eq!(image_source("data:image/png;base64,AAAA"), ImageSource::Inline);
        assert_eq!(image_source("https://t.example/p.gif"), ImageSource::Remote);
        for bad in ["javascript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", "file:///etc/passwd", "//t.example/p.gif", "cid:logo"] {
            assert_eq!(image_source(bad), ImageSource::Refused, "{bad}");
        }
    }

    #[test]
    fn inline_styles_are_parked_for_the_parse_and_nothing_else_changes() {
        assert_eq!(park_styles(r#"<p STYLE="color:red" class=x>a style="b" <b style='x'>c</b></p>"#), r#"<p data-td-style="color:red" class=x>a style="b" <b data-td-style='x'>c</b></p>"#);
        assert_eq!(park_styles("<!-- <p style=x> --><td style = \"a>b\" nowrap/>"), "<!-- <p style=x> --><td data-td-style = \"a>b\" nowrap/>");
        for text in ["", "<", "a < b", "<p", "<p style", "<p style=", "<p style=\"unclosed", "</p style=x>", "<<<>>>", "<p\u{e9} style=é>"] {
            let parked = park_styles(text);
            assert!(!parked.is_empty() || text.is_empty(), "{text}");
        }
        assert_eq!(park_styles("</p style=x>"), "</p style=x>", "end tags are left alone");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn parking_never_panics_and_touches_only_style_attributes(html in "[<>/!=\"' a-zé-]{0,60}") {
            let parked = park_styles(&html);
            if !html.to_ascii_lowercase().contains("style") {
                proptest::prop_assert_eq!(parked, html);
            }
        }
    }

    #[test]
    fn styles_that_could_fetch_or_script_are_dropped() {
        assert!(safe_style("color: red; font-weight: bold"));
        for bad in ["background:url(https://t.example/x)", "width: expression(alert(1))", "@import 'x'", "background-image: image-set(x)", "color: \\72 ed"] {
            assert!(!safe_style(bad), "{bad}");
        }
    }

    #[test]
    fn the_frame_forbids_scripts_and_remote_loads_until_images_are_allowed() {
        let locked = policy(false);
        assert!(locked.starts_with("default-src 'none';") && locked.contains("img-src data:;"), "{locked}");
        assert!(policy(true).contains("img-src data: https: http:"));
        let mut out = String::new();
        escape("<script>\"&'", &mut out);
        assert_eq!(out, "&lt;script&gt;&quot;&amp;&#39;");
    }
}
