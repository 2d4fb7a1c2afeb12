//! The ratchet: every public name of the v1 SDK and every row of the API mapping is accounted for.
//!
//! * `rules/v1_surface.json` lists the public surface of replicate==1.0.7; it is regenerated from
//!   the harness's v1 venv by `tools/gen_v1_surface.py` and compared with the committed file.
//! * `rules/v1_rows.toml` gives each element the rows of `<shared>/spec/api-mapping.md` that
//!   describe it; `rules/unchanged.toml` says why a row no rule cites, or an element with no row,
//!   needs no rule (or that it is a gap: `no-rule-yet`).
//! * A row is *cited* when some rule's `mapping = [...]` names it. Every row is cited or listed in
//!   unchanged.toml, never both, so deleting a row from a rule without saying why fails, and so
//!   does leaving an entry in unchanged.toml after a rule starts citing its row.
//!
//! `<shared>` is `$REPLICATE_MIGRATE_SHARED`, else `<crate>/../shared`; the v1 venv is
//! `$HARNESS_VENV1`, else `${XDG_CACHE_HOME:-~/.cache}/replicate-migrate-harness/venv1`
//! (`bash ../shared/harness/setup.sh` makes it). Either missing is a failure, not a skip.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use serde::Deserialize;
use serde_json::Value;

use replicate_migrate::rules;

const REASONS: [&str; 4] = ["same-in-v2", "not-public", "behaviour-note", "no-rule-yet"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The v1 venv's Python, where `../shared/harness/setup.sh` puts it. Missing is a failure.
fn venv1_python() -> PathBuf {
    let venv = std::env::var_os("HARNESS_VENV1")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache")
                });
            cache.join("replicate-migrate-harness").join("venv1")
        });
    let python = venv.join("bin").join("python");
    assert!(
        python.exists(),
        "v1 venv missing at {}; run `bash ../shared/harness/setup.sh` (or `bash scripts/test.sh`)",
        venv.display()
    );
    python
}

/// `<shared>/spec/api-mapping.md`. Missing is a failure.
fn mapping_path() -> PathBuf {
    let shared = std::env::var_os("REPLICATE_MIGRATE_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared"));
    let path = shared.join("spec").join("api-mapping.md");
    assert!(
        path.is_file(),
        "{} missing; put the project's `shared` folder beside the repository, or set \
         REPLICATE_MIGRATE_SHARED to it",
        path.display()
    );
    path
}

#[test]
fn committed_v1_surface_matches_the_installed_sdk() {
    let out = Command::new(venv1_python())
        .arg(root().join("tools/gen_v1_surface.py"))
        .output()
        .expect("run tools/gen_v1_surface.py");
    assert!(
        out.status.success(),
        "generator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read(root().join("rules/v1_surface.json")).unwrap();
    assert!(
        out.stdout == committed,
        "rules/v1_surface.json differs from what tools/gen_v1_surface.py generates; regenerate it:\n  \
         $VENV1/bin/python tools/gen_v1_surface.py > rules/v1_surface.json\n\
         then account for the new or removed names in rules/v1_rows.toml or rules/unchanged.toml"
    );
}

// ------------------------------------------------------------------------------ the mapping

/// The rows of api-mapping.md: every table row of sections 1-16, keyed by ID, with its Mech.
/// column, and the numbered corrections of section 0b (`0b.1`, ...).
struct Mapping {
    rows: BTreeMap<String, String>,
    corrections: BTreeSet<String>,
}

impl Mapping {
    fn parse(text: &str) -> Mapping {
        let mut rows = BTreeMap::new();
        let mut corrections = BTreeSet::new();
        let mut section = String::new();
        let mut mech_column = None;
        let mut counted = String::new();
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                section = heading.split('.').next().unwrap_or("").to_string();
                mech_column = None;
                continue;
            }
            if section == "17" {
                // Section 17 states how many rows the tables have.
                counted.push_str(line);
                counted.push(' ');
            }
            if section == "0b" {
                if let Some((n, rest)) = line.split_once(". **") {
                    if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty() {
                        corrections.insert(format!("0b.{n}"));
                    }
                }
                continue;
            }
            let numbered = section.parse::<u32>().is_ok_and(|n| (1..=16).contains(&n));
            if !numbered || !line.starts_with('|') {
                if !line.starts_with('|') {
                    mech_column = None;
                }
                continue;
            }
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            if cells.first() == Some(&"ID") {
                mech_column = cells.iter().position(|c| *c == "Mech.");
                continue;
            }
            let id = cells[0];
            let is_id = id.len() >= 2
                && id.starts_with(|c: char| c.is_ascii_uppercase())
                && id.ends_with(|c: char| c.is_ascii_digit());
            if !is_id {
                continue;
            }
            let mech = mech_column.and_then(|i| cells.get(i)).unwrap_or_else(|| {
                panic!("api-mapping.md: row {id} is in a table without a Mech. column")
            });
            assert!(
                rows.insert(id.to_string(), mech.to_string()).is_none(),
                "api-mapping.md: row {id} appears twice"
            );
        }
        // Cross-check the parse with what section 17 states: "contain **253 rows**" and
        // "**246** of them map a v1 element" (the others are Mech. n/a).
        let number_after = |marker: &str| {
            counted
                .split_once(marker)
                .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<usize>().ok())
        };
        let number_before = |marker: &str| {
            counted
                .split_once(marker)
                .and_then(|(before, _)| before.rsplit("**").next())
                .and_then(|n| n.parse::<usize>().ok())
        };
        let v1 = rows.values().filter(|m| *m != "n/a").count();
        assert_eq!(
            (
                number_after("contain **"),
                number_before("** of them map a v1 element")
            ),
            (Some(rows.len()), Some(v1)),
            "api-mapping.md: parsed {} table rows ({v1} not n/a); section 17 states otherwise",
            rows.len()
        );
        assert!(
            !corrections.is_empty(),
            "api-mapping.md: no section 0b corrections found"
        );
        Mapping { rows, corrections }
    }

    /// Rows with Mech. `n/a`: v2-only additions, which describe no v1 element.
    fn is_v2_only(&self, id: &str) -> bool {
        self.rows.get(id).is_some_and(|m| m == "n/a")
    }

    fn knows(&self, id: &str) -> bool {
        self.rows.contains_key(id) || self.corrections.contains(id)
    }
}

