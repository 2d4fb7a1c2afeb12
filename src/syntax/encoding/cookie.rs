//! Which codec a file is in: the PEP 263 coding cookie of its first two lines, the codec
//! name looked up as Python normalises it (and refused with a byte order mark unless UTF-8).

use super::super::codecs::CODECS;
use super::{Codec, CodecKind};

/// The PEP 263 cookie of the first two lines, as CPython finds it: a comment line holding
/// `coding:` or `coding=` and a name; the second line only after a blank or comment first line.
pub(super) fn cookie(bytes: &[u8]) -> Option<(&[u8], usize)> {
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
pub(super) fn coding_spec(comment: &[u8]) -> Option<&[u8]> {
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
pub(super) fn normal_name(name: &str) -> &str {
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
pub(super) fn lookup(name: &str) -> Option<(&'static str, CodecKind)> {
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
pub(super) fn codec_of(
    bytes: &[u8],
    has_bom: bool,
) -> Result<(Codec, &'static str), (usize, bool, String)> {
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
