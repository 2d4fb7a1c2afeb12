//! What CPython reads a file as, and the way back: the PEP 263 coding cookie, decoding into the
//! text the stages see, old Mac line ends, and writing a fixed text back so that every byte
//! outside the edited spans stays the file's own.
//!
//! The stages work on bytes that tree-sitter reads as CPython reads the file: UTF-8 text with
//! `\n` or `\r\n` line ends. A file that is already that (UTF-8 without a cookie or with a
//! `utf-8` one, ASCII) is used as it is, byte for byte. Otherwise [`decode`] makes that text
//! and keeps a [`Transcoded`]: the original bytes, the text made from them and a map between the
//! two. Two things need it:
//!
//! - Another codec (`# -*- coding: shift_jis -*-`, `cp1252`, `euc-jp`, `gbk`, `big5`, ...):
//!   decoded with `encoding_rs` (latin-1 by hand, since `encoding_rs` reads `iso-8859-1` as
//!   windows-1252). Without this, tree-sitter saw the raw bytes: a Shift_JIS `ソ` (`0x83 0x5C`)
//!   ends in a backslash and escapes the closing quote, gbk and big5 have `\` and `{` trail bytes
//!   too, and latin-1 identifiers (`café = ...`) were syntax errors.
//! - Line ends that are a lone `\r` (old Mac files, which CPython reads like `\n`): tree-sitter
//!   sees `\n` in their place (same length, so every offset is the file's); a line a fix inserts
//!   ends in `\r` again.
//!
//! Single-byte codecs that read every ASCII byte as itself and that `encoding_rs` does not have
//! (`cp437`, `cp850`, `mac_greek`, ...) are used as bytes, as before: safe for every edit, since
//! no byte of a character is ASCII. Codecs the tool cannot read safely (UTF-16, EBCDIC, UTF-7,
//! `hz`, `iso2022_kr`, ...) are refused with a clear error, and a name CPython does not know is
//! the syntax error CPython reports.
//!
//! Writing back ([`Transcoded::encode`]): the fixed text is compared with the text as read;
//! every unchanged run is copied from the original bytes, every changed run is encoded in the
//! file's codec. The result is decoded again and must give the fixed text exactly, or nothing is
//! written ([`EncodeError`]).

use std::time::{Duration, Instant};

use super::codecs::CODECS;
use super::source::Source;

/// How a codec CPython knows is read here (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodecKind {
    Utf8,
    Ascii,
    Latin1,
    /// An `encoding_rs` encoding, by its WHATWG label.
    Whatwg(&'static str),
    /// ASCII-compatible, one byte per character: used as bytes.
    SingleByte,
    Unsupported,
}

/// How the file's bytes become the stages' text.
#[derive(Debug, Clone, Copy)]
enum Codec {
    /// The bytes are the text (UTF-8, checked).
    Utf8,
    /// The bytes are the text (ASCII, checked).
    Ascii,
    /// The bytes are used as they are (an ASCII-compatible single-byte codec).
    Bytes,
    Latin1,
    Rs(&'static encoding_rs::Encoding),
}

impl Codec {
    fn is_identity(self) -> bool {
        matches!(self, Codec::Utf8 | Codec::Ascii | Codec::Bytes)
    }
}

/// Why a file cannot be read as CPython would read it.
#[derive(Debug)]
pub struct DecodeError {
    /// The file's bytes as they are (without BOM), for showing where the problem is.
    pub source: Source,
    /// Where, in `source.bytes`.
    pub offset: usize,
    /// CPython rejects the file too (a syntax error); otherwise CPython reads it and this tool
    /// cannot.
    pub rejected_by_python: bool,
    pub reason: String,
}

impl DecodeError {
    /// `RM000` (CPython rejects the file too) or `RM001` (this tool cannot read it).
    pub fn code(&self) -> &'static str {
        if self.rejected_by_python {
            "RM000"
        } else {
            "RM001"
        }
    }

