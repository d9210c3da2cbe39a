//! Zip archives read in place (a Strava or Garmin Connect export, Apple Health's
//! `export.zip`, any zip of activity files): the entries are listed from the central
//! directory, checked against the archive limits, and read one at a time straight from the
//! archive file, in parallel, never unpacked to disk. A nested zip (Garmin's
//! `UploadedFiles_*.zip`) is read from memory, up to `MAX_DEPTH` levels. Every entry is
//! named `archive.zip!path/inside` (`outer.zip!inner.zip!x.fit` when nested).

use crate::error::ReadError;
use crate::guard::third_party;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zip::ZipArchive;

/// Most entries one archive (nested ones included) may list. A Garmin export of ten years
/// holds some tens of thousands.
pub const MAX_ENTRIES: usize = 200_000;
/// Most bytes all entries of one archive may expand to.
pub const MAX_TOTAL_BYTES: u64 = 64 << 30;
/// An entry over `RATIO_FROM` bytes that expands more than this many times its compressed
/// size is a zip bomb: real GPX compresses about 10:1, FIT 3:1.
pub const MAX_RATIO: u64 = 200;
pub const RATIO_FROM: u64 = 1 << 20;
/// An archive inside an archive inside an archive, at most (Garmin's exports nest two).
pub const MAX_DEPTH: usize = 3;
/// The zip signature: a local file header (or the end record of an empty archive).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// A file read through `pread`, so clones share one open file and each keeps its own
/// position: every worker thread reads the archive independently.
#[derive(Clone)]
struct SharedFile {
    file: Arc<File>,
    len: u64,
    pos: u64,
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let at = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = at.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        Ok(self.pos)
    }
}

/// Where an archive's bytes are: a file on disk, or a nested archive in memory.
#[derive(Clone)]
enum Source {
    File(SharedFile),
    Memory(Cursor<Arc<[u8]>>),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::File(f) => f.read(buf),
            Source::Memory(m) => m.read(buf),
        }
    }
}

impl Seek for Source {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        match self {
            Source::File(f) => f.seek(to),
            Source::Memory(m) => m.seek(to),
        }
    }
}

/// One open archive. Cloning is cheap (the central directory is shared), and each clone
/// reads on its own: one per worker thread.
#[derive(Clone)]
pub struct Archive {
    zip: ZipArchive<Source>,
    /// The archive's own name in messages (`export.zip`, `export.zip!inner.zip`).
    pub name: PathBuf,
    /// 0 for an archive on disk, 1 for one inside it, ...
    pub depth: usize,
    /// Names the central directory lists more than once, with how many times: the zip
    /// reader keeps one entry per name, so the others are named as not read.
    twice: Vec<(String, usize)>,
}

/// What an entry is, from its name and the central directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Position in the archive.
    pub index: usize,
    /// The name inside the archive, as stored.
    pub name: String,
    /// `archive!name`.
    pub path: PathBuf,
    pub size: u64,
}

/// The archive's entries: the files to read, and the ones refused by the limits.
#[derive(Debug, Default)]
pub struct Listing {
    pub members: Vec<Member>,
    pub refused: Vec<(PathBuf, ReadError)>,
}

fn archive_error(message: impl Into<String>) -> ReadError {
    ReadError::Archive(message.into())
}

impl Archive {
    /// Opens an archive on disk (a regular file only), reading its central directory.
    pub fn open(path: &Path) -> Result<Archive, ReadError> {
        let (file, meta) = crate::safe_read::open_regular(path)?;
        let source = Source::File(SharedFile {
            file: Arc::new(file),
            len: meta.len(),
            pos: 0,
        });
        Archive::from_source(source, path.to_path_buf(), 0)
    }

    /// Opens an archive held in memory (an entry of `self`).
    pub fn nested(&self, bytes: Vec<u8>, member: &Member) -> Result<Archive, ReadError> {
        if self.depth + 1 >= MAX_DEPTH {
            return Err(archive_error(format!(
                "an archive nested more than {MAX_DEPTH} deep; not opened"
            )));
        }
        let source = Source::Memory(Cursor::new(Arc::from(bytes)));
        Archive::from_source(source, member.path.clone(), self.depth + 1)
    }

