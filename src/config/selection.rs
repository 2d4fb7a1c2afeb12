//! Which rules run: selectors are a code (`RM301`), a prefix (`RM3`, `RM`) or `ALL`, as ruff's.
//! Layers apply in order (the configuration file, then `--config` overrides, then the flags):
//! a layer's `select` replaces what came before, `extend-select` adds, `ignore` takes away, and
//! within a layer the most specific selector wins (`select = ["RM3"]`, `ignore = ["RM301"]`
//! keeps every RM3xx rule but RM301), `ignore` winning a tie. `per-file-ignores` and a file's
//! `# replicate-migrate: noqa: ...` then take away for one file.
//!
//! The findings that say a file was not read (`RM000`, `RM001`, `RM008`) cannot be turned off:
//! without them an unread file would pass silently.

use std::collections::BTreeSet;

use super::did_you_mean;

/// The tool's own findings: code, name, what it means.
pub const TOOL_CODES: &[(&str, &str, &str)] = &[
    (
        "RM000",
        "invalid-syntax",
        "the file does not parse; it is not changed",
    ),
    ("RM001", "io-error", "a file or directory cannot be read"),
    (
        "RM002",
        "fix-syntax-error",
        "the fixes would add a syntax error; the file is not changed",
    ),
    (
        "RM003",
        "fix-invalid-v2-call",
        "a fix would write a call v2 rejects; it is not applied",
    ),
    (
        "RM004",
        "fix-not-converged",
        "the fixes do not settle; the file is not changed",
    ),
    (
        "RM005",
        "file-changed-while-fixing",
        "the file changed on disk while it was being fixed; it is not overwritten",
    ),
    (
        "RM006",
        "read-only-file",
        "the file cannot be written; its fixes are not applied",
    ),
    (
        "RM007",
        "unencodable-fix",
        "a fix cannot be written in the file's encoding; the file is not changed",
    ),
    (
        "RM008",
        "invalid-notebook",
        "a notebook cannot be read or written back; it is not changed",
    ),
    (
        "RM009",
        "unused-noqa",
        "a `# noqa` names a code that it suppresses nowhere on its line",
    ),
    (
        "RM010",
        "too-deeply-nested",
        "the file nests deeper than the tool analyses; it is not checked or changed",
    ),
    (
        "RM011",
        "internal-error",
        "the tool failed on this file; it is not changed and the run goes on",
    ),
    (
        "RM012",
        "file-too-large",
        "the file is larger than `max-file-size`; it is not checked or changed",
    ),
];

/// Codes that stay on whatever the selection says.
pub const UNIGNORABLE: &[&str] = &[
    "RM000", "RM001", "RM005", "RM006", "RM007", "RM008", "RM010", "RM011", "RM012",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    Prefix(String),
}

impl Selector {
    /// A selector that names at least one of `codes`; else an error naming the nearest one.
    pub fn parse(text: &str, codes: &[&str]) -> Result<Selector, String> {
        let upper = text.trim().to_ascii_uppercase();
        if upper == "ALL" {
            return Ok(Selector::All);
        }
        if !upper.is_empty() && codes.iter().any(|c| c.starts_with(&upper)) {
            return Ok(Selector::Prefix(upper));
        }
        let mut candidates: BTreeSet<&str> = BTreeSet::new();
        for code in codes {
            candidates.insert(code);
            candidates.insert(&code[..3]);
            candidates.insert(&code[..4]);
        }
        let candidates: Vec<&str> = candidates.into_iter().collect();
        Err(format!(
            "unknown rule selector `{text}`{}",
            did_you_mean(&upper, &candidates)
        ))
    }

    fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Prefix(p) => p.len(),
        }
    }

    pub fn matches(&self, code: &str) -> bool {
        match self {
            Selector::All => true,
            Selector::Prefix(p) => code.starts_with(p.as_str()),
        }
    }
}

/// One layer of selection.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub select: Option<Vec<Selector>>,
    pub extend_select: Vec<Selector>,
    pub ignore: Vec<Selector>,
}

