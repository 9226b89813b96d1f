//! The HTTP calls the CouchDB adapter makes, as plain data: the browser sends them with `fetch`
//! (cookies included), tests send them to a real or a fake server.

use crate::SyncError;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request. Bodies are JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Full URL.
    pub url: String,
    /// JSON body.
    pub body: Option<String>,
    /// User name and password for Basic authentication, when the session cookie cannot be kept.
    pub basic: Option<(String, String)>,
}

/// A response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// Sends requests. A request that gets no answer at all (offline, refused, dropped) is
/// [`SyncError::Unreachable`].
#[allow(async_fn_in_trait)]
pub trait Http {
    /// Sends one request.
    async fn send(&self, request: Request) -> Result<Response, SyncError>;
}

/// Percent-encodes text for one URL path segment or query value (RFC 3986 unreserved kept).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The Basic `Authorization` header value for a name and password.
pub fn basic_header(name: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{name}:{password}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in input.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_and_basic_credentials_are_encoded_as_servers_expect() {
        assert_eq!(encode_component("12-g1AA/x y"), "12-g1AA%2Fx%20y");
        assert_eq!(encode_component("taskdesk"), "taskdesk");
        assert_eq!(basic_header("alex", "pw"), "Basic YWxleDpwdw==");
        assert_eq!(basic_header("ab", "c"), "Basic YWI6Yw==");
        assert_eq!(basic_header("abc", "def"), "Basic YWJjOmRlZg==");
    }
}