    fn from_source(source: Source, name: PathBuf, depth: usize) -> Result<Archive, ReadError> {
        let twice = duplicate_names(&mut source.clone());
        let zip = third_party("zip", || ZipArchive::new(source))?.map_err(|e| {
            let e = e.to_string();
            archive_error(if e.contains("EOCD") {
                format!("not a readable zip archive: its end (the list of its files) is missing, so it was cut short; download it again ({e})")
            } else {
                format!("not a readable zip archive ({e})")
            })
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(archive_error(format!(
                "{} entries, more than the {MAX_ENTRIES} an export holds; not read",
                zip.len()
            )));
        }
        Ok(Archive {
            zip,
            name,
            depth,
            twice,
        })
    }

    /// The entry's name in messages: `archive!inside`.
    pub fn path_of(&self, inside: &str) -> PathBuf {
        let mut s = self.name.clone().into_os_string();
        s.push("!");
        s.push(inside);
        PathBuf::from(s)
    }

    /// Every file entry, checked against the limits: directories are left out; an
    /// encrypted entry, one named with `..` or an absolute path, one that would expand
    /// like a zip bomb, and every entry past the total-size limit are refused by name.
    pub fn list(&mut self) -> Listing {
        let mut out = Listing::default();
        for (name, n) in &self.twice {
            out.refused.push((
                self.path_of(name),
                archive_error(format!(
                    "the archive holds {n} entries of this name; only one of them is read"
                )),
            ));
        }
        let mut total: u64 = 0;
        for index in 0..self.zip.len() {
            let entry = third_party("zip", || {
                self.zip.by_index_raw(index).map(|f| {
                    (
                        f.name().to_string(),
                        f.is_dir(),
                        f.encrypted(),
                        f.size(),
                        f.compressed_size(),
                        f.enclosed_name().is_some(),
                        f.compression(),
                    )
                })
            });
            let (name, is_dir, encrypted, size, packed, safe, method) = match entry {
                Ok(Ok(e)) => e,
                Ok(Err(e)) => {
                    out.refused.push((
                        self.path_of(&format!("#{index}")),
                        archive_error(format!("entry {index} cannot be read ({e})")),
                    ));
                    continue;
                }
                Err(p) => {
                    out.refused
                        .push((self.path_of(&format!("#{index}")), p.into()));
                    continue;
                }
            };
            if is_dir {
                continue;
            }
            let path = self.path_of(&name);
            let refuse = |why: String| (path.clone(), archive_error(why));
            if !safe {
                out.refused.push(refuse(
                    "entry named with '..' or an absolute path; not read".into(),
                ));
            } else if !matches!(
                method,
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            ) {
                out.refused.push(refuse(format!(
                    "entry compressed with {method}, which racegap does not read (only stored and deflated entries); re-zip it with the usual compression"
                )));
            } else if encrypted {
                out.refused.push(refuse(
                    "entry is encrypted (password protected); not read".into(),
                ));
            } else if size > RATIO_FROM && size / packed.max(1) > MAX_RATIO {
                out.refused.push(refuse(format!(
                    "entry expands {}:1 ({size} bytes from {packed}), past the {MAX_RATIO}:1 of a zip bomb; not read",
                    size / packed.max(1)
                )));
            } else if total.saturating_add(size) > MAX_TOTAL_BYTES {
                out.refused.push(refuse(format!(
                    "the archive expands past {} GiB; this entry and the rest are not read",
                    MAX_TOTAL_BYTES >> 30
                )));
            } else {
                total += size;
                out.members.push(Member {
                    index,
                    name,
                    path,
                    size,
                });
            }
        }
        out
    }

    /// Up to the first `n` bytes of one entry (to tell what it is without reading it all).
    /// The entry's CRC is checked when it is read to its end.
    pub fn read_head(&mut self, member: &Member, n: u64) -> Result<Vec<u8>, ReadError> {
        let r = third_party("zip", || -> Result<Vec<u8>, String> {
            let f = self.zip.by_index(member.index).map_err(|e| e.to_string())?;
            let mut out = Vec::with_capacity(n.min(member.size) as usize);
            f.take(n).read_to_end(&mut out).map_err(|e| e.to_string())?;
            Ok(out)
        })?;
        r.map_err(|e| archive_error(format!("entry cannot be read ({e})")))
    }

    /// Streams one entry into `f` (for an entry too big to hold, as Apple Health's
    /// `export.xml`); the CRC is checked as it is read.
    pub fn stream<R>(
        &mut self,
        member: &Member,
        f: impl FnOnce(&mut dyn std::io::BufRead) -> R,
    ) -> Result<R, ReadError> {
        let file = third_party("zip", || {
            self.zip.by_index(member.index).map_err(|e| e.to_string())
        })?
        .map_err(|e| archive_error(format!("entry cannot be read ({e})")))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        Ok(f(&mut reader))
    }

    /// The bytes of one entry, at most `limit` of them (the central directory's sizes are
    /// not trusted: the decompressed stream is cut at the limit).
    pub fn read(&mut self, member: &Member, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.read_head(member, limit + 1)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                limit_mb: limit >> 20,
            });
        }
        Ok(bytes)
    }
}

