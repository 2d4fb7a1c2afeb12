//! `noqa` beyond one line (the checker reads `# noqa` / `# noqa: RM101` on a finding's line):
//!
//! - the file-level `# replicate-migrate: noqa` (every rule) or `# replicate-migrate: noqa:
//!   RM101, RM3` (those), on a comment line of its own, as ruff's `# ruff: noqa`;
//! - `RM009`: an `RM` code in a `# noqa: ...` that suppresses nothing on its line (or names no
//!   rule). A bare `# noqa` and other tools' codes (`E501`) are never flagged: they may be
//!   another linter's;
//! - `--add-noqa`: appends `# noqa: CODE` to every line with a finding, so a large codebase can
//!   adopt the tool in steps; never where the line ends inside a string or after a `\`, and
//!   the result must parse as well as before.

use crate::syntax::NodeExt;
use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::Tree;

use crate::config::Selector;
use crate::diagnostic::Applicability;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::syntax::Source;

const FILE_DIRECTIVE: &str = "replicate-migrate: noqa";

/// What a file-level directive turns off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileExemption {
    None,
    All,
    Codes(Vec<Selector>),
}

/// Reads the file-level directives (on lines that are only a comment).
pub fn file_exemption(bytes: &[u8], codes: &[&str]) -> FileExemption {
    if memchr::memmem::find(bytes, FILE_DIRECTIVE.as_bytes()).is_none() {
        return FileExemption::None;
    }
    let mut selectors = Vec::new();
    for line in bytes.split(|b| *b == b'\n') {
        let text = String::from_utf8_lossy(line);
        let Some(comment) = text.trim_start().strip_prefix('#') else {
            continue;
        };
        let comment = comment.trim();
        let Some(rest) = comment.strip_prefix(FILE_DIRECTIVE) else {
            continue;
        };
        match rest.trim_start().strip_prefix(':') {
            Some(list) => {
                for code in list.split([',', ' ', '\t', '\r']).filter(|c| !c.is_empty()) {
                    if let Ok(selector) = Selector::parse(code, codes) {
                        selectors.push(selector);
                    }
                }
            }
            None if rest.trim().is_empty() => return FileExemption::All,
            None => {}
        }
    }
    if selectors.is_empty() {
        FileExemption::None
    } else {
        FileExemption::Codes(selectors)
    }
}

/// A `# noqa: A, B` comment: where its codes are, by byte span in the source.
struct Directive {
    line_start: usize,
    line_end: usize,
    /// `(code as written, start, end)`
    codes: Vec<(String, usize, usize)>,
    /// The span of the whole `# noqa...` text, from the `#`.
    start: usize,
    end: usize,
}

