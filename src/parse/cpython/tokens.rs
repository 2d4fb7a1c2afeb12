//! CPython's tokenizer rules over the bytes: logical lines and indentation (IndentationError,
//! TabError), number literals, string prefixes, escapes and bytes literals, bytes mixed with str
//! in a concatenation, characters that are no token, and the nesting limits.
//!
//! Strings follow PEP 701 (CPython 3.12): a replacement field of an f-string is code, and may hold
//! strings in the same quotes, so code 3.12 accepts tokenizes as 3.12 reads it. One pass, one byte
//! at a time, with an explicit stack of f-string frames: no recursion.

use super::encoding::utf8_error;
use super::CompileError;

/// CPython's MAXLEVEL (brackets) and MAXINDENT (indentation levels).
const MAX_BRACKETS: usize = 200;
const MAX_INDENT: usize = 100;
const TAB_SIZE: u32 = 8;

pub(super) fn check(bytes: &[u8], utf8: bool, errors: &mut Vec<CompileError>) {
    let mut t = Tokenizer {
        b: bytes,
        pos: 0,
        utf8,
        errors,
        brackets: Vec::new(),
        frames: Vec::new(),
        indents: vec![(0, 0)],
        at_bol: true,
        blank_line: false,
        line: Line::default(),
        expect_indent: None,
        last_str: None,
        last_newline: None,
        utf8_reported: false,
        line_cache: (0, 1),
    };
    t.run();
}

/// A logical line's first words and whether it ends with a block colon.
#[derive(Default, Clone, Copy)]
struct Line {
    start: usize,
    tokens: u32,
    first: &'static str,
    second: &'static str,
    ends_colon: bool,
    /// The last two significant tokens (byte ranges; a string or number is an empty range).
    last: (usize, usize),
    prev: (usize, usize),
    /// The first token, and whether the line has an `import` (a `from` line needs one).
    first_span: (usize, usize),
    has_import: bool,
    /// Colons outside brackets, and whether a `lambda` is on the line (its colon is one).
    colons: u32,
    has_lambda: bool,
}

enum Frame {
    /// The literal part of an f-string.
    FStr {
        quote: u8,
        triple: bool,
        raw: bool,
        start: usize,
    },
    /// A replacement field's expression: code, until `}` (or `:`, `!`) at bracket depth `base`.
    /// `last_str` is what `Tokenizer::last_str` is for the top-level code.
    Field {
        base: usize,
        fstr: usize,
        last_str: Option<bool>,
    },
    /// A replacement field's format spec: literal text with nested fields, until `}`.
    Spec { fstr: usize },
}

struct Tokenizer<'a, 'e> {
    b: &'a [u8],
    pos: usize,
    utf8: bool,
    errors: &'e mut Vec<CompileError>,
    brackets: Vec<(u8, usize)>,
    frames: Vec<Frame>,
    /// (column with tabs to multiples of 8, column with tabs as 1): CPython's indstack/altindstack.
    indents: Vec<(u32, u32)>,
    at_bol: bool,
    blank_line: bool,
    line: Line,
    /// The previous logical line ended with a block colon: its opener words and first line.
    expect_indent: Option<Line>,
    /// The previous token of the top-level code was a string: whether it was bytes.
    last_str: Option<bool>,
    last_newline: Option<usize>,
    utf8_reported: bool,
    line_cache: (usize, usize),
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Characters outside strings and comments that CPython calls non-printable and tree-sitter
/// skips as white space.
fn invisible(ch: char) -> bool {
    matches!(ch as u32,
        0xA0 | 0xAD | 0x61C | 0x1680 | 0x180E | 0x2000..=0x200F | 0x2028..=0x202F
        | 0x205F..=0x206F | 0x3000 | 0xFEFF)
}

fn keyword(word: &[u8]) -> &'static str {
    const WORDS: &[&str] = &[
        "async", "class", "def", "elif", "else", "except", "finally", "for", "if", "match", "case",
        "try", "while", "with",
    ];
    WORDS
        .iter()
        .find(|w| w.as_bytes() == word)
        .copied()
        .unwrap_or("")
}

