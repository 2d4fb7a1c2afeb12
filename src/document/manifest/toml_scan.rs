//! A TOML scanner that keeps byte spans: every value of a document, with its full key path
//! (table headers, dotted keys, array indices, arrays of tables resolved) and its span.
//!
//! The document is validated with the `toml` crate first (for its error messages and
//! positions); the scanner then only has to follow valid TOML. It is iterative (an explicit
//! stack for arrays and inline tables) and reports an error instead of panicking on anything it
//! does not expect.

use std::collections::HashMap;
use std::ops::Range;

use super::Mapped;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    pub fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// A string, decoded, mapped back to the file (the span is the whole literal).
    Str(Mapped),
    Bool(bool),
    /// A number or date.
    Other,
    Array,
    InlineTable,
    /// A `[table]` or `[[array.of.tables]]` header (the span is the header).
    Table,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub path: Vec<Seg>,
    pub span: Range<usize>,
    pub value: Value,
}

type Error = (usize, String);

/// Validates `text` as TOML and scans it.
pub(crate) fn scan(text: &str) -> Result<Vec<Node>, Error> {
    if let Err(e) = text.parse::<toml::Table>() {
        let offset = e.span().map_or(0, |s| s.start);
        return Err((offset, format!("invalid TOML: {}", e.message().trim())));
    }
    scan_valid(text)
}

