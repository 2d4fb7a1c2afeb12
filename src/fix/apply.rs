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
    /// `prefix_tables` of `edits`.
    delta_before: Vec<isize>,
    max_end: Vec<usize>,
    /// New text ranges with the rule that wrote them, in the new coordinates.
    pub written: Vec<Written>,
    /// The findings whose fixes were applied: (code, start, end), in the old coordinates.
    pub fixed: Vec<(String, usize, usize)>,
}

impl Applied {
    /// Every edit applied, sorted and disjoint, in the old coordinates.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Whether an applied edit (in the old coordinates) changes `start..end` or lies in it.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        // Every edit that can touch the range starts at or before `end` and ends at or after
        // `start`: found by binary search on starts and on the running maximum of ends.
        let to = self.edits.partition_point(|e| e.start <= end);
        let from = self.max_end[..to].partition_point(|m| *m < start);
        self.edits[from..to].iter().any(|e| {
            (e.start < end && start < e.end)
                || (e.start >= start && e.start <= end && e.start == e.end)
                || (e.start <= start && end <= e.end)
        })
    }

    /// Whether one applied edit replaces the whole of `start..end` (the text is gone, not
    /// just changed in part).
    pub fn covers(&self, start: usize, end: usize) -> bool {
        let to = self.edits.partition_point(|e| e.start <= start);
        to > 0
            && end <= self.max_end[to - 1]
            && self.edits[..to]
                .iter()
                .rev()
                .any(|e| end <= e.end && e.start < e.end)
    }

    /// Whether an applied edit changes text inside `start..end`: overlaps it, or inserts
    /// strictly inside it (an insertion at either end leaves the range's text whole).
    pub fn changes_inside(&self, start: usize, end: usize) -> bool {
        let to = self.edits.partition_point(|e| e.start < end);
        let from = self.max_end[..to].partition_point(|m| *m < start);
        self.edits[from..to].iter().any(|e| {
            (e.start < end && start < e.end)
                || (e.start == e.end && start < e.start && e.start < end)
        })
    }

    /// Where an offset of the old contents lies in the new: shifted by every edit before it, or
    /// at the end of the replacement of an edit it lies inside.
    pub fn map_offset(&self, pos: usize) -> usize {
        // The edits that start before `pos`; the first of them that ends after it holds it.
        let before = self.edits.partition_point(|e| e.start < pos);
        let holder = self.max_end[..before].partition_point(|m| *m <= pos);
        let delta = self.delta_before[holder];
        match self.edits.get(holder).filter(|_| holder < before) {
            Some(e) => (e.start as isize + delta) as usize + e.content.len(),
            None => (pos as isize + self.delta_before[before]) as usize,
        }
    }
}

/// The running sums of the edits' length changes (`delta_before[i]`: edits `..i`) and the
/// running maximum of their ends, for `Applied`'s binary searches.
fn prefix_tables(edits: &[Edit]) -> (Vec<isize>, Vec<usize>) {
    let mut delta_before = Vec::with_capacity(edits.len() + 1);
    let mut max_end = Vec::with_capacity(edits.len());
    let (mut delta, mut end) = (0isize, 0usize);
    delta_before.push(0);
    for e in edits {
        delta += e.content.len() as isize - (e.end - e.start) as isize;
        end = end.max(e.end);
        delta_before.push(delta);
        max_end.push(end);
    }
    (delta_before, max_end)
}

/// The edits chosen so far in a pass, to tell whether another overlaps one of them.
#[derive(Default)]
struct Chosen {
    spans: std::collections::BTreeSet<(usize, usize)>,
    longest: usize,
}

impl Chosen {
    fn overlaps(&self, e: &Edit) -> bool {
        let from = (e.start.saturating_sub(self.longest), 0);
        let to = (e.start.max(e.end.saturating_sub(1)), usize::MAX);
        self.spans.range(from..=to).any(|&(start, end)| {
            (e.start < end && start < e.end)
                || (e.start == start && (e.start == e.end || start == end))
        })
    }

