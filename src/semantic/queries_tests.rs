//! The questions rules and fixes ask about names.

use super::Origin;
use crate::semantic::tests::{find, with_model};

#[test]
fn module_alias_in_scope_prefers_replicate_and_respects_shadowing() {
    let code = "import replicate as r\ndef f(r):\n    inside\noutside\n";
    with_model(code, |model, root| {
        let outside = find(root, code, "outside", "outside");
        assert_eq!(model.module_alias_in_scope(outside).as_deref(), Some("r"));
        assert!(model.is_module_name("r", outside));
        // Decoy: inside `f` the parameter `r` hides the alias.
        let inside = find(root, code, "inside", "inside");
        assert_eq!(model.module_alias_in_scope(inside), None);
        assert!(!model.is_module_name("r", inside));
    });
    let both = "import replicate as r\nimport replicate\nx\n";
    with_model(both, |model, root| {
        let x = find(root, both, "x", "x");
        assert_eq!(model.module_alias_in_scope(x).as_deref(), Some("replicate"));
    });
}

#[test]
fn symbol_in_scope_finds_the_local_name_of_an_sdk_symbol() {
    let code = "import replicate\nfrom replicate import Client as C\nx\n";
    with_model(code, |model, root| {
        let x = find(root, code, "x", "x");
        assert_eq!(
            model
                .symbol_in_scope(x, &["replicate", "Client"])
                .as_deref(),
            Some("C")
        );
        // Decoy: a symbol nothing imports.
        assert_eq!(model.symbol_in_scope(x, &["replicate", "Replicate"]), None);
    });
    let other = "import replicate\nfrom mylib import Client\nx\n";
    with_model(other, |model, root| {
        let x = find(root, other, "x", "x");
        assert_eq!(model.symbol_in_scope(x, &["replicate", "Client"]), None);
    });
}

#[test]
fn imported_path_follows_any_module_import() {
    let code = "import replicate\nimport httpx as h\nfrom httpx import TimeoutException\nh.TimeoutException\nTimeoutException\n";
    with_model(code, |model, root| {
        let attribute = find(root, code, "h.TimeoutException", "h.TimeoutException");
        let name = find(root, code, "\nTimeoutException\n", "TimeoutException");
        let expect = Some(vec!["httpx".to_string(), "TimeoutException".to_string()]);
        assert_eq!(model.imported_path(attribute), expect);
        assert_eq!(model.imported_path(name), expect);
    });
    // Decoy: the root name is also assigned.
    let assigned = "import replicate\nimport httpx as h\nh = other\nh.TimeoutException\n";
    with_model(assigned, |model, root| {
        let attribute = find(root, assigned, "h.TimeoutException", "h.TimeoutException");
        assert_eq!(model.imported_path(attribute), None);
    });
}

#[test]
fn uses_of_an_assignment_are_the_reads_it_reaches() {
    let code = "import replicate\nts = p.created_at\nprint(ts, x.ts, f(ts=1))\nts = 1\nprint(ts)\n";
    with_model(code, |model, root| {
        let target = find(root, code, "ts = p.created_at", "ts");
        let uses = model.uses_of(target);
        let first_read = code.find("print(ts").unwrap() + "print(".len();
        assert_eq!(
            uses.iter().map(|n| n.start_byte()).collect::<Vec<_>>(),
            [first_read]
        );
    });
}

#[test]
fn is_unbound_is_local_and_bound_at_module() {
    let code = "import replicate\nopen\nx = 1\ndef f():\n    y = 2\n    y\n    x\n";
    with_model(code, |model, root| {
        assert!(model.is_unbound(find(root, code, "\nopen\n", "open")));
        // Decoy: an assigned name.
        assert!(!model.is_unbound(find(root, code, "    x\n", "x")));
        assert!(model.is_local(find(root, code, "    y\n", "y")));
        assert!(!model.is_local(find(root, code, "    x\n", "x")));
        assert!(model.is_bound_at_module("y"));
        assert!(!model.is_bound_at_module("open"));
    });
}

#[test]
fn bound_to_other_and_only_imported() {
    let code = "import replicate\nfrom replicate import Client\ndef f():\n    Client = 1\n";
    with_model(code, |model, _| {
        assert!(model.bound_to_other("Client", &["replicate", "Client"]));
        assert!(!model.only_imported("Client"));
        assert!(model.only_imported("replicate"));
        assert!(!model.bound_to_other("replicate", &["replicate"]));
        // Decoy: imported as another symbol.
        assert!(model.bound_to_other("replicate", &["replicate", "Client"]));
    });
}

