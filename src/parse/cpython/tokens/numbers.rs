//! Number literals, scanned as CPython's `tok_get` does.

use super::{decode_char, invisible, is_ident_byte, Tokenizer};

impl Tokenizer<'_, '_> {
    /// A number literal, by CPython's tokenizer: an error for what it rejects.
    pub(super) fn number(&mut self, start: usize) {
        *self.last_str() = None;
        self.token(start, "", false);
        if let Err((at, message)) = scan_number(self.b, start, &mut self.pos) {
            self.err(at, message);
            // skip the rest of the malformed literal
            while self
                .b
                .get(self.pos)
                .is_some_and(|&c| is_ident_byte(c) || c == b'.')
            {
                self.pos += 1;
            }
        }
    }
}

/// Scans the number at `start` as CPython's `tok_get` does, leaving `pos` after it.
pub(super) fn scan_number(b: &[u8], start: usize, pos: &mut usize) -> Result<(), (usize, String)> {
    let mut n = Number { b, i: start };
    let result = n.scan();
    *pos = n.i;
    result
}

pub(super) type NumResult = Result<(), (usize, String)>;

pub(super) struct Number<'a> {
    b: &'a [u8],
    i: usize,
}

impl Number<'_> {
    pub(super) fn at(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    pub(super) fn error(&self, message: impl Into<String>) -> NumResult {
        Err((self.i, message.into()))
    }

    pub(super) fn scan(&mut self) -> NumResult {
        let start = self.i;
        match self.at() {
            b'.' => {
                self.i += 1;
                self.fraction()
            }
            b'0' => {
                self.i += 1;
                let (radix, kind) = match self.at() {
                    b'x' | b'X' => (16, "hexadecimal"),
                    b'o' | b'O' => (8, "octal"),
                    b'b' | b'B' => (2, "binary"),
                    _ => return self.zero(start),
                };
                self.i += 1;
                self.radix(radix, kind)
            }
            _ => {
                self.decimal_tail()?;
                if self.at() == b'.' {
                    self.i += 1;
                    return self.fraction();
                }
                self.exponent_or_end()
            }
        }
    }

    /// digits, then any number of `_digits`.
    pub(super) fn decimal_tail(&mut self) -> NumResult {
        loop {
            while self.at().is_ascii_digit() {
                self.i += 1;
            }
            if self.at() != b'_' {
                return Ok(());
            }
            self.i += 1;
            if !self.at().is_ascii_digit() {
                return self.error("invalid decimal literal");
            }
        }
    }

    pub(super) fn radix(&mut self, radix: u32, kind: &str) -> NumResult {
        let digit = |c: u8| (c as char).is_digit(radix);
        loop {
            if self.at() == b'_' {
                self.i += 1;
            }
            if !digit(self.at()) {
                return self.bad_digit(radix, kind);
            }
            while digit(self.at()) {
                self.i += 1;
            }
            if self.at() != b'_' {
                break;
            }
        }
        if radix < 16 && self.at().is_ascii_digit() {
            return self.bad_digit(radix, kind);
        }
        self.end(kind)
    }

    pub(super) fn bad_digit(&self, radix: u32, kind: &str) -> NumResult {
        if radix < 16 && self.at().is_ascii_digit() {
            self.error(format!(
                "invalid digit '{}' in {kind} literal",
                self.at() as char
            ))
        } else {
            self.error(format!("invalid {kind} literal"))
        }
    }

    /// After a leading `0` that starts no radix prefix: only zeros make an integer.
    pub(super) fn zero(&mut self, start: usize) -> NumResult {
        loop {
            if self.at() == b'_' {
                self.i += 1;
                if !self.at().is_ascii_digit() {
                    return self.error("invalid decimal literal");
                }
            }
            if self.at() != b'0' {
                break;
            }
            self.i += 1;
        }
        let nonzero = self.at().is_ascii_digit();
        if nonzero {
            self.decimal_tail()?;
        }
        match self.at() {
            b'.' => {
                self.i += 1;
                self.fraction()
            }
            b'e' | b'E' => self.exponent(),
            b'j' | b'J' => {
                self.i += 1;
                self.end("imaginary")
            }
            _ if nonzero => Err((
                start,
                "leading zeros in decimal integer literals are not permitted; \
                 use an 0o prefix for octal integers"
                    .into(),
            )),
            _ => self.end("decimal"),
        }
    }

    /// After the `.` of a float.
    pub(super) fn fraction(&mut self) -> NumResult {
        if self.at().is_ascii_digit() {
            self.decimal_tail()?;
        }
        self.exponent_or_end()
    }

    pub(super) fn exponent_or_end(&mut self) -> NumResult {
        if matches!(self.at(), b'e' | b'E') {
            return self.exponent();
        }
        if matches!(self.at(), b'j' | b'J') {
            self.i += 1;
            return self.end("imaginary");
        }
        self.end("decimal")
    }

    /// At the `e` of an exponent.
    pub(super) fn exponent(&mut self) -> NumResult {
        let e = self.i;
        self.i += 1;
        if matches!(self.at(), b'+' | b'-') {
            self.i += 1;
            if !self.at().is_ascii_digit() {
                return self.error("invalid decimal literal");
            }
        } else if !self.at().is_ascii_digit() {
            // `1else`: the number ends before the `e`
            self.i = e;
            return self.end("decimal");
        }
        self.decimal_tail()?;
        if matches!(self.at(), b'j' | b'J') {
            self.i += 1;
            return self.end("imaginary");
        }
        self.end("decimal")
    }

    /// CPython's `verify_end_of_number`: a letter right after a number is an error, unless it
    /// starts one of the keywords that can follow a number in valid code.
    pub(super) fn end(&self, kind: &str) -> NumResult {
        let rest = &self.b[self.i.min(self.b.len())..];
        let keyword = match self.at() {
            b'a' => rest.starts_with(b"and"),
            b'e' => rest.starts_with(b"else"),
            b'f' => rest.starts_with(b"for"),
            b'i' => matches!(rest.get(1), Some(b'f' | b'n' | b's')),
            b'o' => rest.starts_with(b"or"),
            b'n' => rest.starts_with(b"not"),
            _ => false,
        };
        let invisible_next =
            self.at() >= 0x80 && decode_char(rest).is_some_and(|(ch, _)| invisible(ch));
        if !keyword && is_ident_byte(self.at()) && !invisible_next {
            return self.error(format!("invalid {kind} literal"));
        }
        Ok(())
    }
}