    pub fn name(&self) -> &'static str {
        if self.rejected_by_python {
            "invalid-syntax"
        } else {
            "io-error"
        }
    }

    /// What to tell the user about the file shown as `name`.
    pub fn message(&self, name: &str) -> String {
        if self.rejected_by_python {
            let (line, col) = self.source.line_col(self.offset);
            format!(
                "SyntaxError: cannot decode {name} at {line}:{col}: {}",
                self.reason
            )
        } else {
            format!("cannot read {name}: {}", self.reason)
        }
    }
}

/// Why a fixed text cannot be written in the file's codec (nothing is written).
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("the fix needs {ch:?}, which {codec} cannot encode")]
    Unencodable { ch: char, codec: &'static str },
    #[error("the fixed text does not read back the same in {codec}")]
    RoundTrip { codec: &'static str },
}

impl EncodeError {
    pub fn code(&self) -> &'static str {
        "RM007"
    }

    pub fn name(&self) -> &'static str {
        "unencodable-fix"
    }

    pub fn message(&self, name: &str) -> String {
        format!("cannot write {name}: {self}; not written")
    }
}

/// A run of the text that is not one byte of the file per byte of text: a character made of
/// `raw_len` bytes of the file (and any shift sequence before it) that is `view_len` bytes of
/// UTF-8.
#[derive(Debug, Clone, Copy)]
struct Span {
    view: usize,
    view_len: usize,
    raw: usize,
    raw_len: usize,
}

/// A file whose text is not its bytes: how to write a fixed text back.
pub struct Transcoded {
    /// The file's bytes, without BOM.
    raw: Vec<u8>,
    /// The text the stages got from `raw`.
    view: Vec<u8>,
    codec: Codec,
    /// The codec's name, as CPython calls it.
    codec_name: &'static str,
    /// The file's line ends are a lone `\r`: inserted `\n` become `\r`.
    cr_line_ends: bool,
    /// Sorted by `view`; between spans, one byte of `raw` is one byte of `view`.
    spans: Vec<Span>,
}

impl std::fmt::Debug for Transcoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcoded")
            .field("codec", &self.codec_name)
            .field("cr_line_ends", &self.cr_line_ends)
            .finish_non_exhaustive()
    }
}

/// The PEP 263 cookie of the first two lines, as CPython finds it: a comment line holding
/// `coding:` or `coding=` and a name; the second line only after a blank or comment first line.
fn cookie(bytes: &[u8]) -> Option<(&[u8], usize)> {
    let mut start = 0;
    for _ in 0..2 {
        let end = bytes[start..]
            .iter()
            .position(|b| matches!(b, b'\r' | b'\n'))
            .map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        let lead = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
            .count();
        if line.get(lead) != Some(&b'#') {
            if lead < line.len() {
                return None;
            }
        } else if let Some(name) = coding_spec(&line[lead..]) {
            return Some((name, start));
        }
        if end == bytes.len() {
            return None;
        }
        start = end + 1;
        if bytes[end] == b'\r' && bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
    }
    None
}

