//! Calls: what an SDK call, a function or a method of this file returns.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::binding::BindingKind;
use super::super::kinds::{
    client_call_result, object_call_result, SdkKind, SdkValue, V2_CLIENT_KEYWORDS,
    V2_ONLY_CLIENT_KEYWORDS,
};
use super::super::SemanticModel;
use super::Resolved;
use crate::syntax::unsplat;

impl<'t> SemanticModel<'t> {
    /// A call: the v1 value it returns, when proven.
    pub(in crate::semantic) fn resolve_call(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        match self.call_value(node, depth) {
            Some(value) => Resolved::Member {
                value,
                base: node,
                path: vec![],
            },
            None => Resolved::Unknown,
        }
    }

    /// The value a call returns, when the semantic model can prove its kind.
    pub(in crate::semantic) fn call_value(&self, call: Node<'t>, depth: usize) -> Option<SdkValue> {
        let callee = unsplat(call.field("function")?);
        // Resolved once: chains such as `f()()()` must not resolve their inner calls again.
        let resolved = self.resolve_depth(callee, depth + 1);
        match resolved {
            Resolved::Function(def) => {
                return self.return_value_at(def, Caller::Call(call), depth + 1)
            }
            Resolved::Method { def, receiver } => {
                let value = self.return_value_at(def, Caller::Call(call), depth + 1)?;
                return Some(self.through_receiver(value, receiver));
            }
            _ => {}
        }
        let resolved = match resolved {
            Resolved::Function(_) | Resolved::Method { .. } => return None,
            other => other,
        };
        // `next(gen)`: an item of what `gen` yields.
        if callee.ty() == "identifier" && self.source.is(callee, "next") && self.is_unbound(callee)
        {
            let args = crate::syntax::CallArgs::new(self.source, call)?;
            let first = *args.positional.first()?;
            let value = self.value_of(first, depth + 1)?;
            let kind = match value.kind {
                SdkKind::List(o) => SdkKind::Object(o),
                _ => return None,
            };
            return Some(SdkValue { kind, ..value });
        }
        // `await asyncio.gather(*(c.predictions.async_create(...) for x in xs))`: a list of
        // what each awaitable gives.
        if let Some(spread) = self.gathered_spread(call) {
            let item = spread.named_child(0)?;
            let value = self.value_of(item, depth + 1)?;
            let kind = match value.kind {
                SdkKind::Object(o) => SdkKind::List(o),
                SdkKind::Keyed(o) => SdkKind::KeyedList(o),
                _ => return None,
            };
            return Some(SdkValue { kind, ..value });
        }
        // `dict(pairs)`, `dict(jobs)`: a dict of the objects.
        if callee.ty() == "identifier" && self.source.is(callee, "dict") && self.is_unbound(callee)
        {
            let args = crate::syntax::CallArgs::new(self.source, call)?;
            let [only] = args.positional.as_slice() else {
                return None;
            };
            if !args.keywords.is_empty() {
                return None;
            }
            let value = self.value_of(*only, depth + 1)?;
            let kind = match value.kind {
                SdkKind::KeyedList(o) | SdkKind::Dict(o) => SdkKind::Dict(o),
                _ => return None,
            };
            return Some(SdkValue { kind, ..value });
        }
        let target = self.target_of(resolved)?;
        let path: Vec<&str> = target.path.iter().map(String::as_str).collect();
        match target.value.kind {
            SdkKind::Module => {
                // `AsyncReplicate()` too: its namespaces take the same arguments.
                if matches!(
                    path.as_slice(),
                    ["Client"] | ["Replicate"] | ["AsyncReplicate"]
                ) {
                    let v2_constructor =
                        path.as_slice() != ["Client"] || self.client_call_is_v2(call);
                    return Some(SdkValue {
                        kind: SdkKind::Client,
                        client: None,
                        assumed: false,
                        v2: v2_constructor,
                    });
                }
                if path.as_slice() == ["paginate"] {
                    // `replicate.paginate(X.list)` yields the pages of `X.list()`.
                    let args = call.field("arguments")?;
                    let list = self.target_depth(args.named_child(0)?, depth + 1)?;
                    let SdkKind::Page(o) = client_call_result(&list.path)? else {
                        return None;
                    };
                    return Some(SdkValue {
                        kind: SdkKind::Pages(o),
                        client: target.value.client,
                        assumed: target.value.assumed,
                        v2: target.value.v2,
                    });
                }
                let kind = client_call_result(&target.path)?;
                Some(SdkValue {
                    kind,
                    client: target.value.client,
                    assumed: target.value.assumed,
                    v2: target.value.v2 || self.file_is_v2,
                })
            }
            SdkKind::Client => Some(SdkValue {
                kind: client_call_result(&target.path)?,
                client: target.base.map(|b| self.source.str(b)),
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
            kind => Some(SdkValue {
                kind: object_call_result(kind, &target.path)?,
                client: target.value.client,
                assumed: target.value.assumed,
                v2: target.value.v2,
            }),
        }
    }

    /// Whether `Client(...)` builds v2's client (`Client` is an alias of `Replicate` there): it
    /// passes a keyword only v2 takes (`bearer_token=`, `http_client=`, ...), or the project
    /// requires v2 and every argument is a keyword v2's constructor takes (`Client()`,
    /// `Client(base_url=...)`).
    pub(in crate::semantic) fn client_call_is_v2(&self, call: Node<'t>) -> bool {
        let Some(args) = call.field("arguments") else {
            return false;
        };
        let mut cursor = args.walk();
        let keywords: Vec<Option<String>> = args
            .named_children(&mut cursor)
            .filter(|a| a.ty() != "comment")
            .map(|a| {
                (a.ty() == "keyword_argument")
                    .then(|| a.field("name").map(|n| self.source.str(n)))
                    .flatten()
            })
            .collect();
        let v2_only = keywords
            .iter()
            .flatten()
            .any(|k| V2_ONLY_CLIENT_KEYWORDS.contains(&k.as_str()));
        v2_only
            || (self.project_on_v2
                && keywords.iter().all(|k| {
                    k.as_deref()
                        .is_some_and(|k| V2_CLIENT_KEYWORDS.contains(&k))
                }))
    }

    /// What calling `def` (a function, method or lambda of this file) returns: the join of its
    /// `return`s (a bare `return` or `return None` adds nothing: `Optional[...]`), or for a
    /// generator a list of what it yields, or else what its return annotation names.
    pub(in crate::semantic) fn return_value(
        &self,
        def: Node<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        self.return_value_at(def, Caller::Outside, depth)
    }

    /// `return_value`, seen from the call `call`: a client the function reached through one of
    /// its parameters is the argument that call passes (`submissions(design, ...)` yields
    /// predictions of `design`).
    pub(in crate::semantic) fn return_value_at(
        &self,
        def: Node<'t>,
        caller: Caller<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        let call = match caller {
            Caller::Call(call) => Some(call),
            _ => None,
        };
        if depth > super::MAX_DEPTH {
            return None;
        }
        if def.ty() == "lambda" {
            return self.value_of(def.field("body")?, depth + 1);
        }
        let body = def.field("body")?;
        let mut returns = Vec::new();
        let mut yields = Vec::new();
        collect_returns(body, &mut returns, &mut yields);
        let is_method = self.method_class(def).is_some();
        let mut agreed: Option<SdkValue> = None;
        let values: Vec<Node<'t>> = if yields.is_empty() {
            returns
        } else {
            yields.clone()
        };
        let mut any = false;
        let mut unknown = false;
        for ret in values {
            let Some(expr) = ret.named_child(0).filter(|e| e.ty() != "none") else {
                continue;
            };
            any = true;
            let Some(value) = self.value_of(expr, depth + 1) else {
                unknown = true;
                break;
            };
            // A client reached through a name local to the function is not reachable outside;
            // a method's `self.client` is, through the instance (see `through_receiver`).
            let client = value.client.clone().and_then(|c| {
                let (root, rest) = match c.split_once('.') {
                    Some((root, rest)) => (root.to_string(), format!(".{rest}")),
                    None => (c.clone(), String::new()),
                };
                if is_method && root == "self" {
                    return Some(c);
                }
                // A fixture's other fixtures are the test's parameters of the same name.
                if let Caller::Fixture(test) = caller {
                    if self.has_parameter(def, &root) && self.has_parameter(test, &root) {
                        return Some(c);
                    }
                }
                if let Some(fallback) = self.holds_parameter(ret, &root) {
                    if let Some(call) = call {
                        match self.argument_for(def, call, &root) {
                            Some(Some(argument)) => return Some(format!("{argument}{rest}")),
                            // Not passed: the fallback made the client (evaluated again here).
                            None => {
                                if let Some(fallback) = fallback {
                                    return Some(format!("{fallback}{rest}"));
                                }
                            }
                            Some(None) => {}
                        }
                    }
                }
                (self.lookup(&root, 0).is_some()
                    && self.lookup(&root, self.scope_at(ret)).map(|(s, _)| s) == Some(0))
                .then_some(c)
            });
            let value = SdkValue { client, ..value };
            agreed = match agreed {
                None => Some(value),
                Some(a) if a == value => Some(a),
                Some(mut a)
                    if a.kind == value.kind && (a.kind != SdkKind::Client || a.v2 == value.v2) =>
                {
                    if a.client != value.client {
                        a.client = None;
                    }
                    a.assumed |= value.assumed;
                    Some(a)
                }
                Some(_) => {
                    unknown = true;
                    break;
                }
            };
        }
        if any && !unknown {
            let value = agreed?;
            // A yield fixture gives the test what it yields.
            if yields.is_empty() || matches!(caller, Caller::Fixture(_)) {
                return Some(value);
            }
            let SdkKind::Object(o) = value.kind else {
                return None;
            };
            return Some(SdkValue {
                kind: SdkKind::List(o),
                ..value
            });
        }
        // `def start() -> Prediction:` / `-> Optional["Prediction"]`: what the annotation says.
        let annotation = def.field("return_type")?;
        let (kind, v2) = self.annotation_value(annotation, depth + 1)?;
        Some(SdkValue {
            kind,
            client: None,
            assumed: true,
            v2,
        })
    }

    /// Whether, at the `return`/`yield` `ret`, the name `param` still holds what the caller
    /// passed: every binding that reaches it there is the parameter, a test of it, or a
    /// fallback for when it is `None` (`client = client or make()`, or an assignment under
    /// `if client is None:`).
    /// With the fallback's text when there is one and it may be evaluated again (a call with
    /// no arguments, or a plain name).
    fn holds_parameter(&self, ret: Node<'t>, param: &str) -> Option<Option<String>> {
        let mut stack = vec![ret];
        let mut name = None;
        while let Some(n) = stack.pop() {
            if n.ty() == "identifier" && self.source.is(n, param) {
                name = Some(n);
                break;
            }
            let mut cursor = n.walk();
            let children: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        let name = name?;
        let (_, ids) = self.reaching_bindings(name)?;
        let mut pending: Vec<usize> = ids.to_vec();
        let mut has_param = false;
        let mut fallbacks = Vec::new();
        while let Some(id) = pending.pop() {
            let b = &self.bindings[id];
            match b.kind {
                BindingKind::Param { .. } => has_param = true,
                BindingKind::Narrowed(_) => pending.extend(b.narrowed.iter().copied()),
                // `client = client or make()` keeps the parameter when it is given.
                BindingKind::Assign(value) if self.is_fallback(value, b.site, param) => {
                    let made = if value.ty() == "boolean_operator" {
                        has_param = true;
                        value.field("right")
                    } else {
                        Some(value)
                    };
                    fallbacks.push(made.filter(|m| repeatable(*m)).map(|m| self.source.str(m)));
                }
                _ => return None,
            }
        }
        if !has_param {
            return None;
        }
        Some(match fallbacks.as_slice() {
            [Some(one)] => Some(one.clone()),
            _ => None,
        })
    }

    /// `param or make()`, or a value assigned under `if param is None:`.
    fn is_fallback(&self, value: Node<'t>, site: Option<Node<'t>>, param: &str) -> bool {
        let or_default = value.ty() == "boolean_operator"
            && value.field("operator").is_some_and(|o| o.ty() == "or")
            && value
                .field("left")
                .is_some_and(|l| l.ty() == "identifier" && self.source.is(l, param));
        if or_default {
            return true;
        }
        let mut node = site;
        while let Some(n) = node {
            if n.ty() == "if_statement" {
                let tests_none = n.field("condition").is_some_and(|c| {
                    let text = self.source.str(c);
                    let text: Vec<&str> = text.split_whitespace().collect();
                    text == [param, "is", "None"] || text == ["not", param]
                });
                let in_body = n.field("consequence").zip(site).is_some_and(|(b, s)| {
                    b.start_byte() <= s.start_byte() && s.end_byte() <= b.end_byte()
                });
                return tests_none && in_body;
            }
            if matches!(n.ty(), "function_definition" | "lambda") {
                return false;
            }
            node = n.parent();
        }
        false
    }

    /// Whether `function` has a parameter named `name`.
    pub(in crate::semantic) fn has_parameter(&self, function: Node<'t>, name: &str) -> bool {
        self.scope_of_node.get(&function.id()).is_some_and(|scope| {
            self.scopes[*scope].bindings.get(name).is_some_and(|ids| {
                ids.iter()
                    .any(|id| matches!(self.bindings[*id].kind, BindingKind::Param { .. }))
            })
        })
    }

    /// A pytest fixture of this file named `name`: a module-level function decorated with
    /// `@pytest.fixture` (or `@pytest.fixture(...)`, `@fixture`, `@pytest_asyncio.fixture`).
    pub(in crate::semantic) fn fixture(&self, name: &str) -> Option<Node<'t>> {
        let ids = self.scopes[0].bindings.get(name)?;
        let [id] = ids.as_slice() else { return None };
        let BindingKind::Def(def) = self.bindings[*id].kind else {
            return None;
        };
        let decorated = def.parent().filter(|p| p.ty() == "decorated_definition")?;
        let mut cursor = decorated.walk();
        let is_fixture = decorated.children(&mut cursor).any(|d| {
            d.ty() == "decorator"
                && d.named_child(0).is_some_and(|e| {
                    let e = if e.ty() == "call" {
                        e.field("function").unwrap_or(e)
                    } else {
                        e
                    };
                    matches!(
                        self.source.str(e).as_str(),
                        "pytest.fixture" | "fixture" | "pytest_asyncio.fixture"
                    )
                })
        });
        is_fixture.then_some(def)
    }

    /// The text of the argument `call` passes for the parameter `param` of `def`, when it is a
    /// plain name or attribute (text a fix may repeat).
    /// `None` when the call does not pass it; `Some(None)` when it passes something else.
    fn argument_for(&self, def: Node<'t>, call: Node<'t>, param: &str) -> Option<Option<String>> {
        let other = Some(None);
        let Some(scope) = self.scope_of_node.get(&def.id()).copied() else {
            return other;
        };
        let Some(ids) = self.scopes[scope].bindings.get(param) else {
            return other;
        };
        let Some(position) = ids.iter().find_map(|id| match self.bindings[*id].kind {
            BindingKind::Param { position, .. } => Some(position),
            _ => None,
        }) else {
            return other;
        };
        // A method called on an instance passes `self` itself.
        let position = match self.method_class(def) {
            Some(_) => match position.checked_sub(1) {
                Some(p) => p,
                None => return other,
            },
            None => position,
        };
        let Some(args) = crate::syntax::CallArgs::new(self.source, call) else {
            return other;
        };
        if args.unpacking {
            return other;
        }
        let arg = args
            .positional
            .get(position)
            .copied()
            .or_else(|| args.keyword(param).map(|(_, v)| v))?;
        Some(crate::syntax::simple_text(self.source, arg))
    }

    /// `make = lambda c: c.predictions.create(...)`: a name bound to a lambda is a function.
    pub(in crate::semantic) fn callable_value(
        &self,
        value: Node<'t>,
        _depth: usize,
    ) -> Resolved<'t> {
        match value.ty() {
            "lambda" => Resolved::Function(value),
            _ => Resolved::Unknown,
        }
    }
}

