//! Fix stage: applies non-overlapping edits, adds the imports they need, and repeats until the
//! file settles. A result that parses worse than the original, or whose rewritten calls do not
//! fit the v2 API, is never returned as fixed.

mod apply;
mod imports;

pub use apply::{apply_fixes, Applied};

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Written};
use crate::parse;
use crate::rules::{self, RuleSet};
use crate::semantic::Context;
use crate::syntax::{LineIndex, Source, Spans};
use crate::validate;
use std::sync::Arc;
use tree_sitter::Tree;

/// Passes before a file that keeps changing is reported instead of written (ruff allows 100;
/// our rules settle in two or three).
pub const MAX_PASSES: usize = 10;

/// What fixing one file produced.
pub struct FixOutcome {
    /// The fixed contents; equal to the input when nothing was applied.
    pub source: Source,
    /// `source` parsed.
    pub tree: Tree,
    /// How many findings the applied fixes resolved.
    pub fixed: usize,
    /// Findings left in the fixed contents, plus any fix problems (RM002, RM003).
    pub remaining: Vec<Diagnostic>,
    /// Findings in the fixed contents that a `# noqa` suppresses.
    pub suppressed: Vec<Diagnostic>,
    /// For each line of the original, where it starts in `source` if no fix changed it (a
    /// diff needs to compare only the rest); `None` when not known.
    pub anchors: Option<Vec<Option<usize>>>,
}

/// A text, parsed, and what the rules find in it: each text the fix loop makes is parsed and
/// checked once.
#[derive(Clone)]
pub struct Checked {
    pub source: Source,
    pub tree: Tree,
    pub findings: Vec<Diagnostic>,
    /// Findings a `# noqa` suppresses, which still count as there.
    pub suppressed: Vec<Diagnostic>,
    /// The messages of the errors CPython reports in this text, when they are already known.
    pub compile_errors: Option<BTreeSet<String>>,
    /// What other files tell about this one (conftest.py fixtures); every pass sees it.
    pub context: Arc<Context>,
    /// The spans of already-v2 code the rules left alone in the text the user wrote (a call of
    /// `Replicate()` that v2 accepts): carried through the passes, so that a client a fix turned
    /// into v2's does not make the v1 calls on it look like v2 code.
    pub v2_code: Vec<(usize, usize)>,
}

impl Checked {
    /// The file as the user wrote it, checked.
    pub fn new(source: Source, rules: &RuleSet) -> Checked {
        let tree = parse::parse(&source);
        let context = Context::empty();
        let checks = rules::check_file_with(
            &source,
            &tree,
            None,
            rules,
            Arc::clone(&context),
            true,
            |_, _, _| (),
        );
        Checked {
            source,
            tree,
            findings: checks.findings,
            suppressed: checks.suppressed,
            compile_errors: None,
            context,
            v2_code: checks.v2_code,
        }
    }

    /// A text the fixes made, checked with the original's v2 code (`v2_code`, in this text's
    /// coordinates) left alone, and the v2 validation of the calls those fixes wrote
    /// (`touched`), with the same semantic model. A finding the user suppressed with `# noqa` is
    /// still there: the call it leaves as v1 is the user's choice, not a fix that failed
    /// (`# noqa: RM104` on `Client(api_token=)` must not turn the RM101 rename into an RM003).
    fn validating(
        source: Source,
        tree: Tree,
        rules: &RuleSet,
        touched: &[Written],
        v2_code: &[(usize, usize)],
        context: Arc<Context>,
    ) -> (
        Checked,
        Vec<validate::Failure>,
        Vec<parse::cpython::CompileError>,
    ) {
        let outside = |d: &Diagnostic| {
            !v2_code
                .iter()
                .any(|&(start, end)| start <= d.start && d.end <= end)
        };
        let checks = rules::check_file_with(
            &source,
            &tree,
            None,
            rules,
            Arc::clone(&context),
            false,
            |model, findings, suppressed| {
                // What CPython would reject in this text, read with the model's children.
                let compile_errors =
                    parse::cpython::compile_errors_with(&source, &tree, model.children());
                if touched.is_empty() {
                    return (Vec::new(), compile_errors);
                }
                let remaining: Vec<Diagnostic> = findings
                    .iter()
                    .chain(suppressed)
                    .filter(|d| outside(d))
                    .cloned()
                    .collect();
                let failures = validate::check_touched(model, &source, touched, &remaining);
                (failures, compile_errors)
            },
        );
        let checked = Checked {
            source,
            tree,
            findings: checks.findings.into_iter().filter(outside).collect(),
            suppressed: checks.suppressed.into_iter().filter(outside).collect(),
            compile_errors: None,
            context,
            v2_code: v2_code.to_vec(),
        };
        let (failures, compile_errors) = checks.then;
        (checked, failures, compile_errors)
    }
}

