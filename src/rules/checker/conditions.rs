//! The conditions of a `call` match beyond its callee and receiver kind, and the questions they
//! ask about where a node stands (a statement of its own, awaited, compared with `None`).

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::schema::Rule;
use super::super::transforms::{file_inputs, upload_stream_inputs};
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
    if m.input_has_upload_stream {
        let has = info
            .keyword("input")
            .is_some_and(|(_, v)| !upload_stream_inputs(source, model, v).is_empty());
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
            // (`x + "/v1"`, what RM107's fix writes, is done: matching it again appended a
            // second `/v1` on every run where the client stayed a v1 `Client`)
            Some((_, v)) if string_literal(source, v).is_none() && !appends_v1(source, v) => {}
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
        if p.ty() == "await" {
            node = p;
        }
    }
    node.parent()
        .is_some_and(|p| p.ty() == "expression_statement" && p.named_child_count() == 1)
}

/// `(x.delete() is None)`: the call's value, maybe parenthesized, is compared with `None`.
fn compared_to_none(call: Node) -> bool {
    let mut node = call;
    while let Some(p) = node.parent() {
        if p.ty() == "parenthesized_expression" {
            node = p;
            continue;
        }
        if p.ty() == "comparison_operator" {
            let mut cursor = p.walk();
            let none = p.named_children(&mut cursor).any(|c| c.ty() == "none");
            return none;
        }
        return false;
    }
    false
}

fn is_awaited(call: Node) -> bool {
    call.parent().is_some_and(|p| p.ty() == "await")
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
    node.parent().is_some_and(|p| match p.ty() {
        "subscript" => p.field("value") == Some(node),
        "attribute" => {
            p.field("object") == Some(node)
                && p.field("attribute")
                    .is_some_and(|a| STR_METHODS.contains(&source.str(a).as_str()))
        }
        _ => false,
    })
}

/// Callees that take a value's text: they raise `TypeError` on a `datetime` (or, for
/// `json.dump(s)`, cannot serialise it), by their dotted import path.
const TEXT_CALLEES: &[&[&str]] = &[
    &["json", "dumps"],
    &["json", "dump"],
    &["datetime", "datetime", "fromisoformat"],
    &["datetime", "datetime", "strptime"],
    &["datetime", "date", "fromisoformat"],
    &["dateutil", "parser", "parse"],
    &["dateutil", "parser", "isoparse"],
];

/// A value whose text matters: passed to `json.dump(s)` (itself or inside a dict or list
/// literal passed there), to a string parser (`datetime.fromisoformat`, `strptime`, dateutil's
/// `parse`/`isoparse`) or to `len()`; formatted with a spec (`f"{x:>20}"`, `format(x, ".10")`);
/// added to or compared with a string literal. Through a local name assigned the value, or a
/// dict or list literal holding it, the name's uses count too, and so do slices and `str`
/// methods on it (`ts = p.created_at; ts[:10]`).
pub fn used_as_text(source: &Source, model: &SemanticModel, node: Node) -> bool {
    let node = outermost_parens(node);
    if text_sink(source, model, node) {
        return true;
    }
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.ty() {
        // `ts = p.created_at`: the name's uses.
        "assignment" if parent.field("right") == Some(node) => parent
            .field("left")
            .filter(|l| l.ty() == "identifier")
            .is_some_and(|name| {
                model.uses_of(name).into_iter().any(|u| {
                    let u = outermost_parens(u);
                    used_as_string(source, u)
                        || text_sink(source, model, u)
                        // `json.dumps({"t": ts})`: the name in a literal that is serialised.
                        || u.parent().is_some_and(|p| {
                            matches!(p.ty(), "pair" | "list" | "tuple" | "set")
                                && container_serialised(model, p)
                        })
                })
            }),
        // `{"created": p.created_at}`, `[p.created_at]`: the container's way.
        "pair" | "list" | "tuple" | "set" => container_serialised(model, parent),
        _ => false,
    }
}

fn outermost_parens(mut node: Node) -> Node {
    while let Some(p) = node
        .parent()
        .filter(|p| p.ty() == "parenthesized_expression")
    {
        node = p;
    }
    node
}

