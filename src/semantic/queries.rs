//! Questions the rules and fixes ask about names at a node: is this the module, which local
//! name has a v2 symbol, is a name free to use, is a client reachable here.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::binding::{BindingId, BindingKind};
use super::kinds::SdkKind;
use super::{is_sdk, SemanticModel};

impl<'t> SemanticModel<'t> {
    /// True when `name` at `node` is bound by the module `replicate` import (any alias).
    pub fn module_alias_in_scope(&self, node: Node<'t>) -> Option<String> {
        let scope = self.scope_at(node);
        // Prefer the plain name, then any alias bound at module level.
        if self.resolves_to(scope, "replicate", &["replicate"]) {
            return Some("replicate".to_string());
        }
        let mut names: Vec<&String> = self.scopes[0].bindings.keys().collect();
        names.sort();
        names
            .into_iter()
            .find(|n| self.resolves_to(scope, n, &["replicate"]))
            .cloned()
    }

    /// Whether `name` at `node` is the `replicate` module (under any alias).
    pub fn is_module_name(&self, name: &str, node: Node<'t>) -> bool {
        self.resolves_to(self.scope_at(node), name, &["replicate"])
    }

    /// The local name bound to SDK symbol `qualified` (e.g. `replicate.Replicate`) at `node`.
    pub fn symbol_in_scope(&self, node: Node<'t>, qualified: &[&str]) -> Option<String> {
        let scope = self.scope_at(node);
        // Only a name some import binds can resolve to an SDK symbol: the module-level names
        // among those, not every module-level name, are tried (a file can bind thousands).
        let imported = self.module_imports.get_or_init(|| {
            let mut names: Vec<String> = self
                .bindings
                .iter()
                .filter(|b| b.is_import() && self.scopes[0].bindings.contains_key(&b.name))
                .map(|b| b.name.clone())
                .collect();
            names.sort();
            names.dedup();
            names
        });
        imported
            .iter()
            .find(|n| self.resolves_to(scope, n, qualified))
            .cloned()
    }

    pub(in crate::semantic) fn resolves_to(
        &self,
        scope: usize,
        name: &str,
        qualified: &[&str],
    ) -> bool {
        match self.lookup(name, scope) {
            Some((_, ids)) => ids.iter().all(|id| {
                let b = &self.bindings[*id];
                b.qualified
                    .as_ref()
                    .is_some_and(|q| q.iter().map(String::as_str).eq(qualified.iter().copied()))
                    && b.is_import()
            }),
            None => false,
        }
    }

    /// The dotted path a name or attribute chain stands for through the file's imports of any
    /// module: `httpx.TimeoutException` after `import httpx` (or `import httpx as h`), and
    /// `TimeoutException` after `from httpx import TimeoutException`, are both
    /// `["httpx", "TimeoutException"]`. `None` unless every binding of the root name is one
    /// import of one path.
    pub fn imported_path(&self, node: Node<'t>) -> Option<Vec<String>> {
        match node.ty() {
            "identifier" => {
                let (_, ids) = self.lookup(&self.source.str(node), self.scope_at(node))?;
                let mut path: Option<&Vec<String>> = None;
                for id in ids {
                    let b = &self.bindings[*id];
                    let q = b.qualified.as_ref().filter(|_| b.is_import())?;
                    if path.is_some_and(|p| p != q) {
                        return None;
                    }
                    path = Some(q);
                }
                path.cloned()
            }
            "attribute" => {
                let mut path = self.imported_path(node.field("object")?)?;
                path.push(self.source.str(node.field("attribute")?));
                Some(path)
            }
            _ => None,
        }
    }

