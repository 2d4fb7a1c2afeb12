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
//!
//! Which codec a file is in (its cookie, the codec's name) is found in `cookie`.

mod cookie;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use super::source::Source;
use cookie::codec_of;

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
