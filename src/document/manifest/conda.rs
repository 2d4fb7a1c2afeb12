//! conda `environment.yml`: the `pip:` list under the top-level `dependencies:` (each item is
//! a pip requirements-file line, so `-r file` and `--pre` work there too), and conda packages
//! named replicate (RM952: conda-forge may not have 2.0.0b4).
//!
//! A line scanner for the block-style YAML these files use; flow style (`[a, b]`) is skipped.

use super::requirements::{self, Mode, State};
use super::{pep440, pep508, Checked, Finding, Mapped, RM952};

/// Physical lines (without `\n` / `\r\n`) with their start offsets.
fn physical(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = at;
        at += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        (start, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The scalar of a sequence item (after `- `) at `at`: quotes removed, a `#` comment dropped.
fn scalar(text: &str, at: usize) -> Mapped {
    let b = text.as_bytes();
    match b.first() {
        Some(b'"') => {
            let mut out = String::new();
            let mut ranges = Vec::new();
            let mut i = 1;
            while i < b.len() && b[i] != b'"' {
                let (ch, n) = if b[i] == b'\\' && i + 1 < b.len() {
                    let c = text[i + 1..].chars().next().unwrap_or('\\');
                    let decoded = match c {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    };
                    (decoded, 1 + c.len_utf8())
                } else {
                    let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                    (c, c.len_utf8())
                };
                out.push(ch);
                ranges.extend(std::iter::repeat_n((at + i, at + i + n), ch.len_utf8()));
                i += n;
            }
            Mapped::table(out, ranges, at + i)
        }
        Some(b'\'') => {
            let mut out = String::new();
            let mut ranges = Vec::new();
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        out.push('\'');
                        ranges.push((at + i, at + i + 2));
                        i += 2;
                        continue;
                    }
                    break;
                }
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(c);
                ranges.extend(std::iter::repeat_n(
                    (at + i, at + i + c.len_utf8()),
                    c.len_utf8(),
                ));
                i += c.len_utf8();
            }
            Mapped::table(out, ranges, at + i)
        }
        _ => {
            let end = text
                .match_indices(" #")
                .next()
                .map_or(text.len(), |(p, _)| p);
            Mapped::contiguous(text[..end].trim_end(), at)
        }
    }
}

/// A top-level key line `name:` (nothing but a comment after the colon).
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    let rest = rest.trim();
    (rest.is_empty() || rest.starts_with('#')).then_some(key.trim())
}

pub(crate) fn check(text: &str, out: &mut Checked) {
    let mut in_deps = false;
    let mut item_indent: Option<usize> = None;
    let mut pip_indent: Option<usize> = None;
    let mut pip_items: Vec<Mapped> = Vec::new();
    for (start, line) in physical(text) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || line.starts_with("---") {
            continue;
        }
        let indent = line.len() - t.len();
        if indent == 0 && !t.starts_with('-') {
            in_deps = top_key(line) == Some("dependencies");
            item_indent = None;
            pip_indent = None;
            continue;
        }
        if !in_deps {
            continue;
        }
        let Some(item) = t
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        else {
            continue;
        };
        let item_at = start + indent + 1 + (item.len() - item.trim_start().len());
        let item = item.trim();
        if let Some(p) = pip_indent {
            if indent > p {
                pip_items.push(scalar(item, item_at));
                continue;
            }
            pip_indent = None;
        }
        let level = *item_indent.get_or_insert(indent);
        if indent != level {
            continue;
        }
        if item == "pip:" || item.starts_with("pip: #") || item.starts_with("pip:#") {
            pip_indent = Some(indent);
            continue;
        }
        conda_package(&scalar(item, item_at), out);
    }
    // The pip list is a requirements file: `--pre` anywhere applies to all of it.
    let allow_pre = pip_items
        .iter()
        .any(|m| m.text.split_whitespace().any(|w| w == "--pre"));
    let mut state = State {
        mode: Mode::Requirements,
        allow_pre,
        out,
    };
    for m in &pip_items {
        requirements::check_content(m, 0..m.text.len(), &mut state);
    }
}

/// A conda match spec (`replicate`, `conda-forge::replicate=1.0.7`, `replicate >=1.0`).
fn conda_package(m: &Mapped, out: &mut Checked) {
    let spec = m.text.as_str();
    let after_channel = spec.rfind("::").map_or(0, |p| p + 2);
    let name_end = spec[after_channel..]
        .find([' ', '=', '<', '>', '!', '~', '[', '\t'])
        .map_or(spec.len(), |p| after_channel + p);
    if !pep508::is_replicate(&spec[after_channel..name_end]) {
        return;
    }
    let (start, end) = m.file_range(0..spec.len());
    out.findings.push(Finding {
        start,
        end,
        code: RM952,
        message: format!(
            "`{spec}` is a conda package; conda-forge may not have replicate {} (the migration \
             target), so this cannot be fixed here",
            pep440::TARGET
        ),
        fix: None,
        help: Some(format!(
            "remove it and add `replicate>={},<3` to the `pip:` list of `dependencies`",
            pep440::TARGET
        )),
    });
}
