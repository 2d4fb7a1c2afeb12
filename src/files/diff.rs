//! Unified diffs of a file before and after fixing, as `fix --diff` prints them.
//!
//! Myers' algorithm costs O(N * D): a file with thousands of fixes has thousands of changed
//! lines, so one diff over the whole file is quadratic. The fix loop knows which lines of the
//! original no fix changed and where they are now (`anchors`); the diff runs between those
//! anchors only, and the unchanged lines in between are matched for free.

use similar::{capture_diff_slices_deadline, group_diff_ops, Algorithm, DiffOp, TextDiff};

use crate::syntax::Source;

/// The diff of `old` and `new` for the file shown as `path`. `anchors`, when known: for each
/// line of `old` (0-based), the byte offset where that same line starts in `new`, for the
/// lines no fix changed.
pub fn unified_diff(
    path: &str,
    old: &Source,
    new: &Source,
    anchors: Option<&[Option<usize>]>,
) -> String {
    let old_text = String::from_utf8_lossy(&old.bytes);
    let new_text = String::from_utf8_lossy(&new.bytes);
    let lossless = matches!(
        (&old_text, &new_text),
        (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_))
    );
    let mut out = match anchors.filter(|_| lossless) {
        Some(anchors) => anchored(path, &old_text, &new_text, anchors),
        None => TextDiff::configure()
            .timeout(DIFF_BUDGET)
            .diff_lines(old_text.as_ref(), new_text.as_ref())
            .unified_diff()
            .context_radius(3)
            .header(path, path)
            .to_string(),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// How long the line diff of one file may search for the smallest diff: Myers is quadratic
/// where every line changed (80,000 rewritten calls in one file); past the budget it settles for
/// a larger, still correct diff.
const DIFF_BUDGET: std::time::Duration = std::time::Duration::from_millis(200);

/// The diff with Myers run only between the anchored lines.
fn anchored(path: &str, old: &str, new: &str, anchors: &[Option<usize>]) -> String {
    // The slices only: a deadline in the past makes `TextDiff` skip its own (whole-file) diff,
    // and the hunks below are built from our operations.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(std::time::Instant::now())
        .diff_lines(old, new);
    let old_lines = diff.old_slices();
    let new_lines = diff.new_slices();
    let pairs = matched_lines(old_lines, new_lines, anchors);
    let mut ops: Vec<DiffOp> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let deadline = std::time::Instant::now() + DIFF_BUDGET;
    for (a, b) in pairs
        .into_iter()
        .chain(std::iter::once((old_lines.len(), new_lines.len())))
    {
        for op in capture_diff_slices_deadline(
            Algorithm::Myers,
            &old_lines[i..a],
            &new_lines[j..b],
            Some(deadline),
        ) {
            push(&mut ops, shifted(op, i, j));
        }
        if a < old_lines.len() {
            push(
                &mut ops,
                DiffOp::Equal {
                    old_index: a,
                    new_index: b,
                    len: 1,
                },
            );
        }
        (i, j) = (a + 1, b + 1);
    }
    let mut out = String::new();
    for (n, group) in group_diff_ops(ops, 3).into_iter().enumerate() {
        if n == 0 {
            out.push_str(&format!("--- {path}\n+++ {path}\n"));
        }
        let hunk = similar::udiff::UnifiedDiffHunk::new(group, &diff, true);
        out.push_str(&hunk.to_string());
    }
    out
}

/// `(old line, new line)` of every anchor whose line reads the same on both sides, strictly
/// increasing on both.
fn matched_lines(
    old_lines: &[&str],
    new_lines: &[&str],
    anchors: &[Option<usize>],
) -> Vec<(usize, usize)> {
    let mut new_starts = Vec::with_capacity(new_lines.len());
    let mut at = 0;
    for line in new_lines {
        new_starts.push(at);
        at += line.len();
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (a, anchor) in anchors.iter().enumerate().take(old_lines.len()) {
        let Some(offset) = anchor else { continue };
        let Ok(b) = new_starts.binary_search(offset) else {
            continue;
        };
        let after_last = pairs.last().is_none_or(|&(pa, pb)| a > pa && b > pb);
        if after_last && old_lines[a] == new_lines[b] {
            pairs.push((a, b));
        }
    }
    pairs
}

fn shifted(op: DiffOp, di: usize, dj: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + di,
            new_index: new_index + dj,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + di,
            old_len,
            new_index: new_index + dj,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + di,
            new_index: new_index + dj,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + di,
            old_len,
            new_index: new_index + dj,
            new_len,
        },
    }
}

/// Appends `op`, joining it to the previous one when both are equal runs (hunks are cut by
/// the length of an equal run).
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    if let (
        Some(DiffOp::Equal {
            old_index,
            new_index,
            len,
        }),
        DiffOp::Equal {
            old_index: next_old,
            new_index: next_new,
            len: next_len,
        },
    ) = (ops.last_mut(), op)
    {
        if *old_index + *len == next_old && *new_index + *len == next_new {
            *len += next_len;
            return;
        }
    }
    ops.push(op);
}

#[cfg(test)]
mod tests {
    use super::unified_diff;
    use crate::syntax::Source;

    fn src(text: &str) -> Source {
        Source::new(text.as_bytes().to_vec())
    }

    #[test]
    fn anchors_give_the_diff_the_whole_file_gives() {
        let old = "import replicate\n\na = 1\nreplicate.run(x)\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\nreplicate.run(y)\nend\n";
        let new = "import replicate\n\na = 1\nclient.run(x)\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\nclient.run(y)\nend\n";
        let mut anchors: Vec<Option<usize>> = Vec::new();
        let mut at = 0;
        for (line, new_line) in old.split_inclusive('\n').zip(new.split_inclusive('\n')) {
            anchors.push((line == new_line).then_some(at));
            at += new_line.len();
        }
        let whole = unified_diff("f.py", &src(old), &src(new), None);
        let anchored = unified_diff("f.py", &src(old), &src(new), Some(&anchors));
        assert_eq!(anchored, whole);
        assert!(whole.contains("@@ -1,7 +1,7 @@") && whole.contains("@@ -9,5 +9,5 @@"));
    }

    #[test]
    fn wrong_or_missing_anchors_still_give_a_correct_diff() {
        let old = "a\nb\nc\n";
        let new = "a\nB\nc\nd";
        let whole = unified_diff("f.py", &src(old), &src(new), None);
        // An anchor that points at a line that differs, one out of order, and one past the end.
        let anchors = [Some(2), Some(0), Some(99)];
        assert_eq!(
            unified_diff("f.py", &src(old), &src(new), Some(&anchors)),
            whole
        );
        assert!(whole.ends_with("+d\n\\ No newline at end of file\n"));
    }
}
