//! The only HTML strings the app itself hands the browser (W1, strict CSP with Trusted Types):
//! Leptos renders the fully static parts of a view (a table header, a hint) from a compiled-in
//! string through `innerHTML`. Under `require-trusted-types-for 'script'` every such string
//! passes the page's default policy, and this check is that policy: it admits plain markup of
//! the kind the views contain (allowed elements, allowed attributes with quoted values, text)
//! and nothing that could run or load anything: no script or style elements, no event
//! handlers, no inline styles, no sources, no links out of the app.

/// Elements the views use statically.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "br",
    "button",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "kbd",
    "label",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "progress",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];

/// Elements with no end tag.
const VOID: &[&str] = &["br", "col", "hr"];

/// Attributes the views set statically (besides `aria-*` and `data-*`).
const ATTRIBUTES: &[&str] = &[
    "class", "id", "role", "for", "scope", "colspan", "rowspan", "headers", "type", "value", "title", "lang", "dir", "hidden", "open", "disabled", "selected", "tabindex", "datetime", "max", "min",
    "name", "href",
];

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn allowed_attribute(name: &str, value: &str) -> bool {
    let known = ATTRIBUTES.contains(&name) || name.strip_prefix("aria-").or_else(|| name.strip_prefix("data-")).is_some_and(|rest| !rest.is_empty() && rest.chars().all(is_name_char));
    // A link stays inside the app: a path or a fragment, never another site or a scheme.
    let safe_link = name != "href" || ((value.starts_with('/') && !value.starts_with("//")) || value.starts_with('#'));
    known && safe_link && !value.contains('<')
}

/// Reads `<name attr="value" ...>` at the start of `rest`; returns the tag name and what follows.
fn start_tag(rest: &str) -> Option<(&str, &str)> {
    let body = rest.strip_prefix('<')?;
    let end = body.find(|c: char| !is_name_char(c)).unwrap_or(body.len());
    let (name, mut rest) = body.split_at(end);
    if !ELEMENTS.contains(&name) {
        return None;
    }
    loop {
        let trimmed = rest.trim_start_matches(' ');
        if let Some(after) = trimmed.strip_prefix('>').or_else(|| trimmed.strip_prefix("/>")) {
            return Some((name, after));
        }
        if trimmed.len() == rest.len() {
            return None;
        }
        let end = trimmed.find(|c: char| !is_name_char(c)).unwrap_or(trimmed.len());
        let (attr, after) = trimmed.split_at(end);
        if attr.is_empty() {
            return None;
        }
        let (value, after) = match after.strip_prefix("=\"") {
            Some(quoted) => {
                let close = quoted.find('"')?;
                (&quoted[..close], &quoted[close + 1..])
            }
            None => ("", after),
        };
        if !allowed_attribute(&attr.to_ascii_lowercase(), value) {
            return None;
        }
        rest = after;
    }
}

/// Whether `html` is static markup of the kind the app renders (see the module's notes).
pub fn is_app_markup(html: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>');
            let Some(end) = end else { return false };
            if open.pop() != Some(&after[..end]) {
                return false;
            }
            rest = &after[end + 1..];
        } else if rest.starts_with('<') {
            let Some((name, after)) = start_tag(rest) else { return false };
            if !VOID.contains(&name) {
                open.push(name);
            }
            rest = after;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            rest = &rest[end..];
        }
        if open.len() > 64 {
            return false;
        }
    }
    open.is_empty()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn w1_the_views_static_markup_is_admitted() {
        for ok in [
            r#"<p class="td-muted">No messages yet.</p>"#,
            r#"<thead><tr><th>Queue</th><th>Waiting</th><th>Longest wait</th></tr></thead>"#,
            r#"<div class="td-field" role="group" aria-label="Report range"><label for="from">From</label></div>"#,
            r#"<p>They stay on this device. Someone with the right permission can make the change “instead”, or an admin can change your permissions; then try again.</p>"#,
            r#"<ul><li>one</li><li>two<br>three</li></ul>"#,
            r#"<a href="/settings" class="td-link">Settings</a>"#,
            r#"<option value="" selected>Any status</option>"#,
            "<p>5 &lt; 6 &amp; more</p>",
        ] {
            assert!(is_app_markup(ok), "{ok}");
        }
    }

    #[test]
    fn w1_anything_that_could_run_or_load_is_refused() {
        for bad in [
            "<script>alert(1)</script>",
            r#"<img src="x" onerror="alert(1)">"#,
            r#"<p onclick="alert(1)">x</p>"#,
            r#"<p style="background:url(//evil)">x</p>"#,
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="//evil.example/">x</a>"#,
            r#"<a href="https://evil.example/">x</a>"#,
            "<iframe srcdoc=\"x\"></iframe>",
            "<svg onload=alert(1)>",
            "<style>*{}</style>",
            r#"<p class=unquoted>x</p>"#,
            "<p>unclosed",
            "<p>x</div>",
            "<!-- comment --><p>x</p>",
            r#"<form action="/x"><button>x</button></form>"#,
            r#"<input value="x">"#,
            r#"<p data-="x">x</p>"#,
            "<math><mi>x</mi></math>",
        ] {
            assert!(!is_app_markup(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn w1_no_string_with_a_script_a_handler_or_a_source_passes(s in "[<>/ a-z=\"']{0,40}", at in 0usize..40, tag in prop_oneof![Just("<script>"), Just("<p onclick=\"x\">"), Just("<img src=\"x\">"), Just("<iframe>"), Just("<a href=\"javascript:x\">")]) {
            let mut text = s.clone();
            text.insert_str(at.min(text.len()), tag);
            prop_assert!(!is_app_markup(&text), "{text}");
        }
    }
}
