//! Actions on model and version references: `"owner/name[:version]"` strings, f-strings and
//! tuples split into keyword arguments, and v1 `Model`/`Version` objects passed where v2 wants
//! their fields.

use super::super::context::Context;
use super::super::schema::ArgRef;
use crate::diagnostic::Edit;
use crate::semantic::{ObjectKind, Resolved, SdkKind};
use crate::syntax::NodeExt;
use crate::syntax::{fstring_parts, simple_receiver, split_model_ref, string_literal};
use tree_sitter::Node;

/// The argument `arg` names: (the node to replace, its value).
fn argument<'t>(
    cx: &Context<'_, 't>,
    arg: &ArgRef,
) -> Result<Option<(Node<'t>, Node<'t>)>, String> {
    let info = cx.call()?;
    Ok(match arg.index.and_then(|i| info.positional.get(i)) {
        Some(p) => Some((*p, *p)),
        None => arg.keyword.as_deref().and_then(|k| info.keyword(k)),
    })
}

fn keywords<S: AsRef<str>>(into: &[String], parts: impl IntoIterator<Item = S>) -> String {
    into.iter()
        .zip(parts)
        .map(|(name, part)| format!("{name}={}", part.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits a reference into keyword arguments named `into` (2: owner, name; 3: and version).
pub fn split_reference(
    cx: &mut Context,
    arg: &ArgRef,
    into: &[String],
) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let Some((replace_node, value)) = argument(cx, arg)? else {
        return Ok(vec![]);
    };
    let replace = |text: String| {
        Ok(vec![Edit::replace(
            replace_node.start_byte(),
            replace_node.end_byte(),
            text,
        )])
    };
    let shown = source.str(value);
    // A v1 `Model` or `Deployment` object: its own fields, not a string split.
    if let Resolved::Member {
        value: held, path, ..
    } = cx.model.resolve(value)
    {
        let object = matches!(
            held.kind,
            SdkKind::Object(ObjectKind::Model | ObjectKind::Deployment)
        );
        if path.is_empty() && object && into.len() == 2 {
            if !simple_receiver(value) {
                return Err(format!("assign `{shown}` to a variable first"));
            }
            cx.assumes |= held.assumed;
            return replace(format!(
                "{}={shown}.owner, {}={shown}.name",
                into[0], into[1]
            ));
        }
    }
    // A `("owner", "name")` tuple of literals, or of names: each part already an expression.
    if value.ty() == "tuple" && into.len() == 2 {
        let mut cursor = value.walk();
        let items: Vec<Node> = value.named_children(&mut cursor).collect();
        let plain = |n: &Node| string_literal(source, *n).is_some() || simple_receiver(*n);
        if items.len() == 2 && items.iter().all(plain) {
            return replace(keywords(into, [source.str(items[0]), source.str(items[1])]));
        }
    }
    // `f"{owner}/{name}"`: each part is already an expression of its own.
    if let Some(parts) = fstring_parts(source, value, into.len()) {
        return replace(keywords(into, parts));
    }
    if string_literal(source, value).is_none() && (simple_receiver(value) || plain_item(value)) {
        // Split at run time; the name (or `refs[i]`) is evaluated more than once, which is
        // harmless for a name and for an item of a list or dict.
        let parts: Vec<String> = match into.len() {
            2 => vec![
                format!("{shown}.split(\"/\", 1)[0]"),
                format!("{shown}.split(\"/\", 1)[1]"),
            ],
            _ => vec![
                format!("{shown}.split(\"/\", 1)[0]"),
                format!("{shown}.split(\"/\", 1)[1].split(\":\", 1)[0]"),
                format!("{shown}.split(\":\", 1)[1]"),
            ],
        };
        // A module constant bound once to a literal of the right shape needs no assumption.
        let known = value.ty() == "identifier"
            && cx.model.assigned_values(value).is_some_and(|values| {
                matches!(values.as_slice(), [v] if string_literal(source, *v)
                    .is_some_and(|l| split_model_ref(&l.content, into.len()).is_some()))
            });
        cx.assumes |= !known;
        return replace(keywords(into, parts));
    }
    let literal = string_literal(source, value).ok_or_else(|| {
        format!(
            "`{shown}` is not a string literal, so it cannot be split into {}",
            into.join(", ")
        )
    })?;
    let parts = split_model_ref(&literal.content, into.len())
        .ok_or_else(|| format!("`{shown}` is not of the form {}", ref_shape(into.len())))?;
    replace(keywords(
        into,
        parts.iter().map(|part| literal.with_content(part)),
    ))
}

/// `refs[i]`, `self.models[attempt]`, `MODELS["fast"]`: an item of a plain name or attribute
/// at a name or literal index, which reads the same when evaluated again.
fn plain_item(node: Node) -> bool {
    node.ty() == "subscript" && node.field("value").is_some_and(simple_receiver) && {
        let mut cursor = node.walk();
        let indices: Vec<Node> = node
            .children_by_field_name("subscript", &mut cursor)
            .collect();
        let constant = |i: &Node| match i.ty() {
            "identifier" | "integer" => true,
            "string" => {
                let mut c = i.walk();
                let no_fields = !i.named_children(&mut c).any(|p| p.ty() == "interpolation");
                no_fields
            }
            _ => false,
        };
        matches!(indices.as_slice(), [i] if constant(i))
    }
}

fn ref_shape(parts: usize) -> &'static str {
    if parts == 3 {
        "\"owner/name:version\""
    } else {
        "\"owner/name\""
    }
}

/// Appends `.id` to an argument that holds a v1 `Version` object (v2 takes the ID string).
pub fn version_object_id(cx: &mut Context, arg: &ArgRef) -> Result<Vec<Edit>, String> {
    let Some((_, value)) = argument(cx, arg)? else {
        return Ok(vec![]);
    };
    let is_version = matches!(
        cx.model.resolve(value),
        Resolved::Member { value: held, path, .. }
            if path.is_empty() && held.kind == SdkKind::Object(ObjectKind::Version)
    );
    if !is_version {
        return Ok(vec![]);
    }
    if !simple_receiver(value) {
        return Err(format!(
            "assign `{}` to a variable first",
            cx.source.str(value)
        ));
    }
    Ok(vec![Edit::insert(value.end_byte(), ".id")])
}
