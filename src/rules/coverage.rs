//! The ratchet's accounting: every row of the API mapping and every public name of the v1 SDK is
//! either cited by a rule or listed in `rules/unchanged.toml` with its reason.
//!
//! * `rules/mapping_rows.json`: the mapping's rows (see [`super::mapping`]);
//! * `rules/v1_surface.json`: the public surface of replicate==1.0.7, made by
//!   `tools/gen_v1_surface.py`;
//! * `rules/v1_rows.toml`: the rows that describe each element of that surface;
//! * `rules/unchanged.toml`: why a row no rule cites, or an element with no row, needs no rule
//!   (or that it is a gap: `no-rule-yet`).
//!
//! A row is *cited* when some rule's `mapping = [...]` names it. Every row is cited or listed,
//! never both. All four files are embedded, so `replicate-migrate rule --coverage` prints the
//! same numbers `tests/ratchet.rs` checks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Deserialize;
use serde_json::{json, Value};

use super::load::RuleSet;
use super::mapping::Mapping;

pub const V1_SURFACE_JSON: &str = include_str!("../../rules/v1_surface.json");
pub const V1_ROWS_TOML: &str = include_str!("../../rules/v1_rows.toml");
pub const UNCHANGED_TOML: &str = include_str!("../../rules/unchanged.toml");

