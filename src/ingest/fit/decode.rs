//! The FIT decoder: file headers, definition and data messages, compressed timestamps,
//! developer fields (skipped by size), both byte orders, chained files and their checksums,
//! straight from the bytes. A definition is read once into a table by field number, so a
//! data message's field is one lookup and one load; nothing is allocated per message. The
//! format is the FIT protocol's (Garmin, "Flexible and Interoperable Data Transfer Protocol",
//! rev 2.x); what the messages mean is the reader's (`super`).

use super::crc;
use crate::discover::is_fit_header;
use std::ops::ControlFlow;

/// A field of a definition: its number, where its bytes start in a data message, how many
/// there are, and its base type (bits 5 and 6 masked, as the protocol asks).
#[derive(Debug, Clone, Copy)]
struct FieldDef {
    offset: u16,
    size: u8,
    base: u8,
}

/// One definition message, kept for the local type it defines.
#[derive(Debug, Clone)]
pub struct Definition {
    global: u16,
    big_endian: bool,
    fields: Vec<FieldDef>,
    /// For each field number, 1 + the index of its field in `fields` (the last one, when a
    /// definition names a number twice); 0 where the definition has no such field.
    slot: [u8; 256],
    /// Bytes of one data message of this type, developer fields included.
    size: usize,
}

impl Definition {
    fn field(&self, num: u8) -> Option<FieldDef> {
        let s = self.slot[usize::from(num)];
        (s != 0).then(|| self.fields[usize::from(s - 1)])
    }
}

/// One data message, borrowed from the input.
pub struct Message<'a> {
    pub global: u16,
    /// Byte offset of the message's header byte in the input.
    pub at: usize,
    /// Seconds since the FIT epoch: the message's own timestamp (field 253) or, under a
    /// compressed-timestamp header, the one it implies.
    pub timestamp: Option<u32>,
    def: &'a Definition,
    body: &'a [u8],
}

impl Message<'_> {
    /// The field's value as a number, or none where the message has no such field, where the
    /// value is the base type's "invalid", or where the field holds several values.
    pub fn number(&self, num: u8) -> Option<f64> {
        let f = self.def.field(num)?;
        let bytes = self.body.get(usize::from(f.offset)..)?;
        value(bytes, f.base, f.size, self.def.big_endian)
    }

    /// The field's raw bytes, or none where they are all 0xff (a byte array's invalid).
    pub fn bytes(&self, num: u8) -> Option<&[u8]> {
        let f = self.def.field(num)?;
        let start = usize::from(f.offset);
        let b = self.body.get(start..start + usize::from(f.size))?;
        b.iter().any(|&x| x != 0xff).then_some(b)
    }
}

/// Base type numbers (FIT protocol, "Base Types"), after masking bits 5 and 6.
mod base {
    pub const ENUM: u8 = 0x00;
    pub const SINT8: u8 = 0x01;
    pub const UINT8: u8 = 0x02;
    pub const SINT16: u8 = 0x83;
    pub const UINT16: u8 = 0x84;
    pub const SINT32: u8 = 0x85;
    pub const UINT32: u8 = 0x86;
    pub const STRING: u8 = 0x07;
    pub const FLOAT32: u8 = 0x88;
    pub const FLOAT64: u8 = 0x89;
    pub const UINT8Z: u8 = 0x0a;
    pub const UINT16Z: u8 = 0x8b;
    pub const UINT32Z: u8 = 0x8c;
    pub const BYTE: u8 = 0x0d;
    pub const SINT64: u8 = 0x8e;
    pub const UINT64: u8 = 0x8f;
    pub const UINT64Z: u8 = 0x90;
}

/// Bytes of one value of a base type; unknown types are read as single bytes.
fn base_size(b: u8) -> u8 {
    match b {
        base::SINT16 | base::UINT16 | base::UINT16Z => 2,
        base::SINT32 | base::UINT32 | base::UINT32Z | base::FLOAT32 => 4,
        base::FLOAT64 | base::SINT64 | base::UINT64 | base::UINT64Z => 8,
        _ => 1,
    }
}

