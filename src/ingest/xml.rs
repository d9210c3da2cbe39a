//! Helpers shared by the XML readers (GPX, TCX): document preparation, error positions,
//! number and text decoding, and the nesting bound.

use crate::error::{line_col, ReadError};
use quick_xml::events::{BytesCData, BytesText};
use quick_xml::Reader;

/// Deeper nesting than this is not a real GPX or TCX file; refusing it bounds the element
/// stack whatever the input.
pub const MAX_DEPTH: usize = 256;

/// Skips a UTF-8 BOM and any white space before `<?xml` (Strava writes some files so).
/// Returns the document and the offset of its first byte in the input.
pub fn strip_prologue(bytes: &[u8]) -> (&[u8], usize) {
    let mut skip = 0;
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        skip = 3;
    }
    skip += bytes[skip..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    (&bytes[skip..], skip)
}

/// A quick-xml reader over a document with the settings both readers want.
pub fn reader(doc: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(doc);
    let c = r.config_mut();
    c.trim_text(true);
    c.check_end_names = true;
    c.expand_empty_elements = false;
    r
}

/// An XML error positioned in the original input (line and column of `pos_in_doc`).
pub fn error_at(
    input: &[u8],
    base: usize,
    pos_in_doc: u64,
    message: impl Into<String>,
) -> ReadError {
    let (line, column) = line_col(input, base + pos_in_doc as usize);
    ReadError::Xml {
        line,
        column,
        message: message.into(),
    }
}

/// Parses a decimal number from element text, tolerating surrounding white space.
pub fn parse_f64(raw: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(raw).ok()?.trim();
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Element text with entities resolved; invalid escapes fall back to the raw text.
pub fn text_of(t: &BytesText) -> String {
    match t.unescape() {
        Ok(s) => s.trim().to_string(),
        Err(_) => String::from_utf8_lossy(t.as_ref()).trim().to_string(),
    }
}

/// CDATA content as text.
pub fn cdata_of(c: &BytesCData) -> String {
    String::from_utf8_lossy(c.as_ref()).trim().to_string()
}

/// The value of an attribute by local name, if present and decodable.
pub fn attr(e: &quick_xml::events::BytesStart, local: &[u8]) -> Option<String> {
    let [v] = attrs(e, [local]);
    v
}

/// The values of several attributes by local name, in one pass over the element's
/// attributes (the first of each name wins). quick-xml's duplicate check compares every
/// attribute with all before it, quadratic in their number; it is off here, so an element
/// with 100,000 attributes costs one linear pass.
pub fn attrs<const N: usize>(
    e: &quick_xml::events::BytesStart,
    locals: [&[u8]; N],
) -> [Option<String>; N] {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut found = 0;
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.local_name();
        if let Some(i) = locals.iter().position(|l| *l == key.as_ref()) {
            if out[i].is_none() {
                out[i] = a.unescape_value().ok().map(|v| v.trim().to_string());
                found += 1;
                if found == N {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prologue_skips_bom_and_space() {
        let (doc, off) = strip_prologue(b"\xef\xbb\xbf \n <?xml?>");
        assert_eq!(doc, b"<?xml?>");
        assert_eq!(off, 6);
        assert_eq!(strip_prologue(b"<a/>").1, 0);
    }

    #[test]
    fn numbers_reject_non_finite() {
        assert_eq!(parse_f64(b" 12.5\n"), Some(12.5));
        assert_eq!(parse_f64(b"-3e2"), Some(-300.0));
        assert_eq!(parse_f64(b"NaN"), None);
        assert_eq!(parse_f64(b"inf"), None);
        assert_eq!(parse_f64(b"abc"), None);
    }
}