/// Fixes `original` (parses and checks it first).
pub fn fix_file(original: &Source, rules: &RuleSet, unsafe_fixes: bool) -> FixOutcome {
    fix_checked(&Checked::new(original.clone(), rules), rules, unsafe_fixes)
}

/// Fixes a file that was already parsed and checked.
pub fn fix_checked(original: &Checked, rules: &RuleSet, unsafe_fixes: bool) -> FixOutcome {
    let mut disabled: BTreeSet<String> = BTreeSet::new();
    // Fixes refused at one call (RM003): (rule, the original finding's span). Only those wait;
    // the rule's fixes elsewhere in the file still apply, so a second run has nothing to add.
    let mut refused: Vec<Refused> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let original_errors = parse::error_count(&original.tree);
    // What CPython already rejects in the original, computed when a fix first needs it.
    let mut compile_errors_before = original.compile_errors.clone();
    // Each restart disables the rules whose output failed validation; bounded by the rule count.
    for _ in 0..=rules.rules.len() {
        let attempt = fix_passes(original, rules, unsafe_fixes, &disabled, &refused);
        let Passes {
            last,
            failures,
            compile_errors,
            fixed,
            touched,
            unfixed,
            anchors,
            origins,
            blocked,
        } = match attempt {
            Ok(v) => v,
            Err(problem) => {
                problems.push(*problem);
                return outcome(original.clone(), 0, problems, &disabled, &refused, None);
            }
        };
        if fixed == 0 {
            return outcome(last, 0, problems, &disabled, &blocked, None);
        }
        if parse::error_count(&last.tree) > original_errors {
            let codes: Vec<String> = touched
                .iter()
                .map(|t| t.code.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            problems.push(Diagnostic::tool(
                "RM002",
                "fix-syntax-error",
                format!(
                    "fixes by {} introduced a syntax error; the file was left unchanged",
                    codes.join(", ")
                ),
                0,
            ));
            return outcome(original.clone(), 0, problems, &disabled, &refused, None);
        }
        // CPython rejects more than tree-sitter (a keyword written twice): a fix that makes
        // such an error is dropped, and the file fixed again without its rule.
        let before = compile_errors_before.get_or_insert_with(|| {
            parse::cpython::compile_errors(&original.source, &original.tree)
                .into_iter()
                .map(|e| e.message)
                .collect()
        });
        let source = &last.source;
        let new_errors: Vec<parse::cpython::CompileError> = compile_errors
            .into_iter()
            .filter(|e| !before.contains(&e.message))
            .collect();
        if let Some(error) = new_errors.first() {
            let line_of = |offset: usize| source.line_col(offset).0;
            let at: BTreeSet<String> = touched
                .iter()
                .filter(|t| {
                    line_of(t.start) <= line_of(error.offset)
                        && line_of(error.offset) <= line_of(t.end)
                })
                .map(|t| t.code.clone())
                .collect();
            let codes: BTreeSet<String> = if at.is_empty() {
                touched.iter().map(|t| t.code.clone()).collect()
            } else {
                at
            };
            problems.push(Diagnostic::tool(
                "RM002",
                "fix-syntax-error",
                format!(
                    "fixes by {} would make the file fail to compile ({}: {}); they were not applied",
                    codes.iter().cloned().collect::<Vec<_>>().join(", "),
                    error.kind,
                    error.message
                ),
                0,
            ));
            let progress = codes.iter().any(|c| !disabled.contains(c));
            disabled.extend(codes);
            if !progress {
                return outcome(original.clone(), 0, problems, &disabled, &refused, None);
            }
            continue;
        }
        if failures.is_empty() {
            let mut result = outcome(last, fixed, problems, &disabled, &blocked, Some(anchors));
            carry_unfixed(&mut result, unfixed);
            return result;
        }
        for failure in failures {
            problems.push(Diagnostic::tool(
                "RM003",
                "fix-invalid-v2-call",
                format!(
                    "the fix by {} produced `{}`, which does not match the v2 API ({}); it was not applied",
                    failure.codes.join(", "),
                    failure.call,
                    failure.reason
                ),
                0,
            ));
            // The original findings whose fixes wrote this call; a code none of them
            // accounts for (or one refused here before) is refused in the whole file.
            for code in failure.codes {
                let here: Vec<Refused> = origins
                    .iter()
                    .filter(|o| {
                        o.code == code && failure.start <= o.now.0 && o.now.1 <= failure.end
                    })
                    .map(|o| Refused {
                        code: o.code.clone(),
                        span: o.original,
                    })
                    .filter(|r| !refused.contains(r))
                    .collect();
                if here.is_empty() {
                    disabled.insert(code);
                } else {
                    refused.extend(here);
                }
            }
        }
    }
    outcome(original.clone(), 0, problems, &disabled, &refused, None)
}

/// A fix refused at one place: the rule and the span of its original finding (in the
/// coordinates of whatever text the list is used with).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refused {
    code: String,
    span: (usize, usize),
}

