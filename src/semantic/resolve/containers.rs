//! Containers of v1 objects: `d = {}` filled by `d[k] = obj`, lists filled by `append`.

use tree_sitter::Node;

use super::super::kinds::{SdkKind, SdkValue};
use super::super::SemanticModel;
use super::Resolved;

impl<'t> SemanticModel<'t> {
    /// `jobs[user]`, `preds[0]`: an element of a dict or list of objects.
    pub(in crate::semantic) fn resolve_subscript(
        &self,
        node: Node<'t>,
        depth: usize,
    ) -> Resolved<'t> {
        let Some(value) = node.child_by_field_name("value") else {
            return Resolved::Unknown;
        };
        match self.resolve_depth(value, depth + 1) {
            Resolved::Member {
                value: held, path, ..
            } if path.is_empty() => {
                let element = match held.kind {
                    SdkKind::Dict(o) | SdkKind::List(o) | SdkKind::Page(o) => SdkKind::Object(o),
                    SdkKind::Object(crate::semantic::ObjectKind::AsyncOutput) => held.kind,
                    _ => return Resolved::Unknown,
                };
                Resolved::Member {
                    value: SdkValue {
                        kind: element,
                        ..held
                    },
                    base: node,
                    path: vec![],
                }
            }
            _ => Resolved::Unknown,
        }
    }

    /// `[make(q) for q in qs]` and `[a, b]` hold objects of one kind.
    pub(in crate::semantic) fn resolve_list(&self, node: Node<'t>, depth: usize) -> Resolved<'t> {
        // `[make(q) for q in qs]` and `[a, b]` hold objects of one kind.
        let elements: Vec<Node<'t>> = if node.kind() == "list" {
            let mut cursor = node.walk();
            node.named_children(&mut cursor).collect()
        } else {
            node.child_by_field_name("body").into_iter().collect()
        };
        let mut agreed: Option<SdkValue> = None;
        for element in elements {
            let Some(v) = self.value_of(element, depth + 1) else {
                return Resolved::Unknown;
            };
            let SdkKind::Object(kind) = v.kind else {
                return Resolved::Unknown;
            };
            let v = SdkValue {
                kind: SdkKind::List(kind),
                ..v
            };
            match &agreed {
                None => agreed = Some(v),
                Some(a) if *a == v => {}
                Some(_) => return Resolved::Unknown,
            }
        }
        match agreed {
            Some(value) => Resolved::Member {
                value,
                base: node,
                path: vec![],
            },
            None => Resolved::Unknown,
        }
    }

    /// `d = {}` filled only by `d[key] = obj`, all objects of one kind.
    pub(in crate::semantic) fn dict_of(
        &self,
        name: &str,
        scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let values = self.dict_sets.get(name)?;
        // The `d` assigned into must be this binding's.
        let same_dict = |value: Node<'t>| {
            self.lookup(name, self.scope_at(value)).map(|(s, _)| s) == Some(scope)
        };
        self.container_of(values, same_dict, SdkKind::Dict, true, depth)
    }

    /// `self.jobs = {}` filled only by `self.jobs[key] = obj` in methods of the same class.
    pub(in crate::semantic) fn dict_attribute(
        &self,
        self_name: &str,
        attr: &str,
        class_scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let values = self.dict_sets.get(&format!("{self_name}.{attr}"))?;
        let in_class = |value: Node<'t>| {
            self.method_scope(self.scope_at(value)).map(|(_, c)| c) == Some(class_scope)
        };
        self.container_of(values, in_class, SdkKind::Dict, true, depth)
    }

    /// `self.xs = []` filled only by `self.xs.append(obj)` in methods of the same class.
    pub(in crate::semantic) fn appended_attribute(
        &self,
        self_name: &str,
        attr: &str,
        class_scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let args = self.appends.get(&format!("{self_name}.{attr}"))?;
        let in_class = |arg: Node<'t>| {
            self.method_scope(self.scope_at(arg)).map(|(_, c)| c) == Some(class_scope)
        };
        self.container_of(args, in_class, SdkKind::List, false, depth)
    }

    /// `xs = []` filled only by `xs.append(obj)` in the same scope, all of one v1 kind.
    pub(in crate::semantic) fn appended_list(
        &self,
        name: &str,
        scope: usize,
        depth: usize,
    ) -> Option<SdkValue> {
        let args = self.appends.get(name)?;
        self.container_of(
            args,
            |arg| self.scope_at(arg) == scope,
            SdkKind::List,
            false,
            depth,
        )
    }

    /// The kind `wrap(kind)` when every stored value (each passing `belongs`) is a v1 object of
    /// one kind from one client.
    pub(in crate::semantic) fn container_of(
        &self,
        values: &[Node<'t>],
        belongs: impl Fn(Node<'t>) -> bool,
        wrap: fn(crate::semantic::ObjectKind) -> SdkKind,
        assumed: bool,
        depth: usize,
    ) -> Option<SdkValue> {
        let mut agreed: Option<SdkValue> = None;
        for value in values {
            if !belongs(*value) {
                return None;
            }
            let v = self.value_of(*value, depth + 1)?;
            let SdkKind::Object(kind) = v.kind else {
                return None;
            };
            let v = SdkValue {
                kind: wrap(kind),
                assumed: v.assumed || assumed,
                ..v
            };
            match &agreed {
                None => agreed = Some(v),
                Some(a) if *a == v => {}
                Some(_) => return None,
            }
        }
        agreed
    }
}
