//! Turns one file into a `model::Activity`: reads the bytes, undoes gzip once (detected by
//! magic bytes, whatever the name says), detects the format from the content and hands the
//! bytes to the matching reader. A panic inside a third-party decoder becomes an error for
//! that file (`guard`); racegap's own reading code does not panic on any input (the
//! mutation and structured fuzzing tests hold it to that).

pub mod apple_health;
pub mod fit;
pub mod gpx;
pub mod plausible;
pub mod tcx;
pub mod xml;
pub mod zone;

use crate::discover::{sniff, Sniffed};
use crate::error::ReadError;
use crate::model::{Activity, Format};
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Largest file read from disk. Real exports are far smaller (a 24 h 1 Hz GPX is ~30 MB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Largest decompressed size accepted from a gzip file; beyond it the file is a bomb.
pub const MAX_GUNZIPPED_BYTES: u64 = 512 << 20;
/// Most points one file may hold: 58 days at one per second, far beyond any real
/// recording; it bounds memory whatever a file claims.
pub const MAX_SAMPLES: usize = 5_000_000;
/// Recordings before this (2000-01-01) come from a device whose clock was never set (FIT
/// counts from 1989-12-31); their dates are flagged, not trusted.
pub const EARLIEST_TRUSTED_MS: i64 = 946_684_800_000;

/// Reads and parses one file: usually one activity, several for multisport FIT and
/// multi-activity TCX files.
pub fn read_path(path: &Path) -> Result<Vec<Activity>, ReadError> {
    let (file, meta) = crate::safe_read::open_bounded(path, MAX_FILE_BYTES)?;
    let mut r = BufReader::with_capacity(STREAM_BUFFER, file);
    let head = r.fill_buf().map_err(|e| ReadError::Io(e.to_string()))?;
    // A plain GPX or TCX file is streamed: a big one is never held whole. Anything else
    // (FIT, gzip, an unknown format, a prologue longer than the buffer) is read whole.
    let (_, base) = xml::strip_prologue(head);
    let streamed = match sniff(head) {
        Sniffed::Format(f @ (Format::Gpx | Format::Tcx))
            if base < head.len() && !declares_latin1(head) =>
        {
            Some(f)
        }
        _ => None,
    };
    let Some(format) = streamed else {
        let mut raw = Vec::with_capacity(meta.len() as usize);
        r.read_to_end(&mut raw)
            .map_err(|e| ReadError::Io(e.to_string()))?;
        // Grown while being read.
        crate::safe_read::within_limit(raw.len() as u64, MAX_FILE_BYTES)?;
        return read_bytes(&raw, path);
    };
    r.consume(base);
    let mut src = xml::Streamed::new(path, base, r);
    let acts = match format {
        Format::Gpx => gpx::read_from(&mut src, path),
        _ => tcx::read_from(&mut src, path),
    }?;
    Ok(finish_all(acts, false))
}

/// Bytes a streamed file is read in.
const STREAM_BUFFER: usize = 256 << 10;

/// Parses the bytes of one file (gzipped or not). `path` is only recorded in the activity.
pub fn read_bytes(raw: &[u8], path: &Path) -> Result<Vec<Activity>, ReadError> {
    if raw.is_empty() {
        return Err(ReadError::Empty);
    }
    // Plain files are parsed where they lie: a copy would double the memory of a big one.
    let (bytes, gzipped): (Cow<[u8]>, bool) = match sniff(raw) {
        Sniffed::Gzip => (Cow::Owned(gunzip(raw, MAX_GUNZIPPED_BYTES)?), true),
        _ => (Cow::Borrowed(raw), false),
    };
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    // A document saved as UTF-16 (some Windows tools do) is read as the same text in UTF-8.
    let bytes = match utf16_to_utf8(&bytes) {
        Some(text) => Cow::Owned(text.into_bytes()),
        None => bytes,
    };
    // One declared as Latin-1 (older GPS software) is read as that text, unless its bytes
    // are UTF-8 all the same (a declaration that says otherwise is wrong then).
    let bytes = match latin1_to_utf8(&bytes) {
        Some(text) => Cow::Owned(text.into_bytes()),
        None => bytes,
    };
    let format = match sniff(&bytes) {
        Sniffed::Format(f) => f,
        Sniffed::Gzip => return Err(ReadError::UnknownFormat("gzip inside gzip".into())),
        Sniffed::Zip => return Err(ReadError::UnknownFormat(
            "a zip archive: `racegap analyze` reads archives; `inspect` reads one activity file"
                .into(),
        )),
        Sniffed::OtherXml(root) if root == "HealthData" => return Err(ReadError::UnknownFormat(
            "Apple Health's export.xml: `racegap analyze` reads it, with its folder or export.zip"
                .into(),
        )),
        Sniffed::OtherXml(root) => {
            return Err(ReadError::UnknownFormat(format!(
                "XML with root element <{root}>"
            )))
        }
        Sniffed::Unknown => return Err(unrecognised(&bytes, path)),
    };
    let acts = match format {
        Format::Gpx => gpx::read(&bytes, path),
        Format::Tcx => tcx::read(&bytes, path),
        Format::Fit => fit::read(&bytes, path),
        // Never sniffed from one file's bytes: the export is read as a whole (`exports`).
        Format::AppleHealth => {
            return Err(ReadError::UnknownFormat(
                "Apple Health's export.xml; give its folder or export.zip to `analyze`".into(),
            ))
        }
    }?;
    Ok(finish_all(acts, gzipped))
}

/// What every reader's activities get: the gzip flag, impossible values dropped, the UTC
/// offset of where they were run, a warning for a clock that was not set.
fn finish_all(mut acts: Vec<Activity>, gzipped: bool) -> Vec<Activity> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(i64::MAX);
    for a in &mut acts {
        a.gzipped = gzipped;
        plausible::drop_impossible(a);
        // A file in UTC gets the offset of where it was recorded, for its local date.
        zone::fill_offset(a);
        if let Some(w) = clock_warning(a.start_ms(), now_ms) {
            a.warnings.push(w);
        }
    }
    acts
}

