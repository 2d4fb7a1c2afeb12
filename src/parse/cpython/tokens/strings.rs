//! String literals: prefixes, escapes and bytes literals, and PEP 701 f-strings (their
//! literal parts, replacement fields and format specs).

use super::{Frame, Tokenizer};

impl Tokenizer<'_, '_> {
    /// A string literal from `start` (its prefix) whose quote is at `quote_at`.
    pub(super) fn string(&mut self, start: usize, quote_at: usize) {
        let prefix = self.b[start..quote_at].to_ascii_lowercase();
        let raw = prefix.contains(&b'r');
        let bytes = prefix.contains(&b'b');
        let fstring = prefix.contains(&b'f') || prefix.contains(&b't');
        let quote = self.b[quote_at];
        let triple =
            self.b.get(quote_at + 1) == Some(&quote) && self.b.get(quote_at + 2) == Some(&quote);
        // a concatenation of bytes with str
        let last = self.last_str().take();
        if last.is_some_and(|was_bytes| was_bytes != bytes) {
            self.err(start, "cannot mix bytes and nonbytes literals");
        }
        self.token(start, "", false);
        self.pos = quote_at + if triple { 3 } else { 1 };
        if fstring {
            self.frames.push(Frame::FStr {
                quote,
                triple,
                raw,
                start,
            });
            return;
        }
        let body = self.pos;
        let mut non_ascii_reported = false;
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                self.check_utf8(body, self.pos);
                self.unterminated(start, triple);
                return;
            };
            if c == quote {
                if !triple {
                    self.pos += 1;
                    break;
                }
                if self.peek(1) == quote && self.peek(2) == quote {
                    self.pos += 3;
                    break;
                }
                self.pos += 1;
            } else if c == b'\\' {
                if raw {
                    self.pos += match (self.peek(1), self.peek(2)) {
                        (b'\r', b'\n') => 3,
                        (c, _) if c >= 0x80 || self.at_end_after(1) => 1,
                        _ => 2,
                    };
                } else {
                    self.escape(body, bytes);
                }
            } else if (c == b'\n' || c == b'\r') && !triple {
                self.check_utf8(body, self.pos);
                self.unterminated(start, triple);
                return;
            } else if c >= 0x80 {
                if bytes && !non_ascii_reported {
                    non_ascii_reported = true;
                    self.err(start, "bytes can only contain ASCII literal characters");
                }
                self.pos += 1;
            } else {
                self.pos += 1;
            }
        }
        let end = self.pos - if triple { 3 } else { 1 };
        self.check_utf8(body, end);
        *self.last_str() = Some(bytes);
    }

    pub(super) fn at_end_after(&self, n: usize) -> bool {
        self.pos + n >= self.b.len()
    }

    /// An escape sequence at `pos` (the backslash) of a str or bytes literal that is not raw;
    /// moves past it.
    pub(super) fn escape(&mut self, body: usize, bytes: bool) {
        let at = self.pos;
        let hex = |b: &[u8], from: usize, n: usize| -> usize {
            b[from.min(b.len())..]
                .iter()
                .take(n)
                .take_while(|c| c.is_ascii_hexdigit())
                .count()
        };
        let kind = self.peek(1);
        let position = at - body;
        match kind {
            b'x' => {
                let n = hex(self.b, at + 2, 2);
                if n < 2 {
                    if bytes {
                        self.err(
                            at,
                            format!("(value error) invalid \\x escape at position {position}"),
                        );
                    } else {
                        self.err(at, format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {position}-{}: truncated \\xXX escape", position + 1 + n));
                    }
                }
                self.pos = at + 2 + n;
            }
            b'u' | b'U' if !bytes => {
                let want = if kind == b'u' { 4 } else { 8 };
                let n = hex(self.b, at + 2, want);
                if n < want {
                    let what = if kind == b'u' {
                        "\\uXXXX"
                    } else {
                        "\\UXXXXXXXX"
                    };
                    self.err(at, format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {position}-{}: truncated {what} escape", position + 1 + n));
                } else if kind == b'U' {
                    let digits = std::str::from_utf8(&self.b[at + 2..at + 10]).unwrap_or("0");
                    if u32::from_str_radix(digits, 16).map_or(true, |v| v > 0x10FFFF) {
                        self.err(at, format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {position}-{}: illegal Unicode character", position + 9));
                    }
                }
                self.pos = at + 2 + n;
            }
            b'N' if !bytes => {
                // \N{name}: the name runs to the next '}' of the literal
                let named = if self.peek(2) == b'{' {
                    self.b[at + 3..]
                        .iter()
                        .position(|&c| matches!(c, b'}' | b'\n' | b'\r' | b'"' | b'\''))
                        .filter(|&n| n > 0 && self.b[at + 3 + n] == b'}')
                } else {
                    None
                };
                match named {
                    Some(n) => self.pos = at + 3 + n + 1,
                    None => {
                        self.err(at, format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {position}-{}: malformed \\N character escape", position + 1));
                        self.pos = at + 2;
                    }
                }
            }
            b'\r' if self.peek(2) == b'\n' => self.pos = at + 3,
            0 if self.at_end_after(1) => self.pos = at + 1,
            c if c >= 0x80 => {
                self.pos = at + 1;
            }
            _ => self.pos = at + 2,
        }
    }

    /// The literal part of an f-string.
    pub(super) fn fstr_step(&mut self) {
        let Some(&Frame::FStr {
            quote,
            triple,
            raw,
            start,
        }) = self.frames.last()
        else {
            return;
        };
        let c = self.b[self.pos];
        match c {
            _ if c == quote => {
                if !triple {
                    self.pos += 1;
                    self.end_fstring();
                } else if self.peek(1) == quote && self.peek(2) == quote {
                    self.pos += 3;
                    self.end_fstring();
                } else {
                    self.pos += 1;
                }
            }
            b'{' => {
                if self.peek(1) == b'{' {
                    self.pos += 2;
                } else {
                    self.pos += 1;
                    let fstr = self.frames.len() - 1;
                    self.frames.push(Frame::Field {
                        base: self.brackets.len(),
                        fstr,
                        last_str: None,
                    });
                }
            }
            b'}' => {
                if self.peek(1) == b'}' {
                    self.pos += 2;
                } else {
                    self.err(self.pos, "f-string: single '}' is not allowed");
                    self.pos += 1;
                }
            }
            b'\\' => {
                if raw {
                    let next = self.peek(1);
                    self.pos += if next == quote || next == b'\\' || next == b'\n' {
                        2
                    } else {
                        1
                    };
                } else if self.peek(1) == b'N' && self.peek(2) == b'{' {
                    let close = memchr::memchr(b'}', &self.b[self.pos..]);
                    self.pos = close.map_or(self.b.len(), |n| self.pos + n + 1);
                } else {
                    let body = start;
                    self.escape(body, false);
                }
            }
            b'\n' | b'\r' if !triple => {
                self.unterminated(start, false);
                self.frames.truncate(self.fstr_index());
                *self.last_str() = None;
            }
            _ => self.pos += 1,
        }
    }

    pub(super) fn fstr_index(&self) -> usize {
        self.frames
            .iter()
            .rposition(|f| matches!(f, Frame::FStr { .. }))
            .unwrap_or(0)
    }

    pub(super) fn end_fstring(&mut self) {
        if let Some(Frame::FStr { start, .. }) = self.frames.pop() {
            self.check_utf8(start, self.pos);
        }
        *self.last_str() = Some(false);
    }

    /// A format spec: literal text, nested fields, until the `}` that ends the field.
    pub(super) fn spec_step(&mut self) {
        let Some(&Frame::Spec { fstr }) = self.frames.last() else {
            return;
        };
        let Some(&Frame::FStr {
            quote,
            triple,
            raw,
            start,
        }) = self.frames.get(fstr)
        else {
            self.frames.pop();
            return;
        };
        let c = self.b[self.pos];
        match c {
            b'{' => {
                self.pos += 1;
                self.frames.push(Frame::Field {
                    base: self.brackets.len(),
                    fstr,
                    last_str: None,
                });
            }
            b'}' => {
                self.pos += 1;
                self.frames.pop(); // the spec
                self.frames.pop(); // its field
            }
            _ if c == quote && (!triple || (self.peek(1) == quote && self.peek(2) == quote)) => {
                self.err(self.pos, "f-string: expecting '}'");
                self.frames.truncate(fstr);
                self.pos += if triple { 3 } else { 1 };
                *self.last_str() = Some(false);
            }
            b'\\' => {
                let next = self.peek(1);
                self.pos += if !raw || next == quote || next == b'\\' {
                    2
                } else {
                    1
                };
            }
            b'\n' | b'\r' if !triple => {
                self.unterminated(start, false);
                self.frames.truncate(fstr);
                *self.last_str() = None;
            }
            _ => self.pos += 1,
        }
    }
}
