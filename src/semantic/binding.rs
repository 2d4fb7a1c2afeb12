//! Bindings: what binds a name (an import, an assignment, a loop, a `def`, a parameter, ...).
//! Each has an id; a scope lists the ids of its names' bindings in source order, and the flow
//! analysis (`flow`) records which of them reach each use.

use crate::syntax::NodeExt;
use tree_sitter::Node;

pub(in crate::semantic) type BindingId = usize;

#[derive(Debug, Clone, Copy)]
pub(in crate::semantic) enum BindingKind<'t> {
    /// `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
    Import,
    /// `from a import b [as c]`.
    FromImport,
    /// `x = value` (also walrus and `with value as x`).
    Assign(Node<'t>),
    /// `for x in iter`.
    Loop(Node<'t>),
    /// `for key, p in iter` (or `for i, (key, p) in enumerate(iter)`): the name at `position`
    /// of the flat pattern `pattern` of plain names.
    Unpacked {
        iterable: Node<'t>,
        pattern: Node<'t>,
        position: usize,
    },
    /// `def f(): ...`: calls of `f` take the kind its `return`s agree on.
    Def(Node<'t>),
    /// `except TYPE as name`.
    Except(Node<'t>),
    /// `class C: ...` defined in this file: calling it makes an instance whose methods and
    /// `self.attr`s the model follows.
    Class(Node<'t>),
    /// A parameter of `function` (a `def` or a `lambda`) at `position`.
    Param {
        function: Node<'t>,
        position: usize,
        annotation: Option<Node<'t>>,
        default: Option<Node<'t>>,
    },
    /// A name tested by a condition (`if p is not None:`, `isinstance(x, C)`): the bindings
    /// that reached the test (`Binding::narrowed`), seen through it.
    Narrowed(Narrowing<'t>),
    /// Anything else: unpacking, `except ... as` in old grammars, augmented assignment, ...
    Other,
}

/// What a condition proves about a name in one branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::semantic) enum Narrowing<'t> {
    /// `x is not None`, `x` truthy.
    NotNone,
    /// `x is None`.
    IsNone,
    /// `isinstance(x, C)` with this class expression.
    IsInstance(Node<'t>),
    /// `not isinstance(x, C)`.
    NotInstance(Node<'t>),
}

#[derive(Debug, Clone)]
pub(in crate::semantic) struct Binding<'t> {
    /// The name bound.
    pub(in crate::semantic) name: String,
    pub(in crate::semantic) kind: BindingKind<'t>,
    /// For imports: the qualified name bound, e.g. `replicate.client.Client`.
    pub(in crate::semantic) qualified: Option<Vec<String>>,
    /// The scope that holds the binding.
    pub(in crate::semantic) scope: usize,
    /// The node that binds (the target name), for bindings written in the source.
    pub(in crate::semantic) site: Option<Node<'t>>,
    /// For `Narrowed`: the bindings the test narrows.
    pub(in crate::semantic) narrowed: Vec<BindingId>,
}

impl<'t> Binding<'t> {
    pub(in crate::semantic) fn new(kind: BindingKind<'t>, site: Option<Node<'t>>) -> Self {
        Binding {
            name: String::new(),
            kind,
            qualified: None,
            scope: 0,
            site,
            narrowed: Vec::new(),
        }
    }

    pub(in crate::semantic) fn import(
        kind: BindingKind<'t>,
        qualified: Option<Vec<String>>,
        site: Node<'t>,
    ) -> Self {
        Binding {
            qualified,
            ..Binding::new(kind, Some(site))
        }
    }

    pub(in crate::semantic) fn is_import(&self) -> bool {
        matches!(self.kind, BindingKind::Import | BindingKind::FromImport)
    }

    /// `x = None`: adds no kind of its own to a join.
    pub(in crate::semantic) fn is_none_literal(&self) -> bool {
        matches!(self.kind, BindingKind::Assign(v) if v.ty() == "none")
            || matches!(self.kind, BindingKind::Narrowed(Narrowing::IsNone))
    }

    /// `def f(client=None)`: whatever a caller passes, or `None`.
    pub(in crate::semantic) fn is_none_default_param(&self) -> bool {
        matches!(self.kind, BindingKind::Param { default: Some(d), annotation: None, .. } if d.ty() == "none")
    }
}

#[cfg(test)]
mod tests {
    use super::{Binding, BindingKind};
    use crate::semantic::tests::{kind_in, with_model};

    /// The predicates of each binding of `name` in `code`, in source order:
    /// (is_import, is_none_literal, is_none_default_param).
    fn flags(code: &str, name: &str) -> Vec<(bool, bool, bool)> {
        with_model(code, |model, _| {
            model
                .bindings
                .iter()
                .filter(|b: &&Binding| b.name == name)
                .map(|b| {
                    (
                        b.is_import(),
                        b.is_none_literal(),
                        b.is_none_default_param(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn imports_are_imports_and_assignments_are_not() {
        let code =
            "import replicate\nfrom replicate import Client\nreplicate = 1\nClient = make()\n";
        assert_eq!(
            flags(code, "replicate"),
            [(true, false, false), (false, false, false)]
        );
        assert_eq!(
            flags(code, "Client"),
            [(true, false, false), (false, false, false)]
        );
    }

    #[test]
    fn none_literals_and_none_defaults() {
        let code = "import replicate\nx = None\nx = 0\nx = 'None'\n";
        assert_eq!(
            flags(code, "x"),
            [
                (false, true, false),
                (false, false, false),
                (false, false, false)
            ]
        );
        let params = "import replicate\ndef f(a=None, b=0, c: replicate.Client = None, d=None or e):\n    pass\n";
        assert_eq!(flags(params, "a"), [(false, false, true)]);
        // Decoys: a value default, an annotated `None` default (the annotation says the kind),
        // an expression that only mentions `None`.
        assert_eq!(flags(params, "b"), [(false, false, false)]);
        assert_eq!(flags(params, "c"), [(false, false, false)]);
        assert_eq!(flags(params, "d"), [(false, false, false)]);
    }

    #[test]
    fn an_is_none_narrowing_counts_as_a_none_literal() {
        let code = "import replicate\nc = replicate.Client()\nif c is None:\n    c\n";
        with_model(code, |model, _| {
            let narrowed: Vec<bool> = model
                .bindings
                .iter()
                .filter(|b| matches!(b.kind, BindingKind::Narrowed(_)))
                .map(Binding::is_none_literal)
                .collect();
            assert!(narrowed.contains(&true), "{narrowed:?}");
        });
        // Seen from the use: under `is None` the client is not there; under `is not None` it is.
        assert_eq!(kind_in(code, "    c\n", "c"), None);
        let not_none = code.replace("is None", "is not None");
        assert_eq!(
            kind_in(&not_none, "    c\n", "c").as_deref(),
            Some("client")
        );
    }
}
