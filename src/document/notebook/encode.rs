//! Writing a new `source` value back: the document's JSON style, the value's shape (string or
//! array of lines, with the original whitespace), and nbformat's line splitting.

use std::ops::Range;

use super::json_scan::EscapeStats;
use super::{Shape, Style};

impl Style {
    pub(super) fn detect(body: &[u8], stats: &EscapeStats) -> Style {
        let raw_non_ascii = body.iter().any(|b| *b >= 0x80);
        let first_break = memchr::memchr(b'\n', body);
        let newline = match first_break {
            Some(i) if i > 0 && body[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let indent_unit = first_break.map(|i| {
            body[i + 1..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .copied()
                .collect()
        });
        Style {
            escape_non_ascii: stats.escaped_non_ascii && !raw_non_ascii,
            escape_slash: stats.escaped_slash,
            upper_hex: stats.upper_hex > stats.lower_hex,
            newline,
            indent_unit,
        }
    }

    pub(super) fn escape_into(&self, out: &mut Vec<u8>, s: &str) {
        out.push(b'"');
        for c in s.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                '/' if self.escape_slash => out.extend_from_slice(b"\\/"),
                c if (c as u32) < 0x20 || (self.escape_non_ascii && (c as u32) >= 0x7f) => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let hex = if self.upper_hex {
                            format!("\\u{unit:04X}")
                        } else {
                            format!("\\u{unit:04x}")
                        };
                        out.extend_from_slice(hex.as_bytes());
                    }
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out.push(b'"');
    }
}

impl Shape {
    pub(super) fn of(
        raw: &[u8],
        span: &Range<usize>,
        items: Option<&[Range<usize>]>,
        style: &Style,
    ) -> Shape {
        let Some(items) = items else {
            return Shape::String;
        };
        if let (Some(first), Some(last)) = (items.first(), items.last()) {
            let open = raw[span.start + 1..first.start].to_vec();
            let close = raw[last.end..span.end - 1].to_vec();
            let separator = match items.get(1) {
                Some(second) => raw[first.end..second.start].to_vec(),
                None => [b",".as_slice(), &open].concat(),
            };
            return Shape::Array {
                open,
                separator,
                close,
            };
        }
        // An empty array: lay the lines out one indentation step deeper than the key's line.
        match &style.indent_unit {
            None => Shape::Array {
                open: Vec::new(),
                separator: b",".to_vec(),
                close: Vec::new(),
            },
            Some(unit) => {
                let line_start = memchr::memrchr(b'\n', &raw[..span.start]).map_or(0, |i| i + 1);
                let indent: Vec<u8> = raw[line_start..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .copied()
                    .collect();
                let close = [style.newline.as_bytes(), &indent].concat();
                let open = [close.as_slice(), unit].concat();
                Shape::Array {
                    separator: [b",".as_slice(), &open].concat(),
                    open,
                    close,
                }
            }
        }
    }

    pub(super) fn encode(&self, text: &str, style: &Style) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 16);
        match self {
            Shape::String => style.escape_into(&mut out, text),
            Shape::Array {
                open,
                separator,
                close,
            } => {
                let lines = split_lines_keepends(text);
                out.push(b'[');
                if !lines.is_empty() {
                    out.extend_from_slice(open);
                    for (n, line) in lines.iter().enumerate() {
                        if n > 0 {
                            out.extend_from_slice(separator);
                        }
                        style.escape_into(&mut out, line);
                    }
                    out.extend_from_slice(close);
                }
                out.push(b']');
            }
        }
        out
    }
}

/// Python's `str.splitlines(keepends=True)`, which nbformat uses to write `source` arrays.
pub(super) fn split_lines_keepends(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = match c {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {
                chars.next();
                i + 2
            }
            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}'
            | '\u{2028}' | '\u{2029}' => i + c.len_utf8(),
            _ => continue,
        };
        lines.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}
