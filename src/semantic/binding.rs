//! Bindings: what binds a name (an import, an assignment, a loop, a `def`, a parameter, ...).

use tree_sitter::Node;

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
    /// `def f(): ...`: calls of `f` take the kind its `return`s agree on.
    Def(Node<'t>),
    /// `except TYPE as name`.
    Except(Node<'t>),
    /// `class C: ...` defined in this file: calling it makes an instance whose methods and
    /// `self.attr`s the model follows.
    Class(Node<'t>),
    /// A parameter: (its function, its position, its annotation).
    Param(Node<'t>, usize, Option<Node<'t>>),
    /// Anything else: parameters, classes, unpacking, `except ... as`, augmented assignment.
    Other,
}

#[derive(Debug, Clone)]
pub(in crate::semantic) struct Binding<'t> {
    pub(in crate::semantic) kind: BindingKind<'t>,
    /// For imports: the qualified name bound, e.g. `replicate.client.Client`.
    pub(in crate::semantic) qualified: Option<Vec<String>>,
}