enum Frame {
    Array {
        path: Vec<Seg>,
        next: usize,
        start: usize,
    },
    Inline {
        path: Vec<Seg>,
        start: usize,
    },
}

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn err<T>(&self, what: &str) -> Result<T, Error> {
        Err((self.i, format!("could not scan the TOML here: {what}")))
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.i += 1;
            }
        }
    }
    /// Whitespace, newlines and comments.
    fn skip_all(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            match self.peek() {
                Some(b'\n' | b'\r') => self.i += 1,
                _ => return,
            }
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), Error> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            self.err(&format!("expected `{}`", c as char))
        }
    }

    /// A dotted key: `a.b."c d".'e'`.
    fn key(&mut self) -> Result<Vec<String>, Error> {
        let mut keys = Vec::new();
        loop {
            self.skip_ws();
            let k = match self.peek() {
                Some(b'"') => self.basic_string()?.0.text,
                Some(b'\'') => self.literal_string()?.0.text,
                Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                    let s = self.i;
                    while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                    {
                        self.i += 1;
                    }
                    self.s[s..self.i].to_string()
                }
                _ => return self.err("expected a key"),
            };
            keys.push(k);
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.i += 1;
            } else {
                return Ok(keys);
            }
        }
    }

    /// `"..."` or `"""..."""`, at the opening quote. Returns the value and the literal's span.
    fn basic_string(&mut self) -> Result<(Mapped, Range<usize>), Error> {
        let start = self.i;
        let multi = self.b[self.i..].starts_with(b"\"\"\"");
        self.i += if multi { 3 } else { 1 };
        if multi {
            self.skip_first_newline();
        }
        let content_start = self.i;
        let mut text = String::new();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut escaped = false;
        loop {
            let Some(c) = self.peek() else {
                return self.err("unterminated string");
            };
            match c {
                b'"' if !multi => {
                    let end = self.i;
                    self.i += 1;
                    return Ok((
                        finish(self.s, content_start, end, escaped, text, ranges),
                        start..self.i,
                    ));
                }
                b'"' if self.b[self.i..].starts_with(b"\"\"\"") => {
                    let run = self.b[self.i..].iter().take_while(|&&q| q == b'"').count();
                    let extra = (run - 3).min(2);
                    for k in 0..extra {
                        text.push('"');
                        ranges.push((self.i + k, self.i + k + 1));
                    }
                    let end = self.i + extra;
                    self.i = end + 3;
                    return Ok((
                        finish(self.s, content_start, end, escaped, text, ranges),
                        start..self.i,
                    ));
                }
                b'\n' if !multi => return self.err("newline in a string"),
                b'\\' => {
                    escaped = true;
                    let esc_start = self.i;
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return self.err("unterminated escape");
                    };
                    let simple = match e {
                        b'b' => Some('\u{8}'),
                        b't' => Some('\t'),
                        b'n' => Some('\n'),
                        b'f' => Some('\u{c}'),
                        b'r' => Some('\r'),
                        b'e' => Some('\u{1b}'),
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        self.i += 1;
                        push_char(&mut text, &mut ranges, ch, esc_start, self.i);
                    } else if matches!(e, b'u' | b'U' | b'x') {
                        let n = match e {
                            b'u' => 4,
                            b'U' => 8,
                            _ => 2,
                        };
                        let hex = self.s.get(self.i + 1..self.i + 1 + n).unwrap_or("");
                        let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                        let Some(ch) = ch.filter(|_| hex.len() == n) else {
                            return self.err("bad unicode escape");
                        };
                        self.i += 1 + n;
                        push_char(&mut text, &mut ranges, ch, esc_start, self.i);
                    } else if multi {
                        // Line-ending backslash: drop the whitespace and newlines after it.
                        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                            self.i += 1;
                        }
                    } else {
                        return self.err("bad escape");
                    }
                }
                _ => {
                    let ch = self.s[self.i..].chars().next().unwrap_or('\u{fffd}');
                    let n = ch.len_utf8();
                    push_char(&mut text, &mut ranges, ch, self.i, self.i + n);
                    self.i += n;
                }
            }
        }
    }

    /// `'...'` or `'''...'''`, at the opening quote.
    fn literal_string(&mut self) -> Result<(Mapped, Range<usize>), Error> {
        let start = self.i;
        let multi = self.b[self.i..].starts_with(b"'''");
        self.i += if multi { 3 } else { 1 };
        if multi {
            self.skip_first_newline();
        }
        let content_start = self.i;
        loop {
            match self.peek() {
                None => return self.err("unterminated string"),
                Some(b'\'') if !multi => {
                    let end = self.i;
                    self.i += 1;
                    return Ok((
                        Mapped::contiguous(&self.s[content_start..end], content_start),
                        start..self.i,
                    ));
                }
                Some(b'\'') if self.b[self.i..].starts_with(b"'''") => {
                    let run = self.b[self.i..].iter().take_while(|&&q| q == b'\'').count();
                    let end = self.i + (run - 3).min(2);
                    self.i = end + 3;
                    return Ok((
                        Mapped::contiguous(&self.s[content_start..end], content_start),
                        start..self.i,
                    ));
                }
                Some(b'\n') if !multi => return self.err("newline in a string"),
                Some(_) => self.i += 1,
            }
        }
    }

    fn skip_first_newline(&mut self) {
        if self.b[self.i..].starts_with(b"\r\n") {
            self.i += 2;
        } else if self.peek() == Some(b'\n') {
            self.i += 1;
        }
    }

    /// A number, boolean or date: up to a delimiter.
    fn bare(&mut self) -> Result<Value, Error> {
        let s = self.i;
        let stop = |c: u8| matches!(c, b',' | b']' | b'}' | b'#' | b' ' | b'\t' | b'\r' | b'\n');
        while matches!(self.peek(), Some(c) if !stop(c)) {
            self.i += 1;
        }
        // A date and a time may be separated by a space: `1979-05-27 07:32:00`.
        let token = &self.b[s..self.i];
        if token.len() == 10
            && token[4] == b'-'
            && token[7] == b'-'
            && self.peek() == Some(b' ')
            && matches!(self.b.get(self.i + 1), Some(b'0'..=b'9'))
        {
            self.i += 1;
            while matches!(self.peek(), Some(c) if !stop(c)) {
                self.i += 1;
            }
        }
        if self.i == s {
            return self.err("expected a value");
        }
        Ok(match &self.s[s..self.i] {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Other,
        })
    }
}

fn push_char(
    text: &mut String,
    ranges: &mut Vec<(usize, usize)>,
    ch: char,
    from: usize,
    to: usize,
) {
    text.push(ch);
    ranges.extend(std::iter::repeat_n((from, to), ch.len_utf8()));
}

/// A basic string's value: contiguous when it had no escape.
fn finish(
    s: &str,
    content_start: usize,
    end: usize,
    escaped: bool,
    text: String,
    ranges: Vec<(usize, usize)>,
) -> Mapped {
    if escaped {
        Mapped::table(text, ranges, end)
    } else {
        Mapped::contiguous(&s[content_start..end], content_start)
    }
}

