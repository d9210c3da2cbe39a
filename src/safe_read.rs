//! Opening files racegap reads, safely: regular files only (a FIFO, socket or device named
//! like an activity is refused, never waited on or read forever), opened without blocking,
//! and read up to a limit whatever the file claims.

use crate::error::ReadError;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// What kind of file system object `meta` describes, in words.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn not_regular(meta: &Metadata) -> ReadError {
    ReadError::NotRegular(kind_of(meta).to_string())
}

/// Opens `path` for reading if it is a regular file (symbolic links followed). A FIFO is
/// never opened in blocking mode, so a pipe with no writer cannot hang the run.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path).map_err(|e| ReadError::Io(e.to_string()))?;
    if !before.is_file() {
        return Err(not_regular(&before));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    // The path may have been swapped for something else between the two looks.
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

/// Opens a regular file of at most `limit` bytes, to be read through the returned reader,
/// which stops one byte past the limit: a file that grows while it is read shows in
/// `within_limit`.
pub fn open_bounded(path: &Path, limit: u64) -> Result<(std::io::Take<File>, Metadata), ReadError> {
    let (file, meta) = open_regular(path)?;
    within_limit(meta.len(), limit)?;
    Ok((file.take(limit + 1), meta))
}

/// Refuses `len` bytes when they are over `limit`.
pub fn within_limit(len: u64, limit: u64) -> Result<(), ReadError> {
    if len > limit {
        return Err(ReadError::FileTooLarge {
            limit_mb: limit >> 20,
        });
    }
    Ok(())
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (mut r, meta) = open_bounded(path, limit)?;
    let mut buf = Vec::with_capacity(meta.len() as usize);
    r.read_to_end(&mut buf)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    // Grown while being read.
    within_limit(buf.len() as u64, limit)?;
    Ok(buf)
}

/// Reads a whole regular file of at most `limit` bytes as UTF-8 text (a settings file);
/// the error in words.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_bounded(path, limit).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))
}

/// Reads up to `n` leading bytes of a regular file.
pub fn read_head(path: &Path, n: usize) -> Result<Vec<u8>, ReadError> {
    let (file, _) = open_regular(path)?;
    let mut head = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut head)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.gpx");
        std::fs::write(&f, vec![b'x'; 3000]).unwrap();
        assert_eq!(read_bounded(&f, 3000).unwrap().len(), 3000);
        assert_eq!(
            read_bounded(&f, 2999).unwrap_err(),
            ReadError::FileTooLarge { limit_mb: 0 }
        );
        assert_eq!(read_head(&f, 10).unwrap().len(), 10);
        assert!(matches!(
            read_bounded(dir.path(), 10).unwrap_err(),
            ReadError::NotRegular(k) if k == "a folder"
        ));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.gpx");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_bounded(&fifo, 1 << 20).unwrap_err(),
            ReadError::NotRegular(k) if k.contains("FIFO")
        ));
        let zero = dir.path().join("zero.fit");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read_bounded(&zero, 1 << 20).unwrap_err(),
            ReadError::NotRegular(k) if k.contains("character device")
        ));
    }
}
