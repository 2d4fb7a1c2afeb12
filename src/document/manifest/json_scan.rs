//! A strict, iterative JSON scanner (for `Pipfile.lock`): every string value with its key path
//! and span, or the position of the first error.

use std::ops::Range;

use super::toml_scan::{Node, Seg, Value};
use super::Mapped;

type Error = (usize, String);

enum Frame {
    /// Inside `{ ... }`; `key` is the key whose value comes next.
    Object {
        path: Vec<Seg>,
        key: Option<String>,
        first: bool,
    },
    Array {
        path: Vec<Seg>,
        next: usize,
    },
}

fn err<T>(i: usize, what: &str) -> Result<T, Error> {
    Err((i, format!("invalid JSON: {what}")))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// A string at `b[i] == '"'`: its value and the index past the closing quote.
fn string(s: &str, i: usize) -> Result<(Mapped, usize), Error> {
    let b = s.as_bytes();
    let start = i + 1;
    let mut j = start;
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut escaped = false;
    loop {
        match b.get(j) {
            None => return err(j, "unterminated string"),
            Some(b'"') => {
                let m = if escaped {
                    Mapped::table(text, ranges, j)
                } else {
                    Mapped::contiguous(&s[start..j], start)
                };
                return Ok((m, j + 1));
            }
            Some(c) if *c < 0x20 => return err(j, "control character in a string"),
            Some(b'\\') => {
                escaped = true;
                let ch = match b.get(j + 1) {
                    Some(b'"') => '"',
                    Some(b'\\') => '\\',
                    Some(b'/') => '/',
                    Some(b'b') => '\u{8}',
                    Some(b'f') => '\u{c}',
                    Some(b'n') => '\n',
                    Some(b'r') => '\r',
                    Some(b't') => '\t',
                    Some(b'u') => {
                        let hex = s.get(j + 2..j + 6).unwrap_or("");
                        let Ok(n) = u32::from_str_radix(hex, 16) else {
                            return err(j, "bad \\u escape");
                        };
                        if hex.len() != 4 {
                            return err(j, "bad \\u escape");
                        }
                        let ch = char::from_u32(n).unwrap_or('\u{fffd}');
                        text.push(ch);
                        ranges.extend(std::iter::repeat_n((j, j + 6), ch.len_utf8()));
                        j += 6;
                        continue;
                    }
                    _ => return err(j, "bad escape"),
                };
                text.push(ch);
                ranges.push((j, j + 2));
                j += 2;
            }
            Some(_) => {
                let ch = s[j..].chars().next().unwrap_or('\u{fffd}');
                let n = ch.len_utf8();
                text.push(ch);
                ranges.extend(std::iter::repeat_n((j, j + n), n));
                j += n;
            }
        }
    }
}

/// A number, `true`, `false` or `null` at `i`: the index past it.
fn literal(b: &[u8], i: usize) -> Result<usize, Error> {
    for word in [&b"true"[..], b"false", b"null"] {
        if b[i..].starts_with(word) {
            return Ok(i + word.len());
        }
    }
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let digits = |mut k: usize| {
        let s = k;
        while matches!(b.get(k), Some(b'0'..=b'9')) {
            k += 1;
        }
        (k, k > s)
    };
    let (k, any) = digits(j);
    if !any {
        return err(i, "expected a value");
    }
    j = k;
    if b.get(j) == Some(&b'.') {
        let (k, any) = digits(j + 1);
        if !any {
            return err(j, "bad number");
        }
        j = k;
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let (k, any) = digits(j);
        if !any {
            return err(j, "bad number");
        }
        j = k;
    }
    Ok(j)
}

pub(crate) fn scan(s: &str) -> Result<Vec<Node>, Error> {
    let b = s.as_bytes();
    let mut nodes = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut root_done = false;
    loop {
        i = skip_ws(b, i);
        // Where the next value goes, after any `,`, key and `:`.
        let path: Vec<Seg> = match stack.last_mut() {
            None if root_done => {
                if i < b.len() {
                    return err(i, "text after the end of the document");
                }
                return Ok(nodes);
            }
            None => Vec::new(),
            Some(Frame::Object { path, key, first }) => {
                if key.is_none() {
                    match b.get(i) {
                        Some(b'}') => {
                            // `{}`, or the end after a value (`,}` is caught below).
                            stack.pop();
                            i += 1;
                            continue;
                        }
                        Some(b',') if !*first => {
                            i = skip_ws(b, i + 1);
                            if b.get(i) != Some(&b'"') {
                                return err(i, "expected a key after `,`");
                            }
                        }
                        Some(b'"') if *first => {}
                        _ => return err(i, "expected a key, `,` or `}`"),
                    }
                    let (k, j) = string(s, i)?;
                    i = skip_ws(b, j);
                    if b.get(i) != Some(&b':') {
                        return err(i, "expected `:`");
                    }
                    i = skip_ws(b, i + 1);
                    *first = false;
                    *key = Some(k.text);
                }
                let mut p = path.clone();
                p.push(Seg::Key(key.take().unwrap_or_default()));
                p
            }
            Some(Frame::Array { path, next }) => {
                match b.get(i) {
                    Some(b']') => {
                        stack.pop();
                        i += 1;
                        continue;
                    }
                    Some(b',') if *next > 0 => {
                        i = skip_ws(b, i + 1);
                        if b.get(i) == Some(&b']') {
                            return err(i, "trailing `,`");
                        }
                    }
                    _ if *next == 0 => {}
                    _ => return err(i, "expected `,` or `]`"),
                }
                let mut p = path.clone();
                p.push(Seg::Index(*next));
                *next += 1;
                p
            }
        };
        if stack.is_empty() {
            root_done = true;
        }
        let start = i;
        match b.get(i) {
            None => return err(i, "unexpected end of the document"),
            Some(b'{') => {
                i = skip_ws(b, i + 1);
                stack.push(Frame::Object {
                    path,
                    key: None,
                    first: true,
                });
                continue;
            }
            Some(b'[') => {
                i += 1;
                stack.push(Frame::Array { path, next: 0 });
                continue;
            }
            Some(b'"') => {
                let (m, j) = string(s, i)?;
                i = j;
                nodes.push(Node {
                    path,
                    span: start..i,
                    value: Value::Str(m),
                });
            }
            Some(_) => {
                i = literal(b, i)?;
                nodes.push(Node {
                    path,
                    span: Range { start, end: i },
                    value: Value::Other,
                });
            }
        }
    }
}