#[test]
fn client_reachable_sees_shadowing_parameters() {
    let code = "import replicate\nclient = replicate.Client()\ndef f(client):\n    inside\ndef g():\n    other\n";
    with_model(code, |model, root| {
        let other = find(root, code, "other", "other");
        assert!(model.client_reachable("client", other));
        assert!(model.client_reachable("replicate", other));
        // Decoys: a parameter of unknown kind hides the client; `self.client` outside a method.
        let inside = find(root, code, "inside", "inside");
        assert!(!model.client_reachable("client", inside));
        assert!(!model.client_reachable("self.client", other));
        assert!(!model.client_reachable("missing", other));
    });
}

#[test]
fn client_site_is_the_one_constructor_call() {
    let code = "import replicate\nclient = replicate.Client(api_token='t')\nuse\n";
    with_model(code, |model, root| {
        let at = find(root, code, "use", "use");
        let site = model.client_site("client", at).expect("a site");
        assert_eq!(site.constructor, "Client");
        assert_eq!(
            model.source.str(site.call),
            "replicate.Client(api_token='t')"
        );
        assert_eq!(site.statement.kind(), "expression_statement");
    });
    // Decoys: made twice; made by a function of the file.
    let twice = "import replicate\nif a:\n    client = replicate.Client()\nelse:\n    client = replicate.Client(api_token='t')\nuse\n";
    with_model(twice, |model, root| {
        assert!(model
            .client_site("client", find(root, twice, "use", "use"))
            .is_none());
    });
    let made = "import replicate\nclient = make()\nuse\n";
    with_model(made, |model, root| {
        assert!(model
            .client_site("client", find(root, made, "use", "use"))
            .is_none());
    });
}

#[test]
fn origins_tell_where_a_value_came_from() {
    let code = "import replicate\njobs = {}\njobs['a'] = replicate.predictions.get(prediction_id='a')\np = jobs['a']\np\nq = p\nq\nfor r in replicate.models.list():\n    r\ns = replicate.predictions.get(prediction_id='b')\ns\n";
    with_model(code, |model, root| {
        let origin = |context: &str, name: &str| model.origins(find(root, code, context, name));
        assert!(matches!(
            origin("\np\n", "p").as_slice(),
            [Origin::Element { .. }]
        ));
        assert!(matches!(
            origin("\nq\n", "q").as_slice(),
            [Origin::Alias(_)]
        ));
        assert!(matches!(
            origin("    r\n", "r").as_slice(),
            [Origin::Loop { index: None, .. }]
        ));
        assert!(matches!(origin("\ns\n", "s").as_slice(), [Origin::Made(_)]));
    });
    // Decoy: `x.get(key)` on something that is no container of objects is made, not read.
    let namespace = "import replicate\np = replicate.predictions.get('a')\np\n";
    with_model(namespace, |model, root| {
        assert!(matches!(
            model
                .origins(find(root, namespace, "\np\n", "p"))
                .as_slice(),
            [Origin::Made(_)]
        ));
    });
}

#[test]
fn calls_of_lists_the_calls_when_the_function_is_only_called() {
    let code = "import replicate\ndef f(x):\n    pass\nf(1)\nf(2)\n";
    with_model(code, |model, root| {
        let def = find(root, code, "def f(x):\n    pass", "def f(x):\n    pass");
        assert_eq!(model.calls_of(def).map(|c| c.len()), Some(2));
    });
    let passed = "import replicate\ndef f(x):\n    pass\nf(1)\ncallbacks = [f]\n";
    with_model(passed, |model, root| {
        let def = find(root, passed, "def f(x):\n    pass", "def f(x):\n    pass");
        assert!(model.calls_of(def).is_none());
    });
}

#[test]
fn version_model_names_the_model_a_version_came_from() {
    // Two models in scope: the answer comes from `v`'s own binding, not from "the one model".
    let code = "import replicate\nm = replicate.models.get('a')\nother = replicate.models.get('b')\nv = m.latest_version\nv\n";
    with_model(code, |model, root| {
        let v = find(root, code, "\nv\n", "v");
        assert_eq!(model.version_model(v).as_deref(), Some("m"));
    });
    // Decoy: `latest_version` of something that is no model.
    let decoy = "import replicate\nm = load('a')\nv = m.latest_version\nv\n";
    with_model(decoy, |model, root| {
        let v = find(root, decoy, "\nv\n", "v");
        assert_eq!(model.version_model(v), None);
    });
}
