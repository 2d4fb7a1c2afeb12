//! Calls: SDK methods (`call = "predictions.get"`) and builtins applied to v1 values
//! (`argument_of = "len"`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::conditions::call_conditions;
use super::uses::{value_use, ValueUse};
use super::{name, Checker};
use crate::semantic::SdkKind;
use crate::syntax::{simple_receiver, unsplat, CallArgs};
use crate::validate;

/// The attribute a call's callee ends in (`get` in `client.predictions.get(...)`): the key of
/// `call` rules. `None` for a plain name, which may be an alias (`from replicate import run as
/// go`): its key is the last name of what it resolves to.
fn callee_attribute(callee: Node) -> Option<Node> {
    let mut node = unsplat(callee);
    loop {
        match node.ty() {
            "attribute" => return node.field("attribute"),
            "parenthesized_expression" => node = node.named_child(0)?,
            _ => return None,
        }
    }
}

pub fn sdk_call<'t>(checker: &mut Checker<'_, 't>, call: Node<'t>) {
    let Some(callee) = call.field("function") else {
        return;
    };
    let (source, model, rules) = (checker.source, checker.model, checker.rules);
    let (ids, target) = match callee_attribute(callee) {
        Some(attr) => {
            let Some(key) = name(source, attr) else {
                return;
            };
            let ids = lookup(&rules.index.calls, key);
            if ids.is_empty() {
                return;
            }
            let Some(target) = model.target(callee) else {
                return;
            };
            (ids, target)
        }
        None => {
            let Some(target) = model.target(callee) else {
                return;
            };
            let key = target.path.last().map_or("", String::as_str);
            (lookup(&rules.index.calls, key), target)
        }
    };
    if ids.is_empty() {
        return;
    }
    // v2 code: a call of a v2 client (`Replicate()`, `Client(bearer_token=...)`), or of the
    // module in a project that requires v2, that v2 accepts as written is no v1 use, whatever
    // v1 did with it (`client.stream(...)`). One v2 rejects keeps its findings: it fails on v2
    // too (a half-done migration). The module in a file that merely names `Replicate` stays
    // v1's: a file may mix both.
    let v2 = match target.value.kind {
        SdkKind::Client => target.value.v2,
        SdkKind::Module => model.project_on_v2,
        _ => false,
    };
    if checker.v2_code(call, v2 && validate::fits_v2(model, source, call)) {
        return;
    }
    let kind_name = target.value.kind.rule_name();
    let path = target.path.join(".");
    let Some(info) = CallArgs::new(source, call) else {
        return;
    };
    for rule in ids.iter().map(|&i| &rules.rules[i]) {
        let m = &rule.matcher;
        let path_ok = m.call.as_ref().is_some_and(|s| s.contains(&path));
        if !path_ok || !m.on.iter().any(|o| o == kind_name) {
            continue;
        }
        if (m.v1_only && target.value.v2) || (m.v1_file_only && model.file_is_v2) {
            continue;
        }
        if !call_conditions(rule, source, model, &info) {
            continue;
        }
        let receiver = match target.value.kind {
            SdkKind::Module | SdkKind::Client => target.base.map(|b| source.str(b)),
            _ => target
                .base
                .filter(|b| simple_receiver(*b))
                .map(|b| source.str(b)),
        };
        let client = match target.value.kind {
            SdkKind::Module | SdkKind::Client => receiver.clone(),
            _ => target.value.client.clone(),
        };
        let cx = Context {
            call: Some(info.clone()),
            receiver,
            client,
            path: path.clone(),
            on: kind_name,
            assumes: target.value.assumed,
            ..Context::bare(source, model, call)
        };
        checker.report(rule, cx, call);
    }
}

/// `len(page)`: a builtin called with a v1 value as its only argument.
pub fn builtin_argument<'t>(checker: &mut Checker<'_, 't>, call: Node<'t>) {
    let Some(callee) = call.field("function") else {
        return;
    };
    if callee.ty() != "identifier" {
        return;
    }
    let Some(builtin) = name(checker.source, callee) else {
        return;
    };
    let rules = checker.rules;
    let ids = lookup(&rules.index.builtins, builtin);
    if ids.is_empty() || !checker.model.is_unbound(callee) {
        return;
    }
    let Some(info) = CallArgs::new(checker.source, call) else {
        return;
    };
    if info.all.len() != 1 || info.positional.len() != 1 {
        return;
    }
    value_use(checker, ids, info.positional[0], ValueUse::Argument);
}

/// `isinstance(item, FileOutput)`: a v1 value checked against an SDK class (or a tuple of them).
pub fn isinstance_check<'t>(checker: &mut Checker<'_, 't>, call: Node<'t>) {
    let rules = checker.rules;
    if rules.index.isinstance.is_empty() {
        return;
    }
    let (source, model) = (checker.source, checker.model);
    let Some(callee) = call.field("function") else {
        return;
    };
    if callee.ty() != "identifier"
        || source.str(callee) != "isinstance"
        || !model.is_unbound(callee)
    {
        return;
    }
    let Some(info) = CallArgs::new(source, call) else {
        return;
    };
    let [value, class] = info.positional[..] else {
        return;
    };
    if !info.keywords.is_empty() || info.unpacking {
        return;
    }
    let Some(held) = model.value(value) else {
        return;
    };
    let kind_name = held.kind.rule_name();
    let classes: Vec<(Node<'t>, String)> = super::handlers::classes(class)
        .into_iter()
        .filter_map(|c| match model.resolve(c) {
            crate::semantic::Resolved::Sdk { path, .. } if path.len() > 1 => {
                Some((c, path[1..].join(".")))
            }
            _ => None,
        })
        .collect();
    for rule in rules.index.isinstance.iter().map(|&i| &rules.rules[i]) {
        let m = &rule.matcher;
        if !m.on.iter().any(|o| o == kind_name) || (m.v1_only && held.v2) {
            continue;
        }
        if m.completed_by
            .as_deref()
            .is_some_and(|done| classes.iter().any(|(_, p)| p == done))
        {
            continue;
        }
        let Some((matched, path)) = classes
            .iter()
            .find(|(_, p)| m.isinstance.as_ref().is_some_and(|s| s.contains(p)))
        else {
            continue;
        };
        let cx = Context {
            call: Some(info.clone()),
            path: path.clone(),
            ..Context::held(source, model, *matched, None, &held)
        };
        checker.report(rule, cx, call);
    }
}
