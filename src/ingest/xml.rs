//! What the XML readers (GPX, TCX) share: the event loop over a document (`walk`: error
//! positions, the root element, the nesting bound, text and CDATA, the cut-short check),
//! document preparation, and number and text decoding. Each reader says only what its
//! elements mean (`Elements`).

use crate::error::{line_col, ReadError};
use quick_xml::events::{BytesCData, BytesStart, BytesText, Event};
use quick_xml::Reader;

/// What one reader does with the elements of its documents.
pub trait Elements {
    /// The elements the reader knows, and one for all others.
    type Tag: Copy + PartialEq;
    fn tag_of(local_name: &[u8]) -> Self::Tag;
    /// Whether the first element may open the document; the message says why not.
    fn check_root(tag: Self::Tag, e: &BytesStart, empty: bool) -> Result<(), String>;
    /// An element opens (`empty`: it also closes at once, as `<trkpt .../>`).
    fn start(&mut self, tag: Self::Tag, e: &BytesStart, empty: bool) -> Result<(), ReadError>;
    /// Text (or CDATA) inside the innermost of `stack`.
    fn text(&mut self, stack: &[Self::Tag], raw: &[u8], text: &dyn Fn() -> String);
    /// An element closes (`None` for a stray end tag, which quick-xml reports first).
    fn end(&mut self, tag: Option<Self::Tag>) -> Result<(), ReadError>;
    /// How to name an open element when the file is cut short inside it (`None`: not
    /// worth naming, as an element the reader does not know).
    fn describe(tag: Self::Tag) -> Option<String>;
}

/// Where a document's events come from: the bytes of a whole file in memory (`InMemory`),
/// or a file read a buffer at a time (`Streamed`), so a big file is never held whole.
pub trait Source {
    /// The next event; `buf` holds its bytes when the source does not.
    fn event<'b>(&'b mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ReadError>;
    /// Bytes of the document read so far.
    fn position(&self) -> u64;
    /// An error at byte `pos` of the document, with its line and column in the file.
    fn error_at(&self, pos: u64, message: String) -> ReadError;
}

/// A document in memory: `input` as read, the document starting at its byte `base`.
pub struct InMemory<'a> {
    input: &'a [u8],
    base: usize,
    r: Reader<&'a [u8]>,
}

impl<'a> InMemory<'a> {
    pub fn new(input: &'a [u8]) -> InMemory<'a> {
        let (doc, base) = strip_prologue(input);
        InMemory {
            input,
            base,
            r: reader(doc),
        }
    }
}

impl Source for InMemory<'_> {
    fn event<'b>(&'b mut self, _: &'b mut Vec<u8>) -> Result<Event<'b>, ReadError> {
        let r = &mut self.r;
        crate::guard::third_party("quick-xml", || r.read_event())?.map_err(|e| {
            error_at(
                self.input,
                self.base,
                self.r.error_position(),
                e.to_string(),
            )
        })
    }
    fn position(&self) -> u64 {
        self.r.buffer_position()
    }
    fn error_at(&self, pos: u64, message: String) -> ReadError {
        error_at(self.input, self.base, pos, message)
    }
}

/// A document read from the file at `path` through `R`, which starts `base` bytes into the
/// file (after a BOM and white space). An error's line and column are found by reading the
/// file again up to it.
pub struct Streamed<R> {
    path: std::path::PathBuf,
    base: usize,
    r: Reader<R>,
}

impl<R: std::io::BufRead> Streamed<R> {
    pub fn new(path: &std::path::Path, base: usize, from: R) -> Streamed<R> {
        Streamed {
            path: path.to_path_buf(),
            base,
            r: configured(Reader::from_reader(from)),
        }
    }
}