impl Refused {
    fn covers(&self, d: &Diagnostic) -> bool {
        self.code == d.code
            && self.span.0 < d.end.max(d.start + 1)
            && d.start < self.span.1.max(self.span.0 + 1)
    }
}

/// The spans of the findings whose fixes a pass applied, by rule, sorted, so that each pending
/// finding asks in `O(log n)` whether its own fix was among them (80,000 findings in one file).
struct OwnFixes<'a> {
    /// By rule: the spans, sorted, and the longest one's length.
    by_code: std::collections::HashMap<&'a str, SpansOf>,
}

/// Sorted spans of one rule, and the longest one's length.
#[derive(Default)]
struct SpansOf(Vec<(usize, usize)>, usize);

impl<'a> OwnFixes<'a> {
    fn new(fixed: &'a [(String, usize, usize)]) -> Self {
        let mut by_code: std::collections::HashMap<&str, SpansOf> =
            std::collections::HashMap::new();
        for (code, start, end) in fixed {
            let entry = by_code.entry(code.as_str()).or_default();
            entry.0.push((*start, *end));
            entry.1 = entry.1.max(end - start);
        }
        for SpansOf(spans, _) in by_code.values_mut() {
            spans.sort_unstable();
        }
        OwnFixes { by_code }
    }

    /// Whether a fixed finding of `code` overlaps `start..end` (an empty span counts as one byte).
    fn overlaps(&self, code: &str, start: usize, end: usize) -> bool {
        let Some(SpansOf(spans, longest)) = self.by_code.get(code) else {
            return false;
        };
        let end = end.max(start + 1);
        let to = spans.partition_point(|(s, _)| *s < end);
        spans[..to]
            .iter()
            .rev()
            .take_while(|(s, _)| s + longest + 1 > start)
            .any(|(s, e)| start < (*e).max(s + 1))
    }
}

/// An original finding with a fix: where it was, and where that place is now.
struct OriginalFinding {
    code: String,
    original: (usize, usize),
    now: (usize, usize),
}

/// No finding vanishes unfixed: an original finding that no applied edit touched and that the
/// fixed file no longer shows (other fixes changed what the model sees, such as an `except`
/// clause rewritten under `e.title`) is still reported, where it now is.
fn carry_unfixed(result: &mut FixOutcome, unfixed: Vec<Diagnostic>) {
    let mut carried = Vec::new();
    for mut d in unfixed {
        let still = result.remaining.iter().any(|r| {
            r.code == d.code
                && r.start <= d.end.max(d.start + 1)
                && d.start <= r.end.max(r.start + 1)
        });
        if still {
            continue;
        }
        // A finding with no fix of its own (a diagnostic, or a fix that declined) keeps its help:
        // what it says still holds. One whose fix was not applied says why it is not offered now.
        if let Some(fix) = d.fix.take() {
            let what = d.help.clone().unwrap_or_else(|| {
                let mut title = fix.title;
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_lowercase();
                }
                format!("{title} by hand")
            });
            d.help = Some(format!(
                "other fixes changed the code this finding is about, so it is no longer recognised; {what}"
            ));
        }
        carried.push(d);
    }
    result.remaining.extend(carried);
    result.remaining.sort_by_key(|d| (d.start, d.code.clone()));
}