/// The reasons `rules/unchanged.toml` may give, in the order reports list them.
pub const REASONS: [&str; 4] = ["same-in-v2", "not-public", "behaviour-note", "no-rule-yet"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unchanged {
    #[serde(default)]
    pub row: Vec<RowGroup>,
    #[serde(default)]
    pub element: Vec<ElementGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowGroup {
    pub ids: Vec<String>,
    pub reason: String,
    pub why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementGroup {
    pub names: Vec<String>,
    pub reason: String,
    pub why: String,
}

/// The elements of a v1 surface by key: the name, or `name (kind)` where names collide, with
/// (name, kind).
pub fn surface_keys(surface: &Value) -> Result<BTreeMap<String, (String, String)>, String> {
    let elements = surface["elements"]
        .as_array()
        .ok_or("v1_surface.json has no `elements` array")?;
    let field = |e: &Value, key: &str| -> Result<String, String> {
        e[key]
            .as_str()
            .map(String::from)
            .ok_or_else(|| format!("v1_surface.json: an element has no `{key}`"))
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for e in elements {
        *count.entry(field(e, "name")?).or_default() += 1;
    }
    let mut keys = BTreeMap::new();
    for e in elements {
        let (name, kind) = (field(e, "name")?, field(e, "kind")?);
        let key = if count[&name] == 1 {
            name.clone()
        } else {
            format!("{name} ({kind})")
        };
        if keys.insert(key.clone(), (name, kind)).is_some() {
            return Err(format!("v1_surface.json lists {key} twice"));
        }
    }
    Ok(keys)
}

/// The inputs of the accounting.
pub struct Inputs<'a> {
    pub mapping: &'a Mapping,
    /// Each row some rule cites, with the rules citing it.
    pub cited: BTreeMap<String, Vec<String>>,
    pub surface: BTreeMap<String, (String, String)>,
    pub v1_rows: toml::Table,
    pub unchanged: Unchanged,
    /// The v1 names rules match by import or reference (`replicate.prediction.Prediction`,
    /// `replicate.client`), with the rules that match them.
    pub matched_names: BTreeMap<String, Vec<String>>,
}

impl<'a> Inputs<'a> {
    /// The embedded data files, with what `rules` cite and match.
    pub fn embedded(rules: &RuleSet) -> Result<Inputs<'static>, String> {
        let surface: Value = serde_json::from_str(V1_SURFACE_JSON)
            .map_err(|e| format!("rules/v1_surface.json: {e}"))?;
        let v1_rows: toml::Table =
            toml::from_str(V1_ROWS_TOML).map_err(|e| format!("rules/v1_rows.toml: {e}"))?;
        let unchanged: Unchanged =
            toml::from_str(UNCHANGED_TOML).map_err(|e| format!("rules/unchanged.toml: {e}"))?;
        let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut matched_names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for rule in &rules.rules {
            for row in &rule.mapping {
                cited
                    .entry(row.clone())
                    .or_default()
                    .push(rule.code.clone());
            }
            let m = &rule.matcher;
            let names = [&m.import, &m.reference]
                .into_iter()
                .flatten()
                .flat_map(|n| n.to_vec())
                .map(|n| format!("replicate.{n}"))
                .chain(m.import_module.iter().flat_map(|n| n.to_vec()));
            for name in names {
                matched_names
                    .entry(name)
                    .or_default()
                    .push(rule.code.clone());
            }
        }
        Ok(Inputs {
            mapping: Mapping::embedded(),
            cited,
            surface: surface_keys(&surface)?,
            v1_rows,
            unchanged,
            matched_names,
        })
    }
}

/// What the accounting found: the counts, and the problems that fail `tests/ratchet.rs`.
#[derive(Debug, Default)]
pub struct Coverage {
    pub rows_total: usize,
    pub rows_v2_only: usize,
    pub rows_cited: usize,
    /// Rows listed in unchanged.toml, by reason.
    pub rows_unchanged: BTreeMap<String, Vec<String>>,
    pub elements_total: usize,
    pub elements_with_rows: usize,
    /// Elements listed in unchanged.toml, by reason.
    pub elements_unchanged: BTreeMap<String, Vec<String>>,
    /// Elements that have rows and are also named by a `no-rule-yet` element entry.
    pub elements_partial: Vec<String>,
    /// The `no-rule-yet` groups: (the rows or elements, why).
    pub gaps: Vec<(Vec<String>, String)>,
    pub problems: Vec<String>,
}

impl Coverage {
    /// The accounting of the embedded data against `rules`.
    pub fn embedded(rules: &RuleSet) -> Result<Coverage, String> {
        Ok(Coverage::compute(&Inputs::embedded(rules)?))
    }

    pub fn compute(inputs: &Inputs) -> Coverage {
        let Inputs {
            mapping,
            cited,
            surface,
            v1_rows,
            unchanged,
            matched_names,
        } = inputs;
        let rows: BTreeSet<&str> = mapping.rows.iter().map(|r| r.id.as_str()).collect();
        let mut c = Coverage {
            rows_total: mapping.rows.len(),
            elements_total: surface.len(),
            ..Coverage::default()
        };
        let mut problems = Vec::new();

        // Rules cite rows that exist.
        for (row, codes) in cited {
            if !rows.contains(row.as_str()) {
                problems.push(format!(
                    "{} cite {row}, which is not a row of api-mapping.md",
                    codes.join(", ")
                ));
            }
        }

        // unchanged.toml rows: known, listed once, a valid reason, not cited, not v2-only.
        let mut listed_rows: BTreeMap<&str, &str> = BTreeMap::new();
        for group in &unchanged.row {
            check_reason(
                &group.reason,
                &group.why,
                &group.ids.join(", "),
                &mut problems,
            );
            for id in &group.ids {
                match mapping.row(id) {
                    None => problems.push(format!(
                        "unchanged.toml: row {id} is not a row of api-mapping.md"
                    )),
                    Some(row) if row.is_v2_only() => problems.push(format!(
                        "unchanged.toml: row {id} is a v2-only (Mech. n/a) row; it needs no entry"
                    )),
                    Some(_) => {}
                }
                if let Some(codes) = cited.get(id) {
                    problems.push(format!(
                        "unchanged.toml: row {id} is cited by {} now; delete its entry",
                        codes.join(", ")
                    ));
                }
                if listed_rows.insert(id, &group.reason).is_some() {
                    problems.push(format!("unchanged.toml: row {id} is listed twice"));
                }
                c.rows_unchanged
                    .entry(group.reason.clone())
                    .or_default()
                    .push(id.clone());
            }
            if group.reason == "no-rule-yet" {
                c.gaps.push((group.ids.clone(), group.why.clone()));
            }
        }

        // Every row of the mapping: cited, or listed, or v2-only.
        for row in &mapping.rows {
            let id = row.id.as_str();
            if row.is_v2_only() {
                c.rows_v2_only += 1;
            } else if cited.contains_key(id) {
                c.rows_cited += 1;
            } else if !listed_rows.contains_key(id) {
                problems.push(format!(
                    "row {id} of api-mapping.md is cited by no rule and not in rules/unchanged.toml"
                ));
            }
        }

        // v1_rows.toml: every key names one element; every row exists.
        let mut with_rows = BTreeSet::new();
        for (key, value) in v1_rows {
            if !surface.contains_key(key) {
                let hint = if surface.keys().any(|k| k.starts_with(&format!("{key} ("))) {
                    " (several elements have this name: add the kind, `name (kind)`)"
                } else {
                    ""
                };
                problems.push(format!(
                    "v1_rows.toml: `{key}` is not an element of v1_surface.json{hint}"
                ));
                continue;
            }
            let ids: Vec<&str> = value
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if ids.is_empty() {
                problems.push(format!(
                    "v1_rows.toml: `{key}` needs a non-empty list of row IDs (or move it to unchanged.toml)"
                ));
            }
            for id in ids {
                if !mapping.knows(id) {
                    problems.push(format!(
                        "v1_rows.toml: `{key}` names {id}, which is not a row of api-mapping.md"
                    ));
                }
            }
            with_rows.insert(key.clone());
        }
        c.elements_with_rows = with_rows.len();

        // unchanged.toml elements: known, listed once, a valid reason; only `no-rule-yet` may
        // also have rows; a `no-rule-yet` entry that a rule now imports or references is stale.
        let mut listed_elements = BTreeSet::new();
        for group in &unchanged.element {
            check_reason(
                &group.reason,
                &group.why,
                &group.names.join(", "),
                &mut problems,
            );
            for key in &group.names {
                let Some((name, _)) = surface.get(key) else {
                    problems.push(format!(
                        "unchanged.toml: `{key}` is not an element of v1_surface.json"
                    ));
                    continue;
                };
                if !listed_elements.insert(key.clone()) {
                    problems.push(format!("unchanged.toml: `{key}` is listed twice"));
                }
                if with_rows.contains(key) {
                    if group.reason == "no-rule-yet" {
                        c.elements_partial.push(key.clone());
                    } else {
                        problems.push(format!(
                            "unchanged.toml: `{key}` has rows in v1_rows.toml; only a `no-rule-yet` \
                             entry may add to them"
                        ));
                    }
                }
                if group.reason == "no-rule-yet" {
                    if let Some(codes) = matched_names.get(name) {
                        problems.push(format!(
                            "unchanged.toml: `{key}` is matched by {} now; delete its entry",
                            codes.join(", ")
                        ));
                    }
                }
                c.elements_unchanged
                    .entry(group.reason.clone())
                    .or_default()
                    .push(key.clone());
            }
            if group.reason == "no-rule-yet" {
                c.gaps.push((group.names.clone(), group.why.clone()));
            }
        }

        // Every element: rows, or an entry.
        for key in surface.keys() {
            if !with_rows.contains(key) && !listed_elements.contains(key) {
                problems.push(format!(
                    "`{key}` (v1_surface.json) has no rows in rules/v1_rows.toml and is not in \
                     rules/unchanged.toml"
                ));
            }
        }

        c.problems = problems;
        c
    }

    fn count(map: &BTreeMap<String, Vec<String>>, reason: &str) -> usize {
        map.get(reason).map_or(0, Vec::len)
    }

    /// The counts as text (`rule --coverage`).
    pub fn report(&self) -> String {
        let mut out = String::new();
        let listed: usize = self.rows_unchanged.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "api-mapping.md: {} rows ({} v1, {} v2-only); {} cited by a rule, {} in unchanged.toml:",
            self.rows_total,
            self.rows_total - self.rows_v2_only,
            self.rows_v2_only,
            self.rows_cited,
            listed
        );
        for reason in REASONS {
            let n = Self::count(&self.rows_unchanged, reason);
            let _ = writeln!(out, "  {reason:<15} {n:>3}");
        }
        let element_entries: usize = self.elements_unchanged.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "v1_surface.json: {} elements; {} with rows in v1_rows.toml, {} in unchanged.toml \
             ({} of them adding a gap to their rows):",
            self.elements_total,
            self.elements_with_rows,
            element_entries,
            self.elements_partial.len()
        );
        for reason in REASONS {
            let n = Self::count(&self.elements_unchanged, reason);
            let _ = writeln!(out, "  {reason:<15} {n:>3}");
        }
        let _ = writeln!(
            out,
            "no-rule-yet: {} rows, {} elements",
            Self::count(&self.rows_unchanged, "no-rule-yet"),
            Self::count(&self.elements_unchanged, "no-rule-yet")
        );
        for (what, why) in &self.gaps {
            let _ = writeln!(out, "  {}: {why}", what.join(", "));
        }
        if !self.problems.is_empty() {
            let _ = writeln!(out, "problems: {}", self.problems.len());
            for p in &self.problems {
                let _ = writeln!(out, "  {p}");
            }
        }
        out
    }

    /// The counts as JSON (`rule --coverage --output-format json`).
    pub fn to_json(&self) -> Value {
        let by_reason = |map: &BTreeMap<String, Vec<String>>| -> Value {
            REASONS
                .iter()
                .map(|r| (r.to_string(), json!(Self::count(map, r))))
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        json!({
            "mapping_rows": {
                "total": self.rows_total,
                "v1": self.rows_total - self.rows_v2_only,
                "v2_only": self.rows_v2_only,
                "cited": self.rows_cited,
                "unchanged": self.rows_unchanged.values().map(Vec::len).sum::<usize>(),
                "unchanged_by_reason": by_reason(&self.rows_unchanged),
            },
            "v1_surface": {
                "total": self.elements_total,
                "with_rows": self.elements_with_rows,
                "unchanged": self.elements_unchanged.values().map(Vec::len).sum::<usize>(),
                "unchanged_by_reason": by_reason(&self.elements_unchanged),
                "partial": self.elements_partial.len(),
            },
            "no_rule_yet": {
                "rows": self.rows_unchanged.get("no-rule-yet").cloned().unwrap_or_default(),
                "elements": self.elements_unchanged.get("no-rule-yet").cloned().unwrap_or_default(),
                "groups": self.gaps.iter().map(|(what, why)| json!({"names": what, "why": why})).collect::<Vec<_>>(),
            },
            "problems": self.problems,
        })
    }
}

fn check_reason(reason: &str, why: &str, what: &str, problems: &mut Vec<String>) {
    if !REASONS.contains(&reason) {
        problems.push(format!(
            "unchanged.toml: [{what}] has reason `{reason}`; use one of {REASONS:?}"
        ));
    }
    if why.trim().is_empty() {
        problems.push(format!("unchanged.toml: [{what}] needs a `why`"));
    }
}
