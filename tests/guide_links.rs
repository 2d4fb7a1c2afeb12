//! Every rule's guide link (`guide = ...` in `rules/*.toml`) points at a section of the official
//! upgrade guide (`<shared>/spec/migration-guide.md`, published as `UPGRADING.md`) that exists and
//! that covers the rule.
//!
//! "Covers" is checked two ways, and the link must pass both:
//!
//! * by the rule's area, its code's prefix (`RM3` is predictions, as in the README's table):
//!   [`AREAS`] lists the sections each area may link to;
//! * by what the rule implements, its mapping rows: [`ROWS`] lists the sections that cover each
//!   row of `api-mapping.md` (by ID, or by the letters of a group of rows), and the link must be
//!   one of those of some row the rule cites.
//!
//! The empty anchor (the guide's top) is the link for what no section covers (deployments,
//! hardware, accounts, `run()`'s own arguments, helper imports); it is allowed only where the
//! tables say the guide has no section for it. A new rule in an existing area is checked
//! without touching this file; a rule linked to the wrong section, or to a heading that does
//! not exist, fails.
//!
//! `<shared>` is `$REPLICATE_MIGRATE_SHARED`, else `<crate>/../shared`. Missing is a failure.

use std::collections::BTreeSet;
use std::path::PathBuf;

use replicate_migrate::rules;

const GUIDE: &str = "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md";

/// The guide's top: for what no section covers.
const TOP: &str = "";
const CLIENT: &str = "client-initialization-and-authentication";
const HTTP_CLIENT: &str = "http-client-customization";
const STREAMING: &str = "streaming-output";
const PREDICTIONS: &str = "predictions";
const CREATING: &str = "creating-predictions";
const GETTING: &str = "getting-predictions";
const WAITING: &str = "waiting-for-predictions";
const CANCELING: &str = "canceling-predictions";
const RELOADING: &str = "reloading-predictions";
const ASYNC: &str = "async-support";
const ERRORS: &str = "error-handling";
const PAGINATION: &str = "pagination";
const MODELS: &str = "models-and-versions";
const TRAININGS: &str = "trainings";
const FILES: &str = "file-uploads";
const COLLECTIONS: &str = "collections";
const WEBHOOKS: &str = "webhooks";
const USE: &str = "experimental-use-interface";
const TYPES: &str = "better-type-safety";
/// "Positional arguments (all methods that map to HTTP API operations ...)", the instance
/// methods v2 dropped.
const REMOVED: &str = "removed-features";

/// The sections each area (a rule code's prefix, the README's table) may link to.
const AREAS: &[(&str, &[&str])] = &[
    ("RM1", &[CLIENT, HTTP_CLIENT]),
    // run / stream / file inputs / async
    ("RM2", &[TOP, REMOVED, STREAMING, FILES, ASYNC, USE]),
    (
        "RM3",
        &[
            PREDICTIONS,
            CREATING,
            GETTING,
            WAITING,
            CANCELING,
            RELOADING,
            STREAMING,
            PAGINATION,
            ASYNC,
            REMOVED,
            TOP,
        ],
    ),
    ("RM4", &[MODELS, ASYNC, PAGINATION, REMOVED]),
    ("RM5", &[TRAININGS, ASYNC, PAGINATION, REMOVED]),
    // deployments: the guide has no section
    ("RM6", &[TOP, REMOVED, ASYNC, PAGINATION]),
    ("RM7", &[FILES, ASYNC, PAGINATION]),
    // collections, accounts, webhooks, hardware
    ("RM8", &[COLLECTIONS, WEBHOOKS, ASYNC, PAGINATION, TOP]),
    // import paths, exceptions
    (
        "RM9",
        &[
            ERRORS, TYPES, WEBHOOKS, CLIENT, STREAMING, PAGINATION, MODELS, TOP,
        ],
    ),
];

