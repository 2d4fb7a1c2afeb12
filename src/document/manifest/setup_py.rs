//! `setup.py`: the string literals given to `install_requires=`, `extras_require=`,
//! `tests_require=`, `setup_requires=` (or under those keys of a dict), directly or through a
//! variable assigned a literal list in the same file. Python is tokenized, never evaluated: a
//! requirement built by code (`"replicate==" + VERSION`, an f-string) gets RM952.

use std::ops::Range;

use super::{check_pep508, mentions_replicate, Checked, Ctx, Finding, Mapped, RM952};

const KEYWORDS: &[&str] = &[
    "install_requires",
    "extras_require",
    "tests_require",
    "setup_requires",
];

#[derive(Debug)]
enum Tok {
    Ident(Range<usize>),
    /// A string literal; `value` is `None` when it is not a constant (an f-string with fields).
    Str {
        span: Range<usize>,
        value: Option<Mapped>,
    },
    Op(u8),
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Python tokens, without comments, whitespace and line continuations.
fn tokenize(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c.is_ascii_whitespace() || c == b'\\' {
            i += 1;
        } else if c == b'"' || c == b'\'' {
            let (tok, next) = string(s, i, i);
            toks.push(tok);
            i = next;
        } else if is_ident(c) {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            let word = s[start..i].to_ascii_lowercase();
            let prefix = matches!(
                word.as_str(),
                "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf" | "t" | "tr" | "rt"
            );
            if prefix && i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let (tok, next) = string(s, start, i);
                toks.push(tok);
                i = next;
            } else {
                toks.push(Tok::Ident(start..i));
            }
        } else {
            toks.push(Tok::Op(c));
            i += 1;
        }
    }
    toks
}

