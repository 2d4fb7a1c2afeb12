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

use std::collections::HashSet;

use tree_sitter::Node;

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::{Origin, SemanticModel};
use crate::syntax::{simple_receiver, CallArgs, Source};

pub fn keep_holders_current(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let call = cx.call()?;
    let Some(object) = call.callee.child_by_field_name("object") else {
        return Ok(vec![]);
    };
    // `self.current.wait()` → `self.current = ...`: the attribute itself is updated.
    if object.kind() != "identifier" {
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
                            let left = loop_statement.child_by_field_name("left").ok_or("internal")?;
                            if left.kind() != "identifier" {
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
        let body = loop_statement
            .child_by_field_name("body")
            .ok_or("internal")?;
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
        let items_of = (iterable.kind() == "call")
            .then(|| iterable.child_by_field_name("function"))
            .flatten()
            .filter(|f| {
                f.kind() == "attribute"
                    && f.child_by_field_name("attribute")
                        .is_some_and(|a| source.str(a) == "items")
            })
            .and_then(|f| f.child_by_field_name("object"));
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
                let (open, close) = if pattern.kind() == "pattern_list" {
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
                match child.kind() {
                    "function_definition" | "class_definition" | "lambda" => continue,
                    "assignment" => {
                        let (Some(left), Some(right)) = (
                            child.child_by_field_name("left"),
                            child.child_by_field_name("right"),
                        ) else {
                            continue;
                        };
                        if right.kind() != "identifier" || source.str(right) != text {
                            stack.push(child);
                            continue;
                        }
                        match left.kind() {
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
                        let appended = child.child_by_field_name("function").and_then(|f| {
                            let attr = f.child_by_field_name("attribute")?;
                            let object = f.child_by_field_name("object")?;
                            matches!(
                                source.str(attr).as_str(),
                                "append" | "add" | "insert" | "extend"
                            )
                            .then_some(object)
                        });
                        let passes_it = CallArgs::new(source, child).is_some_and(|a| {
                            a.positional
                                .iter()
                                .any(|p| p.kind() == "identifier" && source.str(*p) == text)
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
            .child_by_field_name("name")
            .map(|n| source.str(n))
            .unwrap_or_else(|| "the function".to_string());
        if !self.visited.insert(function.id()) {
            return Ok(());
        }
        let body = function
            .child_by_field_name("body")
            .ok_or("internal: a function without a body")?;
        // Every `return` gives the parameter back.
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            for child in children {
                match child.kind() {
                    "function_definition" | "class_definition" | "lambda" => {}
                    "return_statement" => match child.named_child(0) {
                        None => self.edits.push(Edit::replace(
                            child.start_byte(),
                            child.end_byte(),
                            format!("return {param}"),
                        )),
                        Some(v) if v.kind() == "identifier" && source.str(v) == param => {}
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
            .filter(|n| n.kind() != "comment")
            .last()
            .ok_or("internal: an empty body")?;
        if !matches!(last.kind(), "return_statement" | "raise_statement") {
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
            if arg.kind() != "identifier" {
                return Err(format!(
                    "`{fname}({})` passes an expression, which keeps the stale object; pass a name and rebind it",
                    source.str(arg)
                ));
            }
            let arg_text = source.str(arg);
            let mut outer = call;
            if let Some(p) = outer.parent().filter(|p| p.kind() == "await") {
                outer = p;
            }
            let parent = outer.parent().ok_or("internal")?;
            match parent.kind() {
                "expression_statement" if parent.named_child_count() == 1 => {
                    self.edits.push(Edit::insert(outer.start_byte(), format!("{arg_text} = ")));
                    self.holders(cx, arg, parent)?;
                }
                "assignment"
                    if parent
                        .child_by_field_name("left")
                        .is_some_and(|l| l.kind() == "identifier" && source.str(l) == arg_text) => {}
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

/// The expression statement of a (possibly awaited) call.
fn statement_of(call: Node) -> Option<Node> {
    let mut node = call;
    if let Some(p) = node.parent().filter(|p| p.kind() == "await") {
        node = p;
    }
    node.parent().filter(|p| p.kind() == "expression_statement")
}

/// The body of the function (or the module) a statement is in.
/// Whether `body` assigns `name` (a plain assignment, augmented one, walrus or loop target).
fn assigns(source: &Source, body: Node, name: &str) -> bool {
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        let target = match node.kind() {
            "assignment" | "augmented_assignment" | "for_statement" => {
                node.child_by_field_name("left")
            }
            "named_expression" => node.child_by_field_name("name"),
            _ => None,
        };
        if let Some(target) = target {
            // The names a target binds: itself, or those of a tuple or list it unpacks into
            // (never the names inside `d[key]` or `obj.attr`).
            let mut targets = vec![target];
            while let Some(t) = targets.pop() {
                match t.kind() {
                    "identifier" if source.str(t) == name => return true,
                    "pattern_list"
                    | "tuple_pattern"
                    | "list_pattern"
                    | "tuple"
                    | "list"
                    | "parenthesized_expression"
                    | "list_splat_pattern" => {
                        let mut c = t.walk();
                        targets.extend(t.named_children(&mut c));
                    }
                    _ => {}
                }
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor).filter(|c| {
            !matches!(
                c.kind(),
                "function_definition" | "class_definition" | "lambda"
            )
        }));
    }
    false
}

fn enclosing_body(statement: Node) -> Option<Node> {
    let mut node = statement.parent();
    while let Some(n) = node {
        match n.kind() {
            "function_definition" => return n.child_by_field_name("body"),
            "module" => return Some(n),
            _ => node = n.parent(),
        }
    }
    None
}

fn parameter_position(source: &Source, function: Node, name: &str) -> Option<usize> {
    let params = function.child_by_field_name("parameters")?;
    let mut cursor = params.walk();
    let position = params
        .named_children(&mut cursor)
        // Positions count the parameters that bind a plain name (as the semantic model does).
        .filter(|p| {
            matches!(
                p.kind(),
                "identifier" | "default_parameter" | "typed_default_parameter" | "typed_parameter"
            ) && !(p.kind() == "typed_parameter"
                && p.named_child(0).is_some_and(|n| n.kind() != "identifier"))
        })
        .position(|p| {
            let n = match p.kind() {
                "identifier" => Some(p),
                _ => p.child_by_field_name("name").or_else(|| p.named_child(0)),
            };
            n.is_some_and(|n| source.str(n) == name)
        });
    position
}

/// Whether the object `container` names (its root name: `batch`, `self`) may be read after
/// `after`: a later use of the root name in the same function, or in a loop around it, or any
/// `self` (other methods read it) or module-level name (other functions read it).
fn read_later(model: &SemanticModel, source: &Source, container: Node, after: Node) -> bool {
    let mut root = container;
    while let Some(object) = root
        .child_by_field_name("object")
        .or_else(|| root.child_by_field_name("value"))
    {
        root = object;
    }
    if root.kind() != "identifier" {
        return true;
    }
    let name = source.str(root);
    if name == "self" || name == "cls" {
        return true;
    }
    let Some(body) = enclosing_body(after) else {
        return true;
    };
    if body.kind() == "module" {
        // A module-level container: other functions may read it.
        let uses_elsewhere =
            uses_of(source, body, &name)
                .into_iter()
                .any(|u| match inside_function(u) {
                    true => !model.is_local(u),
                    false => u.start_byte() >= after.end_byte(),
                });
        return uses_elsewhere;
    }
    // A loop around `after` reads the container again on its next pass.
    let mut node = after.parent();
    while let Some(n) = node {
        if n.id() == body.id() {
            break;
        }
        // (A loop that rebinds the name before `after`, as its `for` target or by an
        // assignment, holds a new object on its next pass.)
        let rebinds = (n.kind() == "for_statement"
            && n.child_by_field_name("left")
                .is_some_and(|l| !uses_of(source, l, &name).is_empty()))
            || assigned_before(source, n, &name, after);
        if matches!(n.kind(), "for_statement" | "while_statement") && !rebinds {
            return true;
        }
        node = n.parent();
    }
    uses_of(source, body, &name)
        .into_iter()
        .any(|u| u.start_byte() >= after.end_byte())
}

/// Whether the caller of `call` reads again, later, the name it passes for the parameter
/// `param` (at `position`): then it must see the new object.
fn passes_name_read_later(
    model: &SemanticModel,
    source: &Source,
    call: Node,
    position: Option<usize>,
    param: &str,
) -> bool {
    let Some(args) = CallArgs::new(source, call) else {
        return true;
    };
    let Some(arg) = position
        .and_then(|p| args.positional.get(p).copied())
        .or_else(|| args.keyword(param).map(|(_, v)| v))
    else {
        // Not passed (a default), or passed through `*args`.
        return args.unpacking;
    };
    if made_by_call(arg) {
        return false;
    }
    if arg.kind() != "identifier" {
        return true;
    }
    // `[poll(p) for p in jobs]`: the comprehension's own name, rebound on each pass; the
    // object stays in `jobs`.
    if let Some((comprehension, iterable)) = comprehension_of(source, arg) {
        let name = source.str(arg);
        let others = uses_of(source, comprehension, &name)
            .into_iter()
            .filter(|u| u.id() != arg.id() && !is_comprehension_target(*u))
            .count();
        return others > 0 || read_later(model, source, iterable, comprehension);
    }
    read_later(model, source, arg, call)
}

/// The comprehension whose `for NAME in ITERABLE` binds the identifier `name`, with that
/// iterable.
fn comprehension_of<'t>(source: &Source, name: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let text = source.str(name);
    let mut node = name.parent();
    while let Some(n) = node {
        match n.kind() {
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => {
                let mut cursor = n.walk();
                let clause = n.named_children(&mut cursor).find(|c| {
                    c.kind() == "for_in_clause"
                        && c.child_by_field_name("left")
                            .is_some_and(|l| l.kind() == "identifier" && source.str(l) == text)
                });
                return clause
                    .and_then(|c| c.child_by_field_name("right"))
                    .map(|iterable| (n, iterable));
            }
            "function_definition" | "lambda" | "class_definition" | "module" => return None,
            _ => node = n.parent(),
        }
    }
    None
}

/// Whether `name` is the target of a comprehension's `for NAME in ...`.
fn is_comprehension_target(name: Node) -> bool {
    name.parent()
        .is_some_and(|p| p.kind() == "for_in_clause" && p.child_by_field_name("left") == Some(name))
}

/// Fields a prediction's or training's `wait()`, `reload()` and `cancel()` never change: a
/// holder that reads only these sees no difference.
const UNCHANGING: &[&str] = &[
    "id",
    "model",
    "version",
    "input",
    "created_at",
    "urls",
    "destination",
];

/// The uses of `name` in `body` that may read what v1's in-place update changed (all but
/// `name.id` and the other unchanging fields).
fn uses_of<'t>(source: &Source, body: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" && source.is(n, name) {
            let unchanging = n.parent().is_some_and(|p| {
                p.kind() == "attribute"
                    && p.child_by_field_name("object") == Some(n)
                    && p.child_by_field_name("attribute")
                        .is_some_and(|a| UNCHANGING.contains(&source.str(a).as_str()))
            });
            // `e.prediction`, `f(prediction=...)`: a field or keyword of that name, not a use.
            let not_a_name = n.parent().is_some_and(|p| {
                (p.kind() == "attribute" && p.child_by_field_name("attribute") == Some(n))
                    || (p.kind() == "keyword_argument" && p.child_by_field_name("name") == Some(n))
            });
            if !unchanging && !not_a_name {
                out.push(n);
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

fn inside_function(node: Node) -> bool {
    let mut p = node.parent();
    while let Some(n) = p {
        if matches!(n.kind(), "function_definition" | "lambda") {
            return true;
        }
        p = n.parent();
    }
    false
}

/// `replicate.predictions.list()`, `client.files.list().results`: a value a call just made,
/// which nothing else holds.
fn made_by_call(node: Node) -> bool {
    let mut n = node;
    loop {
        match n.kind() {
            "call" => return true,
            "attribute" | "subscript" => match n
                .child_by_field_name("object")
                .or_else(|| n.child_by_field_name("value"))
            {
                Some(inner) => n = inner,
                None => return false,
            },
            _ => return false,
        }
    }
}

/// Whether `loop_node`'s body assigns `name = ...` before `after`.
fn assigned_before(source: &Source, loop_node: Node, name: &str, after: Node) -> bool {
    let mut stack = vec![loop_node];
    while let Some(n) = stack.pop() {
        if n.start_byte() >= after.start_byte() {
            continue;
        }
        if n.kind() == "assignment"
            && n.child_by_field_name("left")
                .is_some_and(|l| l.kind() == "identifier" && source.is(l, name))
        {
            return true;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    false
}

/// Whether `name` holds a parameter of its function (what the caller passed).
fn is_parameter<'t>(model: &SemanticModel<'t>, name: Node<'t>) -> bool {
    name.kind() == "identifier"
        && model
            .origins(name)
            .iter()
            .any(|o| matches!(o, Origin::Param { .. }))
}
