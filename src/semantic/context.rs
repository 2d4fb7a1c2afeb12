//! What other files tell about one: the pytest fixtures that the `conftest.py` files on the
//! way up define. pytest passes a test the fixture its parameter is named after, so the kind
//! of a conftest fixture's value is the kind of the test's parameter of that name.

use foldhash::HashMap;
use std::sync::{Arc, OnceLock};

use super::binding::BindingKind;
use super::resolve::Caller;
use super::{SdkKind, SdkValue, SemanticModel};

/// Facts from outside a file, for `SemanticModel::build_in`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Fixtures of the conftest.py files above the file (the nearest definition of a name
    /// wins) whose value is an SDK client or object. A client's `client` names nothing; an
    /// object's may name another fixture (`client`), which a test shares when it takes it too.
    pub fixtures: HashMap<String, SdkValue>,
}

impl Context {
    /// The context with nothing in it, shared.
    pub fn empty() -> Arc<Context> {
        static EMPTY: OnceLock<Arc<Context>> = OnceLock::new();
        Arc::clone(EMPTY.get_or_init(|| Arc::new(Context::default())))
    }

    /// `self`, under the fixtures of `nearer` (a conftest.py below): each of its fixtures
    /// replaces one of the same name, and one of no SDK kind (`None`) hides it.
    pub fn below(&self, nearer: Vec<(String, Option<SdkValue>)>) -> Context {
        let mut fixtures = self.fixtures.clone();
        for (name, value) in nearer {
            match value {
                Some(value) => fixtures.insert(name, value),
                None => fixtures.remove(&name),
            };
        }
        Context { fixtures }
    }
}

impl<'t> SemanticModel<'t> {
    /// This file's module-level pytest fixtures, with their value (what they return, or
    /// yield) when it is an SDK client or object, for the tests below it. Always an
    /// assumption: a nearer conftest.py, or a test module, may define a fixture of the same name.
    pub fn fixture_values(&self) -> Vec<(String, Option<SdkValue>)> {
        let mut names: Vec<&String> = self.scopes[0].bindings.keys().collect();
        names.sort();
        names
            .into_iter()
            .filter_map(|name| {
                let def = self.fixture(name)?;
                let Some(value) = self.return_value_at(def, Caller::Fixture(def), 0) else {
                    return Some((name.clone(), None));
                };
                // A client made inside the fixture is named by the test's parameter; an
                // object's client only when it is another fixture the fixture takes.
                let client = match value.kind {
                    SdkKind::Client => None,
                    _ => value.client.filter(|c| {
                        let root = c.split('.').next().unwrap_or(c);
                        self.has_parameter(def, root) && self.fixture(root).is_some()
                    }),
                };
                Some((
                    name.clone(),
                    Some(SdkValue {
                        client,
                        assumed: true,
                        ..value
                    }),
                ))
            })
            .collect()
    }

    /// Whether a parameter of the file is named after a fixture of the context: only then is
    /// a file that never imports the SDK worth checking.
    pub(in crate::semantic) fn takes_context_fixture(&self) -> bool {
        !self.context.fixtures.is_empty()
            && self.bindings.iter().any(|b| {
                matches!(b.kind, BindingKind::Param { .. })
                    && self.context.fixtures.contains_key(&b.name)
            })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Context;
    use crate::parse::{parse, Source};
    use crate::semantic::{SdkKind, SemanticModel};

    fn fixtures(code: &str, above: &Arc<Context>) -> Vec<(String, Option<SdkKind>)> {
        let source = Source::new(code.as_bytes().to_vec());
        let tree = parse(&source);
        let model = SemanticModel::build_in(&source, &tree, Arc::clone(above), false);
        model
            .fixture_values()
            .into_iter()
            .map(|(name, value)| (name, value.map(|v| v.kind)))
            .collect()
    }

    #[test]
    fn a_conftest_gives_its_fixtures_kinds_and_a_nearer_one_hides_them() {
        let top = "import pytest\nimport replicate\n\n@pytest.fixture\ndef client():\n    return replicate.Client()\n\n@pytest.fixture\ndef job(client):\n    yield client.predictions.get('x')\n\n@pytest.fixture\ndef data():\n    return {}\n\ndef helper():\n    return replicate.Client()\n";
        let found = fixtures(top, &Context::empty());
        let kinds: Vec<(&str, Option<String>)> = found
            .iter()
            .map(|(n, k)| (n.as_str(), k.map(|k| k.rule_name().to_string())))
            .collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        assert_eq!(
            kinds,
            [
                ("client", Some("client".into())),
                ("data", None),
                ("job", Some("prediction".into()))
            ]
        );

        let values = {
            let source = Source::new(top.as_bytes().to_vec());
            let tree = parse(&source);
            let values = SemanticModel::build(&source, &tree).fixture_values();
            values
        };
        let above = Arc::new(Context::default().below(values));
        assert!(above.fixtures.contains_key("job"));
        // A nearer conftest whose `job` is no SDK object hides the one above.
        let nearer = "import pytest\n\n@pytest.fixture\ndef job():\n    return object()\n";
        let values = {
            let source = Source::new(nearer.as_bytes().to_vec());
            let tree = parse(&source);
            let values =
                SemanticModel::build_in(&source, &tree, Arc::clone(&above), false).fixture_values();
            values
        };
        let below = above.below(values);
        assert!(!below.fixtures.contains_key("job"));
        assert!(below.fixtures.contains_key("client"));
    }
}