/// The text of a UTF-16 document (told by its byte-order mark, or by an ASCII `<` beside a
/// zero byte at its start) as UTF-8; none for anything else or for invalid UTF-16.
fn utf16_to_utf8(bytes: &[u8]) -> Option<String> {
    let (big_endian, body) = match bytes {
        [0xff, 0xfe, rest @ ..] => (false, rest),
        [0xfe, 0xff, rest @ ..] => (true, rest),
        [b'<', 0, ..] => (false, bytes),
        [0, b'<', ..] => (true, bytes),
        _ => return None,
    };
    if body.len() % 2 != 0 {
        return None;
    }
    let units = body.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// Whether the XML declaration at the start of `head` names a single-byte Western encoding
/// (ISO-8859-1 / Latin-1, or Windows-1252, read here as Latin-1).
fn declares_latin1(head: &[u8]) -> bool {
    let (doc, _) = xml::strip_prologue(head);
    let Some(decl) = doc.strip_prefix(b"<?xml") else {
        return false;
    };
    let end = decl.iter().position(|&b| b == b'>').unwrap_or(decl.len());
    let decl = String::from_utf8_lossy(&decl[..end]).to_ascii_lowercase();
    [
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "windows-1252",
        "cp1252",
    ]
    .iter()
    .any(|e| decl.contains(&format!("\"{e}\"")) || decl.contains(&format!("'{e}'")))
}

/// The text of a document declared as Latin-1 whose bytes are not UTF-8, as UTF-8.
fn latin1_to_utf8(bytes: &[u8]) -> Option<String> {
    if !declares_latin1(bytes) || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    Some(bytes.iter().map(|&b| char::from(b)).collect())
}

/// A warning for a start time no device with a set clock would write.
pub fn clock_warning(start_ms: Option<i64>, now_ms: i64) -> Option<String> {
    let start = start_ms?;
    if start < EARLIEST_TRUSTED_MS {
        Some(format!(
            "starts {}: the device clock was not set, so its date is not trusted",
            crate::calendar::format_ms(start, None)
        ))
    } else if start > now_ms + 2 * 86_400_000 {
        Some(format!(
            "starts {}, in the future: its date is not trusted",
            crate::calendar::format_ms(start, None)
        ))
    } else {
        None
    }
}

/// The error for content that is no known format, worded for what the name promised.
fn unrecognised(bytes: &[u8], path: &Path) -> ReadError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".fit") {
        ReadError::Fit {
            byte: 0,
            message: "no FIT file header (a 12- or 14-byte header with '.FIT' at byte 8)".into(),
        }
    } else if name.ends_with(".gpx") || name.ends_with(".tcx") {
        let (_, base) = xml::strip_prologue(bytes);
        let (line, column) = crate::error::line_col(bytes, base);
        ReadError::Xml {
            line,
            column,
            message: "content is not XML".into(),
        }
    } else {
        ReadError::UnknownFormat("content is neither XML nor a FIT header".into())
    }
}

