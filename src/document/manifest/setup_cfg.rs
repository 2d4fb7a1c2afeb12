//! `setup.cfg`: `[options] install_requires` (and `tests_require`, `setup_requires`) and every
//! key of `[options.extras_require]`, read as configparser and setuptools read them: a value
//! continues on more-indented lines; full-line `#` / `;` comments are dropped; a one-line value
//! is split on `;`, a multi-line one on lines; `file:` names requirements files.

use super::{check_pep508, Checked, Ctx, Include, ManifestKind, Mapped};

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

struct Option_ {
    key: String,
    indent: usize,
    /// The value's pieces: the rest of the key line, then each continuation line (trimmed),
    /// with their offsets.
    chunks: Vec<(usize, String)>,
}

pub(crate) fn check(text: &str, out: &mut Checked) {
    let mut section: Option<String> = None;
    let mut current: Option<Option_> = None;
    for (start, line) in physical(text) {
        let stripped = line.trim();
        if stripped.starts_with('#') || stripped.starts_with(';') || stripped.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(opt) = current.as_mut().filter(|o| indent > o.indent) {
            let s = start + indent;
            opt.chunks.push((s, line.trim().to_string()));
            continue;
        }
        if let Some(opt) = current.take() {
            finish(section.as_deref(), opt, out);
        }
        if stripped.starts_with('[') {
            if let Some(close) = stripped.rfind(']') {
                section = Some(stripped[1..close].trim().to_string());
                continue;
            }
        }
        let Some(delim) = line.find(['=', ':']) else {
            continue;
        };
        let key = line[..delim].trim().to_ascii_lowercase();
        let after = &line[delim + 1..];
        let value_start = start + delim + 1 + (after.len() - after.trim_start().len());
        current = Some(Option_ {
            key,
            indent,
            chunks: vec![(value_start, after.trim().to_string())],
        });
    }
    if let Some(opt) = current.take() {
        finish(section.as_deref(), opt, out);
    }
}

fn finish(section: Option<&str>, opt: Option_, out: &mut Checked) {
    let wanted = match section {
        Some("options") => matches!(
            opt.key.as_str(),
            "install_requires" | "tests_require" | "setup_requires"
        ),
        Some("options.extras_require") => true,
        _ => false,
    };
    if !wanted {
        return;
    }
    let first_nonempty = opt.chunks.iter().find(|(_, t)| !t.is_empty());
    if let Some((at, t)) = first_nonempty {
        if let Some(rest) = t.strip_prefix("file:") {
            // `file: requirements.txt, more.txt` (possibly over several lines).
            let mut base = at + "file:".len();
            let mut pieces: Vec<(usize, &str)> = vec![(base, rest)];
            for (a, c) in opt.chunks.iter().skip_while(|(a, _)| a != at).skip(1) {
                pieces.push((*a, c));
            }
            for (a, piece) in pieces {
                base = a;
                let mut off = 0;
                for part in piece.split(',') {
                    let lead = part.len() - part.trim_start().len();
                    let p = part.trim();
                    if !p.is_empty() {
                        out.includes.push(Include {
                            path: p.to_string(),
                            kind: ManifestKind::Requirements,
                            start: base + off + lead,
                            end: base + off + lead + p.len(),
                        });
                    }
                    off += part.len() + 1;
                }
            }
            return;
        }
    }
    let multi = opt.chunks.len() > 1;
    for (at, chunk) in &opt.chunks {
        let items: Vec<(usize, &str)> = if multi {
            vec![(*at, chunk.as_str())]
        } else {
            let mut off = 0;
            chunk
                .split(';')
                .map(|p| {
                    let r = (at + off, p);
                    off += p.len() + 1;
                    r
                })
                .collect()
        };
        for (a, item) in items {
            // Drop a trailing ` # comment`, as setuptools' requirement parser does.
            let item = match item.find(" #") {
                Some(p) => &item[..p],
                None => item,
            };
            let lead = item.len() - item.trim_start().len();
            let t = item.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            check_pep508(&Mapped::contiguous(t, a + lead), Ctx::pip(), out);
        }
    }
}
