//! CPython's tokenizer rules over the bytes: logical lines and indentation (IndentationError,
//! TabError), number literals, string prefixes, escapes and bytes literals, bytes mixed with str
//! in a concatenation, characters that are no token, and the nesting limits.
//!
//! Strings follow PEP 701 (CPython 3.12): a replacement field of an f-string is code, and may hold
//! strings in the same quotes, so code 3.12 accepts tokenizes as 3.12 reads it. One pass, one byte
//! at a time, with an explicit stack of f-string frames: no recursion.
//!
//! Here the tokenizer's state, its logical lines and indentation; the submodules hold the
//! `code` state (tokens, brackets, names), `strings` (and f-strings) and `numbers`.

use super::CompileError;

mod code;
mod numbers;
mod strings;

/// CPython's MAXLEVEL (brackets) and MAXINDENT (indentation levels).
const MAX_BRACKETS: usize = 200;
const MAX_INDENT: usize = 100;
const TAB_SIZE: u32 = 8;

/// Tokenizes `bytes` as CPython would, pushing what it rejects onto `errors`; returns whether
/// `name` is one of the file's names (in code, f-string replacement fields included).
pub(super) fn check(bytes: &[u8], utf8: bool, errors: &mut Vec<CompileError>, name: &[u8]) -> bool {
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
        watched: name,
        saw_watched: false,
    };
    t.run();
    t.saw_watched
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
    /// A name looked for, and whether a name token spelled it.
    watched: &'a [u8],
    saw_watched: bool,
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