/// `asyncio.gather(...)` written so, when `call` is one (the builder's test: it runs before
/// the names are known; `SemanticModel::gathered_spread` checks the import).
pub(in crate::semantic) fn is_gather(source: &crate::syntax::Source, call: Node) -> bool {
    call.ty() == "call"
        && call
            .field("function")
            .is_some_and(|f| source.is(f, "asyncio.gather"))
}

impl<'t> SemanticModel<'t> {
    /// The comprehension spread into `asyncio.gather(*(... for ...))` (its only argument), when
    /// the callee is the standard library's (`import asyncio`, `from asyncio import gather`).
    fn gathered_spread(&self, call: Node<'t>) -> Option<Node<'t>> {
        let callee = call.field("function")?;
        let scope = self.scope_at(callee);
        let stdlib = match callee.ty() {
            "attribute" => {
                let object = callee.field("object")?;
                let attr = callee.field("attribute")?;
                object.ty() == "identifier"
                    && self.source.is(attr, "gather")
                    && self.resolves_to(scope, &self.source.str(object), &["asyncio"])
            }
            "identifier" => {
                self.resolves_to(scope, &self.source.str(callee), &["asyncio", "gather"])
            }
            _ => false,
        };
        if !stdlib {
            return None;
        }
        spread_comprehension(call)
    }
}

fn spread_comprehension<'t>(call: Node<'t>) -> Option<Node<'t>> {
    let args = call.field("arguments")?;
    let mut cursor = args.walk();
    let items: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
    let [splat] = items.as_slice() else {
        return None;
    };
    let inner = if splat.ty() == "list_splat" {
        splat.named_child(0)?
    } else {
        return None;
    };
    let inner = if inner.ty() == "parenthesized_expression" {
        inner.named_child(0)?
    } else {
        inner
    };
    matches!(inner.ty(), "generator_expression" | "list_comprehension").then_some(inner)
}