// ------------------------------------------------------------------------------ the data files

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Unchanged {
    #[serde(default)]
    row: Vec<RowGroup>,
    #[serde(default)]
    element: Vec<ElementGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowGroup {
    ids: Vec<String>,
    reason: String,
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ElementGroup {
    names: Vec<String>,
    reason: String,
    why: String,
}

/// The elements of v1_surface.json by key: the name, or `name (kind)` where names collide.
fn surface_keys(surface: &Value) -> BTreeMap<String, (String, String)> {
    let elements = surface["elements"]
        .as_array()
        .expect("v1_surface.json has an `elements` array");
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for e in elements {
        *count.entry(e["name"].as_str().unwrap()).or_default() += 1;
    }
    let mut keys = BTreeMap::new();
    for e in elements {
        let name = e["name"].as_str().unwrap();
        let kind = e["kind"].as_str().unwrap();
        let key = if count[name] == 1 {
            name.to_string()
        } else {
            format!("{name} ({kind})")
        };
        assert!(
            keys.insert(key.clone(), (name.to_string(), kind.to_string()))
                .is_none(),
            "v1_surface.json lists {key} twice"
        );
    }
    keys
}

/// The v1 names that rules match by import or reference (`import = ["prediction.Prediction"]`,
/// `import_module = ["replicate.client"]`), as surface names, with the rules that name them.
/// Read from the rule files themselves so the check does not depend on the matcher's structs.
fn names_matched_by_rules() -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let doc: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Some(rule_list) = doc.get("rule").and_then(|r| r.as_array()) else {
            continue; // v1_rows.toml, unchanged.toml
        };
        for rule in rule_list {
            let code = rule["code"].as_str().unwrap_or("?").to_string();
            let Some(matcher) = rule.get("match").and_then(|m| m.as_table()) else {
                continue;
            };
            for field in ["import", "reference", "import_module"] {
                let values = match matcher.get(field) {
                    Some(toml::Value::String(s)) => vec![s.clone()],
                    Some(toml::Value::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                    _ => continue,
                };
                for value in values {
                    let name = if field == "import_module" {
                        value
                    } else {
                        format!("replicate.{value}")
                    };
                    out.entry(name).or_default().push(code.clone());
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------------------ the accounting

/// What the accounting found: the counts a `rule --coverage` command would print, and the
/// problems that fail the test.
#[derive(Default)]
struct Coverage {
    rows_total: usize,
    rows_v2_only: usize,
    rows_cited: usize,
    rows_unchanged: BTreeMap<String, Vec<String>>,
    elements_total: usize,
    elements_with_rows: usize,
    elements_unchanged: BTreeMap<String, Vec<String>>,
    /// Elements that have rows and are also named by a `no-rule-yet` element entry.
    elements_partial: Vec<String>,
    problems: Vec<String>,
}

impl Coverage {
    fn compute(
        mapping: &Mapping,
        cited: &BTreeMap<String, Vec<String>>,
        surface: &BTreeMap<String, (String, String)>,
        v1_rows: &toml::Table,
        unchanged: &Unchanged,
        matched_names: &BTreeMap<String, Vec<String>>,
    ) -> Coverage {
        let mut c = Coverage {
            rows_total: mapping.rows.len(),
            elements_total: surface.len(),
            ..Coverage::default()
        };
        let mut problems = Vec::new();

        // Rules cite rows that exist.
        for (row, codes) in cited {
            if !mapping.rows.contains_key(row) {
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
                if !mapping.rows.contains_key(id) {
                    problems.push(format!(
                        "unchanged.toml: row {id} is not a row of api-mapping.md"
                    ));
                } else if mapping.is_v2_only(id) {
                    problems.push(format!(
                        "unchanged.toml: row {id} is a v2-only (Mech. n/a) row; it needs no entry"
                    ));
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
        }

        // Every row of the mapping: cited, or listed, or v2-only.
        for id in mapping.rows.keys() {
            if mapping.is_v2_only(id) {
                c.rows_v2_only += 1;
            } else if cited.contains_key(id) {
                c.rows_cited += 1;
            } else if !listed_rows.contains_key(id.as_str()) {
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
            let rows: Vec<&str> = value
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if rows.is_empty() {
                problems.push(format!(
                    "v1_rows.toml: `{key}` needs a non-empty list of row IDs (or move it to unchanged.toml)"
                ));
            }
            for row in rows {
                if !mapping.knows(row) {
                    problems.push(format!(
                        "v1_rows.toml: `{key}` names {row}, which is not a row of api-mapping.md"
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
                if !surface.contains_key(key) {
                    problems.push(format!(
                        "unchanged.toml: `{key}` is not an element of v1_surface.json"
                    ));
                    continue;
                }
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
                let name = &surface[key].0;
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

    /// The counts, as `replicate-migrate rule --coverage` would print them.
    fn report(&self, unchanged: &Unchanged) -> String {
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
            let ids = self.rows_unchanged.get(reason).cloned().unwrap_or_default();
            let _ = writeln!(out, "  {reason:<15} {:>3}", ids.len());
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
            let keys = self
                .elements_unchanged
                .get(reason)
                .cloned()
                .unwrap_or_default();
            let _ = writeln!(out, "  {reason:<15} {:>3}", keys.len());
        }
        let gap_rows = self
            .rows_unchanged
            .get("no-rule-yet")
            .cloned()
            .unwrap_or_default();
        let gap_elements = self
            .elements_unchanged
            .get("no-rule-yet")
            .cloned()
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "no-rule-yet: {} rows, {} elements",
            gap_rows.len(),
            gap_elements.len()
        );
        for group in unchanged.row.iter().filter(|g| g.reason == "no-rule-yet") {
            let _ = writeln!(out, "  {}: {}", group.ids.join(", "), group.why);
        }
        for group in unchanged
            .element
            .iter()
            .filter(|g| g.reason == "no-rule-yet")
        {
            let _ = writeln!(out, "  {}: {}", group.names.join(", "), group.why);
        }
        out
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

#[test]
fn every_v1_name_is_accounted_for() {
    let mapping = Mapping::parse(&std::fs::read_to_string(mapping_path()).unwrap());
    let rule_set = rules::load_embedded().expect("embedded rules load");
    let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rule in &rule_set.rules {
        for row in &rule.mapping {
            cited
                .entry(row.clone())
                .or_default()
                .push(rule.code.clone());
        }
    }
    let read = |name: &str| std::fs::read_to_string(root().join("rules").join(name)).unwrap();
    let surface: Value = serde_json::from_str(&read("v1_surface.json")).expect("v1_surface.json");
    let surface = surface_keys(&surface);
    let v1_rows: toml::Table =
        toml::from_str(&read("v1_rows.toml")).unwrap_or_else(|e| panic!("v1_rows.toml: {e}"));
    let unchanged: Unchanged =
        toml::from_str(&read("unchanged.toml")).unwrap_or_else(|e| panic!("unchanged.toml: {e}"));

    let coverage = Coverage::compute(
        &mapping,
        &cited,
        &surface,
        &v1_rows,
        &unchanged,
        &names_matched_by_rules(),
    );
    eprint!("{}", coverage.report(&unchanged));
    assert!(
        coverage.problems.is_empty(),
        "the v1 surface or the mapping is not fully accounted for ({} problems):\n  {}\n\
         Cite the row in the rule that handles it, or say why none does in rules/unchanged.toml \
         (see its header).",
        coverage.problems.len(),
        coverage.problems.join("\n  ")
    );
}

#[test]
fn the_mapping_parser_finds_every_table_row() {
    // A small document in the mapping's format: two tables, a 0b list, the stated count.
    let text = "\
## 0b. Corrections

1. **P09: one.**
2. **MD08: two.**

## 1. Module level

| ID | v1 form | v2 form | Mech. | Notes |
|---|---|---|---|---|
| M01 | `a` | `b` | yes | |
| M02 | `c` | none | n/a | |

## 13. Exceptions

| ID | v1 form | v2 form | Mech. | Notes |
|---|---|---|---|---|
| E01 | `x` | `y` | no | |

## 17. v1 elements counted

The mapping tables (§1–§16) contain **3 rows**, each with a unique ID.
**2** of them map a v1 element.

## Guide vs reality

| # | Guide claim | Reality | Verdict |
|---|---|---|---|
| G01 | claim | reality | True |
";
    let mapping = Mapping::parse(text);
    assert_eq!(
        mapping.rows.keys().map(String::as_str).collect::<Vec<_>>(),
        ["E01", "M01", "M02"]
    );
    assert!(mapping.is_v2_only("M02") && !mapping.is_v2_only("M01"));
    assert!(mapping.knows("0b.2") && !mapping.knows("0b.3") && !mapping.knows("G01"));
}