fn scan_valid(s: &str) -> Result<Vec<Node>, Error> {
    let mut p = P {
        s,
        b: s.as_bytes(),
        i: 0,
    };
    let mut nodes = Vec::new();
    let mut table: Vec<Seg> = Vec::new();
    let mut aot: HashMap<Vec<Seg>, usize> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        match stack.last_mut() {
            Some(Frame::Array { path, next, start }) => {
                p.skip_all();
                match p.peek() {
                    None => return p.err("unterminated array"),
                    Some(b']') => {
                        p.i += 1;
                        let (path, start) = (std::mem::take(path), *start);
                        stack.pop();
                        nodes.push(Node {
                            path,
                            span: start..p.i,
                            value: Value::Array,
                        });
                    }
                    Some(b',') => p.i += 1,
                    Some(_) => {
                        let mut child = path.clone();
                        child.push(Seg::Index(*next));
                        *next += 1;
                        value(&mut p, child, &mut stack, &mut nodes)?;
                    }
                }
            }
            Some(Frame::Inline { path, start }) => {
                p.skip_all();
                match p.peek() {
                    None => return p.err("unterminated inline table"),
                    Some(b'}') => {
                        p.i += 1;
                        let (path, start) = (std::mem::take(path), *start);
                        stack.pop();
                        nodes.push(Node {
                            path,
                            span: start..p.i,
                            value: Value::InlineTable,
                        });
                    }
                    Some(b',') => p.i += 1,
                    Some(_) => {
                        let mut child = path.clone();
                        child.extend(p.key()?.into_iter().map(Seg::Key));
                        p.skip_ws();
                        p.expect(b'=')?;
                        p.skip_ws();
                        value(&mut p, child, &mut stack, &mut nodes)?;
                    }
                }
            }
            None => {
                p.skip_all();
                match p.peek() {
                    None => return Ok(nodes),
                    Some(b'[') => {
                        let start = p.i;
                        let is_aot = p.b[p.i..].starts_with(b"[[");
                        p.i += if is_aot { 2 } else { 1 };
                        let keys = p.key()?;
                        p.skip_ws();
                        p.expect(b']')?;
                        if is_aot {
                            p.expect(b']')?;
                        }
                        table = resolve(keys, is_aot, &mut aot);
                        nodes.push(Node {
                            path: table.clone(),
                            span: start..p.i,
                            value: Value::Table,
                        });
                    }
                    Some(_) => {
                        let mut path = table.clone();
                        path.extend(p.key()?.into_iter().map(Seg::Key));
                        p.skip_ws();
                        p.expect(b'=')?;
                        p.skip_ws();
                        value(&mut p, path, &mut stack, &mut nodes)?;
                    }
                }
            }
        }
    }
}

/// A header's key path, with the current index of every array of tables on it.
fn resolve(keys: Vec<String>, is_aot: bool, aot: &mut HashMap<Vec<Seg>, usize>) -> Vec<Seg> {
    let n = keys.len();
    let mut path = Vec::new();
    for (i, k) in keys.into_iter().enumerate() {
        path.push(Seg::Key(k));
        if i + 1 == n && is_aot {
            let count = aot.entry(path.clone()).or_insert(0);
            let index = *count;
            *count += 1;
            path.push(Seg::Index(index));
        } else if let Some(count) = aot.get(&path) {
            path.push(Seg::Index(count.saturating_sub(1)));
        }
    }
    path
}

