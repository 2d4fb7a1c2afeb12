//! Uses of v1 values that are not calls: iterated (`for x in page`), indexed (`page[0]`),
//! passed to a builtin (`len(page)`), or a field subscripted (`p.urls["get"]`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::{name, Checker};
use crate::syntax::simple_receiver;

/// How a v1 value is used, for the rules that match uses rather than calls.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ValueUse {
    Iterate,
    Index,
    Argument,
}

pub fn iterate<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let rules = checker.rules;
    if rules.index.iterate.is_empty() {
        return;
    }
    if let Some(iter) = node.field("right") {
        value_use(checker, &rules.index.iterate, iter, ValueUse::Iterate);
    }
}

pub fn index<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let rules = checker.rules;
    if rules.index.index.is_empty() {
        return;
    }
    if let Some(value) = node.field("value") {
        value_use(checker, &rules.index.index, value, ValueUse::Index);
    }
}

/// Offers a use of `node`'s value to the rules `ids` (already selected by the kind of use).
pub fn value_use<'t>(
    checker: &mut Checker<'_, 't>,
    ids: &[usize],
    node: Node<'t>,
    usage: ValueUse,
) {
    let (source, model, rules) = (checker.source, checker.model, checker.rules);
    let Some(held) = model.value(node) else {
        return;
    };
    let kind_name = held.kind.rule_name();
    for rule in ids.iter().map(|&i| &rules.rules[i]) {
        let m = &rule.matcher;
        let uses = match usage {
            ValueUse::Iterate => m.iterate,
            ValueUse::Index => m.index,
            ValueUse::Argument => m.argument_of.is_some(),
        };
        if !uses || !m.on.iter().any(|o| o == kind_name) || (m.v1_only && held.v2) {
            continue;
        }
        let cx = Context::held(source, model, node, Some(source.str(node)), &held);
        checker.report(rule, cx, node);
    }
}

/// `p.urls["get"]`: a field of a v1 object read with a subscript.
pub fn subscript<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let Some(value) = node.field("value") else {
        return;
    };
    if value.ty() != "attribute" {
        return;
    }
    let (Some(object), Some(attr)) = (value.field("object"), value.field("attribute")) else {
        return;
    };
    let Some(field) = name(checker.source, attr) else {
        return;
    };
    let rules = checker.rules;
    let ids = lookup(&rules.index.subscripts, field);
    if ids.is_empty() {
        return;
    }
    let (source, model) = (checker.source, checker.model);
    let Some(held) = model.value(object) else {
        return;
    };
    let kind_name = held.kind.rule_name();
    for rule in ids.iter().map(|&i| &rules.rules[i]) {
        if !rule.matcher.on.iter().any(|o| o == kind_name) {
            continue;
        }
        let receiver = simple_receiver(object).then(|| source.str(object));
        let cx = Context::held(source, model, node, receiver, &held);
        checker.report(rule, cx, node);
    }
}