fn outcome(
    last: Checked,
    fixed: usize,
    problems: Vec<Diagnostic>,
    disabled: &BTreeSet<String>,
    refused: &[Refused],
    anchors: Option<Vec<Option<usize>>>,
) -> FixOutcome {
    let Checked {
        source,
        tree,
        findings: mut remaining,
        suppressed,
        ..
    } = last;
    // A rule whose fix was refused here has no fix to offer in this file.
    for d in &mut remaining {
        let refused_here = disabled.contains(&d.code) || refused.iter().any(|r| r.covers(d));
        if refused_here && d.fix.take().is_some() {
            d.help = Some(
                "its fix was not applied here (see the RM002/RM003 finding); migrate this by hand"
                    .into(),
            );
        }
    }
    remaining.extend(problems);
    remaining.sort_by_key(|d| (d.start, d.code.clone()));
    FixOutcome {
        source,
        tree,
        fixed,
        remaining,
        suppressed,
        anchors,
    }
}

/// What the passes made: the contents (checked), how many fixes were applied, the text they
/// wrote, and the original findings no applied edit touched (where they now are).
struct Passes {
    last: Checked,
    /// The v2 validation of `last`'s rewritten calls.
    failures: Vec<validate::Failure>,
    /// What CPython would reject in `last` (known when a pass changed the text).
    compile_errors: Vec<parse::cpython::CompileError>,
    /// Where each unchanged line of the original starts in `last` (see `FixOutcome`).
    anchors: Vec<Option<usize>>,
    fixed: usize,
    touched: Vec<Written>,
    unfixed: Vec<Diagnostic>,
    /// The original findings with fixes, mapped to `last`.
    origins: Vec<OriginalFinding>,
    /// The refused fixes' spans, mapped to `last`.
    blocked: Vec<Refused>,
}