/// One value of base type `b` from the start of `bytes`, if the field holds exactly one and
/// it is not the type's invalid value (all ones, the largest positive for signed types, zero
/// for the `z` types, a non-finite float).
fn value(bytes: &[u8], b: u8, size: u8, big: bool) -> Option<f64> {
    if size != base_size(b) {
        return None;
    }
    macro_rules! get {
        ($t:ty, $n:literal) => {{
            let raw: [u8; $n] = bytes.get(..$n)?.try_into().ok()?;
            if big {
                <$t>::from_be_bytes(raw)
            } else {
                <$t>::from_le_bytes(raw)
            }
        }};
    }
    let v = match b {
        base::SINT8 => {
            let v = *bytes.first()? as i8;
            (v != i8::MAX).then_some(f64::from(v))?
        }
        base::UINT8Z => {
            let v = *bytes.first()?;
            (v != 0).then_some(f64::from(v))?
        }
        base::SINT16 => {
            let v = get!(i16, 2);
            (v != i16::MAX).then_some(f64::from(v))?
        }
        base::UINT16 => {
            let v = get!(u16, 2);
            (v != u16::MAX).then_some(f64::from(v))?
        }
        base::UINT16Z => {
            let v = get!(u16, 2);
            (v != 0).then_some(f64::from(v))?
        }
        base::SINT32 => {
            let v = get!(i32, 4);
            (v != i32::MAX).then_some(f64::from(v))?
        }
        base::UINT32 => {
            let v = get!(u32, 4);
            (v != u32::MAX).then_some(f64::from(v))?
        }
        base::UINT32Z => {
            let v = get!(u32, 4);
            (v != 0).then_some(f64::from(v))?
        }
        base::FLOAT32 => f64::from(get!(f32, 4)),
        base::FLOAT64 => get!(f64, 8),
        base::SINT64 => {
            let v = get!(i64, 8);
            (v != i64::MAX).then_some(v as f64)?
        }
        base::UINT64 => {
            let v = get!(u64, 8);
            (v != u64::MAX).then_some(v as f64)?
        }
        base::UINT64Z => {
            let v = get!(u64, 8);
            (v != 0).then_some(v as f64)?
        }
        base::STRING => return None,
        base::ENUM | base::UINT8 | base::BYTE => byte_value(bytes)?,
        // Unknown types are read as bytes, as the protocol's decoders do.
        _ => byte_value(bytes)?,
    };
    v.is_finite().then_some(v)
}

/// The first byte, unless it is 0xff (the invalid enum, uint8 and byte).
fn byte_value(bytes: &[u8]) -> Option<f64> {
    let v = *bytes.first()?;
    (v != 0xff).then_some(f64::from(v))
}

/// What the decoder noticed in a file it went on reading.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Note {
    #[error("checksum mismatch at byte {at} (file says {expected:#06x}, data gives {computed:#06x}); data kept")]
    Checksum {
        at: usize,
        expected: u16,
        computed: u16,
    },
    #[error("header checksum mismatch at byte {at} (header says {expected:#06x}, its bytes give {computed:#06x}); data kept")]
    HeaderChecksum {
        at: usize,
        expected: u16,
        computed: u16,
    },
    #[error("{count} field definition(s) with a size that does not fit their type (first at byte {first}); read as raw bytes")]
    OddFieldSizes { count: usize, first: usize },
    #[error("{len} trailing byte(s) after the FIT data at byte {at} ignored")]
    Trailing { at: usize, len: usize },
    #[error("the header at byte {at} gives a data size of 0 (a recording that was never closed): messages read to the end of the file")]
    NoDataSize { at: usize },
}

/// Why decoding stopped before the end of the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Break {
    #[error("no FIT file header (12 or 14 bytes ending in '.FIT')")]
    NoHeader,
    #[error("unexpected end of file")]
    Eof,
    #[error("a data message of local type {0}, which no definition before it defines")]
    Undefined(u8),
}