/// One value at the cursor: a scalar becomes a node; an array or inline table opens a frame.
fn value(
    p: &mut P,
    path: Vec<Seg>,
    stack: &mut Vec<Frame>,
    nodes: &mut Vec<Node>,
) -> Result<(), Error> {
    let start = p.i;
    let value = match p.peek() {
        Some(b'"') => {
            let (m, span) = p.basic_string()?;
            nodes.push(Node {
                path,
                span,
                value: Value::Str(m),
            });
            return Ok(());
        }
        Some(b'\'') => {
            let (m, span) = p.literal_string()?;
            nodes.push(Node {
                path,
                span,
                value: Value::Str(m),
            });
            return Ok(());
        }
        Some(b'[') => {
            p.i += 1;
            stack.push(Frame::Array {
                path,
                next: 0,
                start,
            });
            return Ok(());
        }
        Some(b'{') => {
            p.i += 1;
            stack.push(Frame::Inline { path, start });
            return Ok(());
        }
        _ => p.bare()?,
    };
    nodes.push(Node {
        path,
        span: start..p.i,
        value,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Vec<String> {
        scan(text)
            .unwrap()
            .iter()
            .map(|n| {
                let path: Vec<String> = n
                    .path
                    .iter()
                    .map(|s| match s {
                        Seg::Key(k) => k.clone(),
                        Seg::Index(i) => format!("[{i}]"),
                    })
                    .collect();
                let v = match &n.value {
                    Value::Str(m) => format!("{:?}", m.text),
                    Value::Bool(b) => b.to_string(),
                    Value::Other => format!("other:{}", &text[n.span.clone()]),
                    Value::Array => "array".into(),
                    Value::InlineTable => "inline".into(),
                    Value::Table => "table".into(),
                };
                format!("{} = {v}", path.join("."))
            })
            .collect()
    }

    #[test]
    fn scans_paths_and_values() {
        let doc = r#"
top = 1 # c
"quoted key".x = 'lit'
[project]
dependencies = [
  "a>=1", # one
  'b',
  [ "nested" ],
]
optional-dependencies.dev = ["c"]
when = 1979-05-27 07:32:00Z
[tool.poetry.dependencies]
replicate = { version = "^1.0", extras = ["x"], optional = true }
[[package]]
name = "p0"
[package.deps]
d = "x"
[[package]]
name = "p1"
[[package.wheels]]
url = "u"
"#;
        assert_eq!(
            show(doc),
            vec![
                "top = other:1",
                "quoted key.x = \"lit\"",
                "project = table",
                "project.dependencies.[0] = \"a>=1\"",
                "project.dependencies.[1] = \"b\"",
                "project.dependencies.[2].[0] = \"nested\"",
                "project.dependencies.[2] = array",
                "project.dependencies = array",
                "project.optional-dependencies.dev.[0] = \"c\"",
                "project.optional-dependencies.dev = array",
                "project.when = other:1979-05-27 07:32:00Z",
                "tool.poetry.dependencies = table",
                "tool.poetry.dependencies.replicate.version = \"^1.0\"",
                "tool.poetry.dependencies.replicate.extras.[0] = \"x\"",
                "tool.poetry.dependencies.replicate.extras = array",
                "tool.poetry.dependencies.replicate.optional = true",
                "tool.poetry.dependencies.replicate = inline",
                "package.[0] = table",
                "package.[0].name = \"p0\"",
                "package.[0].deps = table",
                "package.[0].deps.d = \"x\"",
                "package.[1] = table",
                "package.[1].name = \"p1\"",
                "package.[1].wheels.[0] = table",
                "package.[1].wheels.[0].url = \"u\"",
            ]
        );
    }

    #[test]
    fn decodes_strings_with_spans() {
        let doc = "a = \"x\\u0041\\\"y\"\nb = \"\"\"\nline\\\n   more\"\"\"\"\nc = '''\nraw\\n'''\nd = \"\"\n";
        let nodes = scan(doc).unwrap();
        let texts: Vec<String> = nodes
            .iter()
            .map(|n| match &n.value {
                Value::Str(m) => m.text.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, vec!["xA\"y", "linemore\"", "raw\\n", ""]);
        // The escape `\u0041` maps back to its six bytes.
        let Value::Str(m) = &nodes[0].value else {
            panic!()
        };
        let (s, e) = m.file_range(1..2);
        assert_eq!(&doc[s..e], "\\u0041");
        let (s, e) = m.file_range(0..4);
        assert_eq!(&doc[s..e], "x\\u0041\\\"y");
        assert_eq!(&doc[nodes[0].span.clone()], "\"x\\u0041\\\"y\"");
    }

    #[test]
    fn reports_invalid_toml_with_position() {
        let (offset, message) = scan("a = 1\nb = [1,\n[x]\n").unwrap_err();
        assert!(message.starts_with("invalid TOML"), "{message}");
        assert!(offset > 6, "{offset}");
        assert!(scan("a = \"unterminated\n").is_err());
        assert!(scan("[a]\nb = 1\n[a]\n").is_err());
        // Deep nesting is an error or a scan, never a stack overflow.
        let deep = format!("a = {}{}", "[".repeat(5000), "]".repeat(5000));
        let _ = scan(&deep);
        let _ = scan_valid(&deep);
    }

    #[test]
    fn scanner_never_panics_on_prefixes() {
        // The scanner on its own (no validation) over every prefix of a document.
        let doc = "a = \"x\\u00e9\"\n[t]\nb = [1, {c = 'd'}, \"\"\"e\"\"\"]\n[[u]]\nf = 1979-05-27 07:32:00\n";
        for i in 0..=doc.len() {
            if doc.is_char_boundary(i) {
                let _ = scan_valid(&doc[..i]);
            }
        }
    }
}