impl Tokenizer<'_, '_> {
    fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(CompileError::syntax(offset, message));
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.b.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// The 1-based line of `offset`; amortised linear, as offsets mostly grow.
    fn line_no(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.b.len());
        let (mut at, mut line) = self.line_cache;
        if offset < at {
            (at, line) = (0, 1);
        }
        line += memchr::memchr_iter(b'\n', &self.b[at..offset]).count();
        self.line_cache = (offset, line);
        line
    }

    fn run(&mut self) {
        while !self.at_end() {
            match self.frames.last() {
                None | Some(Frame::Field { .. }) => self.code_step(),
                Some(Frame::FStr { .. }) => self.fstr_step(),
                Some(Frame::Spec { .. }) => self.spec_step(),
            }
        }
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(fstr) = self.frames.iter().find_map(|f| match f {
            Frame::FStr { start, triple, .. } => Some((*start, *triple)),
            _ => None,
        }) {
            self.unterminated(fstr.0, fstr.1);
            return;
        }
        if let Some(&(open, at)) = self.brackets.first() {
            self.err(at, format!("'{}' was never closed", open as char));
            return;
        }
        if self.line.tokens > 0 && self.brackets.is_empty() {
            self.end_logical_line();
        }
        if let Some(opener) = self.expect_indent.take() {
            let at = self.last_newline.unwrap_or(self.b.len().saturating_sub(1));
            self.expected_indent(at, opener);
        }
    }

    fn unterminated(&mut self, start: usize, triple: bool) {
        let line = self.line_no(self.pos.saturating_sub(1).max(start));
        let what = if triple { "triple-quoted " } else { "" };
        self.err(
            start,
            format!("unterminated {what}string literal (detected at line {line})"),
        );
    }

    fn expected_indent(&mut self, at: usize, opener: Line) {
        let word = match (opener.first, opener.second) {
            ("async", second) => second,
            ("except", "except*") => "except*",
            (first, _) => first,
        };
        let line = self.line_no(opener.start);
        let message = match word {
            "def" => format!("expected an indented block after function definition on line {line}"),
            "class" => format!("expected an indented block after class definition on line {line}"),
            w => format!("expected an indented block after '{w}' statement on line {line}"),
        };
        self.errors.push(CompileError::indentation(at, message));
    }

    /// Top-level code only: a significant token `word` (a keyword or "") ends a logical line
    /// with a colon when `colon`.
    fn token(&mut self, start: usize, word: &'static str, colon: bool) {
        if !self.frames.is_empty() {
            return;
        }
        if self.line.tokens == 0 {
            self.line.start = start;
            self.line.first = word;
        } else if self.line.tokens == 1 {
            self.line.second = word;
        }
        self.line.tokens += 1;
        self.line.ends_colon = colon;
        self.line.prev = self.line.last;
        self.line.last = (start, self.pos.max(start));
        if self.line.tokens == 1 {
            self.line.first_span = self.line.last;
        }
        match &self.b[start..self.pos.max(start)] {
            b"import" => self.line.has_import = true,
            b"lambda" => self.line.has_lambda = true,
            _ => {}
        }
        if colon && self.brackets.is_empty() {
            self.line.colons += 1;
        }
    }

    /// The logical line ends after a token no statement can end with: an operator, `.`, `=`,
    /// or a keyword that needs more (`import`, `not`, `if`, ...). tree-sitter-python reads on
    /// over such a line end (its scanner drops a newline the grammar does not expect there), so
    /// `x.` + `y = 1` parses as `x.y = 1`; CPython rejects it.
    fn ends_inside_a_statement(&self) -> bool {
        const NEEDS_MORE: &[&[u8]] = &[
            b"and",
            b"as",
            b"assert",
            b"async",
            b"await",
            b"class",
            b"def",
            b"del",
            b"elif",
            b"else",
            b"except",
            b"finally",
            b"for",
            b"from",
            b"global",
            b"if",
            b"import",
            b"in",
            b"is",
            b"lambda",
            b"nonlocal",
            b"not",
            b"or",
            b"try",
            b"while",
            b"with",
        ];
        let (start, end) = self.line.last;
        let token = &self.b[start..end.min(self.b.len())];
        match token {
            // `...`
            b"." => start < 2 || &self.b[start - 2..start] != b"..",
            // `from m import *`
            b"*" => &self.b[self.line.prev.0..self.line.prev.1] != b"import",
            [b'+' | b'-' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'='] => {
                true
            }
            b":=" | b"!=" => true,
            word => NEEDS_MORE.contains(&word),
        }
    }

    /// The previous string token, in whichever code the tokenizer is in.
    fn last_str(&mut self) -> &mut Option<bool> {
        match self.frames.last_mut() {
            Some(Frame::Field { last_str, .. }) => last_str,
            _ => &mut self.last_str,
        }
    }

    fn end_logical_line(&mut self) {
        let word = if self.line.first == "async" {
            self.line.second
        } else {
            self.line.first
        };
        // A line ending where no statement can end, a colon that opens no block (`x: ` then
        // an annotation on the next line), a `from` without `import`: tree-sitter may read on
        // into the next line (see `ends_inside_a_statement`).
        let (first_start, first_end) = self.line.first_span;
        if self.line.tokens > 0
            && (self.ends_inside_a_statement()
                || (self.line.ends_colon
                    && (word.is_empty()
                        || word == "async"
                        // `if x: y:`: a second block colon on one line
                        || (self.line.colons > 1 && !self.line.has_lambda)))
                || (&self.b[first_start..first_end] == b"from" && !self.line.has_import))
        {
            self.err(self.line.last.1, "invalid syntax");
        }
        // only a compound statement opens a block: `x = lambda:` is some other error
        if self.line.ends_colon && !word.is_empty() && word != "async" {
            self.expect_indent = Some(self.line);
        }
        self.line = Line::default();
        self.last_str = None;
    }

    /// CPython's indentation at the start of a line outside brackets.
    fn indentation(&mut self) {
        self.at_bol = false;
        let (mut col, mut alt) = (0u32, 0u32);
        let mut i = self.pos;
        while let Some(&c) = self.b.get(i) {
            match c {
                b' ' => {
                    col += 1;
                    alt += 1;
                }
                b'\t' => {
                    col = (col / TAB_SIZE + 1) * TAB_SIZE;
                    alt += 1;
                }
                b'\x0c' => {
                    col = 0;
                    alt = 0;
                }
                _ => break,
            }
            i += 1;
        }
        self.pos = i;
        if matches!(self.b.get(i), None | Some(b'#' | b'\n' | b'\r')) {
            self.blank_line = true;
            return;
        }
        let (top_col, top_alt) = *self.indents.last().unwrap_or(&(0, 0));
        let mut indent = false;
        if col == top_col {
            if alt != top_alt {
                self.errors.push(CompileError::tab(i));
            }
        } else if col > top_col {
            if self.indents.len() >= MAX_INDENT {
                self.errors.push(CompileError::indentation(
                    i,
                    "too many levels of indentation",
                ));
            } else if alt <= top_alt {
                self.errors.push(CompileError::tab(i));
            }
            self.indents.push((col, alt));
            indent = true;
        } else {
            while self.indents.len() > 1 && col < self.indents.last().map_or(0, |l| l.0) {
                self.indents.pop();
            }
            let (top_col, top_alt) = *self.indents.last().unwrap_or(&(0, 0));
            if col != top_col {
                self.errors.push(CompileError::indentation(
                    i,
                    "unindent does not match any outer indentation level",
                ));
                self.indents.push((col, alt));
            } else if alt != top_alt {
                self.errors.push(CompileError::tab(i));
            }
        }
        match self.expect_indent.take() {
            Some(opener) if !indent => self.expected_indent(i, opener),
            None if indent => self
                .errors
                .push(CompileError::indentation(i, "unexpected indent")),
            _ => {}
        }
    }

    fn newline_len(&self) -> usize {
        if self.peek(0) == b'\r' && self.peek(1) == b'\n' {
            2
        } else {
            1
        }
    }

    /// One token (or white space) of code: the top level, or a replacement field.
    fn code_step(&mut self) {
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

    fn simple_token(&mut self, start: usize) {
        *self.last_str() = None;
        self.token(start, "", false);
    }

    /// A name, or the prefix of a string.
    fn name(&mut self, start: usize) {
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
    fn check_utf8(&mut self, from: usize, to: usize) {
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

    /// A string literal from `start` (its prefix) whose quote is at `quote_at`.
    fn string(&mut self, start: usize, quote_at: usize) {
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

    fn at_end_after(&self, n: usize) -> bool {
        self.pos + n >= self.b.len()
    }

    /// An escape sequence at `pos` (the backslash) of a str or bytes literal that is not raw;
    /// moves past it.
    fn escape(&mut self, body: usize, bytes: bool) {
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
    fn fstr_step(&mut self) {
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

    fn fstr_index(&self) -> usize {
        self.frames
            .iter()
            .rposition(|f| matches!(f, Frame::FStr { .. }))
            .unwrap_or(0)
    }

    fn end_fstring(&mut self) {
        if let Some(Frame::FStr { start, .. }) = self.frames.pop() {
            self.check_utf8(start, self.pos);
        }
        *self.last_str() = Some(false);
    }

    /// A format spec: literal text, nested fields, until the `}` that ends the field.
    fn spec_step(&mut self) {
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

    /// A number literal, by CPython's tokenizer: an error for what it rejects.
    fn number(&mut self, start: usize) {
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

fn opening(close: u8) -> u8 {
    match close {
        b')' => b'(',
        b']' => b'[',
        _ => b'{',
    }
}

/// One UTF-8 character at the start of `b`, or None if the bytes are not UTF-8.
fn decode_char(b: &[u8]) -> Option<(char, usize)> {
    let len = match b.first()? {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(b.get(..len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

/// Scans the number at `start` as CPython's `tok_get` does, leaving `pos` after it.
fn scan_number(b: &[u8], start: usize, pos: &mut usize) -> Result<(), (usize, String)> {
    let mut n = Number { b, i: start };
    let result = n.scan();
    *pos = n.i;
    result
}

type NumResult = Result<(), (usize, String)>;

struct Number<'a> {
    b: &'a [u8],
    i: usize,
}

impl Number<'_> {
    fn at(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    fn error(&self, message: impl Into<String>) -> NumResult {
        Err((self.i, message.into()))
    }

    fn scan(&mut self) -> NumResult {
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
    fn decimal_tail(&mut self) -> NumResult {
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

    fn radix(&mut self, radix: u32, kind: &str) -> NumResult {
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

    fn bad_digit(&self, radix: u32, kind: &str) -> NumResult {
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
    fn zero(&mut self, start: usize) -> NumResult {
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
    fn fraction(&mut self) -> NumResult {
        if self.at().is_ascii_digit() {
            self.decimal_tail()?;
        }
        self.exponent_or_end()
    }

    fn exponent_or_end(&mut self) -> NumResult {
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
    fn exponent(&mut self) -> NumResult {
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
    fn end(&self, kind: &str) -> NumResult {
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
