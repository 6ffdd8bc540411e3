//! stub
pub fn explanation(_code: &str) -> Option<&'static str> {
    None
}