/// A string literal with its prefix at `start` and its opening quote at `q`.
fn string(s: &str, start: usize, q: usize) -> (Tok, usize) {
    let b = s.as_bytes();
    let prefix = s[start..q].to_ascii_lowercase();
    let raw = prefix.contains('r');
    let formatted = prefix.contains('f') || prefix.contains('t');
    let quote = b[q];
    let triple = b[q..].len() >= 3 && b[q + 1] == quote && b[q + 2] == quote;
    let open = if triple { 3 } else { 1 };
    let content_start = q + open;
    let mut i = content_start;
    let mut text = String::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut escaped = false;
    let end_content;
    loop {
        if i >= b.len() {
            end_content = b.len();
            break;
        }
        let c = b[i];
        if c == quote && (!triple || (b[i..].len() >= 3 && b[i + 1] == quote && b[i + 2] == quote))
        {
            end_content = i;
            i += open;
            break;
        }
        if c == b'\n' && !triple {
            // Unterminated: stop at the end of the line.
            end_content = i;
            break;
        }
        if c == b'\\' && i + 1 < b.len() {
            escaped = true;
            if raw {
                // The backslash stays, and the next character cannot end the string.
                let n = 1 + s[i + 1..].chars().next().map_or(1, char::len_utf8);
                for (k, ch) in s[i..i + n].char_indices() {
                    text.push(ch);
                    ranges.extend(std::iter::repeat_n(
                        (i + k, i + k + ch.len_utf8()),
                        ch.len_utf8(),
                    ));
                }
                i += n;
                continue;
            }
            let (decoded, n) = escape(&s[i..]);
            if let Some(ch) = decoded {
                text.push(ch);
                ranges.extend(std::iter::repeat_n((i, i + n), ch.len_utf8()));
            } else if n == 0 {
                // Unknown escape: both characters stay.
                text.push('\\');
                ranges.push((i, i + 1));
                i += 1;
                continue;
            }
            i += n.max(1);
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        let n = ch.len_utf8();
        text.push(ch);
        ranges.extend(std::iter::repeat_n((i, i + n), n));
        i += n;
    }
    let span = start..i;
    let value = if formatted && (text.contains('{') || text.contains('}')) {
        None
    } else if escaped {
        Some(Mapped::table(text, ranges, end_content))
    } else {
        Some(Mapped::contiguous(
            &s[content_start..end_content],
            content_start,
        ))
    };
    (Tok::Str { span, value }, i)
}

/// A backslash escape at the start of `s`: the character (None for a line continuation or an
/// unknown escape, told apart by the length: 0 for unknown) and its length.
fn escape(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    let simple = match b.get(1) {
        Some(b'\\') => Some('\\'),
        Some(b'\'') => Some('\''),
        Some(b'"') => Some('"'),
        Some(b'a') => Some('\u{7}'),
        Some(b'b') => Some('\u{8}'),
        Some(b'f') => Some('\u{c}'),
        Some(b'n') => Some('\n'),
        Some(b'r') => Some('\r'),
        Some(b't') => Some('\t'),
        Some(b'v') => Some('\u{b}'),
        _ => None,
    };
    if let Some(c) = simple {
        return (Some(c), 2);
    }
    match b.get(1) {
        Some(b'\n') => (None, 2),
        Some(b'\r') => (None, if b.get(2) == Some(&b'\n') { 3 } else { 2 }),
        Some(b'0'..=b'7') => {
            let n = b[1..]
                .iter()
                .take(3)
                .take_while(|c| matches!(c, b'0'..=b'7'))
                .count();
            let v = u32::from_str_radix(&s[1..1 + n], 8).unwrap_or(0);
            (char::from_u32(v), 1 + n)
        }
        Some(b'x' | b'u' | b'U') => {
            let n = match b[1] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            match s
                .get(2..2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
            {
                Some(v) => (char::from_u32(v), 2 + n),
                None => (None, 0),
            }
        }
        _ => (None, 0),
    }
}

pub(crate) fn check(text: &str, out: &mut Checked) {
    let toks = tokenize(text);
    fn str_value(t: &Tok) -> Option<&str> {
        match t {
            Tok::Str { value: Some(m), .. } => Some(m.text.as_str()),
            _ => None,
        }
    }
    let op = |t: Option<&Tok>, c: u8| matches!(t, Some(Tok::Op(o)) if *o == c);
    let mut seen: Vec<usize> = Vec::new();
    for i in 0..toks.len() {
        let is_key = match &toks[i] {
            // `install_requires=` (not `==`)
            Tok::Ident(r) => {
                KEYWORDS.contains(&&text[r.clone()])
                    && op(toks.get(i + 1), b'=')
                    && !op(toks.get(i + 2), b'=')
            }
            // `"install_requires": ...` in a dict
            t => str_value(t).is_some_and(|v| KEYWORDS.contains(&v)) && op(toks.get(i + 1), b':'),
        };
        if !is_key {
            continue;
        }
        let j = i + 2;
        match toks.get(j) {
            Some(Tok::Ident(r)) => {
                // A variable: every `NAME = <literal>` assignment in the file.
                let name = &text[r.clone()];
                for k in 0..toks.len() {
                    if matches!(&toks[k], Tok::Ident(r2) if &text[r2.clone()] == name)
                        && op(toks.get(k + 1), b'=')
                        && !op(toks.get(k + 2), b'=')
                        && k + 2 != j
                        && !seen.contains(&(k + 2))
                    {
                        seen.push(k + 2);
                        value(text, &toks, k + 2, out);
                    }
                }
            }
            Some(_) if !seen.contains(&j) => {
                seen.push(j);
                value(text, &toks, j, out);
            }
            _ => {}
        }
    }
}

/// The literal at `toks[j]`: a string, or a bracketed list / tuple / dict of them.
fn value(text: &str, toks: &[Tok], j: usize, out: &mut Checked) {
    let end = match toks.get(j) {
        Some(Tok::Op(b'[' | b'(' | b'{')) => {
            let mut depth = 0usize;
            let mut k = j;
            loop {
                match toks.get(k) {
                    None => break k,
                    Some(Tok::Op(b'[' | b'(' | b'{')) => depth += 1,
                    Some(Tok::Op(b']' | b')' | b'}')) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break k;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
        }
        Some(Tok::Str { .. }) => j + 1,
        _ => return,
    };
    let op = |k: usize, c: &[u8]| matches!(toks.get(k), Some(Tok::Op(o)) if c.contains(o));
    let is_str = |k: usize| matches!(toks.get(k), Some(Tok::Str { .. }));
    let mut k = j;
    while k < end.min(toks.len()) {
        if !is_str(k) {
            k += 1;
            continue;
        }
        // A run of adjacent literals is one (implicitly concatenated) string.
        let first = k;
        while is_str(k + 1) {
            k += 1;
        }
        let last = k;
        k += 1;
        if op(last + 1, b":") {
            continue; // a dict key (an extra's name)
        }
        let computed = first != last
            || op(last + 1, b"+%.*")
            || (first > 0 && op(first - 1, b"+%*"))
            || matches!(toks.get(first), Some(Tok::Str { value: None, .. }));
        if computed {
            let span = match (&toks[first], &toks[last]) {
                (Tok::Str { span: a, .. }, Tok::Str { span: b, .. }) => a.start..b.end,
                _ => continue,
            };
            if mentions_replicate(text[span.clone()].as_bytes()) {
                out.findings.push(Finding {
                    start: span.start,
                    end: span.end,
                    code: RM952,
                    message: format!(
                        "`{}` builds a replicate requirement with code, so it cannot be checked",
                        &text[span.clone()]
                    ),
                    fix: None,
                    help: Some(format!(
                        "make sure it selects replicate {} (e.g. `replicate>={},<3`)",
                        super::pep440::TARGET,
                        super::pep440::TARGET
                    )),
                });
            }
            continue;
        }
        let Some(Tok::Str { value: Some(m), .. }) = toks.get(first) else {
            continue;
        };
        // A string may hold several requirements, one a line.
        let mut off = 0;
        for line in m.text.split('\n') {
            let item = match line.find(" #") {
                Some(p) => &line[..p],
                None => line,
            };
            let lead = item.len() - item.trim_start().len();
            let t = item.trim();
            if !t.is_empty() && !t.starts_with('#') {
                let sub = m.slice(off + lead..off + lead + t.len());
                check_pep508(&sub, Ctx::pip(), out);
            }
            off += line.len() + 1;
        }
    }
}
