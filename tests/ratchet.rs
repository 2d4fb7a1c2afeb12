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
//! * The mapping's rows are embedded as `rules/mapping_rows.json` (`tools/gen_mapping_rows.py`),
//!   compared here with what the script makes of the mapping. The accounting itself lives in
//!   `src/rules/coverage.rs`, over the embedded files, so `replicate-migrate rule --coverage`
//!   prints the numbers this test checks.
//!
//! `<shared>` is `$REPLICATE_MIGRATE_SHARED`, else `<crate>/../shared`; the v1 venv is
//! `$HARNESS_VENV1`, else `${XDG_CACHE_HOME:-~/.cache}/replicate-migrate-harness/venv1`
//! (`bash ../shared/harness/setup.sh` makes it). Either missing is a failure, not a skip.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use replicate_migrate::rules::{self, coverage, coverage::Coverage};

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

/// Runs `tools/gen_mapping_rows.py` on a mapping file; its stdout, or its stderr as the error.
fn gen_mapping_rows(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let out = Command::new(venv1_python())
        .arg(root().join("tools/gen_mapping_rows.py"))
        .arg(path)
        .output()
        .expect("run tools/gen_mapping_rows.py");
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn committed_mapping_rows_match_the_mapping() {
    let generated =
        gen_mapping_rows(&mapping_path()).unwrap_or_else(|e| panic!("generator failed: {e}"));
    let committed = std::fs::read(root().join("rules/mapping_rows.json")).unwrap();
    assert!(
        generated == committed,
        "rules/mapping_rows.json differs from what tools/gen_mapping_rows.py makes of \
         api-mapping.md; regenerate it:\n  \
         python3 tools/gen_mapping_rows.py > rules/mapping_rows.json\n\
         then cite or excuse the new rows (rules/*.toml, rules/unchanged.toml)"
    );
    // What the binary embeds is that file.
    let embedded: Value = serde_json::from_str(rules::mapping::MAPPING_ROWS_JSON).unwrap();
    let committed: Value = serde_json::from_slice(&committed).unwrap();
    assert_eq!(embedded, committed);
}

#[test]
fn every_v1_name_is_accounted_for() {
    let rule_set = rules::load_embedded().expect("embedded rules load");
    let coverage = Coverage::embedded(&rule_set).expect("embedded coverage data load");
    eprint!("{}", coverage.report());
    assert!(
        coverage.problems.is_empty(),
        "the v1 surface or the mapping is not fully accounted for ({} problems):\n  {}\n\
         Cite the row in the rule that handles it, or say why none does in rules/unchanged.toml \
         (see its header).",
        coverage.problems.len(),
        coverage.problems.join("\n  ")
    );
}

/// The data the binary embeds for `rule --coverage` are the files in rules/.
#[test]
fn coverage_reads_the_committed_files() {
    let read = |name: &str| std::fs::read_to_string(root().join("rules").join(name)).unwrap();
    assert_eq!(coverage::V1_SURFACE_JSON, read("v1_surface.json"));
    assert_eq!(coverage::V1_ROWS_TOML, read("v1_rows.toml"));
    assert_eq!(coverage::UNCHANGED_TOML, read("unchanged.toml"));
}

#[test]
fn the_mapping_parser_finds_every_table_row() {
    // A small document in the mapping's format: two tables, a 0b list, the stated count.
    let text = "\
## 0b. Corrections

1. **M01 / E01: one.**
   More of one.
2. **MD08: two, naming no row of this document.**

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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api-mapping.md");
    std::fs::write(&path, text).unwrap();
    let parsed: Value = serde_json::from_slice(&gen_mapping_rows(&path).unwrap()).unwrap();
    let ids: Vec<&str> = parsed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["M01", "M02", "E01"]);
    assert_eq!(parsed["rows"][1]["mech"], "n/a");
    assert_eq!(parsed["rows"][0]["v2"], "`b`");
    let corrections: Vec<&str> = parsed["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(corrections, ["0b.1", "0b.2"]);
    assert_eq!(
        parsed["corrections"][0]["rows"],
        serde_json::json!(["M01", "E01"])
    );
    assert_eq!(
        parsed["corrections"][0]["text"],
        "**M01 / E01: one.** More of one."
    );
    assert_eq!(parsed["corrections"][1]["rows"], serde_json::json!([]));
    // A count that disagrees with section 17 fails.
    std::fs::write(&path, text.replace("**3 rows**", "**4 rows**")).unwrap();
    let err = gen_mapping_rows(&path).unwrap_err();
    assert!(err.contains("section 17"), "{err}");
}