    /// The uses of a plain name that the bindings reaching `name` reach, in source order: for an
    /// assignment target (`ts = p.created_at`), the reads of `ts` it flows to. Attribute and
    /// keyword names (`x.ts`, `f(ts=...)`) and other binding sites are not uses.
    pub fn uses_of(&self, name: Node<'t>) -> Vec<Node<'t>> {
        let ids: Vec<BindingId> = match self.binding_at.get(&name.id()) {
            Some(id) => vec![*id],
            None => match self.reaching_bindings(name) {
                Some((_, ids)) => ids.to_vec(),
                None => return vec![],
            },
        };
        let text = self.source.text(name);
        let mut out = Vec::new();
        let mut stack = vec![self.root];
        while let Some(n) = stack.pop() {
            if n.ty() == "identifier"
                && n != name
                && self.source.text(n) == text
                && !self.binding_at.contains_key(&n.id())
                && !n.parent().is_some_and(|p| {
                    (p.ty() == "attribute" && p.field("attribute") == Some(n))
                        || (p.ty() == "keyword_argument" && p.field("name") == Some(n))
                })
                && self
                    .reaching_bindings(n)
                    .is_some_and(|(_, reach)| reach.iter().any(|r| self.derives_from(*r, &ids)))
            {
                out.push(n);
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        out.sort_by_key(|n| n.start_byte());
        out
    }

    /// Whether binding `id` is one of `ids`, or a test's narrowing of one (`if x is not None:`
    /// sees the `x = ...` before it through a `Narrowed` binding).
    fn derives_from(&self, id: BindingId, ids: &[BindingId]) -> bool {
        let mut pending = vec![id];
        let mut seen = Vec::new();
        while let Some(b) = pending.pop() {
            if ids.contains(&b) {
                return true;
            }
            if seen.contains(&b) {
                continue;
            }
            seen.push(b);
            if matches!(self.bindings[b].kind, BindingKind::Narrowed(_)) {
                pending.extend(self.bindings[b].narrowed.iter().copied());
            }
        }
        false
    }

    /// The values stored into the dict a name holds (`d[key] = value`) through the same
    /// bindings as `name`.
    pub fn stored_values(&self, name: Node<'t>) -> Vec<Node<'t>> {
        let Some((_, ids)) = self.reaching_bindings(name) else {
            return vec![];
        };
        let ids = ids.to_vec();
        let Some(values) = self.dict_sets.get(&self.source.str(name)) else {
            return vec![];
        };
        values
            .iter()
            .copied()
            .filter(|v| {
                let target = v
                    .parent()
                    .and_then(|a| a.field("left"))
                    .and_then(|l| l.field("value"))
                    .filter(|t| t.ty() == "identifier");
                target.is_some_and(|t| {
                    self.reaching_bindings(t)
                        .is_some_and(|(_, reach)| reach.iter().any(|r| ids.contains(r)))
                })
            })
            .collect()
    }

    /// What the file gives the attribute of an instance of one of its classes (`upload.file`):
    /// the class-level annotation of the attribute (a dataclass field) and the values of its
    /// `self.attr = ...` assignments. `None` when the object is not known to be such an instance.
    pub fn instance_attribute_sources(
        &self,
        attribute: Node<'t>,
    ) -> Option<(Option<Node<'t>>, Vec<Node<'t>>)> {
        let object = attribute.field("object")?;
        let attr = self.source.str(attribute.field("attribute")?);
        // An instance made in the file, or a parameter annotated with the class.
        let class = match self.resolve(object) {
            super::Resolved::Instance { class, .. } => class,
            _ => match self.resolve(self.param_annotation(object)?) {
                super::Resolved::Class(class) => class,
                _ => return None,
            },
        };
        let scope = *self.scope_of_node.get(&class.id())?;
        let annotation = self
            .class_fields
            .get(&(scope, attr.clone()))
            .map(|ty| match ty.ty() {
                "type" => ty.named_child(0).unwrap_or(*ty),
                _ => *ty,
            });
        let values = self
            .class_attrs
            .get(&(scope, attr))
            .cloned()
            .unwrap_or_default();
        Some((annotation, values))
    }

    /// Every call whose callee is the plain name `name`, in any scope.
    pub fn calls_named(&self, name: &str) -> &[Node<'t>] {
        self.calls_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether `name` is bound anywhere to something other than the SDK symbol `qualified`.
    pub fn bound_to_other(&self, name: &str, qualified: &[&str]) -> bool {
        self.scopes.iter().any(|scope| {
            scope.bindings.get(name).is_some_and(|ids| {
                ids.iter().any(|id| {
                    let b = &self.bindings[*id];
                    !b.is_import()
                        || !b.qualified.as_ref().is_some_and(|q| {
                            q.iter().map(String::as_str).eq(qualified.iter().copied())
                        })
                })
            })
        })
    }

    /// The annotation of a parameter (its expression), when only that parameter reaches `name`.
    pub fn param_annotation(&self, name: Node<'t>) -> Option<Node<'t>> {
        let (_, ids) = self.reaching_bindings(name)?;
        match ids.as_ref() {
            [id] => match self.bindings[*id].kind {
                BindingKind::Param {
                    annotation: Some(annotation),
                    ..
                } => match annotation.ty() {
                    "type" => annotation.named_child(0),
                    _ => Some(annotation),
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether every binding of `name`, in every scope, is an import.
    pub fn only_imported(&self, name: &str) -> bool {
        self.scopes.iter().all(|scope| {
            scope
                .bindings
                .get(name)
                .is_none_or(|ids| ids.iter().all(|id| self.bindings[*id].is_import()))
        })
    }

    /// Whether an identifier refers to no binding of this file (a builtin such as `open`).
    pub fn is_unbound(&self, name: Node<'t>) -> bool {
        self.lookup(&self.source.str(name), self.scope_at(name))
            .is_none()
    }

    /// The values a plain name is assigned (`x = v`, `with v as x`) by the bindings that reach
    /// it, or None when any of them is something else.
    pub fn assigned_values(&self, name: Node<'t>) -> Option<Vec<Node<'t>>> {
        let (_, ids) = self.reaching_bindings(name)?;
        ids.iter()
            .map(|id| match self.bindings[*id].kind {
                BindingKind::Assign(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// Whether a name is bound anywhere in the module scope (to avoid clashes when adding one).
    pub fn is_bound_at_module(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.bindings.contains_key(name))
    }

    /// Whether `client` text (`client`, `self.client`, `r`) names the same thing at `node`
    /// as where the value was produced. Checked by resolving its root name at `node`.
    pub fn client_reachable(&self, client: &str, node: Node<'t>) -> bool {
        let root = client.split('.').next().unwrap_or(client);
        let scope = self.scope_at(node);
        // `get_client()`: a module-level function that makes the client, called again here.
        if let Some((function, _)) = client.split_once('(') {
            return !function.contains('.')
                && self.lookup(function, scope).is_some_and(|(s, ids)| {
                    s == 0
                        && ids
                            .iter()
                            .all(|id| matches!(self.bindings[*id].kind, BindingKind::Def(_)))
                });
        }
        if root == "self" || client.contains('.') {
            return self
                .method_scope(scope)
                .is_some_and(|(self_name, _)| self_name == root);
        }
        // The name must mean the module or a client here too (a parameter may shadow it);
        // `None` placeholders and `client=None` parameters with a fallback do not count.
        self.lookup(root, scope).is_some_and(|(_, ids)| {
            let mut any = false;
            let all = ids.iter().all(|id| {
                let b = &self.bindings[*id];
                if b.is_none_literal() || b.is_none_default_param() {
                    return true;
                }
                any = true;
                match b.kind {
                    BindingKind::Import | BindingKind::FromImport => b
                        .qualified
                        .as_deref()
                        .is_some_and(|q| q.len() == 1 && is_sdk(q)),
                    BindingKind::Assign(v) => {
                        self.value_of(v, 1)
                            .is_some_and(|v| v.kind == SdkKind::Client)
                            || self.is_module_value(v, 1)
                    }
                    BindingKind::Param {
                        function,
                        position,
                        annotation,
                        default,
                    } => self
                        .param_value(function, position, root, annotation, default, 1)
                        .is_some_and(|v| v.kind == SdkKind::Client),
                    _ => false,
                }
            });
            all && any
        })
    }

    /// Whether an identifier is bound in the scope it is used in (so assigning it there does
    /// not turn a global or enclosing name into an unbound local).
    pub fn is_local(&self, name: Node<'t>) -> bool {
        let scope = self.scope_at(name);
        let text = self.source.str(name);
        !self.scopes[scope].globals.contains(&text)
            && self.lookup(&text, scope).is_some_and(|(s, _)| s == scope)
    }
}

/// Where a client named by a fix's text (`client`, `self.client`) is made: the one statement
/// `NAME = CONSTRUCTOR(...)` that binds it, with the constructor call.
#[derive(Debug, Clone, Copy)]
pub struct ClientSite<'t> {
    /// The assignment's expression statement.
    pub statement: Node<'t>,
    /// The constructor call (`replicate.Client(...)`).
    pub call: Node<'t>,
    /// The constructor's SDK name: `Client`, `Replicate` or `AsyncReplicate`.
    pub constructor: &'static str,
}

impl<'t> SemanticModel<'t> {
    /// The one place the client `client` (as seen at `node`) is constructed, if it is made by
    /// exactly one `Client(...)`, `Replicate(...)` or `AsyncReplicate(...)` call.
    pub fn client_site(&self, client: &str, node: Node<'t>) -> Option<ClientSite<'t>> {
        let scope = self.scope_at(node);
        let values: Vec<Node<'t>> = match client.split_once('.') {
            Some((owner, attr)) if !attr.contains('.') => {
                let (self_name, class_scope) = self.method_scope(scope)?;
                if owner != self_name {
                    return None;
                }
                let values = self
                    .class_attrs
                    .get(&(class_scope, attr.to_string()))?
                    .clone();
                // Stored from outside too (`worker.client = other`): more than one maker.
                let outside = self.attr_stores.get(attr).is_some_and(|stores| {
                    stores
                        .iter()
                        .any(|(object, _)| !self.source.is(*object, &self_name))
                });
                if outside {
                    return None;
                }
                values
            }
            Some(_) => return None,
            None => {
                let (_, ids) = self.lookup(client, scope)?;
                ids.iter()
                    .map(|id| match self.bindings[*id].kind {
                        BindingKind::Assign(v) => Some(v),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?
            }
        };
        let [value] = values.as_slice() else {
            return None;
        };
        if value.ty() != "call" {
            return None;
        }
        let callee = value.field("function")?;
        let constructor = match self.resolve(callee) {
            super::Resolved::Sdk { path, .. } => match path.get(1).map(String::as_str) {
                Some("Client") if path.len() == 2 => "Client",
                Some("Replicate") if path.len() == 2 => "Replicate",
                Some("AsyncReplicate") if path.len() == 2 => "AsyncReplicate",
                _ => return None,
            },
            _ => return None,
        };
        let mut statement = value.parent()?;
        while statement.ty() == "assignment" {
            statement = statement.parent()?;
        }
        (statement.ty() == "expression_statement").then_some(ClientSite {
            statement,
            call: *value,
            constructor,
        })
    }
}

/// Where the object a name holds came from, for a fix that must keep other holders of it
/// current (v1's `wait()`, `reload()`, `cancel()` changed the object in place; v2 returns a new
/// one).
#[derive(Debug, Clone, Copy)]
pub enum Origin<'t> {
    /// Made here (an SDK call, a function's return): no other name holds it yet.
    Made(Node<'t>),
    /// A parameter of `function`: the caller holds it too.
    Param {
        function: Node<'t>,
        name_position: usize,
    },
    /// A loop over `iterable`, by the `for` statement (`for p in batch:`); `index` is the
    /// index name when the loop is `for i, p in enumerate(batch)` already; `part` the flat
    /// pattern and the name's position in it when the items are unpacked (`for key, p in ...`).
    Loop {
        statement: Node<'t>,
        iterable: Node<'t>,
        index: Option<Node<'t>>,
        part: Option<(Node<'t>, usize)>,
    },
    /// An element read from a container: `p = jobs[key]`, `p = jobs.get(key)`.
    Element { container: Node<'t>, key: Node<'t> },
    /// Read from an attribute: `p = self.current`.
    Attribute(Node<'t>),
    /// Another name's object: `p = q`.
    Alias(Node<'t>),
    /// Anything else.
    Unknown,
}

impl<'t> SemanticModel<'t> {
    /// Where the values that reach the name `name` came from, one origin per binding.
    pub fn origins(&self, name: Node<'t>) -> Vec<Origin<'t>> {
        let Some((_, ids)) = self.reaching_bindings(name) else {
            return vec![Origin::Unknown];
        };
        let mut out = Vec::new();
        let mut pending: Vec<usize> = ids.to_vec();
        while let Some(id) = pending.pop() {
            let b = &self.bindings[id];
            if b.is_none_literal() {
                continue;
            }
            out.push(match b.kind {
                BindingKind::Narrowed(_) => {
                    pending.extend(b.narrowed.iter().copied());
                    continue;
                }
                BindingKind::Param {
                    function, position, ..
                } => Origin::Param {
                    function,
                    name_position: position,
                },
                BindingKind::Loop(iterable) | BindingKind::Unpacked { iterable, .. } => {
                    let part = match b.kind {
                        BindingKind::Unpacked {
                            pattern, position, ..
                        } => Some((pattern, position)),
                        _ => None,
                    };
                    let mut statement = b.site.and_then(|s| s.parent());
                    while let Some(s) = statement {
                        if s.ty() == "for_statement" {
                            break;
                        }
                        statement = s.parent();
                    }
                    match statement {
                        Some(statement) => {
                            let left = statement.field("left");
                            // `for i, x in enumerate(...)`, not `for key, p in ...` itself.
                            let index = left
                                .filter(|l| matches!(l.ty(), "pattern_list" | "tuple_pattern"))
                                .filter(|l| part.is_none_or(|(pattern, _)| pattern != *l))
                                .and_then(|l| l.named_child(0));
                            Origin::Loop {
                                statement,
                                iterable,
                                index,
                                part,
                            }
                        }
                        None => Origin::Unknown,
                    }
                }
                BindingKind::Assign(value) => {
                    match element_read(self, value).filter(|(container, _)| {
                        // A dict or list of v1 objects, not an SDK namespace's `get`.
                        self.value(*container).is_some_and(|v| {
                            matches!(
                                v.kind,
                                super::SdkKind::Dict(_)
                                    | super::SdkKind::List(_)
                                    | super::SdkKind::MixedList(..)
                            )
                        })
                    }) {
                        Some((container, key)) => Origin::Element { container, key },
                        // `p = q`: another name holds it too.
                        None if value.ty() == "identifier" => Origin::Alias(value),
                        // `p = self.current`: the attribute holds it too.
                        None if value.ty() == "attribute"
                            && crate::syntax::simple_receiver(value) =>
                        {
                            Origin::Attribute(value)
                        }
                        None => Origin::Made(value),
                    }
                }
                _ => Origin::Unknown,
            });
        }
        out
    }

    /// Every call of a function of this file, when the file shows them all (its name is used
    /// for nothing but calls): `None` otherwise.
    pub fn calls_of(&self, function: Node<'t>) -> Option<Vec<Node<'t>>> {
        if function.ty() != "function_definition" {
            return None;
        }
        let name = self.source.str(function.field("name")?);
        let method = self.method_class(function).is_some();
        let candidates = if method {
            self.attr_calls.get(&name)?
        } else {
            self.calls_by_name.get(&name)?
        };
        if self.name_uses.get(&name).copied().unwrap_or(0) != candidates.len() + 1 {
            return None;
        }
        let mut calls = Vec::new();
        for call in candidates {
            let callee = call.field("function")?;
            // `prediction.cancel()` inside `def cancel(self, prediction)`: the SDK's, not this.
            if self.target(callee).is_some() {
                continue;
            }
            match self.resolve(callee) {
                super::Resolved::Function(def) if def == function => calls.push(*call),
                super::Resolved::Method { def, .. } if def == function => calls.push(*call),
                _ => return None,
            }
        }
        Some(calls)
    }
}

/// `jobs[key]` or `jobs.get(key)` with a plain container and a side-effect-free key.
fn element_read<'t>(model: &SemanticModel<'t>, value: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let plain =
        |n: Node| crate::syntax::simple_receiver(n) || matches!(n.ty(), "string" | "integer");
    match value.ty() {
        "subscript" => {
            let container = value.field("value")?;
            let key = value.field("subscript")?;
            (crate::syntax::simple_receiver(container) && plain(key)).then_some((container, key))
        }
        "call" => {
            let callee = value.field("function")?;
            if callee.ty() != "attribute" || !model.source.is(callee.field("attribute")?, "get") {
                return None;
            }
            let container = callee.field("object")?;
            let args = crate::syntax::CallArgs::new(model.source, value)?;
            let [key] = args.all.as_slice() else {
                return None;
            };
            (crate::syntax::simple_receiver(container) && plain(*key)).then_some((container, *key))
        }
        _ => None,
    }
}

impl<'t> SemanticModel<'t> {
    /// Whether `function` is a method that takes the instance first (`self`).
    pub fn is_method(&self, function: Node<'t>) -> bool {
        self.method_class(function).is_some()
    }
}

impl<'t> SemanticModel<'t> {
    /// The model a v1 `Version` named `version` belongs to, as text a fix may repeat: `m` for
    /// `version = m.latest_version`, `m.versions.get(...)` or `for version in
    /// m.versions.list()`, else the one name of the same function that holds a `Model`.
    pub fn version_model(&self, version: Node<'t>) -> Option<String> {
        let owner_of = |value: Node<'t>| -> Option<String> {
            // `m.latest_version`, `m.versions.get(...)`, `m.versions.list()` (`.results`).
            let mut n = value;
            loop {
                match n.ty() {
                    "call" => n = n.field("function")?,
                    "attribute" => {
                        let attr = self.source.str(n.field("attribute")?);
                        let object = n.field("object")?;
                        if matches!(attr.as_str(), "latest_version" | "versions") {
                            let holds_model = matches!(self.value(object), Some(v) if v.kind == SdkKind::Object(super::ObjectKind::Model));
                            return (holds_model && crate::syntax::simple_receiver(object))
                                .then(|| self.source.str(object));
                        }
                        n = object;
                    }
                    _ => return None,
                }
            }
        };
        if version.ty() == "attribute" {
            return owner_of(version);
        }
        if version.ty() != "identifier" {
            return None;
        }
        let (_, ids) = self.reaching_bindings(version)?;
        let from_bindings: Option<Vec<String>> = ids
            .iter()
            .map(|id| match self.bindings[*id].kind {
                BindingKind::Assign(v) | BindingKind::Loop(v) => owner_of(v),
                _ => None,
            })
            .collect();
        if let Some(owners) = from_bindings {
            if let Some(first) = owners.first() {
                if owners.iter().all(|o| o == first) {
                    return Some(first.clone());
                }
            }
        }
        // The one name of this function holding a `Model` (`def run_pinned(model, version)`).
        let scope = self.scope_at(version);
        let mut models = self.scopes[scope].bindings.iter().filter(|(_, ids)| {
            !ids.is_empty()
                && ids.iter().all(|id| {
                    let b = &self.bindings[*id];
                    b.site.is_some_and(|site| {
                        matches!(self.resolve_binding(*id, site, &b.name, 1),
                            super::Resolved::Member { value, path, .. }
                                if path.is_empty() && value.kind == SdkKind::Object(super::ObjectKind::Model))
                    })
                })
        });
        let (name, _) = models.next()?;
        models.next().is_none().then(|| name.clone())
    }
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
