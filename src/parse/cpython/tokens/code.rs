//! The code state: one token (or white space) at a time at the top level or in a replacement
//! field, with brackets, names and keywords, and the UTF-8 of identifiers.

use super::super::encoding::utf8_error;
use super::{
    decode_char, invisible, is_ident_byte, keyword, opening, Frame, Tokenizer, MAX_BRACKETS,
};

impl Tokenizer<'_, '_> {
    /// One token (or white space) of code: the top level, or a replacement field.
    pub(super) fn code_step(&mut self) {
        let in_field = matches!(self.frames.last(), Some(Frame::Field { .. }));
        if self.at_bol && !in_field && self.brackets.is_empty() {
            self.indentation();
            if self.at_end() {
                return;
            }
        }
        let start = self.pos;
        let c = self.b[start];
        match c {
            b' ' | b'\t' | b'\x0c' | 0 => self.pos += 1,
            b'#' => {
                // (3.12 allows a comment in a replacement field that goes on to the next line)
                self.pos = memchr::memchr2(b'\n', b'\r', &self.b[start..])
                    .map_or(self.b.len(), |i| start + i);
            }
            b'\n' | b'\r' => {
                let len = self.newline_len();
                self.pos += len;
                if in_field || !self.brackets.is_empty() {
                    return;
                }
                self.last_newline = Some(start);
                if self.blank_line {
                    self.blank_line = false;
                } else {
                    self.end_logical_line();
                }
                self.at_bol = true;
            }
            b'\\' => {
                self.pos += 1;
                match self.peek(0) {
                    b'\n' | b'\r' => self.pos += self.newline_len(),
                    _ if self.at_end() => self.err(start, "unexpected EOF while parsing"),
                    _ => self.err(
                        start,
                        "unexpected character after line continuation character",
                    ),
                }
            }
            b'"' | b'\'' => self.string(start, start),
            b'0'..=b'9' => self.number(start),
            b'.' if self.peek(1).is_ascii_digit() => self.number(start),
            b'(' | b'[' | b'{' => {
                if self.brackets.len() >= MAX_BRACKETS {
                    self.err(start, "too many nested parentheses");
                }
                self.brackets.push((c, start));
                self.pos += 1;
                self.simple_token(start);
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                if let Some(&Frame::Field { base, .. }) = self.frames.last() {
                    if self.brackets.len() == base {
                        if c == b'}' {
                            self.frames.pop();
                        } else {
                            self.err(start, format!("f-string: unmatched '{}'", c as char));
                        }
                        return;
                    }
                }
                match self.brackets.pop() {
                    None => self.err(start, format!("unmatched '{}'", c as char)),
                    Some((open, _)) if open != opening(c) => self.err(
                        start,
                        format!(
                            "closing parenthesis '{}' does not match opening parenthesis '{}'",
                            c as char, open as char
                        ),
                    ),
                    Some(_) => {}
                }
                self.simple_token(start);
            }
            b':' => {
                self.pos += 1;
                if let Some(&Frame::Field { base, fstr, .. }) = self.frames.last() {
                    if self.brackets.len() == base {
                        self.frames.push(Frame::Spec { fstr });
                        return;
                    }
                }
                if self.peek(0) == b'=' {
                    self.pos += 1;
                    self.simple_token(start);
                } else {
                    *self.last_str() = None;
                    self.token(start, "", true);
                }
            }
            b'!' => {
                self.pos += 1;
                if self.peek(0) == b'=' {
                    self.pos += 1;
                } else if !matches!(self.frames.last(), Some(Frame::Field { base, .. }) if self.brackets.len() == *base)
                {
                    self.err(start, "invalid syntax");
                }
                self.simple_token(start);
            }
            b'$' | b'?' | b'`' => {
                self.pos += 1;
                self.err(start, "invalid syntax");
                self.simple_token(start);
            }
            0x01..=0x1f | 0x7f => {
                self.pos += 1;
                self.err(
                    start,
                    format!("invalid non-printable character U+{:04X}", c as u32),
                );
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => self.name(start),
            _ => {
                self.pos += 1;
                self.simple_token(start);
                // `except*:` opens an 'except*' statement
                if c == b'*'
                    && self.frames.is_empty()
                    && self.line.tokens == 2
                    && self.line.first == "except"
                {
                    self.line.second = "except*";
                }
            }
        }
    }

    pub(super) fn simple_token(&mut self, start: usize) {
        *self.last_str() = None;
        self.token(start, "", false);
    }

    /// A name, or the prefix of a string.
    pub(super) fn name(&mut self, start: usize) {
        let mut i = start;
        while let Some(&c) = self.b.get(i) {
            if c < 0x80 {
                if !is_ident_byte(c) {
                    break;
                }
                i += 1;
                continue;
            }
            match decode_char(&self.b[i..]).filter(|_| self.utf8) {
                Some((ch, len)) if invisible(ch) => {
                    if i == start {
                        self.err(
                            i,
                            format!("invalid non-printable character U+{:04X}", ch as u32),
                        );
                        self.pos = i + len;
                        return;
                    }
                    break;
                }
                Some((_, len)) => i += len,
                None => i += 1,
            }
        }
        self.pos = i;
        let word = &self.b[start..i];
        self.saw_watched |= word == self.watched;
        self.check_utf8(start, i);
        if matches!(self.peek(0), b'"' | b'\'') {
            let lower = word.to_ascii_lowercase();
            let valid = matches!(
                &lower[..],
                b"r" | b"u" | b"f" | b"b" | b"br" | b"rb" | b"fr" | b"rf"
            );
            if valid || lower.iter().all(|c| b"rbuft".contains(c)) {
                if !valid {
                    self.err(start, "invalid syntax");
                }
                self.string(start, i);
                return;
            }
        }
        *self.last_str() = None;
        self.token(start, keyword(word), false);
    }

    /// CPython decodes each name and string body as UTF-8 (comments it skips undecoded).
    pub(super) fn check_utf8(&mut self, from: usize, to: usize) {
        if self.utf8_reported || !self.utf8 {
            return;
        }
        let body = &self.b[from..to.min(self.b.len())];
        if body.is_ascii() {
            return;
        }
        if let Some((at, why)) = utf8_error(body) {
            self.utf8_reported = true;
            self.err(
                from + at,
                format!(
                    "(unicode error) 'utf-8' codec can't decode byte 0x{:02x} in position {at}: {why}",
                    body[at]
                ),
            );
        }
    }
}