impl<R: std::io::BufRead> Source for Streamed<R> {
    fn event<'b>(&'b mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ReadError> {
        let r = &mut self.r;
        match crate::guard::third_party("quick-xml", || r.read_event_into(buf))? {
            Ok(ev) => Ok(ev),
            Err(e) => Err(self.error_at(self.r.error_position(), e.to_string())),
        }
    }
    fn position(&self) -> u64 {
        self.r.buffer_position()
    }
    fn error_at(&self, pos: u64, message: String) -> ReadError {
        let at = self.base.saturating_add(pos as usize);
        let head = crate::safe_read::read_head(&self.path, at).unwrap_or_default();
        let (line, column) = line_col(&head, at);
        ReadError::Xml {
            line,
            column,
            message: crate::error::shown(&message),
        }
    }
}

/// Reads a whole document into `h`. Returns whether a root element was seen.
pub fn walk<E: Elements>(input: &[u8], h: &mut E) -> Result<bool, ReadError> {
    walk_source(&mut InMemory::new(input), h)
}

/// Reads the document `src` gives into `h`: the one XML event loop of the GPX and TCX
/// readers. Returns whether a root element was seen.
pub fn walk_source<E: Elements>(src: &mut impl Source, h: &mut E) -> Result<bool, ReadError> {
    let mut stack: Vec<E::Tag> = Vec::with_capacity(16);
    let mut saw_root = false;
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let ev = src.event(&mut buf)?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) => {
                h.text(&stack, t.as_ref(), &|| text_of(&t));
                continue;
            }
            Event::CData(t) => {
                let s = cdata_of(&t);
                h.text(&stack, s.as_bytes(), &|| s.clone());
                continue;
            }
            Event::End(_) => {
                h.end(stack.pop())?;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let tag = E::tag_of(e.local_name().as_ref());
        if stack.is_empty() {
            if let Err(m) = E::check_root(tag, &e, empty) {
                drop(e);
                return Err(src.error_at(src.position(), m));
            }
            saw_root = true;
        }
        h.start(tag, &e, empty)?;
        if empty {
            h.end(Some(tag))?;
            continue;
        }
        drop(e);
        stack.push(tag);
        if stack.len() > MAX_DEPTH {
            return Err(src.error_at(
                src.position(),
                format!("elements nested deeper than {MAX_DEPTH}"),
            ));
        }
    }
    if !stack.is_empty() {
        let inner = stack.iter().rev().find_map(|t| E::describe(*t));
        return Err(src.error_at(
            src.position(),
            format!(
                "file ends inside {}; it was cut short",
                inner.as_deref().unwrap_or("an open element")
            ),
        ));
    }
    Ok(saw_root)
}

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
    configured(Reader::from_reader(doc))
}

fn configured<R>(mut r: Reader<R>) -> Reader<R> {
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
    // quick-xml quotes the file's own bytes (a broken end tag); a newline or control
    // character among them is shown escaped, so the message stays one line.
    ReadError::Xml {
        line,
        column,
        message: crate::error::shown(&message.into()),
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

/// Numbers from several attributes by local name, in one pass (the first of each name
/// wins): parsed from the attribute's bytes where they hold no entity, as nearly all do,
/// with no string made; through `unescape_value` otherwise.
pub fn attr_numbers<const N: usize>(
    e: &quick_xml::events::BytesStart,
    locals: [&[u8]; N],
) -> [Option<f64>; N] {
    let mut out: [Option<f64>; N] = [None; N];
    let mut seen = [false; N];
    let mut found = 0;
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.local_name();
        if let Some(i) = locals.iter().position(|l| *l == key.as_ref()) {
            if !seen[i] {
                seen[i] = true;
                out[i] = if a.value.contains(&b'&') {
                    a.unescape_value()
                        .ok()
                        .and_then(|v| parse_f64(v.as_bytes()))
                } else {
                    parse_f64(&a.value)
                };
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
    fn numeric_attributes_with_and_without_entities() {
        let doc = br#"<p lat=" 45.5" x:lon="&#54;.25" lat="1" ele="a"/>"#;
        let mut r = reader(doc);
        let Ok(Event::Empty(e)) = r.read_event() else {
            panic!("an empty element")
        };
        assert_eq!(
            attr_numbers(&e, [b"lat", b"lon", b"ele", b"time"]),
            [Some(45.5), Some(6.25), None, None]
        );
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
