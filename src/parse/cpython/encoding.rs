//! PEP 263 source encodings, as CPython's tokenizer reads them from `compile(bytes)` (the path
//! `import` takes): a UTF-8 BOM, a coding cookie on line 1 or 2, the codec lookup, and the decode.

use super::{codecs, CompileError};

/// What the rest of the checks may assume about the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// UTF-8 (no cookie, or a cookie naming UTF-8): non-ASCII bytes are checked as UTF-8.
    Utf8,
    /// Another codec in which every ASCII byte means itself: the byte checks still hold, but a
    /// non-ASCII byte is some character we do not decode.
    OtherAsciiSafe,
    /// A codec in which an ASCII byte can be half of a character (Shift-JIS, ISO-2022, ...), or one
    /// we could not look up: byte-level checks would misread the file, so they are skipped.
    Opaque,
}

/// The file's encoding, pushing an error for a bad cookie or bytes the codec cannot decode.
pub(super) fn check(bytes: &[u8], has_bom: bool, errors: &mut Vec<CompileError>) -> Encoding {
    let Some((cookie, offset)) = find_cookie(bytes) else {
        return Encoding::Utf8;
    };
    let normal = normal_name(cookie);
    if has_bom {
        if normal != "utf-8" {
            errors.push(CompileError::syntax(
                offset,
                format!("encoding problem: {normal} with BOM"),
            ));
            return Encoding::Opaque;
        }
        return Encoding::Utf8;
    }
    if normal == "utf-8" {
        return Encoding::Utf8;
    }
    if normal == "iso-8859-1" {
        return Encoding::OtherAsciiSafe;
    }
    let Some((canonical, ascii_safe)) = lookup(cookie) else {
        errors.push(CompileError::syntax(
            offset,
            format!("unknown encoding: {normal}"),
        ));
        return Encoding::Opaque;
    };
    // The codecs we can decode exactly: a byte they reject is a compile error.
    let undefined: fn(u8) -> bool = match canonical {
        "ascii" => |b| b >= 0x80,
        "cp1252" => |b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D),
        "utf-8" => return Encoding::Utf8,
        _ => |_| false,
    };
    if let Some(at) = bytes.iter().position(|&b| undefined(b)) {
        let (codec, why) = if canonical == "ascii" {
            ("ascii", "ordinal not in range(128)")
        } else {
            ("charmap", "character maps to <undefined>")
        };
        errors.push(CompileError::syntax(
            at,
            format!(
                "'{codec}' codec can't decode byte 0x{:02x} in position {at}: {why}",
                bytes[at]
            ),
        ));
    }
    if ascii_safe {
        Encoding::OtherAsciiSafe
    } else {
        Encoding::Opaque
    }
}

/// The cookie's codec name and its byte offset, from line 1, or from line 2 when line 1 holds
/// only a comment or blanks (CPython's `check_coding_spec`).
fn find_cookie(bytes: &[u8]) -> Option<(&str, usize)> {
    let mut start = 0;
    for _ in 0..2 {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        match coding_spec(line) {
            Spec::Found(name, at) => return Some((name, start + at)),
            Spec::CodeLine => return None,
            Spec::CommentOrBlank => {}
        }
        if end >= bytes.len() || line.ends_with(b"\\") || line.ends_with(b"\\\r") {
            return None;
        }
        start = end + 1;
    }
    None
}

enum Spec<'a> {
    Found(&'a str, usize),
    CommentOrBlank,
    CodeLine,
}

fn coding_spec(line: &[u8]) -> Spec<'_> {
    let Some(hash) = line
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\x0c'))
    else {
        return Spec::CommentOrBlank;
    };
    if line[hash] == b'\r' {
        return Spec::CommentOrBlank;
    }
    if line[hash] != b'#' {
        return Spec::CodeLine;
    }
    let mut i = hash;
    while let Some(found) = memchr::memmem::find(&line[i..], b"coding") {
        let mut t = i + found + 6;
        i = i + found + 1;
        if !matches!(line.get(t), Some(b':' | b'=')) {
            continue;
        }
        t += 1;
        while matches!(line.get(t), Some(b' ' | b'\t')) {
            t += 1;
        }
        let begin = t;
        while line
            .get(t)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            t += 1;
        }
        if t > begin {
            // only ASCII bytes were taken
            let name = std::str::from_utf8(&line[begin..t]).unwrap_or_default();
            return Spec::Found(name, begin);
        }
    }
    Spec::CommentOrBlank
}

/// CPython's `get_normal_name`: the spellings of UTF-8 and Latin-1 the tokenizer knows itself,
/// judged on the first 12 characters; any other name comes back as written.
fn normal_name(name: &str) -> String {
    let buf: String = name
        .chars()
        .take(12)
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if buf == "utf-8" || buf.starts_with("utf-8-") {
        "utf-8".into()
    } else if ["latin-1", "iso-8859-1", "iso-latin-1"].contains(&buf.as_str())
        || ["latin-1-", "iso-8859-1-", "iso-latin-1-"]
            .iter()
            .any(|p| buf.starts_with(p))
    {
        "iso-8859-1".into()
    } else {
        name.into()
    }
}