/// Who takes a function's value: code outside it, a call of it, or a test that takes a fixture.
#[derive(Debug, Clone, Copy)]
pub(in crate::semantic) enum Caller<'t> {
    Outside,
    Call(Node<'t>),
    Fixture(Node<'t>),
}

/// The `return` statements and `yield` expressions of a function body, not of functions,
/// classes or lambdas nested in it.
pub(in crate::semantic) fn collect_returns<'t>(
    node: Node<'t>,
    returns: &mut Vec<Node<'t>>,
    yields: &mut Vec<Node<'t>>,
) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.ty() {
                "return_statement" => returns.push(child),
                "yield" => {
                    // `yield from gen` delegates: its items are not known here.
                    let mut c = child.walk();
                    if !child.children(&mut c).any(|t| t.ty() == "from") {
                        yields.push(child);
                    }
                }
                "function_definition" | "class_definition" | "lambda" => {}
                _ => stack.push(child),
            }
        }
    }
}

/// An expression a fix may evaluate again: a name, an attribute chain, or a call of one with
/// no arguments or only literal ones (`get_client()`, `make_client("team")`).
fn repeatable(node: Node) -> bool {
    match node.ty() {
        "call" => {
            node.field("function")
                .is_some_and(crate::syntax::simple_receiver)
                && node.field("arguments").is_some_and(|args| {
                    let mut cursor = args.walk();
                    let all = args.named_children(&mut cursor).all(|a| {
                        matches!(
                            a.ty(),
                            "string" | "integer" | "float" | "true" | "false" | "none"
                        )
                    });
                    all
                })
        }
        _ => crate::syntax::simple_receiver(node),
    }
}

#[cfg(test)]
#[path = "calls_tests.rs"]
mod tests;
