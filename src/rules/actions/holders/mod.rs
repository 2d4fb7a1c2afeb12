//! Keeping other holders of an object current. v1's `wait()`, `reload()` and `cancel()`
//! changed the object in place, so every name that held it saw the new state; v2 returns a new
//! object, which the fix binds to the receiver's name. Where something else holds the same
//! object, rebinding only the name would leave it stale, so this action also:
//!
//! - writes it back into the container it was read from (`p = jobs[key]` → `jobs[key] = p`);
//! - for an item of a list loop, writes it back by index (`for i, p in enumerate(batch)`,
//!   `batch[i] = p`);
//! - for a parameter, makes the function return the object and rebinds it at every call site
//!   of the file (`poll(p)` → `p = poll(p)`), and so on up the callers;
//!
//! or, where it cannot see every holder (a function called from elsewhere, an object appended
//! to a list), refuses with a message that names them. Never a silent local-only rebinding.
//!
//! Here the plan; the questions it asks of the tree and the model are in `queries`.

mod queries;

use crate::syntax::NodeExt;
use std::collections::HashSet;

use tree_sitter::Node;

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::Origin;
use crate::syntax::{simple_receiver, CallArgs, Source};
use queries::{
    assigns, enclosing_body, is_parameter, made_by_call, parameter_position,
    passes_name_read_later, read_later, statement_of,
};

pub fn keep_holders_current(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let call = cx.call()?;
    let Some(object) = call.callee.field("object") else {
        return Ok(vec![]);
    };
    // `self.current.wait()` → `self.current = ...`: the attribute itself is updated.
    if object.ty() != "identifier" {
        return Ok(vec![]);
    }
    let statement = statement_of(cx.node).ok_or("the call is not a statement of its own")?;
    let mut plan = Plan {
        cx_source: cx.source,
        edits: Vec::new(),
        visited: HashSet::new(),
    };
    plan.holders(cx, object, statement)?;
    let visited = !plan.visited.is_empty();
    let mut edits = plan.edits;
    edits.sort_by(|a, b| (a.start, a.end, &a.content).cmp(&(b.start, b.end, &b.content)));
    edits.dedup();
    if visited {
        // Callers were found in this file; another module may call the function too.
        cx.assumes = true;
    }
    Ok(edits)
}

struct Plan<'s> {
    cx_source: &'s Source,
    edits: Vec<Edit>,
    /// Functions already made to return their parameter.
    visited: HashSet<usize>,
}