/// The codec a name finds through `codecs.lookup` (as `encodings.search_function` normalises
/// it), and whether ASCII bytes keep their meaning in it.
fn lookup(name: &str) -> Option<(&'static str, bool)> {
    let mut key = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punct && !key.is_empty() {
                key.push('_');
            }
            key.push(c);
            punct = false;
        } else {
            punct = true;
        }
    }
    let find = |table: &'static [(&'static str, &'static str, bool)], k: &str| {
        table
            .binary_search_by(|(n, _, _)| (*n).cmp(k))
            .ok()
            .map(|i| (table[i].1, table[i].2))
    };
    find(codecs::ALIASES, &key)
        .or_else(|| find(codecs::ALIASES, &key.replace('.', "_")))
        .or_else(|| find(codecs::MODULES, &key))
}

/// The first byte offset where `bytes` is not UTF-8, with CPython's reason for it.
pub(super) fn utf8_error(bytes: &[u8]) -> Option<(usize, &'static str)> {
    let err = std::str::from_utf8(bytes).err()?;
    let at = err.valid_up_to();
    let why = match err.error_len() {
        None => "unexpected end of data",
        Some(_) => {
            let b = bytes[at];
            if (0x80..0xC2).contains(&b) || b > 0xF4 {
                "invalid start byte"
            } else {
                "invalid continuation byte"
            }
        }
    };
    Some((at, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(bytes: &[u8], bom: bool) -> (Encoding, Vec<String>) {
        let mut errors = Vec::new();
        let e = check(bytes, bom, &mut errors);
        (e, errors.into_iter().map(|e| e.message).collect())
    }

    #[test]
    fn cookies() {
        assert_eq!(enc(b"x = 1\n", false), (Encoding::Utf8, vec![]));
        assert_eq!(
            enc(b"# -*- coding: latin-1 -*-\n", false).0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(
            enc(
                b"#!/usr/bin/python\n# vim: set fileencoding=cp1252 :\n",
                false
            )
            .0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(enc(b"# coding=utf8\n", false).0, Encoding::Utf8);
        assert_eq!(enc(b"# coding: UTF_8\n", false).0, Encoding::Utf8);
        assert_eq!(
            enc(b"# coding: Latin-1\n", false).0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(
            enc(b"# coding: latin-1-foo\n", false).0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(
            enc(b"# coding: EUC_JP\n", false).0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(enc(b"# coding: shift-jis\n", false).0, Encoding::Opaque);
        assert_eq!(
            enc(b"# coding: iso8859-15\n", false).0,
            Encoding::OtherAsciiSafe
        );
        assert_eq!(enc(b"# coding: euc.jp\n", false).1.len(), 1);
        assert_eq!(
            enc(b"# coding: nosuch\n", false).1,
            vec!["unknown encoding: nosuch"]
        );
        assert_eq!(enc(b"\n# coding: nosuch\n", false).1.len(), 1);
        assert_eq!(enc(b"\x0c# coding: nosuch\n", false).1.len(), 1);
        assert_eq!(enc(b"# coding: rot13\n", false).1.len(), 1);
        // not a cookie: after code, on line 3, behind code on line 1, or a continuation line
        assert_eq!(enc(b"x = 1\n# coding: nosuch\n", false).1.len(), 0);
        assert_eq!(enc(b"x=1\n\n# coding: nosuch\n", false).1.len(), 0);
        assert_eq!(enc(b"x = 1 # coding: nosuch\n", false).1.len(), 0);
        assert_eq!(enc(b"# codingxx: nosuch\n", false).1.len(), 0);
        assert_eq!(
            enc(b"# coding: utf-8\n# coding: nosuch\n", false).1.len(),
            0
        );
        // BOM: only a UTF-8 cookie
        assert_eq!(enc(b"# coding: utf-8-sig\n", true).1.len(), 0);
        assert_eq!(
            enc(b"# coding: latin-1\n", true).1,
            vec!["encoding problem: iso-8859-1 with BOM"]
        );
        assert_eq!(
            enc(b"# coding: utf8\n", true).1,
            vec!["encoding problem: utf8 with BOM"]
        );
        // decode errors
        assert_eq!(
            enc(b"# coding: ascii\nx = '\xc3\xa9'\n", false).1,
            vec!["'ascii' codec can't decode byte 0xc3 in position 21: ordinal not in range(128)"]
        );
        assert_eq!(enc(b"# coding: cp1252\nx = '\x81'\n", false).1.len(), 1);
        assert_eq!(enc(b"# coding: mbcs\n", false).1.len(), 0);
    }

    #[test]
    fn utf8_reasons() {
        assert_eq!(utf8_error(b"ok \xc3\xa9"), None);
        assert_eq!(utf8_error(b"a\xe9"), Some((1, "unexpected end of data")));
        assert_eq!(
            utf8_error(b"a\xe9x"),
            Some((1, "invalid continuation byte"))
        );
        assert_eq!(utf8_error(b"a\x80"), Some((1, "invalid start byte")));
        assert_eq!(utf8_error(b"a\xff"), Some((1, "invalid start byte")));
    }
}
