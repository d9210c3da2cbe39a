//! Walks the input folders and classifies each file by its content (gzip magic, FIT header,
//! XML root element), falling back to the file name only to decide whether an unreadable
//! file was meant to be an activity (error) or is something else (ignored).

use crate::error::ReadError;
use crate::model::Format;
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The file racegap leaves in every report folder it writes: a folder holding it is
/// racegap's output, never read as input.
pub const REPORT_MARKER: &str = ".racegap-report";

/// Files a Mac adds to folders and archives (`__MACOSX/`, `._name` resource forks,
/// `.DS_Store`): never activities, never worth a message.
pub fn is_mac_litter(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "__MACOSX")
        || path.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with("._") || n == ".DS_Store"
        })
}

/// How many leading bytes are enough to recognise a format.
const SNIFF_BYTES: usize = 8 * 1024;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Gzip,
    /// A zip archive (an export as a service ships it).
    Zip,
    Format(Format),
    /// XML whose root element is neither `gpx` nor `TrainingCenterDatabase`.
    OtherXml(String),
    Unknown,
}

/// Recognises a format from the leading bytes of a (decompressed) file.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Sniffed::Gzip;
    }
    if crate::archive::is_zip(head) {
        return Sniffed::Zip;
    }
    if is_fit_header(head) {
        return Sniffed::Format(Format::Fit);
    }
    match xml_root_element(head) {
        Some(root) => {
            let local = root.rsplit(':').next().unwrap_or(&root);
            if local.eq_ignore_ascii_case("gpx") {
                Sniffed::Format(Format::Gpx)
            } else if local == "TrainingCenterDatabase" {
                Sniffed::Format(Format::Tcx)
            } else {
                Sniffed::OtherXml(root)
            }
        }
        None => Sniffed::Unknown,
    }
}

/// A FIT file starts with a 12- or 14-byte header whose bytes 8..12 are `.FIT`.
pub fn is_fit_header(head: &[u8]) -> bool {
    head.len() >= 12 && (head[0] == 12 || head[0] == 14) && &head[8..12] == b".FIT"
}

