use crate::semantic::tests::{describe_at, describe_in, value_in};

const SERVICE: &str = "import replicate\nclass Service:\n    def __init__(self, token):\n        self.client = replicate.Client(api_token=token)\n    @property\n    def predictions(self):\n        return self.client.predictions\n    def get(self, pid):\n        return self.predictions.get(pid)\n";

#[test]
fn a_property_returning_a_client_namespace_is_that_namespace_of_the_client() {
    assert_eq!(
        describe_in(SERVICE, "return self.predictions.get", "self.predictions"),
        "client.predictions"
    );
    assert_eq!(
        describe_at(SERVICE, "self.predictions.get"),
        "client.predictions.get"
    );
    let made = value_in(
        SERVICE,
        "return self.predictions.get(pid)",
        "self.predictions.get(pid)",
    )
    .unwrap();
    assert_eq!(
        made.kind,
        crate::semantic::SdkKind::Object(crate::semantic::ObjectKind::Prediction)
    );
    assert_eq!(made.client.as_deref(), Some("self.client"));
    // Through a property that returns the client (with a `None` fallback), too.
    let lazy = SERVICE.replace(
        "        self.client = replicate.Client(api_token=token)\n",
        "        self._client = None\n    @property\n    def client(self):\n        if self._client is None:\n            self._client = replicate.Client()\n        return self._client\n",
    );
    assert_eq!(
        describe_at(&lazy, "self.predictions.get"),
        "client.predictions.get"
    );
}

#[test]
fn a_property_returning_the_module_namespace_is_the_module_namespace() {
    let code = "import replicate\nclass S:\n    @property\n    def models(self):\n        return replicate.models\n    def get(self, ref):\n        return self.models.get(ref)\n";
    assert_eq!(describe_at(code, "self.models.get"), "replicate.models.get");
    // Decoy: where `replicate` names something else, the property's text means something else.
    let shadowed = code.replace(
        "    def get(self, ref):\n",
        "    def get(self, ref):\n        replicate = object()\n",
    );
    assert_eq!(describe_at(&shadowed, "self.models.get"), "unknown");
}

#[test]
fn namespace_property_decoys_stay_unknown() {
    // A namespace of an object that is not a v1 client.
    let local = "import replicate\nclass Store:\n    predictions = {}\nclass S:\n    def __init__(self):\n        self.store = Store()\n    @property\n    def predictions(self):\n        return self.store.predictions\n    def get(self, pid):\n        return self.predictions.get(pid)\n";
    assert_eq!(describe_at(local, "self.predictions.get"), "unknown");
    // A plain method, not a property: `self.predictions` is the method.
    let method = SERVICE.replace("    @property\n", "");
    assert_eq!(
        describe_in(&method, "return self.predictions.get", "self.predictions"),
        "method predictions"
    );
    // An attribute of the client that is no namespace.
    let field = SERVICE.replace("self.client.predictions\n", "self.client.poll_interval\n");
    assert_eq!(describe_at(&field, "self.predictions.get"), "unknown");
    // The property's `self` has another name: its text would not name the client here.
    let renamed = SERVICE.replace(
        "    def predictions(self):\n        return self.client.predictions\n",
        "    def predictions(this):\n        return this.client.predictions\n",
    );
    assert_eq!(describe_at(&renamed, "self.predictions.get"), "unknown");
    // Two returns of different namespaces, or one that is not a namespace.
    let two = SERVICE.replace(
        "        return self.client.predictions\n",
        "        if self.client:\n            return self.client.models\n        return self.client.predictions\n",
    );
    assert_eq!(describe_at(&two, "self.predictions.get"), "unknown");
    let other = SERVICE.replace(
        "        return self.client.predictions\n",
        "        if self.client:\n            return {}\n        return self.client.predictions\n",
    );
    assert_eq!(describe_at(&other, "self.predictions.get"), "unknown");
    // Read from outside the class: the property's text names nothing there.
    let outside = format!("{SERVICE}s = Service('t')\ns.predictions.get('x')\n");
    assert_eq!(describe_at(&outside, "s.predictions.get"), "unknown");
}

#[test]
fn a_parameter_annotated_with_a_namespace_class_is_that_namespace() {
    let code = "import replicate\nfrom replicate.model import Models\ndef safe_get(models: Models, ref):\n    return models.get(ref)\n";
    assert_eq!(describe_at(code, "models.get"), "replicate.models.get");
    let dotted = "import replicate\nimport replicate.prediction\ndef stop(p: replicate.prediction.Predictions, pid):\n    p.cancel(pid)\n";
    assert_eq!(
        describe_at(dotted, "p.cancel"),
        "replicate.predictions.cancel"
    );
    // Decoys: a class of the file named `Models`, a name imported from elsewhere, an object
    // class (a `Model` is an object, not a namespace) and no annotation.
    let local = "import replicate\nclass Models:\n    def get(self, ref):\n        return ref\ndef safe_get(models: Models, ref):\n    return models.get(ref)\n";
    assert_eq!(describe_at(local, "models.get"), "unknown");
    let foreign = code.replace(
        "from replicate.model import Models",
        "from mylib.model import Models",
    );
    assert_eq!(describe_at(&foreign, "models.get"), "unknown");
    let object = code
        .replace("import Models", "import Model")
        .replace("models: Models", "models: Model");
    assert_eq!(describe_at(&object, "models.get"), "model.get");
    let untyped = code.replace("models: Models", "models");
    assert_eq!(describe_at(&untyped, "models.get"), "unknown");
}