/// Largest central directory scanned for repeated names (a million entries take ~100 MB).
const MAX_DIRECTORY_BYTES: u64 = 256 << 20;

/// Entry names the archive's central directory lists more than once, read from the
/// directory itself (the zip reader keeps one entry per name). Any archive this cannot
/// parse (a prefix before it, a damaged end) gives none: the zip reader says the rest.
fn duplicate_names(src: &mut Source) -> Vec<(String, usize)> {
    let mut scan = || -> Option<Vec<(String, usize)>> {
        let len = src.seek(SeekFrom::End(0)).ok()?;
        let tail_len = len.min(65_557);
        src.seek(SeekFrom::Start(len - tail_len)).ok()?;
        let mut tail = vec![0u8; tail_len as usize];
        src.read_exact(&mut tail).ok()?;
        let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
        let eocd = tail.get(at..at + 22)?;
        let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
        let u32_at =
            |b: &[u8], i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap()));
        let u64_at = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let (mut size, mut offset) = (u32_at(eocd, 12), u32_at(eocd, 16));
        if size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF || u16_at(eocd, 10) == 0xFFFF {
            // Zip64: the locator just before the end record points at the zip64 record.
            let loc = tail.get(at.checked_sub(20)?..at)?;
            if &loc[..4] != b"PK\x06\x07" {
                return None;
            }
            src.seek(SeekFrom::Start(u64_at(loc, 8))).ok()?;
            let mut rec = [0u8; 56];
            src.read_exact(&mut rec).ok()?;
            if &rec[..4] != b"PK\x06\x06" {
                return None;
            }
            (size, offset) = (u64_at(&rec, 40), u64_at(&rec, 48));
        }
        if size > MAX_DIRECTORY_BYTES || offset.checked_add(size)? > len {
            return None;
        }
        src.seek(SeekFrom::Start(offset)).ok()?;
        let mut dir = vec![0u8; size as usize];
        src.read_exact(&mut dir).ok()?;
        let mut counts: std::collections::BTreeMap<&[u8], usize> = Default::default();
        let mut i = 0;
        while i + 46 <= dir.len() && &dir[i..i + 4] == b"PK\x01\x02" {
            let (n, x, c) = (
                u16_at(&dir, i + 28),
                u16_at(&dir, i + 30),
                u16_at(&dir, i + 32),
            );
            let name = dir.get(i + 46..i + 46 + n as usize)?;
            *counts.entry(name).or_default() += 1;
            i += 46 + (n + x + c) as usize;
        }
        Some(
            counts
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(name, n)| (String::from_utf8_lossy(name).into_owned(), n))
                .collect(),
        )
    };
    scan().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn open_bytes(bytes: Vec<u8>) -> Archive {
        Archive::from_source(
            Source::Memory(Cursor::new(Arc::from(bytes))),
            PathBuf::from("a.zip"),
            0,
        )
        .unwrap()
    }

    #[test]
    fn entries_are_named_inside_their_archive_and_read_whole() {
        let mut a = open_bytes(zip_of(&[("runs/1.gpx", b"<gpx/>"), ("notes.txt", b"hi")]));
        let l = a.list();
        assert!(l.refused.is_empty());
        let paths: Vec<&Path> = l.members.iter().map(|m| m.path.as_path()).collect();
        assert_eq!(
            paths,
            [Path::new("a.zip!runs/1.gpx"), Path::new("a.zip!notes.txt")]
        );
        assert_eq!(a.read(&l.members[0], 100).unwrap(), b"<gpx/>");
        // The limit cuts the stream, whatever the directory says.
        assert!(matches!(
            a.read(&l.members[0], 3),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn unsafe_names_and_bombs_are_refused_by_name() {
        let zeros = vec![0u8; 4 << 20];
        let mut a = open_bytes(zip_of(&[
            ("../escape.gpx", b"<gpx/>"),
            ("zeros.fit", &zeros),
            ("ok.gpx", b"<gpx/>"),
        ]));
        let l = a.list();
        assert_eq!(l.members.len(), 1);
        let why: Vec<String> = l
            .refused
            .iter()
            .map(|(p, e)| format!("{}: {e}", p.display()))
            .collect();
        assert!(
            why[0].starts_with("a.zip!../escape.gpx: ") && why[0].contains("'..'"),
            "{why:?}"
        );
        assert!(
            why[1].starts_with("a.zip!zeros.fit: ") && why[1].contains("zip bomb"),
            "{why:?}"
        );
    }

    /// Two entries of one name: the zip reader keeps one, so the name is reported.
    #[test]
    fn entries_of_one_name_are_named() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for data in [b"<gpx>1</gpx>".as_slice(), b"<gpx>2</gpx>", b"<gpx>3</gpx>"] {
            // The writer refuses a repeated name: write under placeholders of one length.
            w.start_file(
                format!("run{}.gpx", data[5] as char),
                SimpleFileOptions::default(),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        let mut bytes = w.finish().unwrap().into_inner();
        // Rename run2.gpx to run1.gpx everywhere (local and central headers).
        let from = b"run2.gpx";
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
            bytes[i + p + 3] = b'1';
            i += p + 1;
        }
        let mut a = open_bytes(bytes);
        let l = a.list();
        assert_eq!(l.refused.len(), 1, "{:?}", l.refused);
        let (p, e) = &l.refused[0];
        assert_eq!(p, Path::new("a.zip!run1.gpx"));
        assert!(e.to_string().contains("2 entries of this name"), "{e}");
    }

    #[test]
    fn garbage_is_not_an_archive_and_nesting_is_bounded() {
        let e = Archive::from_source(
            Source::Memory(Cursor::new(Arc::from(b"PK\x03\x04 not really".to_vec()))),
            PathBuf::from("bad.zip"),
            0,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("not a readable zip archive"), "{e}");
        let inner = zip_of(&[("x.gpx", b"<gpx/>")]);
        let mut a = open_bytes(zip_of(&[("in.zip", &inner)]));
        let l = a.list();
        let bytes = a.read(&l.members[0], 1 << 20).unwrap();
        let mut b = a.nested(bytes.clone(), &l.members[0]).unwrap();
        assert_eq!(b.name, Path::new("a.zip!in.zip"));
        let lb = b.list();
        assert_eq!(lb.members[0].path, Path::new("a.zip!in.zip!x.gpx"));
        let c = b.nested(bytes.clone(), &lb.members[0]).unwrap();
        assert!(c.nested(bytes, &lb.members[0]).is_err());
    }
}