/// The sections that cover each mapping row: an exact ID first, else the row's letters.
const ROWS: &[(&str, &[&str])] = &[
    // §1 module level
    ("M01", &[CLIENT]),
    ("M02", &[CLIENT]),
    ("M03", &[TOP, REMOVED]),
    ("M04", &[ASYNC]),
    ("M05", &[STREAMING]),
    ("M06", &[STREAMING, ASYNC]),
    ("M07", &[PAGINATION]),
    ("M08", &[PAGINATION, ASYNC]),
    ("M17", &[TOP]),
    ("M18", &[USE]),
    ("M19", &[TOP]),
    // submodules as attributes: the client's, the exceptions', the others'
    ("M20", &[CLIENT, ERRORS, TOP]),
    ("M", &[CLIENT]),
    // §2 the client
    ("C07", &[HTTP_CLIENT, CLIENT]),
    ("C08", &[HTTP_CLIENT, CLIENT]),
    ("C11", &[TOP]),
    ("C20", &[ASYNC]),
    ("C", &[CLIENT]),
    // §3 run(): the guide shows it only in passing; positional arguments are a removed feature
    ("R02", &[ASYNC]),
    ("R03", &[STREAMING]),
    ("R04", &[ASYNC, STREAMING]),
    // "File inputs to predictions work the same way in both versions" (the tool disagrees)
    ("R12", &[FILES]),
    ("R15", &[ERRORS]),
    ("R", &[TOP, REMOVED]),
    ("I", &[TOP]),
    // §4 predictions
    ("P01", &[PAGINATION]),
    ("P02", &[ASYNC, PAGINATION]),
    ("P03", &[GETTING, REMOVED]),
    ("P04", &[ASYNC]),
    ("P13", &[ASYNC]),
    ("P14", &[CANCELING, REMOVED]),
    ("P15", &[ASYNC]),
    ("P17", &[TYPES]),
    ("P", &[CREATING]),
    // §5 the Prediction object
    ("PO01", &[WAITING, PREDICTIONS, REMOVED]),
    ("PO02", &[ASYNC]),
    ("PO03", &[CANCELING, PREDICTIONS, REMOVED]),
    ("PO04", &[ASYNC]),
    ("PO05", &[RELOADING, PREDICTIONS, REMOVED]),
    ("PO06", &[ASYNC]),
    ("PO07", &[STREAMING, REMOVED]),
    ("PO08", &[STREAMING, ASYNC]),
    ("PO09", &[STREAMING, REMOVED]),
    ("PO10", &[STREAMING, ASYNC]),
    ("PO", &[PREDICTIONS]),
    // §6-8 models and versions
    ("MD05", &[ASYNC]),
    ("MD06", &[PAGINATION]),
    ("MD07", &[ASYNC, PAGINATION]),
    ("MD09", &[ASYNC]),
    ("MD11", &[ASYNC]),
    ("MD13", &[ASYNC]),
    ("MD14", &[TYPES]),
    // `models.model` (the module of the v1 class) and `Versions(client, model)`
    ("MD15", &[MODELS]),
    ("MD17", &[MODELS, CREATING]),
    ("MD18", &[ASYNC]),
    ("MD", &[MODELS]),
    ("MO06", &[REMOVED, MODELS]),
    ("MO", &[MODELS]),
    ("V02", &[ASYNC]),
    ("V07", &[MODELS]),
    ("V04", &[ASYNC]),
    ("V06", &[ASYNC]),
    ("V", &[MODELS]),
    // §9 deployments: no section; positional arguments are a removed feature
    ("D02", &[ASYNC]),
    ("D03", &[PAGINATION]),
    ("D04", &[ASYNC, PAGINATION]),
    ("D06", &[ASYNC]),
    ("D08", &[ASYNC]),
    ("D10", &[ASYNC]),
    // the `*Params` typed dicts
    ("D18", &[TYPES]),
    ("D11", &[TOP, REMOVED, CREATING]),
    ("D12", &[ASYNC]),
    ("D14", &[ASYNC]),
    ("D", &[TOP, REMOVED]),
    // §10 trainings
    ("T04", &[ASYNC]),
    ("T06", &[ASYNC]),
    ("T07", &[PAGINATION]),
    ("T08", &[ASYNC, PAGINATION]),
    ("T10", &[ASYNC]),
    ("T18", &[TYPES]),
    ("T12", &[ASYNC]),
    ("T14", &[ASYNC]),
    ("T", &[TRAININGS, REMOVED]),
    // §11 collections
    ("CO02", &[ASYNC]),
    ("CO03", &[PAGINATION]),
    ("CO04", &[ASYNC, PAGINATION]),
    ("CO", &[COLLECTIONS]),
    // §12 files, hardware, accounts, webhooks
    ("F02", &[ASYNC]),
    ("F04", &[ASYNC]),
    ("F05", &[PAGINATION, FILES]),
    ("F06", &[ASYNC]),
    ("F08", &[ASYNC]),
    // `CreateFileParams` and `FileEncodingStrategy`: typed names of the files API
    ("F13", &[TYPES, FILES]),
    ("F", &[FILES]),
    ("H02", &[ASYNC]),
    ("H", &[TOP]),
    ("A02", &[ASYNC]),
    ("A", &[TOP]),
    ("W02", &[ASYNC]),
    ("W", &[WEBHOOKS]),
    // §13 exceptions
    ("E", &[ERRORS]),
    // §15 import paths: the client's, the typed objects' (`replicate.types`), the webhook's,
    // the exceptions'; helpers the guide does not mention
    ("IM01", &[CLIENT]),
    ("IM02", &[CLIENT]),
    ("IM04", &[TYPES]),
    ("IM05", &[TYPES]),
    ("IM06", &[TYPES]),
    ("IM07", &[TYPES]),
    ("IM08", &[TYPES]),
    ("IM09", &[TYPES]),
    ("IM10", &[TYPES]),
    ("IM11", &[TYPES]),
    ("IM12", &[TYPES]),
    ("IM13", &[TYPES]),
    ("IM14", &[TYPES]),
    ("IM15", &[WEBHOOKS]),
    ("IM16", &[ERRORS]),
    ("IM17", &[TOP, ASYNC]),
    ("IM20", &[PAGINATION, TOP]),
    ("IM21", &[STREAMING, TOP]),
    ("IM", &[TOP]),
    // §16 pages
    ("PG", &[PAGINATION]),
];

