//! Query strings for the links pages build (filters, pages of results, where to go next).

/// Percent-encodes `text` as one query string value: everything but ASCII letters, digits and
/// `-_.~` is encoded, byte by byte of its UTF-8.
pub fn encode_value(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte))
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::encode_value;

    #[test]
    fn reserved_and_non_ascii_characters_are_encoded() {
        assert_eq!(encode_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_value("plain-text_1.0~"), "plain-text_1.0~");
    }
}