/// A dict or list literal (or a pair of one) that reaches `json.dump(s)`: as its argument,
/// nested in another literal, or through a local name assigned it.
fn container_serialised(model: &SemanticModel, part: Node) -> bool {
    let mut node = part;
    loop {
        if node.ty() == "pair" {
            match node.parent() {
                Some(d) => node = d,
                None => return false,
            }
        }
        node = outermost_parens(node);
        if json_argument(model, node) {
            return true;
        }
        let Some(parent) = node.parent() else {
            return false;
        };
        match parent.ty() {
            "pair" | "list" | "tuple" | "set" => node = parent,
            "assignment" if parent.field("right") == Some(node) => {
                return parent
                    .field("left")
                    .filter(|l| l.ty() == "identifier")
                    .is_some_and(|name| {
                        model
                            .uses_of(name)
                            .into_iter()
                            .any(|u| json_argument(model, outermost_parens(u)))
                    });
            }
            _ => return false,
        }
    }
}

/// `json.dumps(node)` / `json.dump(node, f)`.
fn json_argument(model: &SemanticModel, node: Node) -> bool {
    call_of_argument(node).is_some_and(|(call, index)| {
        index == 0
            && call
                .field("function")
                .and_then(|f| model.imported_path(f))
                .is_some_and(|p| p == ["json", "dumps"] || p == ["json", "dump"])
    })
}

/// The call whose positional argument `node` is, and its position.
fn call_of_argument(node: Node) -> Option<(Node, usize)> {
    let args = node.parent().filter(|p| p.ty() == "argument_list")?;
    let call = args.parent().filter(|c| c.ty() == "call")?;
    let mut cursor = args.walk();
    let index = args
        .named_children(&mut cursor)
        .filter(|a| a.ty() != "comment")
        .position(|a| a == node)?;
    Some((call, index))
}

/// Where the value itself is used as text (see `used_as_text`), without following names.
fn text_sink(source: &Source, model: &SemanticModel, node: Node) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.ty() {
        // `f"{x:>20}"`: a format spec, which a `datetime` reads as `strftime` codes.
        "interpolation" => {
            parent.field("expression") == Some(node) && parent.field("format_specifier").is_some()
        }
        "argument_list" => {
            let Some((call, index)) = call_of_argument(node) else {
                return false;
            };
            let Some(callee) = call.field("function") else {
                return false;
            };
            if callee.ty() == "identifier" && model.is_unbound(callee) {
                let name = source.str(callee);
                let args = call.field("arguments").map_or(0, |a| a.named_child_count());
                return (name == "len" && index == 0)
                    || (name == "format" && index == 0 && args == 2);
            }
            index == 0
                && model.imported_path(callee).is_some_and(|p| {
                    TEXT_CALLEES
                        .iter()
                        .any(|t| p.iter().map(String::as_str).eq(t.iter().copied()))
                })
        }
        // `p.created_at + "Z"`, `"at " + p.created_at`.
        "binary_operator" => {
            parent
                .field("operator")
                .is_some_and(|o| source.str(o) == "+")
                && {
                    let mut cursor = parent.walk();
                    let other = parent.named_children(&mut cursor).find(|c| *c != node);
                    other.is_some_and(is_text_literal)
                }
        }
        // `p.created_at > "2024-01-01"`: a `datetime` and a `str` do not compare.
        "comparison_operator" => {
            let mut cursor = parent.walk();
            let operands: Vec<Node> = parent.named_children(&mut cursor).collect();
            let mut ops = parent.walk();
            let membership = parent
                .children(&mut ops)
                .any(|c| matches!(c.ty(), "in" | "not in" | "is" | "is not"));
            !membership && operands.iter().any(|o| *o != node && is_text_literal(*o))
        }
        _ => false,
    }
}

fn is_text_literal(node: Node) -> bool {
    matches!(node.ty(), "string" | "concatenated_string")
}

/// `<expression> + "/v1"`: a base URL that already ends in `/v1`.
fn appends_v1(source: &Source, value: tree_sitter::Node) -> bool {
    value.ty() == "binary_operator"
        && value.field("operator").is_some_and(|o| o.ty() == "+")
        && value
            .field("right")
            .and_then(|r| string_literal(source, r))
            .is_some_and(|l| l.content.trim_end_matches('/').ends_with("/v1"))
}
