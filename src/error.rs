//! Typed errors for reading one input file; each carries where in the file it went wrong.

use thiserror::Error;

/// Why one file could not be turned into an activity. Displayed after the file's path:
/// `path: <this message>`.
#[derive(Debug, Error, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("file is empty")]
    Empty,
    #[error("not a GPX, TCX or FIT file ({0})")]
    UnknownFormat(String),
    #[error("gzip data is corrupt: {0}")]
    Gzip(String),
    #[error("decompressed size exceeds the limit of {limit_mb} MB (gzip bomb?)")]
    TooLarge { limit_mb: u64 },
    #[error("the file is larger than the limit of {limit_mb} MB; refused unread")]
    FileTooLarge { limit_mb: u64 },
    #[error("more than {limit} points in one file; refused")]
    TooManyPoints { limit: usize },
    #[error("XML error at line {line}, column {column}: {message}")]
    Xml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("FIT error at byte {byte}: {message}")]
    Fit { byte: usize, message: String },
    #[error("{0}: only regular files are read")]
    NotRegular(String),
    #[error("not an activity: {0}")]
    NotActivity(String),
    #[error("no usable points: {0}")]
    NoData(String),
    /// A zip archive, or one of its entries, that cannot be read.
    #[error("{0}")]
    Archive(String),
    /// A panic inside a third-party decoder, caught by `guard::third_party`.
    #[error("the {decoder} decoder panicked reading this file ({message}, at {at}); the file is skipped")]
    DecoderPanic {
        decoder: String,
        message: String,
        at: String,
    },
}

impl From<crate::guard::DecoderPanic> for ReadError {
    fn from(p: crate::guard::DecoderPanic) -> ReadError {
        ReadError::DecoderPanic {
            decoder: p.decoder.to_string(),
            message: p.message,
            at: p.at,
        }
    }
}

impl ReadError {
    /// A short stable name for the kind of error (used in JSON output and tests).
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "io",
            ReadError::Empty => "empty",
            ReadError::UnknownFormat(_) => "unknown_format",
            ReadError::Gzip(_) => "gzip",
            ReadError::TooLarge { .. } | ReadError::FileTooLarge { .. } => "too_large",
            ReadError::TooManyPoints { .. } => "too_many_points",
            ReadError::Xml { .. } => "xml",
            ReadError::Fit { .. } => "fit",
            ReadError::NotRegular(_) => "not_regular",
            ReadError::NotActivity(_) => "not_activity",
            ReadError::NoData(_) => "no_data",
            ReadError::DecoderPanic { .. } => "decoder_panic",
            ReadError::Archive(_) => "archive",
        }
    }
}

/// Text for the terminal with control characters escaped (`\u{1b}`, `\n`...): a file name
/// holding an escape sequence or a newline cannot rewrite or forge lines of racegap's
/// output.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Multi-line text with control characters escaped inside each line (a message that is
/// several lines by design, as a TOML parser's, keeps its lines).
pub fn shown_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| match l.strip_suffix('\n') {
            Some(body) => format!("{}\n", shown(body)),
            None => shown(l),
        })
        .collect()
}

/// Line and column (both 1-based) of a byte offset in a text buffer.
pub fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = match before.iter().rposition(|b| *b == b'\n') {
        Some(p) => offset - p,
        None => offset + 1,
    };
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = b"ab\ncd\nef";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 1), (1, 2));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (3, 2));
        assert_eq!(line_col(t, 999), (3, 3));
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(shown("run\u{1b}[2J\nfake.gpx"), "run\\u{1b}[2J\\nfake.gpx");
        assert_eq!(shown("Trail à Chamonix.gpx"), "Trail à Chamonix.gpx");
    }

    #[test]
    fn messages_say_where() {
        let e = ReadError::Xml {
            line: 4,
            column: 2,
            message: "unexpected end".into(),
        };
        assert_eq!(
            e.to_string(),
            "XML error at line 4, column 2: unexpected end"
        );
        assert_eq!(e.kind(), "xml");
    }
}