/// The name of the first element of an XML document, skipping a BOM, white space, the XML
/// declaration, comments, processing instructions and a DOCTYPE.
pub fn xml_root_element(head: &[u8]) -> Option<String> {
    let mut s = head.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(head);
    loop {
        let start = s.iter().position(|b| !b.is_ascii_whitespace())?;
        s = &s[start..];
        if !s.starts_with(b"<") {
            return None;
        }
        if s.starts_with(b"<?") {
            s = &s[find(s, b"?>")? + 2..];
        } else if s.starts_with(b"<!--") {
            s = &s[find(s, b"-->")? + 3..];
        } else if s.starts_with(b"<!") {
            // A DOCTYPE may hold an internal subset in brackets, full of `>`.
            let close = find(s, b">")?;
            s = match find(s, b"[") {
                Some(open) if open < close => &s[find(s, b"]")? + 1..],
                _ => &s[close + 1..],
            };
            s = &s[find(s, b">")? + 1..];
        } else {
            let name: Vec<u8> = s[1..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace() && **b != b'>' && **b != b'/')
                .copied()
                .collect();
            if name.is_empty() {
                return None;
            }
            return String::from_utf8(name).ok();
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The file name says it is meant to be an activity export (`.gpx`, `.tcx`, `.fit`,
/// optionally `.gz`), so failing to recognise it is an error, not a reason to ignore it.
pub fn named_like_activity(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".gpx") || name.ends_with(".tcx") || name.ends_with(".fit")
}

/// The file is named as Apple Health names its export (`export.xml`).
pub fn is_export_xml(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "export.xml")
}

/// The file name says it is a zip archive.
pub fn named_like_archive(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// One file found under the inputs that looks like (or is named like) an activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub path: PathBuf,
    /// The format its content shows; `None` when only its name suggests one, or when the
    /// file was not looked at because the cache knows it.
    pub format: Option<Format>,
    pub gzipped: bool,
    /// A zip archive, whose entries are the activities.
    pub archive: bool,
    /// Apple Health's `export.xml`, whose workouts are the activities.
    pub health: bool,
    /// The cache holds this file's outcome: its contents were not read.
    pub cached: bool,
}

impl Candidate {
    /// A plain file at `path`, not looked at yet: no format, not gzipped, not an archive or
    /// an export, not cached.
    fn at(path: &Path) -> Candidate {
        Candidate {
            path: path.to_path_buf(),
            format: None,
            gzipped: false,
            archive: false,
            health: false,
            cached: false,
        }
    }
}

/// Everything found under the input paths, in path order.
#[derive(Debug, Default)]
pub struct Discovered {
    pub candidates: Vec<Candidate>,
    /// Files of other kinds (photos, CSVs, notes): listed, not errors.
    pub ignored: Vec<PathBuf>,
    /// The services' metadata files found along the way: Strava's `activities.csv`,
    /// Garmin's `*summarizedActivities*.json`.
    pub metadata_files: Vec<PathBuf>,
    /// Paths that could not be walked or opened (permissions, symlink loops).
    pub errors: Vec<(PathBuf, ReadError)>,
    /// How many files had their first bytes read to tell their format.
    pub sniffed: usize,
}

/// Walks every input (a folder recursively, or a single file), following symlinks but
/// never around a loop, hidden files included. Output is sorted by path.
pub fn discover(inputs: &[PathBuf]) -> Discovered {
    discover_with(inputs, &|_, _| false)
}

/// As `discover`, but a file for which `cached` says yes is listed as a candidate without
/// reading any of it.
pub fn discover_with(
    inputs: &[PathBuf],
    cached: &dyn Fn(&Path, &std::fs::Metadata) -> bool,
) -> Discovered {
    let mut out = Discovered::default();
    for input in inputs {
        // A report folder racegap wrote (say, beside an archive) is not input.
        let walker = WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !(e.file_type().is_dir() && e.path().join(REPORT_MARKER).is_file()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    let why = if e.loop_ancestor().is_some() {
                        "symlink loop, not followed".to_string()
                    } else {
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    };
                    out.errors.push((path, ReadError::Io(why)));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            if !entry.file_type().is_file() {
                // FIFOs, sockets, devices: never opened. Named like an activity, they are
                // listed as skipped with what they are.
                if named_like_activity(entry.path()) {
                    let why = entry
                        .metadata()
                        .map(|m| crate::safe_read::kind_of(&m).to_string())
                        .unwrap_or_else(|_| "not a regular file".into());
                    out.errors
                        .push((entry.path().to_path_buf(), ReadError::NotRegular(why)));
                } else {
                    out.ignored.push(entry.path().to_path_buf());
                }
                continue;
            }
            let known = entry
                .metadata()
                .map(|m| cached(entry.path(), &m))
                .unwrap_or(false);
            if known {
                out.candidates.push(Candidate {
                    archive: named_like_archive(entry.path()),
                    health: is_export_xml(entry.path()),
                    cached: true,
                    ..Candidate::at(entry.path())
                });
                continue;
            }
            classify(entry.path(), &mut out);
        }
    }
    out.candidates.sort_by(|a, b| a.path.cmp(&b.path));
    out.candidates.dedup_by(|a, b| a.path == b.path);
    // The route files beside an Apple Health export are read with their workouts.
    let routes: Vec<PathBuf> = out
        .candidates
        .iter()
        .filter(|c| c.health)
        .filter_map(|c| Some(c.path.parent()?.join("workout-routes")))
        .collect();
    out.candidates
        .retain(|c| c.health || !routes.iter().any(|r| c.path.starts_with(r)));
    out.ignored.sort();
    out.ignored.dedup();
    out.metadata_files.sort();
    out.metadata_files.dedup();
    out.errors.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn classify(path: &Path, out: &mut Discovered) {
    if is_mac_litter(path) {
        out.ignored.push(path.to_path_buf());
        return;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let is_meta = name == "activities.csv"
        || (name.contains("summarizedactivities") && name.ends_with(".json"));
    if is_meta {
        out.metadata_files.push(path.to_path_buf());
        return;
    }
    let named = named_like_activity(path) || named_like_archive(path);
    out.sniffed += 1;
    if is_export_xml(path) {
        let head = crate::safe_read::read_head(path, SNIFF_BYTES).unwrap_or_default();
        if crate::ingest::apple_health::is_health_export(&head) {
            out.candidates.push(Candidate {
                health: true,
                ..Candidate::at(path)
            });
            return;
        }
    }
    let (sniffed, gzipped) = match sniff_file(path) {
        Ok(s) => s,
        Err(e) => {
            if named {
                out.errors.push((path.to_path_buf(), e));
            } else {
                out.ignored.push(path.to_path_buf());
            }
            return;
        }
    };
    match sniffed {
        Sniffed::Format(f) => out.candidates.push(Candidate {
            format: Some(f),
            gzipped,
            ..Candidate::at(path)
        }),
        Sniffed::Zip if !gzipped => out.candidates.push(Candidate {
            archive: true,
            ..Candidate::at(path)
        }),
        // Named like an activity (or an archive) but not recognisable: the reader will
        // say why.
        _ if named => out.candidates.push(Candidate {
            gzipped,
            archive: named_like_archive(path),
            ..Candidate::at(path)
        }),
        _ => out.ignored.push(path.to_path_buf()),
    }
}

/// Reads the first bytes of a file (through gzip if it is compressed) and sniffs them.
/// What a gzip stream holds, from its first decompressed bytes. A short or corrupt stream
/// still gives its first bytes; errors are left to the full read, which reports them with
/// the file.
pub fn sniff_inside_gzip(compressed: impl Read) -> Sniffed {
    let mut inner = Vec::with_capacity(SNIFF_BYTES);
    let _ = crate::guard::third_party("flate2", || {
        MultiGzDecoder::new(compressed)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut inner)
    });
    sniff(&inner)
}

pub fn sniff_file(path: &Path) -> Result<(Sniffed, bool), ReadError> {
    let head = crate::safe_read::read_head(path, SNIFF_BYTES)?;
    if head.is_empty() {
        return Err(ReadError::Empty);
    }
    match sniff(&head) {
        Sniffed::Gzip => {
            let (file, _) = crate::safe_read::open_regular(path)?;
            Ok((sniff_inside_gzip(file), true))
        }
        other => Ok((other, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doctype_with_an_internal_subset_is_skipped() {
        let gpx = b"<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [\n<!ELEMENT gpx (trk)>\n<!ATTLIST gpx version CDATA #REQUIRED>\n]>\n<gpx version=\"1.1\"/>";
        assert_eq!(sniff(gpx), Sniffed::Format(Format::Gpx));
        assert_eq!(
            xml_root_element(b"<!DOCTYPE HealthData [ <!ELEMENT x (y)> ]><HealthData>").as_deref(),
            Some("HealthData")
        );
        assert!(is_mac_litter(Path::new("__MACOSX/runs/._1.gpx")));
        assert!(is_mac_litter(Path::new("runs/._1.gpx")));
        assert!(!is_mac_litter(Path::new("runs/1.gpx")));
    }

    #[test]
    fn sniffs_xml_roots_through_bom_declaration_and_comments() {
        let gpx = b"\xef\xbb\xbf  \n<?xml version=\"1.0\"?>\n<!-- hi -->\n<gpx version=\"1.1\">";
        assert_eq!(sniff(gpx), Sniffed::Format(Format::Gpx));
        let tcx = b"<?xml version=\"1.0\"?><TrainingCenterDatabase xmlns=\"x\">";
        assert_eq!(sniff(tcx), Sniffed::Format(Format::Tcx));
        let prefixed = b"<g:gpx xmlns:g=\"http://www.topografix.com/GPX/1/1\">";
        assert_eq!(sniff(prefixed), Sniffed::Format(Format::Gpx));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><kml>"),
            Sniffed::OtherXml("kml".into())
        );
        assert_eq!(sniff(b"hello"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn sniffs_fit_and_gzip_magic() {
        let mut fit = vec![14u8, 0x10, 0, 0, 0, 0, 0, 0];
        fit.extend_from_slice(b".FIT\0\0");
        assert_eq!(sniff(&fit), Sniffed::Format(Format::Fit));
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Sniffed::Gzip);
        assert_eq!(sniff(&fit[..11]), Sniffed::Unknown);
    }

    #[test]
    fn activity_names_include_gz_and_any_case() {
        assert!(named_like_activity(Path::new("a/b/123.fit.gz")));
        assert!(named_like_activity(Path::new("RUN.GPX")));
        assert!(named_like_activity(Path::new("x.tcx")));
        assert!(!named_like_activity(Path::new("photo.jpg")));
        assert!(!named_like_activity(Path::new("notes.gz")));
    }
}
