//! The rule sets of the selections met in a run, each built once.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::config::{Selection, TOOL_CODES};
use crate::document::manifest;
use crate::rules::RuleSet;

/// The rule sets of the selections met in a run, each built once.
pub struct RuleSets {
    all: RuleSet,
    codes: Vec<String>,
    known: BTreeSet<String>,
    /// Few entries (one per configuration met), found by identity first: a file's selection
    /// is a clone of its configuration's.
    cache: Mutex<Vec<(Selection, bool, Arc<RuleSet>)>>,
}

impl RuleSets {
    pub fn new(all: RuleSet) -> RuleSets {
        let mut codes: Vec<String> = TOOL_CODES.iter().map(|(c, _, _)| c.to_string()).collect();
        codes.extend(manifest::CODES.iter().map(|(c, _, _)| c.to_string()));
        codes.extend(all.rules.iter().map(|r| r.code.clone()));
        let known = codes.iter().cloned().collect();
        RuleSets {
            all,
            codes,
            known,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// Every code: the tool's and the rules'.
    pub fn codes(&self) -> Vec<&str> {
        self.codes.iter().map(String::as_str).collect()
    }

    pub fn known(&self) -> &BTreeSet<String> {
        &self.known
    }

    /// The rules `selection` turns on, for a file of a project on v2 or not (`project_on_v2`).
    pub fn get(&self, selection: &Selection, project_on_v2: bool) -> Arc<RuleSet> {
        let mut cache = self.cache.lock().expect("not poisoned");
        let found = cache
            .iter()
            .find(|(s, v2, _)| *v2 == project_on_v2 && s.is_same(selection))
            .or_else(|| {
                cache
                    .iter()
                    .find(|(s, v2, _)| *v2 == project_on_v2 && s == selection)
            });
        if let Some((_, _, set)) = found {
            return Arc::clone(set);
        }
        let mut set = self.all.only(|code| selection.is_enabled(code));
        set.project_on_v2 = project_on_v2;
        let set = Arc::new(set);
        cache.push((selection.clone(), project_on_v2, Arc::clone(&set)));
        set
    }
}