impl Layer {
    /// A layer from selector strings already checked against `codes`.
    pub fn parse(
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
        codes: &[&str],
    ) -> Result<Layer, String> {
        let parse = |list: &[String]| -> Result<Vec<Selector>, String> {
            list.iter().map(|s| Selector::parse(s, codes)).collect()
        };
        let layer = Layer {
            select: select.map(parse).transpose()?,
            extend_select: parse(extend_select)?,
            ignore: parse(ignore)?,
        };
        for s in &layer.ignore {
            if let Selector::Prefix(p) = s {
                if UNIGNORABLE.contains(&p.as_str()) {
                    return Err(format!(
                        "{p} cannot be ignored: a file that is not read must never pass silently"
                    ));
                }
            }
        }
        Ok(layer)
    }
}

/// The codes that are on. Shared: every file of a configuration takes the same selection, and
/// cloning ~200 strings per file showed in profiles.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    pub enabled: std::sync::Arc<BTreeSet<String>>,
}

impl Selection {
    /// Every code on, then each layer applied, then `remove` (per-file ignores) taken away.
    pub fn resolve(codes: &[&str], layers: &[Layer], remove: &[Selector]) -> Selection {
        let mut enabled: BTreeSet<String> = codes.iter().map(|c| c.to_string()).collect();
        for layer in layers {
            let mut next = BTreeSet::new();
            for code in codes {
                let best = |list: &mut dyn Iterator<Item = &Selector>| {
                    list.filter(|s| s.matches(code))
                        .map(Selector::specificity)
                        .max()
                };
                let positive = best(
                    &mut layer
                        .select
                        .iter()
                        .flatten()
                        .chain(layer.extend_select.iter()),
                );
                let negative = best(&mut layer.ignore.iter());
                let on = match (positive, negative) {
                    (Some(p), Some(n)) => p > n,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => layer.select.is_none() && enabled.contains(*code),
                };
                if on {
                    next.insert(code.to_string());
                }
            }
            enabled = next;
        }
        enabled.retain(|code| !remove.iter().any(|s| s.matches(code)));
        for code in UNIGNORABLE {
            enabled.insert(code.to_string());
        }
        Selection {
            enabled: std::sync::Arc::new(enabled),
        }
    }

    /// Whether `other` is this very selection (a clone of it), without comparing codes.
    pub fn is_same(&self, other: &Selection) -> bool {
        std::sync::Arc::ptr_eq(&self.enabled, &other.enabled)
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.contains(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: &[&str] = &[
        "RM000", "RM001", "RM008", "RM101", "RM104", "RM301", "RM302",
    ];

    fn layer(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Layer {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Layer::parse(select.map(v).as_deref(), &v(extend), &v(ignore), CODES).unwrap()
    }

    fn on(s: &Selection) -> Vec<&str> {
        s.enabled
            .iter()
            .map(String::as_str)
            .filter(|c| !UNIGNORABLE.contains(c))
            .collect()
    }

    #[test]
    fn the_most_specific_selector_wins_and_select_replaces() {
        let s = Selection::resolve(CODES, &[layer(Some(&["RM3"]), &[], &["RM301"])], &[]);
        assert_eq!(on(&s), ["RM302"]);
        let s = Selection::resolve(CODES, &[layer(Some(&["RM301"]), &[], &["RM3"])], &[]);
        assert_eq!(on(&s), ["RM301"]);
        // A later layer's select starts again; its extend-select adds to the earlier set.
        let config = layer(Some(&["RM1"]), &[], &["RM104"]);
        let s = Selection::resolve(
            CODES,
            &[config.clone(), layer(Some(&["RM104"]), &[], &[])],
            &[],
        );
        assert_eq!(on(&s), ["RM104"]);
        let s = Selection::resolve(CODES, &[config, layer(None, &["RM30"], &[])], &[]);
        assert_eq!(on(&s), ["RM101", "RM301", "RM302"]);
        let remove = [Selector::parse("RM1", CODES).unwrap()];
        let s = Selection::resolve(CODES, &[], &remove);
        assert_eq!(on(&s), ["RM301", "RM302"]);
        // Unread files are always reported.
        let s = Selection::resolve(CODES, &[layer(Some(&["RM301"]), &[], &["RM0"])], &[]);
        assert!(s.is_enabled("RM000") && s.is_enabled("RM001") && s.is_enabled("RM008"));
    }

    #[test]
    fn unknown_selectors_name_the_nearest_code() {
        assert_eq!(
            Selector::parse("RM310", CODES).unwrap_err(),
            "unknown rule selector `RM310`; did you mean `RM301`?"
        );
        assert!(Selector::parse("rm3", CODES).is_ok());
        assert!(Layer::parse(None, &[], &["RM001".into()], CODES).is_err());
    }
}
