//! `rules/README.md` documents the whole rule language: this test fails when the schema
//! (`src/rules/schema.rs`), the placeholders, the transforms or the receiver kinds have a name
//! the document does not mention.

use std::path::Path;

use replicate_migrate::rules::template::PLACEHOLDERS;
use replicate_migrate::rules::transforms::REGISTRY;
use replicate_migrate::rules::RECEIVER_KINDS;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

/// The body of `pub struct NAME { ... }` or `pub enum NAME { ... }` in `text`.
fn item_body<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text
        .find(header)
        .unwrap_or_else(|| panic!("{header} in schema.rs"));
    let open = start + text[start..].find('{').expect("a body");
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unclosed {header}");
}

/// The TOML keys of a struct: its field names, or the `rename` a serde attribute gives them.
fn struct_keys(body: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rename: Option<String> = None;
    for line in body.lines().map(str::trim) {
        if line.starts_with("#[serde(") {
            if let Some(i) = line.find("rename = \"") {
                let rest = &line[i + "rename = \"".len()..];
                rename = Some(rest[..rest.find('"').expect("closed")].to_string());
            }
            continue;
        }
        if let Some(field) = line.strip_prefix("pub ") {
            if let Some((name, _)) = field.split_once(':') {
                keys.push(rename.take().unwrap_or_else(|| name.trim().to_string()));
            }
        }
    }
    keys
}

fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The `op` names of `enum Action` and the field names of each variant.
fn actions(body: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in body.lines().map(str::trim) {
        if line.starts_with("//") || line.is_empty() || line.starts_with('}') {
            continue;
        }
        if let Some(variant) = line.strip_suffix(" {") {
            out.push((kebab(variant), Vec::new()));
        } else if let Some(unit) = line.strip_suffix(',').filter(|v| {
            v.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !v.contains(':')
        }) {
            out.push((kebab(unit), Vec::new()));
        } else if let Some((field, _)) = line.split_once(':') {
            out.last_mut()
                .expect("a variant")
                .1
                .push(field.trim().to_string());
        }
    }
    out
}

#[test]
fn the_rule_language_document_names_every_key() {
    let schema = read("src/rules/schema.rs");
    let doc = read("rules/README.md");
    let mentioned = |name: &str| {
        doc.contains(&format!("`{name}`"))
            || doc.contains(&format!("`{name} ="))
            || doc.contains(&format!("{{{name}}}"))
    };
    let mut missing = Vec::new();
    for header in [
        "pub struct Rule {",
        "pub struct Match {",
        "pub struct FixSpec {",
        "pub struct FixCase {",
        "pub struct Docs {",
        "pub struct Family {",
        "pub struct ArgKind {",
        "pub struct LiteralText {",
        "pub struct LiteralSuffixCondition {",
        "pub struct ArgRef {",
    ] {
        let keys = struct_keys(item_body(&schema, header));
        assert!(!keys.is_empty(), "{header} has keys");
        for key in keys {
            if !mentioned(&key) {
                missing.push(format!("{header} key `{key}`"));
            }
        }
    }
    let ops = actions(item_body(&schema, "pub enum Action {"));
    assert!(ops.len() > 10, "the actions were read");
    for (op, fields) in ops {
        if !mentioned(&op) {
            missing.push(format!("action `{op}`"));
        }
        for field in fields {
            if !mentioned(&field) {
                missing.push(format!("field `{field}` of action `{op}`"));
            }
        }
    }
    for placeholder in PLACEHOLDERS {
        if !mentioned(placeholder) {
            missing.push(format!("placeholder `{{{placeholder}}}`"));
        }
    }
    for transform in REGISTRY {
        if !mentioned(transform.name) {
            missing.push(format!("transform `{}`", transform.name));
        }
    }
    for kind in RECEIVER_KINDS {
        if !mentioned(kind) {
            missing.push(format!("receiver kind `{kind}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "rules/README.md does not mention:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_schema_reader_finds_renamed_keys() {
    let keys = struct_keys(
        "#[serde(rename = \"match\")]\n    pub matcher: Match,\n    pub fix: Option<FixSpec>,",
    );
    assert_eq!(keys, ["match", "fix"]);
    assert_eq!(kebab("KeywordForPositional"), "keyword-for-positional");
}

/// Every rule file of `rules/` is built in (`RULE_FILES`): a file left out would be silently
/// ignored. The two other TOML files there are the ratchet's data, not rules.
#[test]
fn every_rule_file_is_built_in() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("rules/ is readable")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml") && n != "unchanged.toml" && n != "v1_rows.toml")
        .map(|n| format!("rules/{n}"))
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = replicate_migrate::rules::RULE_FILES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    built_in.sort();
    assert!(on_disk.len() >= 12, "{on_disk:?}");
    assert_eq!(on_disk, built_in);
}

/// The binary reads its rules from the JSON that build.rs makes of `rules/*.toml`: the same
/// rules, field for field, as the TOML gives.
#[test]
fn the_embedded_json_holds_the_rules_of_the_toml() {
    use replicate_migrate::rules::{load, load_embedded, RULE_FILES};
    let from_json = load_embedded().expect("the built-in rules load");
    let from_toml = load(
        RULE_FILES
            .iter()
            .map(|(file, text)| (file.to_string(), text.to_string())),
    )
    .expect("the rule files load");
    assert!(from_json.rules.len() >= 127, "{}", from_json.rules.len());
    assert_eq!(from_json.files, from_toml.files);
    for (json, toml) in from_json.rules.iter().zip(&from_toml.rules) {
        assert_eq!(format!("{json:?}"), format!("{toml:?}"), "{}", toml.code);
    }
    assert_eq!(from_json.rules.len(), from_toml.rules.len());
}
