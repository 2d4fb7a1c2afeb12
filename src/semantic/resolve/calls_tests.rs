//! What calls return: SDK constructors and methods, the file's functions and methods.

use crate::semantic::tests::{describe_at, describe_in, kind_at, kind_in, value_in};

#[test]
fn the_client_constructor_makes_a_client() {
    assert_eq!(
        kind_at(
            "import replicate\nreplicate.Client(api_token='t')\n",
            "replicate.Client(api_token='t')"
        )
        .as_deref(),
        Some("client")
    );
    assert_eq!(
        kind_at("from replicate import Client\nClient()\n", "Client()").as_deref(),
        Some("client")
    );
    // Decoys: a `Client` of another package, and another SDK name.
    assert_eq!(
        kind_at(
            "import replicate\nfrom mylib import Client\nClient()\n",
            "Client()"
        ),
        None
    );
    assert_eq!(
        kind_at(
            "import replicate\nreplicate.Clients()\n",
            "replicate.Clients()"
        ),
        None
    );
}

#[test]
fn a_v2_only_keyword_makes_the_client_v2() {
    let v2 = value_in(
        "import replicate\nreplicate.Client(bearer_token='t')\n",
        "replicate.Client(bearer_token='t')",
        "replicate.Client(bearer_token='t')",
    )
    .expect("a client");
    assert!(v2.v2);
    let v1 = value_in(
        "import replicate\nreplicate.Client(api_token='t')\n",
        "replicate.Client(api_token='t')",
        "replicate.Client(api_token='t')",
    )
    .expect("a client");
    assert!(!v1.v2);
}

#[test]
fn client_methods_give_objects_made_by_that_client() {
    let code = "import replicate\nclient = replicate.Client()\nclient.predictions.create(version='v', input={})\nclient.models.list()\n";
    assert_eq!(
        kind_at(code, "client.predictions.create(version='v', input={})").as_deref(),
        Some("prediction")
    );
    assert_eq!(describe_at(code, "client.models.list()"), "page(model)");
    let made = value_in(code, "client.models.list()", "client.models.list()").unwrap();
    assert_eq!(made.client.as_deref(), Some("client"));
    // The module acts as its default client.
    let module = "import replicate as r\nr.predictions.get(prediction_id='a')\n";
    let value = value_in(
        module,
        "r.predictions.get(prediction_id='a')",
        "r.predictions.get(prediction_id='a')",
    );
    assert_eq!(value.as_ref().and_then(|v| v.client.as_deref()), Some("r"));
    // Decoy: a method v1's namespace does not have.
    let unknown = "import replicate\nclient = replicate.Client()\nclient.predictions.remove()\n";
    assert_eq!(kind_at(unknown, "client.predictions.remove()"), None);
}

#[test]
fn a_same_named_method_on_a_local_class_is_not_the_sdk() {
    let code = "import replicate\nclass Predictions:\n    def create(self):\n        return 1\nclass Api:\n    def __init__(self):\n        self.predictions = Predictions()\nclient = Api()\nclient.predictions.create()\n";
    assert_eq!(kind_at(code, "client.predictions.create()"), None);
    let real = "import replicate\nclient = replicate.Client()\nclient.predictions.create()\n";
    assert_eq!(
        kind_at(real, "client.predictions.create()").as_deref(),
        Some("prediction")
    );
}

#[test]
fn a_function_returns_what_its_returns_agree_on() {
    let code = "import replicate\ndef make(a):\n    if a:\n        return replicate.predictions.get(prediction_id=a)\n    return replicate.predictions.create(version='v', input={})\nmake('x')\n";
    assert_eq!(kind_at(code, "make('x')").as_deref(), Some("prediction"));
    // `return None` adds nothing (`Optional[Prediction]`).
    let optional = "import replicate\ndef make(a):\n    if a:\n        return None\n    return replicate.predictions.create(version='v', input={})\nmake('x')\n";
    assert_eq!(
        kind_at(optional, "make('x')").as_deref(),
        Some("prediction")
    );
    // Decoy: returns of two kinds.
    let mixed = "import replicate\ndef make(a):\n    if a:\n        return replicate.models.get('m')\n    return replicate.predictions.create(version='v', input={})\nmake('x')\n";
    assert_eq!(kind_at(mixed, "make('x')"), None);
}