fn shared_file(name: &str) -> PathBuf {
    let shared = std::env::var_os("REPLICATE_MIGRATE_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("spec").join(name);
    assert!(
        path.is_file(),
        "{} missing; put the project's `shared` folder beside the repository, or set \
         REPLICATE_MIGRATE_SHARED to it",
        path.display()
    );
    path
}

/// GitHub's anchor for a heading: lower case; letters, digits, `-` and `_` kept, spaces become
/// `-`, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a markdown document's headings (outside code fences), as GitHub makes them:
/// a repeated slug gets `-1`, `-2`, ...
fn anchors(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = match fence {
                None => Some(marker),
                Some(open) if open == marker => None,
                open => open,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(line[hashes..].trim_end_matches('#'));
        let mut anchor = base.clone();
        let mut n = 0;
        while out.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        out.push(anchor);
    }
    out
}

/// The sections that cover a row: its exact entry, else its letters' entry.
fn row_sections(row: &str) -> Option<&'static [&'static str]> {
    let letters: String = row.chars().take_while(char::is_ascii_alphabetic).collect();
    ROWS.iter()
        .find(|(id, _)| *id == row)
        .or_else(|| ROWS.iter().find(|(id, _)| *id == letters))
        .map(|(_, sections)| *sections)
}

fn area_sections(code: &str) -> Option<&'static [&'static str]> {
    AREAS
        .iter()
        .filter(|(prefix, _)| code.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, sections)| *sections)
}

