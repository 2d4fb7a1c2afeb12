//! IPython masking: the physical lines of a cell, and the masked lines that stand in for
//! magics, shell escapes and help syntax (with the small Python line scanner they need).

use super::cells::split_eol;
use super::{Mask, ESCAPES, PYTHON_CELL_MAGICS, TAG};

/// The physical lines of a text: content (without `\n` or `\r\n`) and line ending.
pub(super) fn physical_lines(text: &str) -> Vec<(&str, &str)> {
    text.split_inclusive('\n')
        .map(|line| {
            let (content, eol) = split_eol(line.as_bytes());
            // Both splits are at ASCII bytes, so at char boundaries.
            (
                &line[..content.len()],
                &line[content.len()..content.len() + eol.len()],
            )
        })
        .collect()
}

pub(super) fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
}

pub(super) fn indent_of(line: &str) -> &str {
    let n = line
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    &line[..n]
}

/// A cell's text with its IPython lines masked; the masks are recorded in `masks`.
pub(super) fn mask_cell(text: &str, code: usize, nonce: &str, masks: &mut Vec<Mask>) -> String {
    let lines = physical_lines(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut mask = |out: &mut String, (content, eol): (&str, &str), indent: &str| {
        let id = masks.len();
        let masked = if indent.is_empty() {
            format!("# {TAG} magic {id} {nonce}")
        } else {
            format!("{indent}pass  # {TAG} magic {id} {nonce}")
        };
        out.push_str(&masked);
        out.push_str(eol);
        masks.push(Mask {
            code,
            text: masked,
            original: content.to_string(),
        });
    };

    let mut start = 0;
    if let Some(first) = lines.iter().position(|(content, _)| !is_blank(content)) {
        if let Some(magic) = lines[first]
            .0
            .trim_start_matches([' ', '\t'])
            .strip_prefix("%%")
        {
            for (content, eol) in &lines[..first] {
                out.push_str(content);
                out.push_str(eol);
            }
            mask(&mut out, lines[first], "");
            let name_len = magic
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if !PYTHON_CELL_MAGICS.contains(&&magic[..name_len]) {
                for &line in &lines[first + 1..] {
                    if is_blank(line.0) {
                        out.push_str(line.0);
                        out.push_str(line.1);
                    } else {
                        mask(&mut out, line, "");
                    }
                }
                return out;
            }
            start = first + 1;
        }
    }

    let mut state = PyState::default();
    // The physical lines of the logical line being read, and whether it is IPython syntax.
    let mut pending: Vec<usize> = Vec::new();
    let mut flagged = false;
    let mut i = start;
    while i < lines.len() {
        let (content, _) = lines[i];
        if pending.is_empty() {
            let indent = indent_of(content);
            if content[indent.len()..]
                .bytes()
                .next()
                .is_some_and(|b| ESCAPES.contains(&b))
            {
                // An escaped line is opaque to Python; it goes on after a trailing backslash.
                loop {
                    mask(&mut out, lines[i], indent);
                    let continued = lines[i].0.ends_with('\\');
                    i += 1;
                    if !continued || i == lines.len() {
                        break;
                    }
                }
                continue;
            }
        }
        pending.push(i);
        let (ends, magic) = state.scan_line(content.as_bytes());
        flagged |= magic;
        i += 1;
        if ends || i == lines.len() {
            let indent = indent_of(lines[pending[0]].0);
            for &p in &pending {
                if flagged {
                    mask(&mut out, lines[p], indent);
                } else {
                    out.push_str(lines[p].0);
                    out.push_str(lines[p].1);
                }
            }
            pending.clear();
            flagged = false;
        }
    }
    out
}

/// Just enough of Python's tokeniser to know where logical lines end.
#[derive(Default)]
pub(super) struct PyState {
    /// Inside a string: its quote and whether it is triple-quoted.
    string: Option<(u8, bool)>,
    depth: usize,
}

impl PyState {
    /// Reads one physical line: whether the logical line ends with it, and whether it holds
    /// IPython syntax (`?` outside strings and comments, or `= !`/`= %`).
    pub(super) fn scan_line(&mut self, s: &[u8]) -> (bool, bool) {
        let mut magic = false;
        let mut continued = false;
        let mut i = 0;
        while i < s.len() {
            let b = s[i];
            if let Some((quote, triple)) = self.string {
                if b == b'\\' {
                    continued = i + 1 == s.len();
                    i += 2;
                } else if b == quote && (!triple || s[i..].starts_with(&[quote; 3])) {
                    self.string = None;
                    i += if triple { 3 } else { 1 };
                } else {
                    i += 1;
                }
                continue;
            }
            match b {
                b'#' => break,
                b'"' | b'\'' => {
                    let triple = s[i..].starts_with(&[b; 3]);
                    self.string = Some((b, triple));
                    i += if triple { 3 } else { 1 };
                }
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    i += 1;
                }
                b'?' => {
                    magic = true;
                    i += 1;
                }
                b'=' => {
                    let rest = &s[i + 1..];
                    let after = rest.iter().position(|c| !matches!(c, b' ' | b'\t'));
                    if after.is_some_and(|a| matches!(rest[a], b'!' | b'%')) {
                        // `x = !cmd`: the rest of the line is opaque, as in IPython.
                        self.string = None;
                        self.depth = 0;
                        return (!s.ends_with(b"\\"), true);
                    }
                    i += 1;
                }
                b'\\' => {
                    continued = i + 1 == s.len();
                    i += 2;
                }
                _ => i += 1,
            }
        }
        if let Some((_, false)) = self.string {
            if !continued {
                // An unterminated one-line string ends with its line (a syntax error anyway).
                self.string = None;
            }
        }
        let ends = self.string.is_none() && self.depth == 0 && !continued;
        (ends, magic)
    }
}