fn fix_passes(
    original: &Checked,
    rules: &RuleSet,
    unsafe_fixes: bool,
    disabled: &BTreeSet<String>,
    refused: &[Refused],
) -> Result<Passes, Box<Diagnostic>> {
    let mut current = original.clone();
    let mut origins: Vec<OriginalFinding> = original
        .findings
        .iter()
        .filter(|d| d.fix.is_some())
        .map(|d| OriginalFinding {
            code: d.code.clone(),
            original: (d.start, d.end),
            now: (d.start, d.end),
        })
        .collect();
    let mut blocked: Vec<Refused> = refused.to_vec();
    let mut touched: Vec<Written> = Vec::new();
    let mut fixed = 0;
    // The findings of the original file that no applied edit has touched yet, in the
    // coordinates of `current`: each must be fixed or still be reported at the end.
    let mut pending: Vec<Diagnostic> = original.findings.clone();
    // The original's v2 code, in the coordinates of `current`.
    let mut v2_code: Vec<(usize, usize)> = original.v2_code.clone();
    let mut failures = Vec::new();
    let mut compile_errors = Vec::new();
    let lines = LineIndex::new(&original.source.bytes);
    let line_count = lines.line_of(original.source.bytes.len()) + 1;
    let line_len = |i: usize| lines.span_of_lines(i, i).len();
    let mut anchors: Vec<Option<usize>> =
        (0..line_count).map(|i| Some(lines.line_start(i))).collect();
    // The text the last pass made, parsed from the one before (see `parse::reparse`).
    let mut reparsed: Option<Tree> = None;
    for pass in 0..MAX_PASSES {
        if pass > 0 {
            let context = Arc::clone(&current.context);
            let tree = reparsed
                .take()
                .unwrap_or_else(|| parse::parse(&current.source));
            (current, failures, compile_errors) =
                Checked::validating(current.source, tree, rules, &touched, &v2_code, context);
        }
        let all = &current.findings;
        // A rule never applies again to text it wrote itself: its output must not feed it.
        let written = Spans::new(touched.iter().map(|w| (w.start, w.end)));
        let applicable: Vec<bool> = all
            .iter()
            .map(|d| {
                d.fixable(unsafe_fixes)
                    && !disabled.contains(&d.code)
                    && !blocked.iter().any(|r| r.covers(d))
                    && !d.fix.as_ref().is_some_and(|f| {
                        f.edits.iter().any(|e| {
                            written.near(e.start, e.end.max(e.start + 1)).any(|i| {
                                let w = &touched[i];
                                w.code == d.code
                                    && e.start < w.end
                                    && w.start < e.end.max(e.start + 1)
                            })
                        })
                    })
            })
            .collect();
        if !applicable.iter().any(|a| *a) {
            return Ok(Passes {
                last: current,
                failures,
                compile_errors,
                fixed,
                touched,
                unfixed: pending,
                anchors,
                origins,
                blocked,
            });
        }
        let mut applied = apply_fixes(&current.source, &current.tree, all, &applicable);
        if applied.count == 0 {
            return Ok(Passes {
                last: current,
                failures,
                compile_errors,
                fixed,
                touched,
                unfixed: pending,
                anchors,
                origins,
                blocked,
            });
        }
        fixed += applied.count;
        let own_fixes = OwnFixes::new(&applied.fixed);
        // Touched by an applied edit, or a fix that only adds an import another fix added.
        pending.retain(|d| {
            let import_only = d.fix.as_ref().is_some_and(|f| {
                !f.imports.is_empty()
                    && f.edits
                        .iter()
                        .all(|e| e.content.is_empty() && e.start == e.end)
                    && f.imports.iter().all(|i| applied.imports.contains(i))
            });
            // Settled: its own fix was applied, or another fix replaced all of its text. A
            // finding another fix changed only in part (RM913 renaming the class of the clause
            // RM116 is about) stays pending: fixed later, still reported, or carried.
            let own = own_fixes.overlaps(&d.code, d.start, d.end);
            !import_only && !own && !applied.covers(d.start, d.end)
        });
        for d in pending.iter_mut() {
            d.start = applied.map_offset(d.start);
            d.end = applied.map_offset(d.end);
        }
        for span in v2_code.iter_mut() {
            *span = (applied.map_offset(span.0), applied.map_offset(span.1));
        }
        for o in origins.iter_mut() {
            o.now = (applied.map_offset(o.now.0), applied.map_offset(o.now.1));
        }
        for r in blocked.iter_mut() {
            r.span = (applied.map_offset(r.span.0), applied.map_offset(r.span.1));
        }
        touched = touched
            .into_iter()
            .map(|w| Written {
                start: applied.map_offset(w.start),
                end: applied.map_offset(w.end),
                code: w.code,
            })
            .chain(applied.written.iter().cloned())
            .collect();
        // A line keeps its anchor while no edit changes its text; an insertion at its start
        // moves it (hence mapping its end).
        for (i, anchor) in anchors.iter_mut().enumerate() {
            let len = line_len(i);
            *anchor = anchor.filter(|&at| len > 0 && !applied.changes_inside(at, at + len));
            if let Some(at) = anchor {
                *at = applied.map_offset(*at + len) - len;
            }
        }
        let bytes = std::mem::take(&mut applied.bytes);
        let new_source = current.source.with_bytes(bytes);
        reparsed = Some(parse::reparse(
            &current.tree,
            &current.source,
            applied.edits(),
            &new_source,
        ));
        current.source = new_source;
    }
    let codes: BTreeSet<String> = touched.iter().map(|t| t.code.clone()).collect();
    Err(Box::new(Diagnostic::tool(
        "RM004",
        "fix-not-converged",
        format!(
            "fixes did not settle after {MAX_PASSES} passes (rules {}); the file was left unchanged",
            codes.into_iter().collect::<Vec<_>>().join(", ")
        ),
        0,
    )))
}
