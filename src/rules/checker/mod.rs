//! The `Checker`: one walk over a file's tree that offers each node to the rules its kind and
//! name can trigger (`RuleIndex`), as ruff's `Checker` dispatches to `analyze::*`. Each module
//! here handles one kind of trigger:
//!
//! - `calls`: calls of SDK methods (`call`), builtins called on v1 values (`argument_of`) and
//!   `isinstance` checks of v1 values against SDK classes (`isinstance`);
//! - `attributes`: module attributes (`reference`) and fields of v1 objects (`field`);
//! - `uses`: v1 values iterated (`iterate`), indexed (`index`), subscripted (`subscript`) or
//!   a field tested with `in` (`membership`);
//! - `imports`: `from replicate.x import Y` (`import`) and `import replicate.x` (`import_module`);
//! - `handlers`: exception classes caught by `except` clauses (`except`).
//!
//! `conditions` holds the extra conditions of a call match (arity, keywords, literals, ...).

mod attributes;
mod calls;
mod conditions;
pub(super) mod handlers;
mod imports;
mod uses;

use crate::syntax::NodeExt;
use tree_sitter::{Node, Tree};

use super::actions;
use super::context::Context;
use super::load::RuleSet;
use super::schema::Rule;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use std::sync::Arc;

use crate::parse::{self, Preorder};
use crate::semantic::{Context as FileContext, SemanticModel};
use crate::syntax::Source;

pub struct Checker<'a, 't> {
    pub source: &'t Source,
    pub model: &'a SemanticModel<'t>,
    pub rules: &'a RuleSet,
    /// Leave already-v2 code alone (see [`Checker::v2_code`]); off in the fix loop's later
    /// passes, whose text our fixes made (the original text's v2 code is carried instead).
    skip_v2: bool,
    /// The spans left alone as v2 code.
    v2_code: Vec<(usize, usize)>,
    diagnostics: Vec<Diagnostic>,
    /// Comment ranges, in source order (collected during the walk).
    comments: Vec<(usize, usize)>,
}

/// Runs every rule on one parsed file.
pub fn check_file(source: &Source, tree: &Tree, rules: &RuleSet) -> Vec<Diagnostic> {
    check_file_with_suppressed(source, tree, rules).0
}

/// Runs every rule on one parsed file: the findings, and those a `# noqa` comment suppressed
/// (which the fix loop must still count as there, and the CLI needs to find unused `noqa`s).
pub fn check_file_with_suppressed(
    source: &Source,
    tree: &Tree,
    rules: &RuleSet,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (findings, suppressed, ()) = check_file_and(source, tree, rules, |_, _, _| ());
    (findings, suppressed)
}

/// `check_file_with_suppressed`, then `then` with the file's semantic model and the findings
/// and suppressed findings, so that a later stage (validation) need not build the model again.
pub fn check_file_and<R>(
    source: &Source,
    tree: &Tree,
    rules: &RuleSet,
    then: impl FnOnce(&SemanticModel, &[Diagnostic], &[Diagnostic]) -> R,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, R) {
    let checks = check_file_with(source, tree, None, rules, FileContext::empty(), true, then);
    (checks.findings, checks.suppressed, checks.then)
}

/// What [`check_file_with`] found.
pub struct Checks<R> {
    pub findings: Vec<Diagnostic>,
    /// Findings a `# noqa` suppresses.
    pub suppressed: Vec<Diagnostic>,
    /// The spans left alone as already-v2 code (with `skip_v2`), sorted: a call of a v2 client
    /// that v2 accepts as written, `replicate.Client(bearer_token=...)`, ...
    pub v2_code: Vec<(usize, usize)>,
    pub then: R,
}

/// Runs every rule on one parsed file, given what other files tell about it (`context`:
/// conftest.py fixtures; `preorder`, the tree's named nodes when the caller walked it already),
/// leaving already-v2 code alone when `skip_v2` (always, but in the fix
/// loop's later passes, which carry the original text's v2 code instead: a client our fix made
/// is no v2 code the user wrote), then `then` as [`check_file_and`].
pub fn check_file_with<'t, R>(
    source: &'t Source,
    tree: &'t Tree,
    preorder: Option<Preorder<'t>>,
    rules: &RuleSet,
    context: Arc<FileContext>,
    skip_v2: bool,
    then: impl FnOnce(&SemanticModel, &[Diagnostic], &[Diagnostic]) -> R,
) -> Checks<R> {
    let preorder = preorder.unwrap_or_else(|| parse::preorder(tree));
    let model = SemanticModel::build_from(source, tree, preorder, context, rules.project_on_v2);
    if !model.imports_sdk {
        let after = then(&model, &[], &[]);
        return Checks {
            findings: Vec::new(),
            suppressed: Vec::new(),
            v2_code: Vec::new(),
            then: after,
        };
    }
    let mut checker = Checker {
        source,
        model: &model,
        rules,
        skip_v2,
        v2_code: Vec::new(),
        diagnostics: Vec::new(),
        comments: Vec::new(),
    };
    checker.walk();
    let mut v2_code = std::mem::take(&mut checker.v2_code);
    v2_code.sort_unstable();
    v2_code.dedup();
    let (findings, suppressed) = checker.finish();
    let after = then(&model, &findings, &suppressed);
    Checks {
        findings,
        suppressed,
        v2_code,
        then: after,
    }
}