#[test]
fn anchors_follow_github() {
    let doc = "# Upgrading from v1 to v2\n## Experimental use() interface\n### Before (v1)\n\
               ```python\n# Top-level streaming\n```\n### Before (v1)\n## HTTP client customization\n";
    assert_eq!(
        anchors(doc),
        [
            "upgrading-from-v1-to-v2",
            "experimental-use-interface",
            "before-v1",
            "before-v1-1",
            "http-client-customization"
        ]
    );
}

#[test]
fn the_tables_name_sections_of_the_guide() {
    let guide = anchors(&std::fs::read_to_string(shared_file("migration-guide.md")).unwrap());
    let named: BTreeSet<&str> = AREAS
        .iter()
        .chain(ROWS)
        .flat_map(|(_, sections)| sections.iter().copied())
        .filter(|s| !s.is_empty())
        .collect();
    let missing: Vec<&str> = named
        .into_iter()
        .filter(|s| !guide.iter().any(|a| a == s))
        .collect();
    assert!(
        missing.is_empty(),
        "sections not in migration-guide.md: {missing:?}"
    );
}

#[test]
fn every_rule_links_to_the_guide_section_that_covers_it() {
    let guide = anchors(&std::fs::read_to_string(shared_file("migration-guide.md")).unwrap());
    let rule_set = rules::load_embedded().expect("embedded rules load");
    let mut problems = Vec::new();
    for rule in &rule_set.rules {
        let link = &rule.docs.guide;
        let (base, anchor) = link.split_once('#').unwrap_or((link.as_str(), TOP));
        if base != GUIDE {
            problems.push(format!(
                "{}: `{link}` is not a link into {GUIDE}",
                rule.code
            ));
            continue;
        }
        if anchor != TOP && !guide.iter().any(|a| a == anchor) {
            problems.push(format!(
                "{}: `#{anchor}` is not a heading of migration-guide.md",
                rule.code
            ));
            continue;
        }
        let Some(area) = area_sections(&rule.code) else {
            problems.push(format!("{}: no area in AREAS for this code", rule.code));
            continue;
        };
        let mut by_rows: BTreeSet<&str> = BTreeSet::new();
        for row in &rule.mapping {
            match row_sections(row) {
                Some(sections) => by_rows.extend(sections.iter().copied()),
                None => problems.push(format!("{}: row {row} has no entry in ROWS", rule.code)),
            }
        }
        let allowed: Vec<&str> = area
            .iter()
            .copied()
            .filter(|s| by_rows.contains(s))
            .collect();
        if !allowed.contains(&anchor) {
            let show = |s: &&str| {
                if s.is_empty() {
                    "(the guide's top)".to_string()
                } else {
                    format!("#{s}")
                }
            };
            problems.push(format!(
                "{} ({}): links to {}, but its area and rows ({}) are covered by {}",
                rule.code,
                rule.name,
                show(&anchor),
                rule.mapping.join(", "),
                if allowed.is_empty() {
                    "no section both allow: fix AREAS / ROWS in tests/guide_links.rs".to_string()
                } else {
                    allowed.iter().map(show).collect::<Vec<_>>().join(" or ")
                }
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "guide links ({} problems):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Links the tool prints outside the rules (the manifest codes, the migration report) name
/// headings that exist too.
#[test]
fn links_in_the_source_name_headings_of_the_guide() {
    let guide = anchors(&std::fs::read_to_string(shared_file("migration-guide.md")).unwrap());
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut problems = Vec::new();
    let marker = format!("{GUIDE}#");
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices(&marker) {
                let anchor: String = text[at + marker.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !guide.contains(&anchor) {
                    problems.push(format!("{}: #{anchor}", path.display()));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "links to headings migration-guide.md does not have:\n  {}",
        problems.join("\n  ")
    );
}
