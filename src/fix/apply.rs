//! One pass: apply every fix that does not overlap an earlier one, in source order.

use tree_sitter::Tree;

use super::imports::import_edits;
use crate::diagnostic::{Diagnostic, Edit, ImportNeed, Written};
use crate::syntax::Source;

pub struct Applied {
    pub bytes: Vec<u8>,
    /// The imports the applied fixes needed (added once).
    pub imports: Vec<ImportNeed>,
    /// Number of fixes applied.
    pub count: usize,
    /// Every edit applied, sorted, in the old coordinates.
    edits: Vec<Edit>,
    /// New text ranges with the rule that wrote them, in the new coordinates.
    pub written: Vec<Written>,
}

impl Applied {
    /// Whether an applied edit (in the old coordinates) changes `start..end` or lies in it.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        self.edits.iter().any(|e| {
            (e.start < end && start < e.end)
                || (e.start >= start && e.start <= end && e.start == e.end)
                || (e.start <= start && end <= e.end)
        })
    }

    /// Where an offset of the old contents lies in the new.
    pub fn map_offset(&self, pos: usize) -> usize {
        let mut delta: isize = 0;
        for e in &self.edits {
            if e.end <= pos && !(e.start == e.end && e.start == pos) {
                delta += e.content.len() as isize - (e.end - e.start) as isize;
            } else if e.start < pos {
                // Inside a replaced range: move to the end of its replacement.
                return (e.start as isize + delta) as usize + e.content.len();
            }
        }
        (pos as isize + delta) as usize
    }
}

/// Applies the non-overlapping subset of the fixes of `diagnostics` marked `applicable`.
/// Overlapping ones wait for the next pass.
pub fn apply_fixes(
    source: &Source,
    tree: &Tree,
    diagnostics: &[Diagnostic],
    applicable: &[bool],
) -> Applied {
    let unfixed: Vec<&Diagnostic> = diagnostics
        .iter()
        .zip(applicable)
        .filter(|(_, a)| !**a)
        .map(|(d, _)| d)
        .collect();
    let mut fixes: Vec<(&Diagnostic, &crate::diagnostic::Fix)> = diagnostics
        .iter()
        .zip(applicable)
        .filter(|(_, a)| **a)
        .filter_map(|(d, _)| d.fix.as_ref().map(|f| (d, f)))
        .filter(|(_, f)| {
            !f.defer_while_unfixed
                || !f.edits.iter().any(|e| {
                    unfixed
                        .iter()
                        .any(|u| u.start < e.end.max(e.start + 1) && e.start < u.end)
                })
        })
        .collect();
    fixes.sort_by_key(|(d, f)| (f.start(), f.end(), d.code.clone()));
    let mut chosen: Vec<(String, Edit)> = Vec::new();
    let mut imports: Vec<ImportNeed> = Vec::new();
    let mut count = 0;
    for (diagnostic, fix) in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            chosen.iter().any(|(_, c)| {
                (e.start < c.end && c.start < e.end)
                    || (e.start == c.start && (e.start == e.end || c.start == c.end))
            })
        });
        if overlaps {
            continue;
        }
        count += 1;
        chosen.extend(
            fix.edits
                .iter()
                .map(|e| (diagnostic.code.clone(), e.clone())),
        );
        imports.extend(fix.imports.iter().cloned());
    }
    imports.sort();
    imports.dedup();
    let needed = imports.clone();
    for edit in import_edits(source, tree, &imports) {
        // An insertion point inside a fix's replaced range (the import it follows is being
        // rewritten or removed) joins that replacement, so the import is never lost.
        let host = chosen
            .iter_mut()
            .find(|(_, c)| c.start < c.end && c.start <= edit.start && edit.start <= c.end);
        match host {
            Some((_, c)) => {
                let mut content: &[u8] = &edit.content;
                if c.start == 0 && c.content.is_empty() {
                    // At the top of the file: no leading blank lines.
                    while let Some(rest) = content
                        .strip_prefix(b"\n")
                        .or_else(|| content.strip_prefix(b"\r\n"))
                    {
                        content = rest;
                    }
                }
                c.content.extend_from_slice(content);
            }
            None => chosen.push(("imports".to_string(), edit)),
        }
    }
    chosen.sort_by_key(|(_, e)| (e.start, e.end));
    let mut out = Vec::with_capacity(source.bytes.len() + 64);
    let mut written = Vec::new();
    let mut last = 0;
    for (code, edit) in &chosen {
        out.extend_from_slice(&source.bytes[last..edit.start]);
        let start = out.len();
        out.extend_from_slice(&edit.content);
        if code != "imports" {
            written.push(Written {
                start,
                end: out.len(),
                code: code.clone(),
            });
        }
        last = edit.end;
    }
    out.extend_from_slice(&source.bytes[last..]);
    Applied {
        imports: needed,
        bytes: out,
        count,
        edits: chosen.into_iter().map(|(_, e)| e).collect(),
        written,
    }
}