/// What decoding gave, beside what the sink took.
#[derive(Debug, Default)]
pub struct Decoded {
    pub notes: Vec<Note>,
    /// Where and why decoding stopped early; none when the input was read to its end or the
    /// sink stopped it.
    pub broke: Option<(usize, Break)>,
}

/// What the decoder hands each file and message to.
pub trait Sink {
    /// A FIT file of the chain starts at byte `at`.
    fn file(&mut self, at: usize) -> ControlFlow<()>;
    fn message(&mut self, msg: &Message<'_>) -> ControlFlow<()>;
}

/// Field number of every message's timestamp.
const TIMESTAMP: u8 = 253;

/// Decodes a FIT file, or several chained ones, into `sink`.
pub fn decode(input: &[u8], sink: &mut impl Sink) -> Decoded {
    let mut out = Decoded::default();
    let mut odd = (0usize, 0usize);
    let mut pos = 0usize;
    while pos < input.len() {
        let rest = &input[pos..];
        if !is_fit_header(rest) {
            if pos == 0 {
                out.broke = Some((0, Break::NoHeader));
            } else {
                // After a file's checksum only another header may follow (chained files).
                out.notes.push(Note::Trailing {
                    at: pos,
                    len: rest.len(),
                });
            }
            break;
        }
        if sink.file(pos).is_break() {
            break;
        }
        match file(input, pos, sink, &mut out, &mut odd) {
            Ok(Some(next)) => pos = next,
            Ok(None) => break,
            Err(b) => {
                out.broke = Some(b);
                break;
            }
        }
    }
    if odd.0 > 0 {
        out.notes.insert(
            0,
            Note::OddFieldSizes {
                count: odd.0,
                first: odd.1,
            },
        );
    }
    out
}

/// Reads one file of the chain, the header at `pos`: the position after its checksum, or
/// none where the sink stopped.
fn file(
    input: &[u8],
    pos: usize,
    sink: &mut impl Sink,
    out: &mut Decoded,
    odd: &mut (usize, usize),
) -> Result<Option<usize>, (usize, Break)> {
    let header_len = usize::from(input[pos]);
    let header = input.get(pos..pos + header_len).ok_or((pos, Break::Eof))?;
    if header_len == 14 {
        let expected = u16::from_le_bytes([header[12], header[13]]);
        let computed = crc::update(0, &header[..12]);
        if expected != 0 && expected != computed {
            out.notes.push(Note::HeaderChecksum {
                at: pos,
                expected,
                computed,
            });
        }
    }
    let data_len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let start = pos + header_len;
    let end = if data_len == 0 && input.len() > start + 2 {
        out.notes.push(Note::NoDataSize { at: pos });
        input.len()
    } else {
        start.saturating_add(data_len)
    };
    let mut defs: [Option<Definition>; 16] = Default::default();
    let mut last_time: Option<u32> = None;
    let mut p = start;
    while p < end {
        let at = p;
        let h = *input.get(p).ok_or((at, Break::Eof))?;
        p += 1;
        if h & 0x80 == 0 && h & 0x40 != 0 {
            let (def, next) = definition(input, p, h & 0x20 != 0, odd).ok_or((at, Break::Eof))?;
            defs[usize::from(h & 0x0f)] = Some(def);
            p = next;
            continue;
        }
        let (local, offset) = if h & 0x80 != 0 {
            ((h >> 5) & 0x03, Some(u32::from(h & 0x1f)))
        } else {
            (h & 0x0f, None)
        };
        let def = defs[usize::from(local)]
            .as_ref()
            .ok_or((at, Break::Undefined(local)))?;
        let body = input.get(p..p + def.size).ok_or((at, Break::Eof))?;
        p += def.size;
        let mut msg = Message {
            global: def.global,
            at,
            timestamp: None,
            def,
            body,
        };
        msg.timestamp = match (msg.number(TIMESTAMP), offset, last_time) {
            (Some(t), _, _) => Some(t as u32),
            (None, Some(off), Some(base)) => Some(compressed_time(base, off)),
            _ => None,
        };
        if msg.timestamp.is_some() {
            last_time = msg.timestamp;
        }
        if sink.message(&msg).is_break() {
            return Ok(None);
        }
    }
    let stored = input.get(p..p + 2).ok_or((p, Break::Eof))?;
    let expected = u16::from_le_bytes([stored[0], stored[1]]);
    let computed = crc::update(0, &input[pos..p]);
    if expected != computed {
        out.notes.push(Note::Checksum {
            at: p,
            expected,
            computed,
        });
    }
    Ok(Some(p + 2))
}

/// A compressed timestamp: the 5-bit offset replaces the low bits of the last full
/// timestamp, rolling over to the next 32 s when it is smaller than them (FIT protocol,
/// "Compressed Timestamp Header").
fn compressed_time(base: u32, offset: u32) -> u32 {
    let t = (base & !0x1f) | offset;
    if offset < (base & 0x1f) {
        t.wrapping_add(0x20)
    } else {
        t
    }
}

/// Reads the definition message whose content starts at `p` (after its header byte): the
/// definition and the position after it, or none where the input ends inside it. Fields
/// whose size is not a multiple of their type's are counted in `odd` and read as bytes.
fn definition(
    input: &[u8],
    p: usize,
    developer: bool,
    odd: &mut (usize, usize),
) -> Option<(Definition, usize)> {
    let fixed = input.get(p..p + 5)?;
    let big_endian = fixed[1] == 1;
    let global = if big_endian {
        u16::from_be_bytes([fixed[2], fixed[3]])
    } else {
        u16::from_le_bytes([fixed[2], fixed[3]])
    };
    let n = usize::from(fixed[4]);
    let mut q = p + 5;
    let raw = input.get(q..q + 3 * n)?;
    q += 3 * n;
    let mut def = Definition {
        global,
        big_endian,
        fields: Vec::with_capacity(n),
        slot: [0; 256],
        size: 0,
    };
    for (i, f) in raw.chunks_exact(3).enumerate() {
        let (num, size) = (f[0], f[1]);
        let mut b = f[2] & 0x9f;
        if size % base_size(b) != 0 {
            if odd.0 == 0 {
                odd.1 = p + 5 + 3 * i + 2;
            }
            odd.0 += 1;
            b = base::BYTE;
        }
        def.fields.push(FieldDef {
            offset: def.size as u16,
            size,
            base: b,
        });
        // At most 255 fields, so the slot fits a byte.
        def.slot[usize::from(num)] = def.fields.len() as u8;
        def.size += usize::from(size);
    }
    if developer {
        let n_dev = usize::from(*input.get(q)?);
        q += 1;
        let raw = input.get(q..q + 3 * n_dev)?;
        q += 3 * n_dev;
        def.size += raw
            .chunks_exact(3)
            .map(|f| usize::from(f[1]))
            .sum::<usize>();
    }
    Some((def, q))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A FIT writer for the tests: definitions and data messages as given, a 14-byte header
    /// with its checksum, the file checksum.
    pub(crate) fn fit_file(messages: &[u8]) -> Vec<u8> {
        let mut f = vec![14, 0x20, 0x08, 0x52];
        f.extend_from_slice(&(messages.len() as u32).to_le_bytes());
        f.extend_from_slice(b".FIT");
        let hc = crc::update(0, &f);
        f.extend_from_slice(&hc.to_le_bytes());
        f.extend_from_slice(messages);
        let c = crc::update(0, &f);
        f.extend_from_slice(&c.to_le_bytes());
        f
    }

    /// What a test sink saw: (global, timestamp, the numbers of fields 0-7).
    #[derive(Default)]
    struct Seen {
        files: Vec<usize>,
        msgs: Vec<(u16, Option<u32>, Vec<Option<f64>>)>,
        stop_after: Option<usize>,
    }

    impl Sink for Seen {
        fn file(&mut self, at: usize) -> ControlFlow<()> {
            self.files.push(at);
            ControlFlow::Continue(())
        }
        fn message(&mut self, m: &Message<'_>) -> ControlFlow<()> {
            self.msgs
                .push((m.global, m.timestamp, (0..8).map(|n| m.number(n)).collect()));
            if Some(self.msgs.len()) == self.stop_after {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }

    fn run(bytes: &[u8]) -> (Seen, Decoded) {
        let mut s = Seen::default();
        let d = decode(bytes, &mut s);
        (s, d)
    }

    /// Local type 0 = record (20), little-endian: timestamp uint32, heart_rate uint8 (field
    /// 3), altitude uint16 (field 2).
    const RECORD_DEF: [u8; 15] = [0x40, 0, 0, 20, 0, 3, 253, 4, 0x86, 3, 1, 0x02, 2, 2, 0x84];

    fn record(t: u32, hr: u8, alt: u16) -> Vec<u8> {
        let mut m = vec![0x00];
        m.extend_from_slice(&t.to_le_bytes());
        m.push(hr);
        m.extend_from_slice(&alt.to_le_bytes());
        m
    }

    #[test]
    fn reads_records_with_invalid_values_as_none() {
        let mut msgs = RECORD_DEF.to_vec();
        msgs.extend(record(1000, 150, 2600));
        msgs.extend(record(1001, 0xff, 0xffff));
        let (s, d) = run(&fit_file(&msgs));
        assert_eq!(d.notes, vec![]);
        assert_eq!(d.broke, None);
        assert_eq!(s.files, vec![0]);
        assert_eq!(s.msgs.len(), 2);
        assert_eq!(s.msgs[0].1, Some(1000));
        assert_eq!(s.msgs[0].2[3], Some(150.0));
        assert_eq!(s.msgs[0].2[2], Some(2600.0));
        assert_eq!(s.msgs[1].2[3], None);
        assert_eq!(s.msgs[1].2[2], None);
        assert_eq!(s.msgs[1].2[0], None, "no field 0 in the definition");
    }

    #[test]
    fn big_endian_definitions_read_their_numbers_big_endian() {
        // record (20 = 0x0014 big-endian), timestamp and altitude.
        let mut msgs = vec![0x41, 0, 1, 0, 20, 2, 253, 4, 0x86, 2, 2, 0x84];
        msgs.push(0x01);
        msgs.extend_from_slice(&1000u32.to_be_bytes());
        msgs.extend_from_slice(&2600u16.to_be_bytes());
        let (s, _) = run(&fit_file(&msgs));
        assert_eq!(s.msgs[0].0, 20);
        assert_eq!(s.msgs[0].1, Some(1000));
        assert_eq!(s.msgs[0].2[2], Some(2600.0));
    }

    #[test]
    fn compressed_timestamps_roll_over_at_32_seconds() {
        assert_eq!(compressed_time(1000, 10), 1002); // 1000 = 31*32 + 8
        assert_eq!(compressed_time(1000, 8), 1000);
        assert_eq!(compressed_time(1000, 3), 1027); // wrapped past 1024
        let mut msgs = RECORD_DEF.to_vec();
        msgs.extend(record(1000, 150, 2600));
        // Local type 1: record with heart rate only; its data messages under compressed
        // headers (bit 7, local type in bits 5-6, offset in bits 0-4).
        msgs.extend_from_slice(&[0x41, 0, 0, 20, 0, 1, 3, 1, 0x02]);
        msgs.extend_from_slice(&[0x80 | 0x20 | 12, 151]);
        msgs.extend_from_slice(&[0x80 | 0x20 | 2, 152]);
        let (s, _) = run(&fit_file(&msgs));
        let times: Vec<_> = s.msgs.iter().map(|m| m.1).collect();
        assert_eq!(times, vec![Some(1000), Some(1004), Some(1026)]);
        assert_eq!(s.msgs[2].2[3], Some(152.0));
    }

    #[test]
    fn developer_fields_are_skipped_by_their_size() {
        // Definition with the developer flag: timestamp, then one developer field of 5 bytes.
        let mut msgs = vec![0x60, 0, 0, 20, 0, 1, 253, 4, 0x86, 1, 0, 5, 0];
        msgs.push(0x00);
        msgs.extend_from_slice(&1000u32.to_le_bytes());
        msgs.extend_from_slice(&[9; 5]);
        msgs.extend(RECORD_DEF);
        msgs.extend(record(1001, 140, 2600));
        let (s, d) = run(&fit_file(&msgs));
        assert_eq!(d.broke, None);
        assert_eq!(s.msgs.len(), 2);
        assert_eq!(s.msgs[1].2[3], Some(140.0));
    }

    #[test]
    fn odd_sizes_are_bytes_and_noted_with_their_offset() {
        // heart_rate declared uint16 in one byte: read as a byte, noted once.
        let msgs = [
            0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x84, 0x00, 0xe8, 3, 0, 0, 147,
        ];
        let file = fit_file(&msgs);
        let (s, d) = run(&file);
        assert_eq!(s.msgs[0].2[3], Some(147.0));
        assert_eq!(
            d.notes,
            vec![Note::OddFieldSizes {
                count: 1,
                first: 14 + 11
            }]
        );
        assert_eq!(file[14 + 11], 0x84);
    }

    #[test]
    fn chained_files_each_start_fresh_and_each_checksum_is_checked() {
        let mut msgs = RECORD_DEF.to_vec();
        msgs.extend(record(1000, 150, 2600));
        let one = fit_file(&msgs);
        let mut two = one.clone();
        two.extend_from_slice(&one);
        let n = two.len();
        two[n - 1] ^= 0xff;
        let (s, d) = run(&two);
        assert_eq!(s.files, vec![0, one.len()]);
        assert_eq!(s.msgs.len(), 2);
        assert!(
            matches!(d.notes[..], [Note::Checksum { at, .. }] if at == n - 2),
            "{:?}",
            d.notes
        );
        // A data message in the second file may not use the first file's definitions.
        let mut second = vec![0x00];
        second.extend(record(1001, 150, 2600).into_iter().skip(1));
        let mut chain = one.clone();
        chain.extend(fit_file(&second));
        let (_, d) = run(&chain);
        assert_eq!(d.broke, Some((one.len() + 14, Break::Undefined(0))));
    }

    #[test]
    fn a_cut_file_breaks_off_where_its_last_message_starts() {
        let mut msgs = RECORD_DEF.to_vec();
        for i in 0..10 {
            msgs.extend(record(1000 + i, 150, 2600));
        }
        let file = fit_file(&msgs);
        let cut = &file[..file.len() - 5];
        let (s, d) = run(cut);
        assert_eq!(s.msgs.len(), 9);
        assert_eq!(d.broke, Some((14 + 15 + 9 * 8, Break::Eof)));
        // Cut right after the data: the checksum is missing.
        let (s, d) = run(&file[..file.len() - 1]);
        assert_eq!(s.msgs.len(), 10);
        assert_eq!(d.broke, Some((file.len() - 2, Break::Eof)));
    }

    #[test]
    fn trailing_bytes_and_headerless_input_are_told_apart() {
        let mut msgs = RECORD_DEF.to_vec();
        msgs.extend(record(1000, 150, 2600));
        let mut file = fit_file(&msgs);
        let n = file.len();
        file.extend_from_slice(b"junk");
        let (_, d) = run(&file);
        assert_eq!(d.notes, vec![Note::Trailing { at: n, len: 4 }]);
        let (_, d) = run(b"not a fit file at all");
        assert_eq!(d.broke, Some((0, Break::NoHeader)));
    }

    #[test]
    fn a_header_without_a_data_size_is_read_to_the_end() {
        let mut msgs = RECORD_DEF.to_vec();
        for i in 0..3 {
            msgs.extend(record(1000 + i, 150, 2600));
        }
        let mut file = fit_file(&msgs);
        file[4..8].copy_from_slice(&[0; 4]);
        let hc = crc::update(0, &file[..12]);
        file[12..14].copy_from_slice(&hc.to_le_bytes());
        let (s, d) = run(&file);
        assert_eq!(s.msgs.len(), 3);
        assert_eq!(d.notes, vec![Note::NoDataSize { at: 0 }]);
        // The file's checksum, read as a message header, ends it.
        assert!(d.broke.is_some());
    }

    #[test]
    fn a_bad_header_checksum_is_noted() {
        let mut file = fit_file(&RECORD_DEF);
        file[12] ^= 1;
        let (_, d) = run(&file);
        assert!(matches!(d.notes[0], Note::HeaderChecksum { at: 0, .. }));
    }

    #[test]
    fn the_sink_can_stop_the_decoder() {
        let mut msgs = RECORD_DEF.to_vec();
        for i in 0..10 {
            msgs.extend(record(1000 + i, 150, 2600));
        }
        let mut s = Seen {
            stop_after: Some(3),
            ..Seen::default()
        };
        let d = decode(&fit_file(&msgs), &mut s);
        assert_eq!(s.msgs.len(), 3);
        assert_eq!(d.broke, None);
    }

    #[test]
    fn a_byte_array_of_all_ones_is_invalid() {
        // record with compressed_speed_distance (field 8, three bytes).
        let mut msgs = vec![0x40, 0, 0, 20, 0, 1, 8, 3, 0x0d];
        msgs.extend_from_slice(&[0x00, 0xff, 0xff, 0xff]);
        msgs.extend_from_slice(&[0x00, 0x01, 0xff, 0xff]);
        let mut seen = Vec::new();
        struct Bytes<'s>(&'s mut Vec<Option<Vec<u8>>>);
        impl Sink for Bytes<'_> {
            fn file(&mut self, _: usize) -> ControlFlow<()> {
                ControlFlow::Continue(())
            }
            fn message(&mut self, m: &Message<'_>) -> ControlFlow<()> {
                self.0.push(m.bytes(8).map(<[u8]>::to_vec));
                ControlFlow::Continue(())
            }
        }
        decode(&fit_file(&msgs), &mut Bytes(&mut seen));
        assert_eq!(seen, vec![None, Some(vec![1, 0xff, 0xff])]);
    }

    #[test]
    fn every_base_type_and_its_invalid_value() {
        let cases: [(u8, &[u8], Option<f64>); 14] = [
            (base::SINT8, &[0xfe], Some(-2.0)),
            (base::SINT8, &[0x7f], None),
            (base::UINT8Z, &[0], None),
            (base::SINT16, &[0xff, 0x7f], None),
            (base::SINT16, &[0xfe, 0xff], Some(-2.0)),
            (base::UINT16Z, &[0, 0], None),
            (base::SINT32, &[0xff, 0xff, 0xff, 0x7f], None),
            (base::UINT32, &[0xff; 4], None),
            (base::UINT32Z, &[1, 0, 0, 0], Some(1.0)),
            (base::FLOAT32, &[0xff; 4], None),
            (base::FLOAT32, &1.5f32.to_le_bytes(), Some(1.5)),
            (base::FLOAT64, &2.25f64.to_le_bytes(), Some(2.25)),
            (base::SINT64, &(-5i64).to_le_bytes(), Some(-5.0)),
            (base::UINT64Z, &[0; 8], None),
        ];
        for (b, bytes, want) in cases {
            assert_eq!(
                value(bytes, b, base_size(b), false),
                want,
                "{b:#x} {bytes:?}"
            );
        }
        // Two values in one field: not a number.
        assert_eq!(value(&[1, 2], base::UINT8, 2, false), None);
        // A string is not a number; an unknown type is a byte.
        assert_eq!(value(b"a", base::STRING, 1, false), None);
        assert_eq!(value(&[7], 0x1f, 1, false), Some(7.0));
    }
}
