//! Uses of v1 values that are not calls: iterated (`for x in page`), indexed (`page[0]`),
//! passed to a builtin (`len(page)`), or a field subscripted (`p.urls["get"]`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::context::Context;
use super::super::index::lookup;
use super::{name, Checker};
use crate::semantic::SdkValue;
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

/// `"predict_time" in p.metrics`, `"stream" not in p.urls`: a field of a v1 object (a dict in
/// v1) tested for a key, written out or through a name every reaching assignment of which binds
/// that field (`m = p.metrics` ... `key in m`). One operator only (`a in b in c` is left alone).
/// The finding spans the comparison; the fix's node is the tested value.
pub fn membership<'t>(checker: &mut Checker<'_, 't>, node: Node<'t>) {
    let rules = checker.rules;
    if rules.index.memberships.is_empty() {
        return;
    }
    let mut cursor = node.walk();
    let (mut operands, mut operators) = (Vec::new(), Vec::new());
    for child in node.children(&mut cursor) {
        if child.is_named() {
            operands.push(child);
        } else {
            operators.push(child.ty());
        }
    }
    let ([_, container], [op]) = (operands.as_slice(), operators.as_slice()) else {
        return;
    };
    if !matches!(*op, "in" | "not in") {
        return;
    }
    let container = *container;
    let (source, model) = (checker.source, checker.model);
    // The attribute read itself, or those bound to the name.
    let reads = match container.ty() {
        "attribute" => vec![container],
        "identifier" => match model.assigned_values(container) {
            Some(values) if !values.is_empty() && values.iter().all(|v| v.ty() == "attribute") => {
                values
            }
            _ => return,
        },
        _ => return,
    };
    let mut found: Option<(&str, SdkValue)> = None;
    for read in reads {
        let (Some(object), Some(attr)) = (read.field("object"), read.field("attribute")) else {
            return;
        };
        let (Some(field), Some(held)) = (name(source, attr), model.value(object)) else {
            return;
        };
        match &found {
            Some((f, h)) if *f != field || h.kind != held.kind => return,
            Some(_) => {}
            None => found = Some((field, held)),
        }
    }
    let Some((field, held)) = found else {
        return;
    };
    let kind_name = held.kind.rule_name();
    for rule in lookup(&rules.index.memberships, field)
        .iter()
        .map(|&i| &rules.rules[i])
    {
        let m = &rule.matcher;
        if !m.on.iter().any(|o| o == kind_name) || (m.v1_only && held.v2) {
            continue;
        }
        let cx = Context::held(source, model, container, None, &held);
        checker.report_span(rule, cx, (node.start_byte(), node.end_byte()));
    }
}
