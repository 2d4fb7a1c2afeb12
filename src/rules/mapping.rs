//! The rows of the API mapping (`<shared>/spec/api-mapping.md`), embedded: the binary cannot
//! read the shared folder at run time. `rules/mapping_rows.json` is generated from the mapping by
//! `tools/gen_mapping_rows.py` and kept current by `tests/ratchet.rs`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// `rules/mapping_rows.json`, as committed.
pub const MAPPING_ROWS_JSON: &str = include_str!("../../rules/mapping_rows.json");

/// One row of the mapping's tables (sections 1-16).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MappingRow {
    /// `M01`, `PO17`, ...
    pub id: String,
    /// The number of the mapping's section that holds it (`"4"`).
    pub section: String,
    /// The v1 form, as written in the mapping (markdown).
    pub v1: String,
    /// The v2 form.
    pub v2: String,
    /// Whether a rewrite is mechanical: `yes`, `yes-if-literal`, `needs-dataflow`, `no`, or
    /// `n/a` for a v2-only addition.
    pub mech: String,
    pub notes: String,
}

impl MappingRow {
    /// A v2-only addition (Mech. `n/a`): it describes no v1 element.
    pub fn is_v2_only(&self) -> bool {
        self.mech == "n/a"
    }
}

/// A numbered correction of the mapping's section 0b, which overrides the rows it names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// `0b.1`, ...
    pub id: String,
    pub rows: Vec<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub source: String,
    pub rows: Vec<MappingRow>,
    pub corrections: Vec<Correction>,
    /// The title of each numbered section.
    pub sections: BTreeMap<String, String>,
}

impl Mapping {
    /// The embedded mapping (parsed once).
    pub fn embedded() -> &'static Mapping {
        static MAPPING: OnceLock<Mapping> = OnceLock::new();
        MAPPING.get_or_init(|| {
            serde_json::from_str(MAPPING_ROWS_JSON)
                .expect("rules/mapping_rows.json parses (tests/ratchet.rs checks it)")
        })
    }

    pub fn row(&self, id: &str) -> Option<&MappingRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// A table row or a section 0b correction of this ID exists.
    pub fn knows(&self, id: &str) -> bool {
        self.row(id).is_some() || self.corrections.iter().any(|c| c.id == id)
    }

    /// The corrections that override any of `rows`.
    pub fn corrections_of<'a>(
        &'a self,
        rows: &'a [String],
    ) -> impl Iterator<Item = &'a Correction> {
        self.corrections
            .iter()
            .filter(move |c| c.rows.iter().any(|r| rows.contains(r)))
    }
}