impl<'a, 't> Checker<'a, 't> {
    /// Visits every named node once, in source order (from the model's list of them: no
    /// recursion, which deep expressions would overflow, and no second walk of the tree).
    fn walk(&mut self) {
        let model = self.model;
        for &node in model.named_nodes() {
            self.visit(node);
        }
    }

    fn visit(&mut self, node: Node<'t>) {
        match node.ty() {
            "call" => {
                calls::sdk_call(self, node);
                calls::builtin_argument(self, node);
                calls::isinstance_check(self, node);
            }
            "attribute" => {
                attributes::reference(self, node);
                attributes::field(self, node);
            }
            "for_statement" | "for_in_clause" => uses::iterate(self, node),
            "subscript" => {
                uses::subscript(self, node);
                uses::index(self, node);
            }
            "comparison_operator" => uses::membership(self, node),
            "except_clause" => handlers::except_clause(self, node),
            "import_from_statement" => imports::from_import(self, node),
            "import_statement" => imports::import(self, node),
            "comment" => self.comments.push((node.start_byte(), node.end_byte())),
            _ => {}
        }
    }

    /// Whether `node` is already-v2 code the rules leave alone (`v2` says it is): recorded, and
    /// true unless this pass reports v2 code too.
    fn v2_code(&mut self, node: Node<'t>, v2: bool) -> bool {
        if !v2 || !self.skip_v2 {
            return false;
        }
        self.v2_code.push((node.start_byte(), node.end_byte()));
        true
    }

    /// Records a finding of `rule` at `node`, with the fix its actions build from `cx`.
    fn report(&mut self, rule: &Rule, cx: Context<'_, 't>, node: Node<'t>) {
        self.report_span(rule, cx, (node.start_byte(), node.end_byte()));
    }

    /// `report`, pointing at `start..end` rather than at one node.
    fn report_span(&mut self, rule: &Rule, mut cx: Context<'_, 't>, (start, end): (usize, usize)) {
        let (fix, help) = match &rule.fix {
            Some(spec) => match spec
                .actions_for(&cx.path, cx.on)
                .and_then(|actions| actions::edits(&mut cx, actions))
            {
                Ok(edits) if !edits.is_empty() => {
                    let mut applicability = spec.applicability;
                    if cx.assumes && applicability == Applicability::Safe {
                        applicability = Applicability::Unsafe;
                    }
                    let mut imports = std::mem::take(&mut cx.imports);
                    imports.sort();
                    imports.dedup();
                    (
                        Some(Fix {
                            title: spec.title.clone(),
                            applicability,
                            edits,
                            imports,
                            defer_while_unfixed: spec.defer_while_unfixed,
                        }),
                        None,
                    )
                }
                Ok(_) => (None, rule.docs.manual.clone()),
                Err(reason) => (
                    None,
                    Some(match &rule.docs.manual {
                        Some(manual) => format!("{reason}; {manual}"),
                        None => reason,
                    }),
                ),
            },
            None => (None, rule.docs.manual.clone()),
        };
        self.diagnostics.push(Diagnostic {
            code: rule.code.clone(),
            name: rule.name.clone(),
            message: rule.message.clone(),
            severity: rule.severity,
            start,
            end,
            fix,
            help,
            url: Some(rule.docs.guide.clone()),
        });
    }

    /// A fix that replaces a comment drops to unsafe, as in ruff; findings on `# noqa` lines are
    /// set apart; findings come out in source order.
    fn finish(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let comments = self.comments;
        let source = self.source;
        let mut out = self.diagnostics;
        for d in &mut out {
            let Some(fix) = &mut d.fix else { continue };
            if fix.applicability != Applicability::Safe {
                continue;
            }
            let touches_comment = fix.edits.iter().any(|e| {
                e.end > e.start && comments.iter().any(|(s, en)| *s < e.end && *en > e.start)
            });
            if touches_comment {
                fix.applicability = Applicability::Unsafe;
            }
        }
        out.sort_by_key(|d| (d.start, d.code.clone()));
        out.into_iter()
            .partition(|d| !suppressed(source, d.start, &d.code))
    }
}

/// Whether the line where a finding starts carries `# noqa` (every code) or
/// `# noqa: RM321, RM101` (those codes), as ruff reads it.
fn suppressed(source: &Source, offset: usize, code: &str) -> bool {
    let bytes = &source.bytes;
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
    let line = String::from_utf8_lossy(&bytes[start..end]).to_ascii_lowercase();
    let Some(hash) = line.find('#') else {
        return false;
    };
    let comment = &line[hash + 1..];
    let Some(at) = comment.find("noqa") else {
        return false;
    };
    let rest = comment[at + 4..].trim_start();
    match rest.strip_prefix(':') {
        Some(codes) => codes
            .split(|c: char| c == ',' || c.is_whitespace())
            .any(|c| c.trim().eq_ignore_ascii_case(code)),
        None => true,
    }
}

/// The text of a node when it is UTF-8 (names always are in practice), for index lookups.
fn name<'s>(source: &'s Source, node: Node) -> Option<&'s str> {
    std::str::from_utf8(source.text(node)).ok()
}
