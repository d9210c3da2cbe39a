//! A walk over FIT message framing (file headers, definition messages, data message sizes,
//! chained files) that finds field definitions whose size is not a multiple of their base
//! type's size. The decoder reads such a field as bytes but says so on the process's stderr,
//! naming no file; finding them first lets racegap make the same change itself and attach
//! the note, with its byte offset, to the file it belongs to.

use crate::discover::is_fit_header;

/// Size in bytes of one value of a FIT base type (its number with bits 5 and 6 masked).
/// Unknown types count as bytes, as the decoder treats them.
fn base_size(base_type: u8) -> u8 {
    match base_type & 0x9f {
        131 | 132 | 139 => 2,
        133 | 134 | 136 | 140 => 4,
        137 | 142 | 143 | 144 => 8,
        _ => 1,
    }
}

/// The FIT base type number of `byte`.
pub const BYTE_TYPE: u8 = 0x0d;

/// Byte offsets of the base-type byte of every field definition whose size is not a
/// multiple of its type's size. Stops quietly where the framing breaks: the decoder reports
/// that itself.
pub fn odd_field_sizes(bytes: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut pos = 0usize;
    while pos < bytes.len() && is_fit_header(&bytes[pos..]) {
        let header_len = usize::from(bytes[pos]);
        let data_len = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]) as usize;
        let start = pos + header_len;
        let end = start.saturating_add(data_len).min(bytes.len());
        if !walk(bytes, start, end, &mut found) {
            break;
        }
        // The file's 2-byte CRC, then perhaps another chained file.
        pos = end.saturating_add(2);
    }
    found
}

/// Walks the messages of one file's data section; false where the framing breaks.
fn walk(bytes: &[u8], start: usize, end: usize, found: &mut Vec<usize>) -> bool {
    let mut sizes: [Option<usize>; 16] = [None; 16];
    let mut p = start;
    while p < end {
        let h = bytes[p];
        p += 1;
        if h & 0x80 != 0 {
            // Compressed timestamp header: a data message of local type in bits 5-6.
            match sizes[usize::from((h >> 5) & 0x03)] {
                Some(n) => p += n,
                None => return false,
            }
            continue;
        }
        let local = usize::from(h & 0x0f);
        if h & 0x40 == 0 {
            match sizes[local] {
                Some(n) => p += n,
                None => return false,
            }
            continue;
        }
        // Definition: reserved, architecture, global number (2), field count, fields.
        if p + 5 > end {
            return false;
        }
        let n_fields = usize::from(bytes[p + 4]);
        p += 5;
        let mut size = 0usize;
        for _ in 0..n_fields {
            if p + 3 > end {
                return false;
            }
            let (field_size, base) = (bytes[p + 1], bytes[p + 2]);
            if field_size % base_size(base) != 0 {
                found.push(p + 2);
            }
            size += usize::from(field_size);
            p += 3;
        }
        if h & 0x20 != 0 {
            if p >= end {
                return false;
            }
            let n_dev = usize::from(bytes[p]);
            p += 1;
            for _ in 0..n_dev {
                if p + 3 > end {
                    return false;
                }
                size += usize::from(bytes[p + 1]);
                p += 3;
            }
        }
        sizes[local] = Some(size);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 14-byte header for `data_len` bytes of messages.
    fn header(data_len: u32) -> Vec<u8> {
        let mut h = vec![14, 0x10, 0, 0];
        h.extend_from_slice(&data_len.to_le_bytes());
        h.extend_from_slice(b".FIT\0\0");
        h
    }

    #[test]
    fn finds_a_three_byte_uint16_across_chained_files() {
        // Definition of local 0: record (20), two fields: 253 uint32 (4 bytes, fine) and
        // 3 uint16 of 3 bytes (odd); then one data message of 7 bytes.
        let mut msgs = vec![0x40, 0, 0, 20, 0, 2, 253, 4, 134, 3, 3, 132];
        msgs.push(0x00);
        msgs.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7]);
        let mut file = header(msgs.len() as u32);
        let odd_at = file.len() + 11;
        file.extend_from_slice(&msgs);
        file.extend_from_slice(&[0, 0]);
        let second = file.len();
        let mut chained = file.clone();
        chained.extend_from_slice(&file);
        assert_eq!(odd_field_sizes(&file), vec![odd_at]);
        assert_eq!(odd_field_sizes(&chained), vec![odd_at, second + odd_at]);
        assert_eq!(chained[odd_at], 132);
    }

    #[test]
    fn stops_where_the_framing_breaks() {
        // A data message of a local type never defined.
        let mut file = header(3);
        file.extend_from_slice(&[0x05, 1, 2, 0, 0]);
        assert!(odd_field_sizes(&file).is_empty());
        assert!(odd_field_sizes(b"not a fit file").is_empty());
    }
}
