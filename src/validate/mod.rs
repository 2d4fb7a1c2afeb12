//! Validate stage: every call a fix wrote is checked against a model of the v2 API, generated
//! from the installed `replicate==2.0.0b4` by `tools/gen_v2_api.py` and embedded here.

mod v2_api;

pub use v2_api::{Callable, Param, ParamKind, V2Api};

use crate::syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::{Diagnostic, Written};
use crate::semantic::{SdkKind, SemanticModel};
use crate::syntax::{CallArgs, Source, Spans};

/// A rewritten call that does not fit the v2 API.
#[derive(Debug, Clone)]
pub struct Failure {
    pub call: String,
    /// Where the call is, in the validated text.
    pub start: usize,
    pub end: usize,
    pub reason: String,
    /// The rules whose edits touched the call.
    pub codes: Vec<String>,
}

/// Checks every SDK call that overlaps text written by a fix. Calls that still carry a finding
/// are left to that finding: the user must finish them by hand anyway.
/// `model` is the file's, built from `source`.
pub fn check_touched(
    model: &SemanticModel,
    source: &Source,
    touched: &[Written],
    remaining: &[Diagnostic],
) -> Vec<Failure> {
    let api = V2Api::embedded();
    let written = Spans::new(touched.iter().map(|w| (w.start, w.end)));
    let unfixed = Spans::new(remaining.iter().map(|d| (d.start, d.end)));
    let mut failures = Vec::new();
    // The model's named nodes, not another walk of the tree.
    for &node in model.named_nodes() {
        if node.ty() != "call" {
            continue;
        }
        let (start, end) = (node.start_byte(), node.end_byte());
        let codes: Vec<String> = written
            .near(start, end)
            .map(|i| &touched[i])
            .filter(|w| w.meets(start, end))
            .map(|w| w.code.clone())
            .collect();
        if codes.is_empty() {
            continue;
        }
        if unfixed
            .near(start, end)
            .map(|i| &remaining[i])
            .any(|d| d.start < end && d.end > start)
        {
            continue;
        }
        if let Some(reason) = check_call(api, model, source, node) {
            let mut codes = codes;
            codes.sort();
            codes.dedup();
            failures.push(Failure {
                call: source.str(node),
                start,
                end,
                reason,
                codes,
            });
        }
    }
    // Outer calls first, then right to left (the order a stack walk of the tree gave): a call
    // ends after every call inside it and after every call to its left.
    failures.sort_by_key(|f| std::cmp::Reverse(f.end));
    failures
}

/// The v2 API key of a call (`client.predictions.get`, `module.run`, `Replicate`), if the
/// callee is the SDK's.
pub fn api_key(model: &SemanticModel, call: Node) -> Option<String> {
    let callee = call.field("function")?;
    let target = model.target(callee)?;
    let path = target.path.join(".");
    match target.value.kind {
        SdkKind::Module => {
            // `ModelError(prediction)`: building an exception is not an API call.
            if target.path.first().is_some_and(|p| p == "exceptions") {
                return None;
            }
            if path.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                Some(path)
            } else {
                Some(format!("module.{path}"))
            }
        }
        SdkKind::Client => Some(format!("client.{path}")),
        _ => None,
    }
}

/// Whether a call of the module or a client is valid v2 as written: the method exists in v2 and
/// its arguments fit (what [`check_touched`] asks of the calls fixes write). Calls on objects
/// (`prediction.wait()`) and calls the model cannot name are not.
pub fn fits_v2(model: &SemanticModel, source: &Source, call: Node) -> bool {
    api_key(model, call).is_some() && check_call(V2Api::embedded(), model, source, call).is_none()
}

fn check_call(api: &V2Api, model: &SemanticModel, source: &Source, call: Node) -> Option<String> {
    let key = api_key(model, call)?;
    if key.ends_with(".Client") || key == "Client" {
        // v2 keeps `Client` as an alias of `Replicate`.
        return check_args(api.callable("Replicate")?, source, call);
    }
    match api.callable(&key) {
        Some(callable) => check_args(callable, source, call),
        // A class of a v2 module (`replicate.types.FileCreateParams(...)`, a TypedDict or a
        // response model): building one is not an API call, and the name exists.
        None if key
            .strip_prefix("module.")
            .and_then(|path| path.rsplit_once('.'))
            .is_some_and(|(module, name)| api.module_has(&format!("replicate.{module}"), name)) =>
        {
            None
        }
        // A method of an exported class (`ModelVersionIdentifier.parse`): the model records
        // the class, not its methods, so the call is left to the import check.
        None if key
            .split_once('.')
            .is_some_and(|(first, _)| api.exports(first)) =>
        {
            None
        }
        None if key.split('.').count() >= 2 && !api.has_prefix(&key) => {
            Some(format!("`{key}` does not exist in v2"))
        }
        None => Some(format!("`{key}` is not a v2 method")),
    }
}

fn check_args(callable: &Callable, source: &Source, call: Node) -> Option<String> {
    let args = CallArgs::new(source, call)?;
    let positional = args.positional.len();
    let keywords: Vec<String> = args
        .keywords
        .iter()
        .map(|k| k.name_str().into_owned())
        .collect();
    let unpacking = args.unpacking;
    let positional_params: Vec<&Param> = callable
        .params
        .iter()
        .filter(|p| p.kind != ParamKind::KeywordOnly)
        .collect();
    if positional > positional_params.len() && !callable.var_positional {
        let first_kw_only = callable
            .params
            .iter()
            .find(|p| p.kind == ParamKind::KeywordOnly);
        return Some(match first_kw_only {
            Some(p) => format!("`{}` is keyword-only", p.name),
            None => format!(
                "takes at most {} positional arguments",
                positional_params.len()
            ),
        });
    }
    for kw in &keywords {
        let known = callable
            .params
            .iter()
            .any(|p| p.name == *kw && p.kind != ParamKind::PositionalOnly);
        if !known && !callable.var_keyword {
            return Some(format!("unknown keyword argument `{kw}`"));
        }
    }
    if !unpacking {
        for p in &callable.params {
            let by_position = p.kind != ParamKind::KeywordOnly
                && positional_params
                    .iter()
                    .position(|q| q.name == p.name)
                    .is_some_and(|j| j < positional);
            if p.required && !by_position && !keywords.contains(&p.name) {
                return Some(format!("missing required argument `{}`", p.name));
            }
        }
    }
    None
}