    fn insert(&mut self, e: &Edit) {
        self.spans.insert((e.start, e.end));
        self.longest = self.longest.max(e.end - e.start);
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
    let mut taken = Chosen::default();
    let mut imports: Vec<ImportNeed> = Vec::new();
    let mut count = 0;
    let mut fixed = Vec::new();
    for (diagnostic, fix) in fixes {
        if fix.edits.iter().any(|e| taken.overlaps(e)) {
            continue;
        }
        for e in &fix.edits {
            taken.insert(e);
        }
        count += 1;
        fixed.push((diagnostic.code.clone(), diagnostic.start, diagnostic.end));
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
    let edits: Vec<Edit> = chosen.into_iter().map(|(_, e)| e).collect();
    let (delta_before, max_end) = prefix_tables(&edits);
    Applied {
        imports: needed,
        bytes: out,
        count,
        edits,
        delta_before,
        max_end,
        written,
        fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::{prefix_tables, Applied, Chosen};
    use crate::diagnostic::Edit;

    /// The queries as plain scans, which the binary searches must agree with.
    fn touches_by_scan(edits: &[Edit], start: usize, end: usize) -> bool {
        edits.iter().any(|e| {
            (e.start < end && start < e.end)
                || (e.start >= start && e.start <= end && e.start == e.end)
                || (e.start <= start && end <= e.end)
        })
    }

    fn map_by_scan(edits: &[Edit], pos: usize) -> usize {
        let mut delta: isize = 0;
        for e in edits {
            if e.end <= pos && !(e.start == e.end && e.start == pos) {
                delta += e.content.len() as isize - (e.end - e.start) as isize;
            } else if e.start < pos {
                return (e.start as isize + delta) as usize + e.content.len();
            }
        }
        (pos as isize + delta) as usize
    }

    /// Sorted edit sets from a fixed-seed generator: ones that do not overlap (empty ones may
    /// sit at another's ends), as a pass chooses them, or any.
    fn edit_sets(overlapping: bool) -> Vec<Vec<Edit>> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n) as usize
        };
        (0..300)
            .map(|_| {
                let mut at = 0;
                (0..next(8))
                    .map(|_| {
                        let start = if overlapping { next(40) } else { at + next(6) };
                        let end = start + next(4);
                        at = end;
                        Edit {
                            start,
                            end,
                            content: vec![b'x'; next(5)],
                        }
                    })
                    .collect::<Vec<Edit>>()
            })
            .collect()
    }

    #[test]
    fn touches_and_map_offset_agree_with_a_scan() {
        for edits in edit_sets(false) {
            let (delta_before, max_end) = prefix_tables(&edits);
            let applied = Applied {
                bytes: Vec::new(),
                imports: Vec::new(),
                count: 0,
                edits: edits.clone(),
                delta_before,
                max_end,
                written: Vec::new(),
                fixed: Vec::new(),
            };
            for start in 0..48 {
                assert_eq!(
                    applied.map_offset(start),
                    map_by_scan(&edits, start),
                    "{edits:?} at {start}"
                );
                for end in start..48 {
                    assert_eq!(
                        applied.touches(start, end),
                        touches_by_scan(&edits, start, end),
                        "{edits:?} {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn chosen_overlap_agrees_with_a_scan() {
        for edits in edit_sets(true) {
            let mut chosen = Chosen::default();
            let mut kept: Vec<Edit> = Vec::new();
            for e in &edits {
                let by_scan = kept.iter().any(|c| {
                    (e.start < c.end && c.start < e.end)
                        || (e.start == c.start && (e.start == e.end || c.start == c.end))
                });
                assert_eq!(chosen.overlaps(e), by_scan, "{kept:?} vs {e:?}");
                if !by_scan {
                    chosen.insert(e);
                    kept.push(e.clone());
                }
            }
        }
    }
}