#[test]
fn a_generator_gives_a_list_of_what_it_yields() {
    let code = "import replicate\ndef each(ids):\n    for i in ids:\n        yield replicate.predictions.get(prediction_id=i)\neach([])\n";
    assert_eq!(describe_at(code, "each([])"), "list(prediction)");
    // Decoy: `yield from` delegates, its items are unknown here.
    let delegated = "import replicate\ndef make():\n    return replicate.predictions.get(prediction_id='a')\ndef each(ids):\n    yield from make()\neach([])\n";
    assert_eq!(describe_at(delegated, "each([])"), "unknown");
}

#[test]
fn a_return_annotation_gives_the_kind_when_the_returns_do_not() {
    let code = "import replicate\nfrom replicate.prediction import Prediction\ndef start() -> Prediction:\n    return backend.start()\nstart()\n";
    assert_eq!(kind_at(code, "start()").as_deref(), Some("prediction"));
    assert!(value_in(code, "start()", "start()").unwrap().assumed);
    let decoy = "import replicate\nfrom replicate.prediction import Prediction\ndef start() -> dict:\n    return backend.start()\nstart()\n";
    assert_eq!(kind_at(decoy, "start()"), None);
}

#[test]
fn a_method_call_sees_the_client_through_its_receiver() {
    let code = "import replicate\nclass Gen:\n    def __init__(self):\n        self.client = replicate.Client()\n    def run(self):\n        return self.client.predictions.create(version='v', input={})\ng = Gen()\ng.run()\n";
    let value = value_in(code, "g.run()", "g.run()").expect("a prediction");
    assert_eq!(kind_at(code, "g.run()").as_deref(), Some("prediction"));
    assert_eq!(value.client.as_deref(), Some("g.client"));
    // Decoy: the method of another class of the same name.
    let other =
        "import replicate\nclass Gen:\n    def run(self):\n        return 1\ng = Gen()\ng.run()\n";
    assert_eq!(kind_at(other, "g.run()"), None);
}

#[test]
fn gather_over_a_comprehension_is_a_list_of_its_items() {
    let code = "import asyncio\nimport replicate\nasync def go(ids):\n    return await asyncio.gather(*(replicate.predictions.async_get(prediction_id=i) for i in ids))\n";
    assert_eq!(
        describe_at(
            code,
            "asyncio.gather(*(replicate.predictions.async_get(prediction_id=i) for i in ids))"
        ),
        "list(prediction)"
    );
    // Decoy: a `gather` that is not asyncio's.
    let decoy = code.replace("import asyncio\n", "import mylib as asyncio\n");
    assert_eq!(
        describe_at(
            &decoy,
            "asyncio.gather(*(replicate.predictions.async_get(prediction_id=i) for i in ids))"
        ),
        "unknown"
    );
}

#[test]
fn dict_and_next_take_their_argument_apart() {
    let code = "import replicate\njobs = {}\njobs['a'] = replicate.predictions.get(prediction_id='a')\nd = dict(jobs)\nd\n";
    assert_eq!(describe_in(code, "\nd\n", "d"), "dict(prediction)");
    // Decoy: `dict` bound to something else.
    let shadowed = format!("from collections import OrderedDict as dict\n{code}");
    assert_eq!(describe_in(&shadowed, "\nd\n", "d"), "unknown");
    let listed = "import replicate\nxs = replicate.hardware.list()\nnext(xs)\n";
    assert_eq!(
        kind_in(listed, "next(xs)", "next(xs)").as_deref(),
        Some("hardware")
    );
    let page = "import replicate\nxs = replicate.models.list()\nnext(xs)\n";
    assert_eq!(kind_in(page, "next(xs)", "next(xs)"), None);
}
