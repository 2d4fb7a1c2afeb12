//! Attributes: `self.attr` and `instance.attr` from the class's assignments, and the file's
//! classes, their methods and instances.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::super::kinds::{attribute_kind, SdkKind, SdkValue};
use super::super::{normalize, SemanticModel};
use super::Resolved;
use crate::syntax::simple_text;

/// How a method of a class is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::semantic) enum MethodKind {
    Plain,
    /// `@property`, `@functools.cached_property`: read as an attribute.
    Property,
    Static,
    Class,
    /// Under another decorator, which may replace it.
    Decorated,
}

impl<'t> SemanticModel<'t> {
    /// `x.attr`: a path inside the SDK, a field of a v1 value, or what an instance of the file's
    /// class holds.
    pub(in crate::semantic) fn resolve_attribute(
        &self,
        node: Node<'t>,
        depth: usize,
    ) -> Resolved<'t> {
        let (Some(object), Some(attr)) = (node.field("object"), node.field("attribute")) else {
            return Resolved::Unknown;
        };
        if let Some(value) = self.self_attribute(object, attr, depth) {
            return Resolved::Member {
                value,
                base: node,
                path: vec![],
            };
        }
        if let Some(namespace) = self.namespace_property(node, object, attr, depth) {
            return namespace;
        }
        let attr = self.source.str(attr);
        match self.resolve_depth(object, depth + 1) {
            Resolved::Sdk {
                mut path,
                module_node,
            } => {
                path.push(attr);
                let path = normalize(path);
                if path.len() == 2 && path[1] == "default_client" {
                    return Resolved::Member {
                        value: SdkValue {
                            kind: SdkKind::Client,
                            client: Some(self.source.str(node)),
                            assumed: false,
                            v2: false,
                        },
                        base: node,
                        path: vec![],
                    };
                }
                Resolved::Sdk { path, module_node }
            }
            Resolved::Member {
                value,
                base,
                mut path,
            } => {
                if path.is_empty() {
                    if let Some(kind) = attribute_kind(value.kind, &attr) {
                        return Resolved::Member {
                            value: SdkValue {
                                kind,
                                client: value.client,
                                assumed: value.assumed,
                                v2: value.v2,
                            },
                            base: node,
                            path: vec![],
                        };
                    }
                }
                path.push(attr);
                Resolved::Member { value, base, path }
            }
            // `gen.generate` / `gen.client` on an instance of a class of this file.
            Resolved::Instance { class, .. } => {
                if let Some(def) = self.method_of(class, &attr) {
                    if self
                        .method_kind(def)
                        .is_some_and(|(_, k)| k == MethodKind::Property)
                    {
                        let Some(mut value) = self.return_value(def, depth + 1) else {
                            return Resolved::Unknown;
                        };
                        if value.kind == SdkKind::Client {
                            value.client = Some(format!("self.{attr}"));
                        }
                        return Resolved::Member {
                            value: self.through_receiver(value, object),
                            base: node,
                            path: vec![],
                        };
                    }
                    return Resolved::Method {
                        def,
                        receiver: object,
                    };
                }
                match self.instance_attribute(class, &attr, object, depth + 1) {
                    Some(value) => Resolved::Member {
                        value,
                        base: node,
                        path: vec![],
                    },
                    None => Resolved::Unknown,
                }
            }
            // `Factory.default` / `cls.for_team`: a static or class method of the file's class.
            Resolved::Class(class) => match self.method_of(class, &attr) {
                Some(def)
                    if self.method_kind(def).is_some_and(|(_, k)| {
                        matches!(k, MethodKind::Static | MethodKind::Class)
                    }) =>
                {
                    Resolved::Method {
                        def,
                        receiver: object,
                    }
                }
                _ => Resolved::Unknown,
            },
            _ => Resolved::Unknown,
        }
    }

    pub(in crate::semantic) fn self_attribute(
        &self,
        object: Node<'t>,
        attr: Node<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        if object.ty() != "identifier" {
            return None;
        }
        let scope = self.scope_at(object);
        let (self_name, class_scope) = self.method_scope(scope)?;
        if self.source.str(object) != self_name {
            return None;
        }
        let attr_name = self.source.str(attr);
        // `self.client` where `client` is a `@property` (or `cached_property`) of the class.
        if let Some(class) = self.scope_node(class_scope) {
            if let Some(def) = self.method_of(class, &attr_name) {
                if self
                    .method_kind(def)
                    .is_some_and(|(_, k)| k == MethodKind::Property)
                {
                    let mut value = self.return_value(def, depth + 1)?;
                    if value.kind == SdkKind::Client {
                        value.client = Some(format!("{self_name}.{attr_name}"));
                    }
                    return Some(value);
                }
            }
        }
        let mut value = self.class_attribute(class_scope, &self_name, &attr_name, depth)?;
        if value.kind == SdkKind::Client {
            value.client = Some(format!("{self_name}.{attr_name}"));
        }
        Some(value)
    }

    /// What the attribute `attr` of the instances of a class holds: the join of its
    /// `self.attr = ...` assignments in the class's methods, of `obj.attr = ...` on instances
    /// elsewhere, and of a class-level annotation (`prediction: Prediction`, as dataclasses
    /// declare fields). `self.attr = None` placeholders add nothing.
    pub(in crate::semantic) fn class_attribute(
        &self,
        class_scope: usize,
        self_name: &str,
        attr: &str,
        depth: usize,
    ) -> Option<SdkValue> {
        if depth > super::MAX_DEPTH {
            return None;
        }
        let mut values: Vec<Node<'t>> = self
            .class_attrs
            .get(&(class_scope, attr.to_string()))
            .cloned()
            .unwrap_or_default();
        let class = self.scope_node(class_scope)?;
        for (object, value) in self.attr_stores.get(attr).map_or(&[][..], Vec::as_slice) {
            // `self.attr = ...` in the methods is in `class_attrs` already.
            if self.source.is(*object, "self") {
                continue;
            }
            let on_instance = matches!(self.resolve_depth(*object, depth + 1),
                Resolved::Instance { class: c, .. } if c == class);
            if on_instance {
                values.push(*value);
            }
        }
        values.extend(self.dataclass_arguments(class, class_scope, attr, depth));
        // The annotation says the kind; assigned values also say which client made it.
        let annotated = self
            .class_fields
            .get(&(class_scope, attr.to_string()))
            .and_then(|annotation| self.annotation_value(*annotation, depth + 1))
            .map(|(kind, v2)| SdkValue {
                kind,
                client: None,
                assumed: true,
                v2,
            });
        let mut agreed: Option<SdkValue> = None;
        let mut any = false;
        for value in values {
            if value.ty() == "none" {
                continue;
            }
            any = true;
            // `self.pending = []`, filled by `self.pending.append(obj)` in the class's methods.
            let v = if value.ty() == "list" && value.named_child_count() == 0 {
                self.appended_attribute(self_name, attr, class_scope, depth + 1)?
            } else if value.ty() == "dictionary" && value.named_child_count() == 0 {
                self.dict_attribute(self_name, attr, class_scope, depth + 1)?
            } else {
                self.held_value(value, depth + 1)?
            };
            agreed = match agreed {
                None => Some(v),
                Some(a) if a.kind == v.kind => Some(SdkValue {
                    assumed: a.assumed || v.assumed,
                    v2: a.v2 && v.v2,
                    client: if a.client == v.client { a.client } else { None },
                    ..a
                }),
                Some(_) => return None,
            };
        }
        if !any {
            return annotated;
        }
        match (agreed, annotated) {
            (Some(v), Some(a)) if v.kind != a.kind => None,
            (Some(v), Some(_)) => Some(SdkValue { assumed: true, ..v }),
            (v, _) => v,
        }
    }

    /// The values the calls `Job(...)` of a `@dataclass` pass for field `attr` (by position in
    /// field order, or by keyword).
    fn dataclass_arguments(
        &self,
        class: Node<'t>,
        class_scope: usize,
        attr: &str,
        depth: usize,
    ) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let is_dataclass = class.parent().is_some_and(|p| {
            p.ty() == "decorated_definition" && {
                let mut cursor = p.walk();
                let found = p.children(&mut cursor).any(|d| {
                    d.ty() == "decorator"
                        && d.named_child(0).is_some_and(|e| {
                            let e = if e.ty() == "call" {
                                e.field("function").unwrap_or(e)
                            } else {
                                e
                            };
                            matches!(
                                self.source.str(e).as_str(),
                                "dataclass" | "dataclasses.dataclass"
                            )
                        })
                });
                found
            }
        });
        let Some(fields) = self
            .class_field_order
            .get(&class_scope)
            .filter(|_| is_dataclass)
        else {
            return out;
        };
        let Some(position) = fields.iter().position(|f| f == attr) else {
            return out;
        };
        let Some(name) = class.field("name").map(|n| self.source.str(n)) else {
            return out;
        };
        for call in self.calls_by_name.get(&name).map_or(&[][..], Vec::as_slice) {
            let Some(callee) = call.field("function") else {
                continue;
            };
            if !matches!(self.resolve_depth(callee, depth + 1), Resolved::Class(c) if c == class) {
                continue;
            }
            let Some(args) = crate::syntax::CallArgs::new(self.source, *call) else {
                continue;
            };
            if args.unpacking {
                continue;
            }
            if let Some(value) = args
                .positional
                .get(position)
                .copied()
                .or_else(|| args.keyword(attr).map(|(_, v)| v))
            {
                out.push(value);
            }
        }
        out
    }

    /// What an attribute assignment stores: a v1 value, or the module itself (`self.api =
    /// replicate`), which acts as its default client.
    pub(in crate::semantic) fn held_value(&self, node: Node<'t>, depth: usize) -> Option<SdkValue> {
        match self.resolve_depth(node, depth) {
            Resolved::Member { value, path, .. } if path.is_empty() => Some(value),
            Resolved::Sdk { path, .. } if path.len() == 1 => Some(SdkValue {
                kind: SdkKind::Client,
                client: None,
                assumed: false,
                v2: self.file_is_v2,
            }),
            _ => None,
        }
    }

    /// A value a method made with `self.x`, seen from outside through `receiver.x`.
    pub(in crate::semantic) fn through_receiver(
        &self,
        mut value: SdkValue,
        receiver: Node<'t>,
    ) -> SdkValue {
        let receiver_text = simple_text(self.source, receiver);
        value.client = value.client.and_then(|c| match c.split_once('.') {
            Some(("self", rest)) => receiver_text.as_ref().map(|r| format!("{r}.{rest}")),
            _ if c == "self" => receiver_text.clone(),
            _ => Some(c),
        });
        value
    }

    /// What `instance.attr` holds, from the class's `self.attr = ...` assignments.
    pub(in crate::semantic) fn instance_attribute(
        &self,
        class: Node<'t>,
        attr: &str,
        receiver: Node<'t>,
        depth: usize,
    ) -> Option<SdkValue> {
        let class_scope = *self.scope_of_node.get(&class.id())?;
        let mut value = self.class_attribute(class_scope, "self", attr, depth)?;
        if value.kind == SdkKind::Client {
            value.client = Some(format!("self.{attr}"));
        }
        Some(self.through_receiver(value, receiver))
    }

    /// The class of this file that `value` (a call) instantiates.
    pub(in crate::semantic) fn instance_class(
        &self,
        value: Node<'t>,
        depth: usize,
    ) -> Option<Node<'t>> {
        if value.ty() != "call" {
            return None;
        }
        match self.resolve_depth(value.field("function")?, depth + 1) {
            Resolved::Class(class) => Some(class),
            _ => None,
        }
    }

    /// The class a function is a method of (defined directly in the class body, or under
    /// decorators), and what kind of method it is.
    pub(in crate::semantic) fn method_kind(
        &self,
        function: Node<'t>,
    ) -> Option<(Node<'t>, MethodKind)> {
        if function.ty() != "function_definition" {
            return None;
        }
        let (decorated, holder) = match function.parent() {
            Some(p) if p.ty() == "decorated_definition" => (Some(p), p),
            _ => (None, function),
        };
        let body = holder.parent().filter(|p| p.ty() == "block")?;
        let class = body.parent().filter(|p| p.ty() == "class_definition")?;
        let Some(decorated) = decorated else {
            return Some((class, MethodKind::Plain));
        };
        let mut cursor = decorated.walk();
        let names: Vec<String> = decorated
            .children(&mut cursor)
            .filter(|c| c.ty() == "decorator")
            .filter_map(|d| d.named_child(0))
            .map(|e| self.source.str(e))
            .collect();
        let kind = match names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["property" | "cached_property" | "functools.cached_property"] => MethodKind::Property,
            ["staticmethod"] => MethodKind::Static,
            ["classmethod"] => MethodKind::Class,
            _ => MethodKind::Decorated,
        };
        Some((class, kind))
    }

    /// The class a function is a method of that takes the instance first (`self`): a plain
    /// method or a property.
    pub(in crate::semantic) fn method_class(&self, function: Node<'t>) -> Option<Node<'t>> {
        match self.method_kind(function)? {
            (class, MethodKind::Plain | MethodKind::Property) => Some(class),
            _ => None,
        }
    }

    /// The class of a `@classmethod` (whose first parameter is the class).
    pub(in crate::semantic) fn classmethod_class(&self, function: Node<'t>) -> Option<Node<'t>> {
        match self.method_kind(function)? {
            (class, MethodKind::Class) => Some(class),
            _ => None,
        }
    }

    /// The method `name` defined directly in `class`'s body.
    pub(in crate::semantic) fn method_of(&self, class: Node<'t>, name: &str) -> Option<Node<'t>> {
        let body = class.field("body")?;
        let mut cursor = body.walk();
        let found = body.named_children(&mut cursor).find_map(|d| {
            let def = match d.ty() {
                "function_definition" => d,
                "decorated_definition" => d.field("definition")?,
                _ => return None,
            };
            (def.ty() == "function_definition"
                && def.field("name").is_some_and(|n| self.source.is(n, name)))
            .then_some(def)
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::{describe_at, describe_in, value_in};

    #[test]
    fn self_client_set_in_init_is_seen_in_other_methods() {
        let code = "import replicate\nclass A:\n    def __init__(self):\n        self.client = replicate.Client()\n    def go(self):\n        return self.client\n";
        assert_eq!(
            describe_in(code, "return self.client", "self.client"),
            "client"
        );
        let value = value_in(code, "return self.client", "self.client").unwrap();
        assert_eq!(value.client.as_deref(), Some("self.client"));
        // Decoys: another attribute, a plain class of this file, and `other.client` that is
        // not `self`.
        assert_eq!(
            describe_at(
                &code.replace("return self.client", "return self.api"),
                "self.api"
            ),
            "unknown"
        );
        let local = "import replicate\nclass Local:\n    pass\nclass A:\n    def __init__(self):\n        self.client = Local()\n    def go(self):\n        return self.client\n";
        assert_eq!(
            describe_in(local, "return self.client", "self.client"),
            "unknown"
        );
        let other = "import replicate\nclass A:\n    def __init__(self):\n        self.client = replicate.Client()\n    def go(self, other):\n        return other.client\n";
        assert_eq!(
            describe_in(other, "return other.client", "other.client"),
            "unknown"
        );
    }

    #[test]
    fn self_attribute_assigned_two_kinds_is_unknown_and_none_adds_nothing() {
        let code = "import replicate\nclass A:\n    def __init__(self):\n        self.job = None\n    def start(self):\n        self.job = replicate.predictions.get(prediction_id='a')\n    def go(self):\n        return self.job\n";
        assert_eq!(
            describe_in(code, "return self.job", "self.job"),
            "prediction"
        );
        let decoy = code.replace("self.job = None", "self.job = replicate.models.get('m')");
        assert_eq!(
            describe_in(&decoy, "return self.job", "self.job"),
            "unknown"
        );
    }

    #[test]
    fn a_property_returning_a_client_is_read_as_an_attribute() {
        let code = "import replicate\nclass A:\n    @property\n    def client(self):\n        return replicate.Client()\n    def go(self):\n        return self.client\na = A()\na.client\n";
        assert_eq!(
            describe_in(code, "return self.client", "self.client"),
            "client"
        );
        assert_eq!(
            value_in(code, "return self.client", "self.client")
                .unwrap()
                .client
                .as_deref(),
            Some("self.client")
        );
        assert_eq!(describe_in(code, "\na.client\n", "a.client"), "client");
        // Decoy: without `@property` it is a method, not a client.
        let plain = code.replace("    @property\n", "");
        assert_eq!(
            describe_in(&plain, "return self.client", "self.client"),
            "method client"
        );
        assert_eq!(
            describe_in(&plain, "\na.client\n", "a.client"),
            "method client"
        );
    }

    #[test]
    fn an_instance_attribute_is_seen_through_the_instance() {
        let code = "import replicate\nclass W:\n    def __init__(self):\n        self.client = replicate.Client()\nw = W()\nw.client\n";
        assert_eq!(describe_at(code, "w.client"), "client");
        let value = value_in(code, "w.client", "w.client").unwrap();
        assert_eq!(value.client.as_deref(), Some("w.client"));
        // Decoy: stored from outside with another kind, the attribute's kind is unknown.
        let stored = "import replicate\nclass W:\n    def __init__(self):\n        self.client = replicate.Client()\nw = W()\nw.client = 'x'\nw.client\n";
        assert_eq!(describe_in(stored, "\nw.client\n", "w.client"), "unknown");
    }

    #[test]
    fn dataclass_fields_take_their_annotation() {
        let code = "import replicate\nfrom dataclasses import dataclass\nfrom replicate.prediction import Prediction\n@dataclass\nclass Job:\n    prediction: Prediction\n    def go(self):\n        return self.prediction\n";
        assert_eq!(describe_at(code, "self.prediction"), "prediction");
        let passed = "import replicate\nfrom dataclasses import dataclass\n@dataclass\nclass Job:\n    name: str\n    prediction: object\nj = Job('a', replicate.predictions.get(prediction_id='a'))\nj.prediction\n";
        assert_eq!(describe_at(passed, "j.prediction"), "prediction");
        // Decoys: a field of no SDK type; a plain class's constructor arguments are no fields.
        let plain = code.replace("prediction: Prediction", "prediction: dict");
        assert_eq!(describe_at(&plain, "self.prediction"), "unknown");
        let not_dataclass = passed.replace("@dataclass\n", "");
        assert_eq!(describe_at(&not_dataclass, "j.prediction"), "unknown");
    }

    #[test]
    fn attributes_of_v1_values_and_the_module() {
        let code = "import replicate\npage = replicate.models.list()\npage.results\nm = replicate.models.get('a')\nm.latest_version\nreplicate.default_client\n";
        assert_eq!(describe_at(code, "page.results"), "list(model)");
        assert_eq!(describe_at(code, "m.latest_version"), "version");
        assert_eq!(describe_at(code, "replicate.default_client"), "client");
        // Decoys: other attributes are paths below the value (or the module).
        let decoy =
            "import replicate\npage = replicate.models.list()\npage.next\nreplicate.other_client\n";
        assert_eq!(describe_at(decoy, "page.next"), "page(model).next");
        assert_eq!(
            describe_at(decoy, "replicate.other_client"),
            "replicate.other_client"
        );
    }

    #[test]
    fn static_and_class_methods_are_reached_through_the_class() {
        let code = "import replicate\nclass F:\n    @staticmethod\n    def make():\n        return replicate.Client()\nF.make()\n";
        assert_eq!(describe_at(code, "F.make()"), "client");
        assert_eq!(describe_at(code, "F.make"), "method make");
        let class = code.replace(
            "@staticmethod\n    def make():",
            "@classmethod\n    def make(cls):",
        );
        assert_eq!(describe_at(&class, "F.make()"), "client");
        // Decoy: a plain method called on the class itself.
        let plain = code
            .replace("    @staticmethod\n", "")
            .replace("def make():", "def make(self):");
        assert_eq!(describe_at(&plain, "F.make"), "unknown");
        assert_eq!(describe_at(&plain, "F.make()"), "unknown");
    }
}