/// Decompresses a (possibly multi-member) gzip stream, refusing more than `limit` bytes.
pub fn gunzip(raw: &[u8], limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(limit as usize));
    crate::guard::third_party("flate2", || {
        MultiGzDecoder::new(raw)
            .take(limit + 1)
            .read_to_end(&mut out)
    })?
    .map_err(|e| ReadError::Gzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            limit_mb: limit >> 20,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_utf16_gpx_reads_as_its_utf8_text() {
        let text = GPX.replace("<trk>", "<trk><name>Café run</name>");
        let utf8 = read_bytes(text.as_bytes(), Path::new("a.gpx")).unwrap();
        for (bom, big) in [
            (&[0xff, 0xfe][..], false),
            (&[0xfe, 0xff][..], true),
            (&[][..], false),
        ] {
            let mut bytes = bom.to_vec();
            for u in text.encode_utf16() {
                bytes.extend(if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            let got = read_bytes(&bytes, Path::new("a.gpx")).unwrap();
            assert_eq!(
                format!("{:?}", got[0].samples),
                format!("{:?}", utf8[0].samples)
            );
            assert_eq!(got[0].name.as_deref(), Some("Café run"));
        }
        // Declared Latin-1: its bytes are read as that text; UTF-8 bytes stay as they are.
        let latin = br#"<?xml version="1.0" encoding="ISO-8859-1"?><gpx><trk><name>Caf"#
            .iter()
            .chain(b"\xe9 run</name><trkseg><trkpt lat=\"1\" lon=\"2\"><time>2020-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>")
            .copied()
            .collect::<Vec<u8>>();
        let got = read_bytes(&latin, Path::new("a.gpx")).unwrap();
        assert_eq!(got[0].name.as_deref(), Some("Café run"));
        let wrong = String::from_utf8(latin.clone())
            .unwrap_or_else(|_| String::from_utf8_lossy(&latin).replace('\u{fffd}', "é"));
        let got = read_bytes(wrong.as_bytes(), Path::new("a.gpx")).unwrap();
        assert_eq!(got[0].name.as_deref(), Some("Café run"));
        // An odd number of bytes is not UTF-16.
        assert!(utf16_to_utf8(&[0xff, 0xfe, b'<']).is_none());
    }

    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const GPX: &str = r#"<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"#;

    #[test]
    fn gzip_is_detected_by_content_not_name() {
        let a = read_bytes(&gz(GPX.as_bytes()), Path::new("misnamed.fit"))
            .unwrap()
            .remove(0);
        assert!(a.gzipped);
        assert_eq!(a.format, Format::Gpx);
        assert_eq!(a.samples.len(), 1);
    }

    #[test]
    fn unset_and_future_clocks_are_flagged() {
        let now = 1_800_000_000_000;
        assert!(clock_warning(Some(648_000_000_000), now)
            .unwrap()
            .contains("1990"));
        assert!(clock_warning(Some(now + 10 * 86_400_000), now)
            .unwrap()
            .contains("future"));
        assert!(clock_warning(Some(now - 1000), now).is_none());
        assert!(clock_warning(None, now).is_none());
    }

    #[test]
    fn gzip_bomb_is_refused() {
        let bomb = gz(&vec![b' '; 3 << 20]);
        let e = gunzip(&bomb, 1 << 20).unwrap_err();
        assert_eq!(e, ReadError::TooLarge { limit_mb: 1 });
    }

    #[test]
    fn garbage_inputs_get_typed_errors() {
        assert_eq!(
            read_bytes(b"", Path::new("e")).unwrap_err(),
            ReadError::Empty
        );
        assert!(matches!(
            read_bytes(&[0x1f, 0x8b, 1, 2, 3], Path::new("g")).unwrap_err(),
            ReadError::Gzip(_)
        ));
        assert!(matches!(
            read_bytes(b"plain words", Path::new("t")).unwrap_err(),
            ReadError::UnknownFormat(_)
        ));
        assert!(matches!(
            read_bytes(b"<?xml version='1.0'?><kml/>", Path::new("k")).unwrap_err(),
            ReadError::UnknownFormat(_)
        ));
    }
}
