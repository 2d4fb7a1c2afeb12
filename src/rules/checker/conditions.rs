//! The conditions of a `call` match beyond its callee and receiver kind, and the questions they
//! ask about where a node stands (a statement of its own, awaited, compared with `None`).

use tree_sitter::Node;

use super::super::schema::Rule;
use super::super::transforms::file_inputs;
use crate::semantic::{Resolved, SemanticModel};
use crate::syntax::{string_literal, CallArgs, Source};

/// Whether `info` meets every condition of `rule`'s match. Each field of `[match]` is one
/// condition; see `rules/README.md`.
pub fn call_conditions(
    rule: &Rule,
    source: &Source,
    model: &SemanticModel,
    info: &CallArgs,
) -> bool {
    let m = &rule.matcher;
    if m.input_has_file {
        let has = info
            .keyword("input")
            .is_some_and(|(_, v)| !file_inputs(source, model, v).is_empty());
        if !has {
            return false;
        }
    }
    if let Some(want) = &m.arg_kind {
        let value = match want.index.and_then(|i| info.positional.get(i)) {
            Some(p) => Some(*p),
            None => want
                .keyword
                .as_deref()
                .and_then(|k| info.keyword(k))
                .map(|(_, v)| v),
        };
        let matches = value.is_some_and(|v| {
            matches!(model.resolve(v), Resolved::Member { value, path, .. }
                if path.is_empty() && value.kind.rule_name() == want.kind)
        });
        if !matches {
            return false;
        }
    }
    if info.unpacking && !m.unpacking && !m.only_unpacking {
        return false;
    }
    if m.only_unpacking && !info.unpacking {
        return false;
    }
    if m.positional_min.is_some_and(|n| info.positional.len() < n) {
        return false;
    }
    if m.positional_max.is_some_and(|n| info.positional.len() > n) {
        return false;
    }
    if !m.has_keyword.iter().all(|k| info.has_keyword(k)) {
        return false;
    }
    if m.lacks_keyword.iter().any(|k| info.has_keyword(k)) {
        return false;
    }
    for k in &m.literal_keyword {
        match info.keyword(k) {
            Some((_, v)) if string_literal(source, v).is_some() => {}
            _ => return false,
        }
    }
    if let Some(cond) = &m.literal_contains {
        let contains = info
            .keyword(&cond.keyword)
            .and_then(|(_, v)| string_literal(source, v))
            .is_some_and(|l| l.content.contains(&cond.text));
        if !contains {
            return false;
        }
    }
    if let Some(cond) = &m.literal_lacks_suffix {
        let done = info
            .keyword(&cond.keyword)
            .and_then(|(_, v)| string_literal(source, v))
            .is_some_and(|l| l.content.trim_end_matches('/').ends_with(&cond.suffix));
        if done {
            return false;
        }
    }
    for k in &m.nonliteral_keyword {
        match info.keyword(k) {
            Some((_, v)) if string_literal(source, v).is_none() => {}
            _ => return false,
        }
    }
    if let Some(allowed) = &m.keywords_outside {
        let outside = info
            .keywords
            .iter()
            .any(|k| !allowed.iter().any(|a| a.as_bytes() == k.name));
        if !outside {
            return false;
        }
    }
    if m.statement && !is_statement(info.call) {
        return false;
    }
    if m.in_expression && is_statement(info.call) {
        return false;
    }
    if m.not_compared_to_none && compared_to_none(info.call) {
        return false;
    }
    if let Some(awaited) = m.awaited {
        if awaited != is_awaited(info.call) {
            return false;
        }
    }
    true
}

/// The (possibly awaited) call is a whole expression statement: its value is unused.
fn is_statement(call: Node) -> bool {
    let mut node = call;
    if let Some(p) = node.parent() {
        if p.kind() == "await" {
            node = p;
        }
    }
    node.parent()
        .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
}

/// `(x.delete() is None)`: the call's value, maybe parenthesized, is compared with `None`.
fn compared_to_none(call: Node) -> bool {
    let mut node = call;
    while let Some(p) = node.parent() {
        if p.kind() == "parenthesized_expression" {
            node = p;
            continue;
        }
        if p.kind() == "comparison_operator" {
            let mut cursor = p.walk();
            let none = p.named_children(&mut cursor).any(|c| c.kind() == "none");
            return none;
        }
        return false;
    }
    false
}

fn is_awaited(call: Node) -> bool {
    call.parent().is_some_and(|p| p.kind() == "await")
}

/// `x[...]`, or `x.split(...)` and other methods only `str` has.
pub fn used_as_string(source: &Source, node: Node) -> bool {
    const STR_METHODS: &[&str] = &[
        "split",
        "rsplit",
        "startswith",
        "endswith",
        "replace",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "encode",
        "find",
        "rfind",
        "partition",
        "rpartition",
        "zfill",
    ];
    node.parent().is_some_and(|p| match p.kind() {
        "subscript" => p.child_by_field_name("value") == Some(node),
        "attribute" => {
            p.child_by_field_name("object") == Some(node)
                && p.child_by_field_name("attribute")
                    .is_some_and(|a| STR_METHODS.contains(&source.str(a).as_str()))
        }
        _ => false,
    })
}