/// The `# noqa: ...` comments of a file (real comments: found in the tree, never in a string).
fn directives(source: &Source, tree: &Tree) -> Vec<Directive> {
    let bytes = &source.bytes;
    if memchr::memmem::find(bytes, b"noqa").is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.ty() == "comment" {
            let (s, e) = (node.start_byte(), node.end_byte());
            let text = String::from_utf8_lossy(&bytes[s..e]).to_ascii_lowercase();
            if text.contains(FILE_DIRECTIVE) {
                continue;
            }
            // As the checker reads it: the first `noqa` of the line's first comment.
            let Some(at) = text.find("noqa") else {
                continue;
            };
            let after = at + 4;
            let rest = &text[after..];
            let trimmed = rest.trim_start();
            let Some(list) = trimmed.strip_prefix(':') else {
                continue;
            };
            let list_start = s + after + (rest.len() - trimmed.len()) + 1;
            let mut codes = Vec::new();
            let mut pos = 0;
            for part in list.split([',', ' ', '\t']) {
                let start = list_start + pos;
                pos += part.len() + 1;
                let code = part.trim();
                if code.is_empty() {
                    continue;
                }
                // Stop at the first word that is no code (`# noqa: RM101 because ...`).
                if !code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    || !code.chars().any(|c| c.is_ascii_digit())
                {
                    break;
                }
                codes.push((code.to_ascii_uppercase(), start, start + part.len()));
            }
            let line_start = memchr::memrchr(b'\n', &bytes[..s]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &bytes[s..]).map_or(bytes.len(), |i| s + i);
            // Only the line's first comment counts, as for suppression.
            let hash = bytes[line_start..s].contains(&b'#');
            if !hash {
                out.push(Directive {
                    line_start,
                    line_end,
                    codes,
                    start: s + text.find('#').unwrap_or(0),
                    end: e,
                });
            }
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    out.sort_by_key(|d| d.start);
    out
}

/// `RM009` for every `RM` code in a `# noqa: ...` that suppressed nothing on its line: unknown
/// codes, and enabled rules with no suppressed finding there. `suppressed` are the findings the
/// line-level `noqa`s held back. Each comes with a safe fix removing the code (the whole
/// comment when it was the last).
pub fn unused(
    source: &Source,
    tree: &Tree,
    suppressed: &[Diagnostic],
    known: &BTreeSet<String>,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for directive in directives(source, tree) {
        let used: BTreeSet<&str> = suppressed
            .iter()
            .filter(|d| d.start >= directive.line_start && d.start <= directive.line_end)
            .map(|d| d.code.as_str())
            .collect();
        let ours: Vec<&(String, usize, usize)> = directive
            .codes
            .iter()
            .filter(|(c, _, _)| c.starts_with("RM"))
            .collect();
        let unused: Vec<&(String, usize, usize)> = ours
            .iter()
            .copied()
            .filter(|(c, _, _)| {
                if !known.contains(c) {
                    return true;
                }
                enabled(c) && !used.contains(c.as_str())
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let all_codes_unused = unused.len() == directive.codes.len();
        let names: Vec<String> = unused
            .iter()
            .map(|(c, _, _)| {
                if known.contains(c) {
                    format!("`{c}`")
                } else {
                    format!("`{c}` (no such rule)")
                }
            })
            .collect();
        let edits = if all_codes_unused {
            // Remove the comment and the spaces before it.
            let mut start = directive.start;
            while start > directive.line_start && matches!(source.bytes[start - 1], b' ' | b'\t') {
                start -= 1;
            }
            vec![Edit::delete(start, directive.end)]
        } else {
            let keep: Vec<&str> = directive
                .codes
                .iter()
                .filter(|c| !unused.iter().any(|u| u.1 == c.1))
                .map(|(c, _, _)| c.as_str())
                .collect();
            let first = directive.codes.first().map_or(directive.end, |c| c.1);
            let last = directive.codes.last().map_or(directive.end, |c| c.2);
            vec![Edit::replace(first, last, keep.join(", "))]
        };
        let start = unused[0].1;
        out.push(Diagnostic {
            code: "RM009".into(),
            name: "unused-noqa".into(),
            message: format!("Unused `noqa` directive (unused: {})", names.join(", ")),
            severity: crate::diagnostic::Severity::Warning,
            start: start
                + (source.bytes[start..]
                    .iter()
                    .take_while(|b| **b == b' ')
                    .count()),
            end: unused[unused.len() - 1].2,
            fix: Some(Fix {
                title: "Remove unused `noqa` directive".into(),
                applicability: Applicability::Safe,
                edits,
                imports: Vec::new(),
                defer_while_unfixed: false,
            }),
            help: None,
            url: None,
        });
    }
    out
}

/// Applies non-overlapping edits (the `RM009` fixes, the `--add-noqa` comments).
pub fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| e.start);
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut at = 0;
    for e in edits {
        if e.start < at {
            continue;
        }
        out.extend_from_slice(&bytes[at..e.start]);
        out.extend_from_slice(&e.content);
        at = e.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The edits `--add-noqa` makes: per line with findings, its codes appended to the line's
/// `# noqa: ...`, or a new `  # noqa: CODES` at the end of the line. Lines where a comment
/// cannot go (the line ends inside a string, or continues with `\`) are returned apart.
pub fn add_noqa_edits(
    source: &Source,
    tree: &Tree,
    findings: &[Diagnostic],
) -> (Vec<Edit>, Vec<usize>) {
    let bytes = &source.bytes;
    let directives = directives(source, tree);
    let mut by_line: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for d in findings {
        let line_start =
            memchr::memrchr(b'\n', &bytes[..d.start.min(bytes.len())]).map_or(0, |i| i + 1);
        by_line
            .entry(line_start)
            .or_default()
            .insert(d.code.clone());
    }
    let mut edits = Vec::new();
    let mut refused = Vec::new();
    for (line_start, codes) in by_line {
        let mut line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        if line_end > line_start && bytes[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        if let Some(d) = directives.iter().find(|d| d.line_start == line_start) {
            let missing: Vec<&String> = codes
                .iter()
                .filter(|c| !d.codes.iter().any(|(have, _, _)| have == *c))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let at = d.codes.last().map_or(d.end, |c| c.2);
            let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            let sep = if d.codes.is_empty() { " " } else { ", " };
            edits.push(Edit::insert(at, format!("{sep}{}", list.join(", "))));
            continue;
        }
        let line = &bytes[line_start..line_end];
        // An existing comment without `noqa:` (a bare `# noqa` suppresses everything already).
        let has_comment = comment_on_line(tree, line_start, line_end);
        let bare_noqa = String::from_utf8_lossy(line)
            .to_ascii_lowercase()
            .contains("noqa");
        if bare_noqa && has_comment {
            continue;
        }
        let ends_in_string = inside_string(tree, line_end);
        if ends_in_string || line.ends_with(b"\\") {
            refused.push(line_start);
            continue;
        }
        let list: Vec<&str> = codes.iter().map(String::as_str).collect();
        edits.push(Edit::insert(
            line_end,
            format!("  # noqa: {}", list.join(", ")),
        ));
    }
    (edits, refused)
}

fn comment_on_line(tree: &Tree, start: usize, end: usize) -> bool {
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(end.saturating_sub(1), end.saturating_sub(1));
    while let Some(n) = node {
        if n.ty() == "comment" && n.start_byte() >= start {
            return true;
        }
        if n.start_byte() < start {
            break;
        }
        node = n.parent();
    }
    false
}

/// Whether `offset` (a line's end) lies inside a string literal: a comment there would become
/// part of the string.
fn inside_string(tree: &Tree, offset: usize) -> bool {
    let mut node = tree.root_node().descendant_for_byte_range(offset, offset);
    while let Some(n) = node {
        if matches!(n.ty(), "string" | "concatenated_string")
            && n.start_byte() < offset
            && n.end_byte() > offset
        {
            return true;
        }
        node = n.parent();
    }
    false
}