impl Plan<'_> {
    /// The edits that keep every other holder of what `name` holds at `statement` current,
    /// once `statement` has rebound `name` to the new object.
    fn holders<'t>(
        &mut self,
        cx: &Context<'_, 't>,
        name: Node<'t>,
        statement: Node<'t>,
    ) -> Result<(), String> {
        let source = self.cx_source;
        let text = source.str(name);
        let indent =
            String::from_utf8_lossy(&source.indent_at(statement.start_byte())).into_owned();
        let newline = String::from_utf8_lossy(source.newline()).into_owned();
        for origin in cx.model.origins(name) {
            match origin {
                Origin::Made(_) => self.stores(cx, name, statement, &indent, &newline)?,
                Origin::Element { container, key } => {
                    if read_later(cx.model, source, container, statement) {
                        let write = format!("{newline}{indent}{}[{}] = {text}", source.str(container), source.str(key));
                        self.edits.push(Edit::insert(statement.end_byte(), write));
                    }
                }
                Origin::Attribute(attribute) => {
                    let write = format!("{newline}{indent}{} = {text}", source.str(attribute));
                    self.edits.push(Edit::insert(statement.end_byte(), write));
                }
                Origin::Alias(other) => {
                    return Err(format!(
                        "`{}` holds the same object as `{text}` and keeps the stale one; v1 changed it in place, v2 returns a new one",
                        source.str(other)
                    ))
                }
                Origin::Loop {
                    statement: loop_statement,
                    iterable,
                    index,
                    part: Some((pattern, position)),
                } => self.unpacked(cx, &text, statement, loop_statement, iterable, index, pattern, position, &indent, &newline)?,
                Origin::Loop {
                    statement: loop_statement,
                    iterable,
                    index,
                    part: None,
                } => {
                    // A list nobody reads after the loop (or one a call just made) needs nothing
                    // written back; a parameter's list is the caller's, which may read it.
                    if made_by_call(iterable)
                        || (!read_later(cx.model, source, iterable, loop_statement)
                            && !is_parameter(cx.model, iterable))
                    {
                        continue;
                    }
                    if !simple_receiver(iterable) {
                        return Err(format!(
                            "`{text}` is an item of `{}`, which keeps the stale object; loop over a list held in a variable",
                            source.str(iterable)
                        ));
                    }
                    let index = match index {
                        Some(index) => source.str(index),
                        None => {
                            let left = loop_statement.field("left").ok_or("internal")?;
                            if left.ty() != "identifier" {
                                return Err(format!("`{text}` is unpacked from `{}`; write the new object back by hand", source.str(iterable)));
                            }
                            let index = ["i", "_i", "_index"]
                                .into_iter()
                                .find(|n| !cx.model.is_bound_at_module(n))
                                .ok_or("no free name for the loop index")?;
                            self.edits.push(Edit::insert(left.start_byte(), format!("{index}, ")));
                            self.edits.push(Edit::replace(
                                iterable.start_byte(),
                                iterable.end_byte(),
                                format!("enumerate({})", source.str(iterable)),
                            ));
                            index.to_string()
                        }
                    };
                    let write = format!("{newline}{indent}{}[{index}] = {text}", source.str(iterable));
                    self.edits.push(Edit::insert(statement.end_byte(), write));
                }
                Origin::Param { function, .. } => {
                    let position = parameter_position(source, function, &text)
                        .map(|p| p - usize::from(cx.model.is_method(function) && p > 0));
                    if cx.model.calls_of(function).is_some_and(|calls| {
                        calls.iter().all(|call| {
                            !passes_name_read_later(cx.model, source, *call, position, &text)
                        })
                    }) {
                        // Every caller passes something it never reads again.
                        continue;
                    }
                    self.returned(cx, function, &text)?
                }
                Origin::Unknown => {
                    return Err(format!(
                        "cannot tell what else holds the object `{text}` names; v1 changed it in place, v2 returns a new one"
                    ))
                }
            }
        }
        Ok(())
    }

    /// `for key, p in jobs.items()`: `jobs[key] = p`; `for key, p in pairs`: the loop
    /// enumerates and `pairs[i] = (key, p)` puts the item back whole; nothing when the
    /// container is not read after the loop.
    #[allow(clippy::too_many_arguments)]
    fn unpacked<'t>(
        &mut self,
        cx: &Context<'_, 't>,
        text: &str,
        statement: Node<'t>,
        loop_statement: Node<'t>,
        iterable: Node<'t>,
        index: Option<Node<'t>>,
        pattern: Node<'t>,
        position: usize,
        indent: &str,
        newline: &str,
    ) -> Result<(), String> {
        let source = self.cx_source;
        let mut cursor = pattern.walk();
        let names: Vec<String> = pattern
            .named_children(&mut cursor)
            .map(|n| source.str(n))
            .collect();
        let body = loop_statement.field("body").ok_or("internal")?;
        let rebound: Vec<&String> = names
            .iter()
            .enumerate()
            .filter(|(i, n)| *i != position && assigns(source, body, n))
            .map(|(_, n)| n)
            .collect();
        let refuse = |holder: &str| {
            Err(format!(
                "`{text}` is unpacked from `{holder}`, and the loop rebinds `{}`; write the new object back by hand",
                rebound.first().map_or(String::new(), |n| n.to_string())
            ))
        };
        // `jobs.items()`: the dict holds the object under the key beside it.
        let items_of = (iterable.ty() == "call")
            .then(|| iterable.field("function"))
            .flatten()
            .filter(|f| {
                f.ty() == "attribute"
                    && f.field("attribute")
                        .is_some_and(|a| source.str(a) == "items")
            })
            .and_then(|f| f.field("object"));
        if let Some(dict) = items_of {
            if names.len() != 2 || position != 1 {
                return Err(format!(
                    "`{text}` is unpacked from `{}`; write the new object back by hand",
                    source.str(iterable)
                ));
            }
            if made_by_call(dict) || !read_later(cx.model, source, dict, loop_statement) {
                return Ok(());
            }
            if !simple_receiver(dict) {
                return Err(format!("`{text}` is a value of `{}`, which keeps the stale object; loop over a dict held in a variable", source.str(dict)));
            }
            if !rebound.is_empty() {
                return refuse(&source.str(iterable));
            }
            let write = format!(
                "{newline}{indent}{}[{}] = {text}",
                source.str(dict),
                names[0]
            );
            self.edits.push(Edit::insert(statement.end_byte(), write));
            return Ok(());
        }
        if made_by_call(iterable) || !read_later(cx.model, source, iterable, loop_statement) {
            return Ok(());
        }
        if !simple_receiver(iterable) {
            return Err(format!(
                "`{text}` is part of an item of `{}`, which keeps the stale object; loop over a list held in a variable",
                source.str(iterable)
            ));
        }
        if !rebound.is_empty() {
            return refuse(&source.str(iterable));
        }
        let index = match index {
            Some(index) => source.str(index),
            None => {
                let index = ["i", "_i", "_index"]
                    .into_iter()
                    .find(|n| !cx.model.is_bound_at_module(n) && !names.iter().any(|m| m == n))
                    .ok_or("no free name for the loop index")?;
                let (open, close) = if pattern.ty() == "pattern_list" {
                    ("(", ")")
                } else {
                    ("", "")
                };
                self.edits.push(Edit::insert(
                    pattern.start_byte(),
                    format!("{index}, {open}"),
                ));
                if !close.is_empty() {
                    self.edits
                        .push(Edit::insert(pattern.end_byte(), close.to_string()));
                }
                self.edits.push(Edit::replace(
                    iterable.start_byte(),
                    iterable.end_byte(),
                    format!("enumerate({})", source.str(iterable)),
                ));
                index.to_string()
            }
        };
        let write = format!(
            "{newline}{indent}{}[{index}] = ({})",
            source.str(iterable),
            names.join(", ")
        );
        self.edits.push(Edit::insert(statement.end_byte(), write));
        Ok(())
    }

    /// A made object stored elsewhere before it changes: `d[k] = p` and `self.x = p` are
    /// written again; `xs.append(p)` cannot be, so the fix is refused.
    fn stores<'t>(
        &mut self,
        cx: &Context<'_, 't>,
        name: Node<'t>,
        statement: Node<'t>,
        indent: &str,
        newline: &str,
    ) -> Result<(), String> {
        let source = self.cx_source;
        let text = source.str(name);
        let Some(body) = enclosing_body(statement) else {
            return Ok(());
        };
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            for child in children {
                match child.ty() {
                    "function_definition" | "class_definition" | "lambda" => continue,
                    "assignment" => {
                        let (Some(left), Some(right)) = (child.field("left"), child.field("right"))
                        else {
                            continue;
                        };
                        if right.ty() != "identifier" || source.str(right) != text {
                            stack.push(child);
                            continue;
                        }
                        match left.ty() {
                            "subscript" | "attribute" if !source.str(left).starts_with(&format!("{text}.")) => {
                                let write = format!("{newline}{indent}{} = {text}", source.str(left));
                                self.edits.push(Edit::insert(statement.end_byte(), write));
                            }
                            "identifier" => {
                                return Err(format!(
                                    "`{}` holds the same object as `{text}` and keeps the stale one; v1 changed it in place, v2 returns a new one",
                                    source.str(left)
                                ))
                            }
                            _ => {}
                        }
                    }
                    "call" => {
                        let appended = child.field("function").and_then(|f| {
                            let attr = f.field("attribute")?;
                            let object = f.field("object")?;
                            matches!(
                                source.str(attr).as_str(),
                                "append" | "add" | "insert" | "extend"
                            )
                            .then_some(object)
                        });
                        let passes_it = CallArgs::new(source, child).is_some_and(|a| {
                            a.positional
                                .iter()
                                .any(|p| p.ty() == "identifier" && source.str(*p) == text)
                        });
                        if let (Some(container), true) = (appended, passes_it) {
                            return Err(format!(
                                "`{}` holds the object `{text}` names and keeps the stale one; v1 changed it in place, v2 returns a new one",
                                source.str(container)
                            ));
                        }
                        stack.push(child);
                    }
                    _ => stack.push(child),
                }
            }
        }
        let _ = cx;
        Ok(())
    }

    /// Makes `function` return its parameter `param` on every way out, and rebinds it at
    /// every call site, and the callers' holders in turn.
    fn returned<'t>(
        &mut self,
        cx: &Context<'_, 't>,
        function: Node<'t>,
        param: &str,
    ) -> Result<(), String> {
        let source = self.cx_source;
        let fname = function
            .field("name")
            .map(|n| source.str(n))
            .unwrap_or_else(|| "the function".to_string());
        if !self.visited.insert(function.id()) {
            return Ok(());
        }
        let body = function
            .field("body")
            .ok_or("internal: a function without a body")?;
        // Every `return` gives the parameter back.
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            for child in children {
                match child.ty() {
                    "function_definition" | "class_definition" | "lambda" => {}
                    "return_statement" => match child.named_child(0) {
                        None => self.edits.push(Edit::replace(
                            child.start_byte(),
                            child.end_byte(),
                            format!("return {param}"),
                        )),
                        Some(v) if v.ty() == "identifier" && source.str(v) == param => {}
                        Some(_) => {
                            return Err(format!(
                                "`{fname}` returns something else, so it cannot give callers the new `{param}`; the callers keep the stale object"
                            ))
                        }
                    },
                    "yield" => return Err(format!("`{fname}` is a generator; its callers keep the stale `{param}`")),
                    _ => stack.push(child),
                }
            }
        }
        let mut cursor = body.walk();
        let last = body
            .named_children(&mut cursor)
            .filter(|n| n.ty() != "comment")
            .last()
            .ok_or("internal: an empty body")?;
        if !matches!(last.ty(), "return_statement" | "raise_statement") {
            let indent = String::from_utf8_lossy(&source.indent_at(last.start_byte())).into_owned();
            let newline = String::from_utf8_lossy(source.newline()).into_owned();
            self.edits.push(Edit::insert(
                last.end_byte(),
                format!("{newline}{indent}return {param}"),
            ));
        }
        // Every caller rebinds what it passed.
        let calls = cx.model.calls_of(function).ok_or_else(|| {
            format!("`{fname}` may be called from elsewhere, and its callers keep the stale `{param}`; return it and rebind it at each call by hand")
        })?;
        let position =
            parameter_position(source, function, param).ok_or("internal: no such parameter")?;
        let position = if cx.model.is_method(function) {
            position.checked_sub(1).ok_or("internal: self")?
        } else {
            position
        };
        for call in calls {
            let args = CallArgs::new(source, call).ok_or("internal: call arguments")?;
            let Some(arg) = args
                .positional
                .get(position)
                .copied()
                .or_else(|| args.keyword(param).map(|(_, v)| v))
            else {
                continue;
            };
            if made_by_call(arg) {
                continue;
            }
            if arg.ty() != "identifier" {
                return Err(format!(
                    "`{fname}({})` passes an expression, which keeps the stale object; pass a name and rebind it",
                    source.str(arg)
                ));
            }
            let arg_text = source.str(arg);
            let mut outer = call;
            if let Some(p) = outer.parent().filter(|p| p.ty() == "await") {
                outer = p;
            }
            let parent = outer.parent().ok_or("internal")?;
            match parent.ty() {
                "expression_statement" if parent.named_child_count() == 1 => {
                    self.edits.push(Edit::insert(outer.start_byte(), format!("{arg_text} = ")));
                    self.holders(cx, arg, parent)?;
                }
                "assignment"
                    if parent
                        .field("left")
                        .is_some_and(|l| l.ty() == "identifier" && source.str(l) == arg_text) => {}
                _ => {
                    return Err(format!(
                        "the value of `{}` is used, so the caller's `{arg_text}` cannot be rebound; it keeps the stale object",
                        source.str(call)
                    ))
                }
            }
        }
        Ok(())
    }
}
