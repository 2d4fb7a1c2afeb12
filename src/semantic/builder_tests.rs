//! The bindings, scopes and class facts one walk of the tree records.

use super::super::binding::BindingKind;
use crate::semantic::tests::{describe_in, with_model};

/// The qualified names the imports of `code` bind, by local name, in source order.
fn imports(code: &str) -> Vec<(String, Option<String>)> {
    with_model(code, |model, _| {
        model
            .bindings
            .iter()
            .filter(|b| b.is_import())
            .map(|b| (b.name.clone(), b.qualified.as_ref().map(|q| q.join("."))))
            .collect()
    })
}

#[test]
fn imports_bind_their_local_names_to_qualified_paths() {
    let found = imports("import replicate.client\nimport replicate.client as rc\nfrom replicate.client import Client as C, Other\nfrom . import replicate\n");
    let expect = |n: &str, q: Option<&str>| (n.to_string(), q.map(str::to_string));
    assert_eq!(
        found,
        [
            // `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
            expect("replicate", Some("replicate")),
            expect("rc", Some("replicate.client")),
            expect("C", Some("replicate.client.Client")),
            expect("Other", Some("replicate.client.Other")),
            // Decoy: a relative import names no module path.
            expect("replicate", None),
        ]
    );
}

#[test]
fn only_sdk_imports_make_the_file_import_the_sdk() {
    let imports_sdk = |code: &str| with_model(code, |model, _| model.imports_sdk);
    assert!(imports_sdk("import replicate\n"));
    assert!(imports_sdk(
        "def f():\n    from replicate.client import Client\n"
    ));
    assert!(!imports_sdk(
        "import replicate_tools\nfrom mylib import replicate\n"
    ));
    assert!(!imports_sdk("replicate = 1\n"));
    let v2 = |code: &str| with_model(code, |model, _| model.file_is_v2);
    assert!(v2("from replicate import Replicate\n"));
    assert!(v2("from replicate.types import Prediction\n"));
    assert!(!v2("from replicate.prediction import Prediction\n"));
}

#[test]
fn tuple_and_chained_assignments_give_each_name_its_value() {
    let code =
        "import replicate\na, b = replicate.Client(), 1\nc = d = replicate.Client()\na\nb\nc\nd\n";
    assert_eq!(describe_in(code, "\na\n", "a"), "client");
    assert_eq!(describe_in(code, "\nb\n", "b"), "unknown");
    assert_eq!(describe_in(code, "\nc\n", "c"), "client");
    assert_eq!(describe_in(code, "\nd\n", "d"), "client");
    // Decoy: unpacking one value binds each name to an unknown part of it.
    let unpacked = "import replicate\na, b = replicate.Client()\na\n";
    assert_eq!(describe_in(unpacked, "\na\n", "a"), "unknown");
}

#[test]
fn with_and_walrus_bind_their_values() {
    let code = "import replicate\nwith replicate.Client() as c:\n    c\nif (p := replicate.predictions.get(prediction_id='a')):\n    p\n";
    assert_eq!(describe_in(code, "    c\n", "c"), "client");
    assert_eq!(describe_in(code, "    p\n", "p"), "prediction");
    // A walrus in a comprehension binds in the enclosing scope.
    let comprehension =
        "import replicate\nys = [(q := replicate.predictions.get(prediction_id=i)) for i in ids]\nq\n";
    assert_eq!(describe_in(comprehension, "\nq\n", "q"), "prediction");
    // Decoy: `with open(...) as c` binds what `open` gives.
    let decoy = "import replicate\nwith open('f') as c:\n    c\n";
    assert_eq!(describe_in(decoy, "    c\n", "c"), "unknown");
}

#[test]
fn loops_bind_elements_and_enumerate_binds_the_index_apart() {
    let code = "import replicate\npage = replicate.models.list()\nfor i, m in enumerate(page):\n    m\n    i\nfor n in page:\n    n\n";
    assert_eq!(describe_in(code, "    m\n", "m"), "model");
    assert_eq!(describe_in(code, "    n\n", "n"), "model");
    // Decoy: the index.
    assert_eq!(describe_in(code, "    i\n", "i"), "unknown");
}

