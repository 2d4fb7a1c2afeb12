//! Unit tests: cookies and codec names as CPython reads them, decoding, line ends, and
//! writing fixed text back byte for byte.

use super::super::codecs::CODECS;
use super::cookie::{cookie, lookup, normal_name};
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
