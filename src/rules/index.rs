//! Rules indexed by their trigger at load time, so the checker offers each node only to the
//! rules that can match it (as ruff's `Checker` dispatches by node kind).

use foldhash::HashMap;

use super::schema::{OneOrMany, Rule};

/// Rule positions (into `RuleSet::rules`, ascending) by what triggers them.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// `call` rules, by the last name of their callee path (`get` for `predictions.get`).
    pub calls: HashMap<String, Vec<usize>>,
    /// `reference` rules, by the last name of their module path (`default_client`).
    pub references: HashMap<String, Vec<usize>>,
    /// `field` rules, by field name.
    pub fields: HashMap<String, Vec<usize>>,
    /// `subscript` rules, by the subscripted field's name (`urls`).
    pub subscripts: HashMap<String, Vec<usize>>,
    /// `membership` rules, by the tested field's name (`metrics`).
    pub memberships: HashMap<String, Vec<usize>>,
    /// `import` rules, by the v1 path imported (`client.Client`, `prediction.Prediction`).
    pub imports: HashMap<String, Vec<usize>>,
    /// `import_module` rules, by module (`replicate.client`).
    pub import_modules: HashMap<String, Vec<usize>>,
    /// `argument_of` rules, by builtin (`len`).
    pub builtins: HashMap<String, Vec<usize>>,
    /// `except` rules, by the last name of the class path (`TimeoutException`).
    pub excepts: HashMap<String, Vec<usize>>,
    /// `isinstance` rules.
    pub isinstance: Vec<usize>,
    /// `iterate` rules.
    pub iterate: Vec<usize>,
    /// `index` rules.
    pub index: Vec<usize>,
}

fn add(
    map: &mut HashMap<String, Vec<usize>>,
    spec: &Option<OneOrMany>,
    last_only: bool,
    id: usize,
) {
    let Some(spec) = spec else { return };
    for path in spec.to_vec() {
        let key = if last_only {
            path.rsplit('.').next().unwrap_or(&path).to_string()
        } else {
            path
        };
        let ids = map.entry(key).or_default();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
}

impl RuleIndex {
    pub fn build(rules: &[Rule]) -> RuleIndex {
        let mut index = RuleIndex::default();
        for (id, rule) in rules.iter().enumerate() {
            let m = &rule.matcher;
            add(&mut index.calls, &m.call, true, id);
            add(&mut index.references, &m.reference, true, id);
            add(&mut index.fields, &m.field, false, id);
            add(&mut index.subscripts, &m.subscript, false, id);
            add(&mut index.memberships, &m.membership, false, id);
            add(&mut index.imports, &m.import, false, id);
            add(&mut index.import_modules, &m.import_module, false, id);
            add(&mut index.builtins, &m.argument_of, false, id);
            add(&mut index.excepts, &m.except, true, id);
            if m.isinstance.is_some() {
                index.isinstance.push(id);
            }
            if m.iterate {
                index.iterate.push(id);
            }
            if m.index {
                index.index.push(id);
            }
        }
        index
    }
}

/// The rules under `key`, or none.
pub fn lookup<'a>(map: &'a HashMap<String, Vec<usize>>, key: &str) -> &'a [usize] {
    map.get(key).map_or(&[], Vec::as_slice)
}