/// The name after the first `coding:` / `coding=` of a comment.
fn coding_spec(comment: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while let Some(at) = memchr::memmem::find(&comment[i..], b"coding") {
        let after = i + at + b"coding".len();
        i = after;
        if !matches!(comment.get(after), Some(b':' | b'=')) {
            continue;
        }
        let begin = after
            + 1
            + comment[after + 1..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
        let len = comment[begin..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .count();
        if len > 0 {
            return Some(&comment[begin..begin + len]);
        }
    }
    None
}

/// CPython's `get_normal_name`: `utf-8` and latin-1 spellings, on the name's first 12 chars.
fn normal_name(name: &str) -> &str {
    let head: String = name
        .chars()
        .take(12)
        .map(|c| match c {
            '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let is = |base: &str| head == base || head.starts_with(&format!("{base}-"));
    if is("utf-8") {
        "utf-8"
    } else if is("latin-1") || is("iso-8859-1") || is("iso-latin-1") {
        "iso-8859-1"
    } else {
        name
    }
}

/// `codecs.lookup`: lower case, runs of other than letters, digits and `.` as one `_`.
fn lookup(name: &str) -> Option<(&'static str, CodecKind)> {
    let mut norm = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            norm.push(c.to_ascii_lowercase());
        } else if !norm.ends_with('_') {
            norm.push('_');
        }
    }
    let norm = norm.trim_matches('_');
    let find = |n: &str| {
        CODECS
            .binary_search_by(|(alias, _, _)| (*alias).cmp(n))
            .ok()
            .map(|i| (CODECS[i].1, CODECS[i].2))
    };
    find(norm).or_else(|| find(&norm.replace('.', "_")))
}

/// The file's codec: `Err` with the reason when CPython rejects the cookie (`true`) or this tool
/// cannot read the codec (`false`).
fn codec_of(bytes: &[u8], has_bom: bool) -> Result<(Codec, &'static str), (usize, bool, String)> {
    let Some((name, at)) = cookie(bytes) else {
        return Ok((Codec::Utf8, "utf-8"));
    };
    let name = String::from_utf8_lossy(name).into_owned();
    let normal = normal_name(&name);
    let (module, kind) = match normal {
        "utf-8" => ("utf-8", CodecKind::Utf8),
        "iso-8859-1" => ("iso-8859-1", CodecKind::Latin1),
        other => lookup(other).ok_or((at, true, format!("unknown encoding: {name}")))?,
    };
    if has_bom && kind != CodecKind::Utf8 {
        return Err((at, true, format!("encoding problem: {name} with BOM")));
    }
    let codec = match kind {
        CodecKind::Utf8 => Codec::Utf8,
        CodecKind::Ascii => Codec::Ascii,
        CodecKind::Latin1 => Codec::Latin1,
        CodecKind::SingleByte => Codec::Bytes,
        CodecKind::Whatwg(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(encoding) => Codec::Rs(encoding),
            None => return Err((at, false, format!("the {module} encoding is not supported"))),
        },
        CodecKind::Unsupported => {
            return Err((at, false, format!("the {module} encoding is not supported")))
        }
    };
    Ok((codec, module))
}

/// A decoded text (`None`: the bytes themselves) and its spans.
type Decoded = (Option<Vec<u8>>, Vec<Span>);

/// The text of `raw` in `codec` (before line ends are seen to), with its spans; `Err` with the
/// offset and reason of the first byte that does not decode.
fn decode_with(codec: Codec, codec_name: &str, raw: &[u8]) -> Result<Decoded, (usize, String)> {
    match codec {
        Codec::Bytes => Ok((None, Vec::new())),
        Codec::Utf8 => match std::str::from_utf8(raw) {
            Ok(_) => Ok((None, Vec::new())),
            Err(e) => {
                let at = e.valid_up_to();
                Err((
                    at,
                    if codec_name == "utf-8" {
                        format!(
                            "Non-UTF-8 code starting with '\\x{:02x}', but no encoding declared; \
                             see PEP 263",
                            raw[at]
                        )
                    } else {
                        format!("'{codec_name}' codec can't decode byte 0x{:02x}", raw[at])
                    },
                ))
            }
        },
        Codec::Ascii => match raw.iter().position(|b| !b.is_ascii()) {
            None => Ok((None, Vec::new())),
            Some(at) => Err((
                at,
                format!("'ascii' codec can't decode byte 0x{:02x}", raw[at]),
            )),
        },
        Codec::Latin1 => {
            let mut view = Vec::with_capacity(raw.len() + raw.len() / 8);
            let mut spans = Vec::new();
            for (i, &b) in raw.iter().enumerate() {
                if b.is_ascii() {
                    view.push(b);
                } else {
                    spans.push(Span {
                        view: view.len(),
                        view_len: 2,
                        raw: i,
                        raw_len: 1,
                    });
                    let mut buf = [0; 2];
                    view.extend_from_slice(char::from(b).encode_utf8(&mut buf).as_bytes());
                }
            }
            Ok((Some(view), spans))
        }
        Codec::Rs(encoding) => decode_rs(encoding, codec_name, raw).map(|(v, s)| (Some(v), s)),
    }
}

/// Byte by byte, so that each character's bytes (and a shift sequence before it) are known.
fn decode_rs(
    encoding: &'static encoding_rs::Encoding,
    codec_name: &str,
    raw: &[u8],
) -> Result<(Vec<u8>, Vec<Span>), (usize, String)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut view = Vec::with_capacity(raw.len() + raw.len() / 2);
    let mut spans = Vec::new();
    let mut buf = [0u8; 32];
    let mut start = 0;
    let fail = |start: usize| {
        let shown: Vec<String> = raw[start..raw.len().min(start + 2)]
            .iter()
            .map(|b| format!("0x{b:02x}"))
            .collect();
        (
            start,
            format!("'{codec_name}' codec can't decode {}", shown.join(" ")),
        )
    };
    for i in 0..=raw.len() {
        let last = i == raw.len();
        let input = if last { &[][..] } else { &raw[i..=i] };
        let (result, _, written) =
            decoder.decode_to_utf8_without_replacement(input, &mut buf, last);
        match result {
            encoding_rs::DecoderResult::InputEmpty => {}
            encoding_rs::DecoderResult::Malformed(..) => return Err(fail(start)),
            encoding_rs::DecoderResult::OutputFull => return Err(fail(start)),
        }
        if written > 0 {
            let end = if last { raw.len() } else { i + 1 };
            if !(written == 1 && end - start == 1) {
                spans.push(Span {
                    view: view.len(),
                    view_len: written,
                    raw: start,
                    raw_len: end - start,
                });
            }
            view.extend_from_slice(&buf[..written]);
            start = end;
        }
    }
    Ok((view, spans))
}

/// Lone `\r` line ends as `\n` (CPython reads them so); whether there were any.
fn normalize_line_ends(view: &mut [u8]) -> bool {
    let mut changed = false;
    for i in memchr::memchr_iter(b'\r', view).collect::<Vec<_>>() {
        if view.get(i + 1) != Some(&b'\n') {
            view[i] = b'\n';
            changed = true;
        }
    }
    changed
}

/// Whether the file's first line end is a lone `\r`.
fn first_line_end_is_cr(raw: &[u8]) -> bool {
    match memchr::memchr2(b'\r', b'\n', raw) {
        Some(i) => raw[i] == b'\r' && raw.get(i + 1) != Some(&b'\n'),
        None => false,
    }
}

/// The stages' text for a file's bytes (without BOM), and how to write it back when it is not
/// the bytes themselves.
pub(crate) fn decode(
    raw: Vec<u8>,
    has_bom: bool,
) -> Result<(Vec<u8>, Option<Transcoded>), DecodeError> {
    let error = |raw: Vec<u8>, offset, rejected_by_python, reason| DecodeError {
        source: Source::plain(raw, has_bom),
        offset,
        rejected_by_python,
        reason,
    };
    let (codec, codec_name) = match codec_of(&raw, has_bom) {
        Ok(found) => found,
        Err((offset, rejected, reason)) => return Err(error(raw, offset, rejected, reason)),
    };
    let (view, spans) = match decode_with(codec, codec_name, &raw) {
        Ok(decoded) => decoded,
        Err((offset, reason)) => return Err(error(raw, offset, true, reason)),
    };
    if view.is_none() && !raw.contains(&b'\r') {
        // The common case: the bytes are the text, nothing to map.
        return Ok((raw, None));
    }
    let mut view = view.unwrap_or_else(|| raw.clone());
    let lone_cr = normalize_line_ends(&mut view);
    if codec.is_identity() && !lone_cr {
        return Ok((raw, None));
    }
    let transcoded = Transcoded {
        cr_line_ends: first_line_end_is_cr(&raw),
        raw,
        view: view.clone(),
        codec,
        codec_name,
        spans,
    };
    Ok((view, Some(transcoded)))
}

impl Transcoded {
    /// The offset in `raw` of the text offset `v`, which no span holds strictly inside.
    fn raw_at(&self, v: usize) -> usize {
        if v >= self.view.len() {
            return self.raw.len();
        }
        let i = self.spans.partition_point(|s| s.view <= v);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            None => v,
            Some(s) if v == s.view => s.raw,
            Some(s) => s.raw + s.raw_len + (v - s.view - s.view_len),
        }
    }

    /// Whether the text offset `v` is between two characters of the file.
    fn boundary(&self, v: usize) -> bool {
        let i = self.spans.partition_point(|s| s.view <= v);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            Some(s) => v == s.view || v >= s.view + s.view_len,
            None => true,
        }
    }

    /// Text that a fix wrote, in the file's codec and line ends.
    fn encode_text(&self, text: &[u8]) -> Result<Vec<u8>, EncodeError> {
        let mut owned;
        let mut text = text;
        if self.cr_line_ends && text.contains(&b'\n') {
            owned = text.to_vec();
            for i in 0..owned.len() {
                if text[i] == b'\n' && (i == 0 || text[i - 1] != b'\r') {
                    owned[i] = b'\r';
                }
            }
            text = &owned;
        }
        let round_trip = || EncodeError::RoundTrip {
            codec: self.codec_name,
        };
        let unencodable = |ch| EncodeError::Unencodable {
            ch,
            codec: self.codec_name,
        };
        match self.codec {
            Codec::Utf8 | Codec::Bytes => Ok(text.to_vec()),
            Codec::Ascii => match text.iter().position(|b| !b.is_ascii()) {
                None => Ok(text.to_vec()),
                Some(at) => {
                    let s = String::from_utf8_lossy(&text[at..]);
                    Err(unencodable(s.chars().next().unwrap_or('\u{fffd}')))
                }
            },
            Codec::Latin1 => {
                let s = std::str::from_utf8(text).map_err(|_| round_trip())?;
                s.chars()
                    .map(|c| u8::try_from(u32::from(c)).map_err(|_| unencodable(c)))
                    .collect()
            }
            Codec::Rs(encoding) => {
                let s = std::str::from_utf8(text).map_err(|_| round_trip())?;
                let mut encoder = encoding.new_encoder();
                let max = encoder
                    .max_buffer_length_from_utf8_without_replacement(s.len())
                    .ok_or_else(round_trip)?;
                let mut out = vec![0; max];
                let (result, _, written) =
                    encoder.encode_from_utf8_without_replacement(s, &mut out, true);
                match result {
                    encoding_rs::EncoderResult::InputEmpty => {
                        out.truncate(written);
                        Ok(out)
                    }
                    encoding_rs::EncoderResult::Unmappable(c) => Err(unencodable(c)),
                    encoding_rs::EncoderResult::OutputFull => Err(round_trip()),
                }
            }
        }
    }

    /// The file's bytes for the fixed text `new`: unchanged runs copied from the file, changed
    /// runs encoded; checked by decoding the result again.
    pub(crate) fn encode(&self, new: &[u8]) -> Result<Vec<u8>, EncodeError> {
        if new == self.view {
            return Ok(self.raw.clone());
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        let ops = similar::capture_diff_slices_deadline(
            similar::Algorithm::Myers,
            &self.view,
            new,
            Some(deadline),
        );
        let continuation = |b: Option<&u8>| b.is_some_and(|b| b & 0xC0 == 0x80);
        let mut out = Vec::with_capacity(self.raw.len() + 64);
        let mut done = 0;
        for op in ops {
            let similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            else {
                continue;
            };
            // Shrink the run to whole characters of the file and of the new text.
            let (mut a, mut b) = (old_index, old_index + len);
            while a < b && (!self.boundary(a) || continuation(self.view.get(a))) {
                a += 1;
            }
            while b > a
                && (!self.boundary(b)
                    || continuation(self.view.get(b))
                    || continuation(new.get(new_index + (b - old_index))))
            {
                b -= 1;
            }
            if a >= b {
                continue;
            }
            let (na, nb) = (new_index + (a - old_index), new_index + (b - old_index));
            out.extend(self.encode_text(&new[done..na])?);
            out.extend_from_slice(&self.raw[self.raw_at(a)..self.raw_at(b)]);
            done = nb;
        }
        out.extend(self.encode_text(&new[done..])?);
        self.check(&out, new)?;
        Ok(out)
    }

    /// `bytes` read back as the file was read must give `new`.
    fn check(&self, bytes: &[u8], new: &[u8]) -> Result<(), EncodeError> {
        let round_trip = EncodeError::RoundTrip {
            codec: self.codec_name,
        };
        let (view, _) = decode_with(self.codec, self.codec_name, bytes).map_err(|_| {
            EncodeError::RoundTrip {
                codec: self.codec_name,
            }
        })?;
        let mut view = view.unwrap_or_else(|| bytes.to_vec());
        normalize_line_ends(&mut view);
        if view == new {
            Ok(())
        } else {
            Err(round_trip)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(raw: &[u8]) -> (Vec<u8>, Option<Transcoded>) {
        decode(raw.to_vec(), false).unwrap()
    }

    /// Replace the first `from` in the text by `to`, as a fix would, and write back.
    fn fix(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
        let (text, t) = view(raw);
        let text = String::from_utf8(text).unwrap().replacen(from, to, 1);
        t.expect("transcoded").encode(text.as_bytes()).unwrap()
    }

    #[test]
    fn cookie_is_found_as_cpython_finds_it() {
        assert_eq!(
            cookie(b"# -*- coding: latin-1 -*-\n").unwrap().0,
            b"latin-1"
        );
        assert_eq!(
            cookie(b"#!/usr/bin/python\n# vim: set fileencoding=cp1252 :\n")
                .unwrap()
                .0,
            b"cp1252"
        );
        assert_eq!(cookie(b"\n  # coding=euc_jp\n").unwrap().0, b"euc_jp");
        assert_eq!(cookie(b"\r# coding: sjis\r").unwrap().0, b"sjis");
        // Only after a blank or comment line, and only in a comment.
        assert!(cookie(b"import x\n# coding: latin-1\n").is_none());
        assert!(cookie(b"s = '# coding: latin-1'\n").is_none());
        assert!(cookie(b"#\n#\n# coding: latin-1\n").is_none());
        assert!(cookie(b"# coding latin-1\n").is_none());
    }

    #[test]
    fn names_are_looked_up_as_python_does() {
        assert_eq!(normal_name("UTF_8-sig"), "utf-8");
        assert_eq!(normal_name("Latin-1"), "iso-8859-1");
        assert_eq!(lookup("Shift-JIS").unwrap().0, "shift_jis");
        assert_eq!(lookup("SJIS").unwrap().0, "shift_jis");
        assert_eq!(lookup("euc-jp").unwrap().0, "euc_jp");
        assert_eq!(lookup("windows-1252").unwrap().0, "cp1252");
        assert_eq!(lookup("cp437").unwrap().1, CodecKind::SingleByte);
        assert_eq!(lookup("utf-16").unwrap().1, CodecKind::Unsupported);
        assert!(lookup("klingon").is_none());
        assert!(CODECS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }

    #[test]
    fn utf8_without_cookie_is_the_bytes_themselves() {
        let (text, t) = view("# é\nx = 1\r\n".as_bytes());
        assert_eq!(text, "# é\nx = 1\r\n".as_bytes());
        assert!(t.is_none());
    }

    #[test]
    fn invalid_utf8_without_cookie_is_a_syntax_error() {
        let e = decode(b"x = 1\ny = '\xe9'\n".to_vec(), false).unwrap_err();
        assert!(e.rejected_by_python);
        assert_eq!(e.offset, 11);
        assert!(e.reason.contains("no encoding declared"), "{}", e.reason);
    }

    #[test]
    fn unknown_and_unsupported_codecs() {
        let e = decode(b"# coding: klingon\n".to_vec(), false).unwrap_err();
        assert!(e.rejected_by_python);
        assert_eq!(e.reason, "unknown encoding: klingon");
        let e = decode(b"# coding: utf-7\n".to_vec(), false).unwrap_err();
        assert!(!e.rejected_by_python);
        assert_eq!(e.reason, "the utf_7 encoding is not supported");
        let e = decode(b"# coding: cp1252\n".to_vec(), true).unwrap_err();
        assert_eq!(e.reason, "encoding problem: cp1252 with BOM");
    }

    #[test]
    fn shift_jis_backslash_trail_byte_is_decoded() {
        // ソ is 0x83 0x5C: read as bytes, its trail byte escaped the closing quote.
        let raw = b"# coding: shift_jis\ns = \"\x83\x5c\"\nx = f(s)\n";
        let (text, _) = view(raw);
        assert_eq!(
            text,
            "# coding: shift_jis\ns = \"ソ\"\nx = f(s)\n".as_bytes()
        );
        assert_eq!(
            fix(raw, "f(s)", "g(s, \"ソ\")"),
            b"# coding: shift_jis\ns = \"\x83\x5c\"\nx = g(s, \"\x83\x5c\")\n"
        );
    }

    #[test]
    fn bytes_outside_the_edit_are_the_files_own() {
        // 0xED 0x40 (NEC-selected IBM extension) reads as U+7E8A, which encodes as 0xFA 0x5C:
        // re-encoding the whole file would change it. It is copied, never re-encoded.
        let raw = b"# coding: cp932\ns = \"\xed\x40\"\nx = f(s)\n";
        let (text, _) = view(raw);
        assert_eq!(
            text,
            "# coding: cp932\ns = \"\u{7e8a}\"\nx = f(s)\n".as_bytes()
        );
        assert_eq!(
            fix(raw, "f(s)", "g(s)"),
            b"# coding: cp932\ns = \"\xed\x40\"\nx = g(s)\n"
        );
    }

    #[test]
    fn latin1_is_decoded_by_hand() {
        // encoding_rs reads iso-8859-1 as windows-1252, where 0x80 is the euro sign.
        let raw = b"# coding: latin-1\ncaf\xe9 = \"\x80\"\nx = f(caf\xe9)\n";
        let (text, _) = view(raw);
        assert_eq!(
            text,
            "# coding: latin-1\ncafé = \"\u{80}\"\nx = f(café)\n".as_bytes()
        );
        assert_eq!(
            fix(raw, "f(café)", "g(café)"),
            b"# coding: latin-1\ncaf\xe9 = \"\x80\"\nx = g(caf\xe9)\n"
        );
    }

    #[test]
    fn unencodable_fix_is_refused() {
        let raw = b"# coding: latin-1\nx = f()\n";
        let (text, t) = view(raw);
        let text = String::from_utf8(text).unwrap().replace("f()", "f('→')");
        let e = t.unwrap().encode(text.as_bytes()).unwrap_err();
        assert!(matches!(e, EncodeError::Unencodable { ch: '→', .. }), "{e}");
    }

    #[test]
    fn iso_2022_jp_shift_sequences_are_kept() {
        let raw = b"# coding: iso2022_jp\ns = \"\x1b$B%=\x1b(B\"\nx = f(s)\n";
        let (text, _) = view(raw);
        assert_eq!(
            text,
            "# coding: iso2022_jp\ns = \"ソ\"\nx = f(s)\n".as_bytes()
        );
        assert_eq!(
            fix(raw, "f(s)", "g(s)"),
            b"# coding: iso2022_jp\ns = \"\x1b$B%=\x1b(B\"\nx = g(s)\n"
        );
    }

    #[test]
    fn lone_cr_line_ends_are_read_as_lf_and_written_as_cr() {
        let raw = b"# head\rimport replicate\rx = f()\r";
        let (text, t) = view(raw);
        assert_eq!(text, b"# head\nimport replicate\nx = f()\n");
        let fixed = String::from_utf8(text).unwrap().replace(
            "import replicate\n",
            "import replicate\nimport os\n\n\ndef h():\n    pass\n",
        );
        assert_eq!(
            t.unwrap().encode(fixed.as_bytes()).unwrap(),
            b"# head\rimport replicate\rimport os\r\r\rdef h():\r    pass\rx = f()\r"
        );
    }

    #[test]
    fn crlf_files_with_a_stray_cr_keep_both() {
        let raw = b"a = 1\r\nb = 2\rc = f()\r\n";
        let (text, t) = view(raw);
        assert_eq!(text, b"a = 1\r\nb = 2\nc = f()\r\n");
        let fixed = String::from_utf8(text).unwrap().replace("f()", "g()");
        assert_eq!(
            t.unwrap().encode(fixed.as_bytes()).unwrap(),
            b"a = 1\r\nb = 2\rc = g()\r\n"
        );
    }
}