#[test]
fn a_decorated_class_is_not_followed_unless_the_decorator_returns_it() {
    let code = "import replicate\nfrom dataclasses import dataclass\n@dataclass\nclass A:\n    pass\n@register\nclass B:\n    pass\nA\nB\n";
    assert_eq!(describe_in(code, "\nA\n", "A"), "class A");
    assert_eq!(describe_in(code, "\nB\n", "B"), "unknown");
}

#[test]
fn parameters_are_numbered_past_splats_and_methods_know_their_self() {
    let code = "import replicate\nclass K:\n    def m(me, a, *args, b=1, **kw):\n        pass\n";
    with_model(code, |model, _| {
        let params: Vec<(String, usize)> = model
            .bindings
            .iter()
            .filter_map(|b| match b.kind {
                BindingKind::Param { position, .. } => Some((b.name.clone(), position)),
                _ => None,
            })
            .collect();
        let expect: Vec<(String, usize)> = [("me", 0), ("a", 1), ("b", 2)]
            .iter()
            .map(|(n, p)| (n.to_string(), *p))
            .collect();
        assert_eq!(params, expect);
        // `*args` and `**kw` are bound, but not as positional parameters.
        let others: Vec<&str> = model
            .bindings
            .iter()
            .filter(|b| matches!(b.kind, BindingKind::Other))
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(others, ["args", "kw"]);
        let method = model
            .scopes
            .iter()
            .find(|s| s.method_of.is_some())
            .expect("a method scope");
        assert_eq!(
            method.method_of.as_ref().map(|(n, _)| n.as_str()),
            Some("me")
        );
        // Decoy: only functions defined in a class body are methods.
        assert_eq!(
            model
                .scopes
                .iter()
                .filter(|s| s.method_of.is_some())
                .count(),
            1
        );
    });
    let function = "import replicate\ndef m(me):\n    pass\n";
    with_model(function, |model, _| {
        assert!(model.scopes.iter().all(|s| s.method_of.is_none()));
    });
}

#[test]
fn class_fields_and_self_attributes_are_recorded_per_class() {
    let code = "import replicate\nclass A:\n    x: int\n    y: str = 'a'\n    z = 3\n    def __init__(self, other):\n        self.c = replicate.Client()\n        other.d = 1\n";
    with_model(code, |model, _| {
        let (scope, fields) = model.class_field_order.iter().next().expect("fields");
        assert_eq!(fields, &["x".to_string(), "y".to_string()]);
        assert!(model.class_fields.contains_key(&(*scope, "x".to_string())));
        // Decoy: an unannotated class variable is no field.
        assert!(!model.class_fields.contains_key(&(*scope, "z".to_string())));
        let attrs: Vec<&str> = model.class_attrs.keys().map(|(_, a)| a.as_str()).collect();
        assert_eq!(attrs, ["c"]);
    });
}

/// A parameter's default and annotation are evaluated where the `def` is, so they see the
/// enclosing scope's names, even one the parameter shadows (`def f(client=client)`).
#[test]
fn defaults_and_annotations_are_read_in_the_enclosing_scope() {
    let code = "import replicate\nfrom replicate.prediction import Prediction\nclient = replicate.Client()\ndef f(prompt, client=client):\n    return client\ndef g(replicate=replicate):\n    return replicate\ndef h(Prediction: Prediction):\n    return Prediction\nk = lambda client=client: client\n";
    assert_eq!(describe_in(code, "    return client", "client"), "client");
    // The module as a default acts as its default client.
    assert_eq!(
        describe_in(code, "    return replicate", "replicate"),
        "client"
    );
    assert_eq!(
        describe_in(code, "    return Prediction", "Prediction"),
        "prediction"
    );
    assert_eq!(describe_in(code, ": client\n", "client"), "client");
    // Decoy: a default that names another parameter's value is not the enclosing client.
    let other =
        "import replicate\nclient = replicate.Client()\ndef f(client=None):\n    return client\n";
    assert_eq!(describe_in(other, "    return client", "client"), "unknown");
}
