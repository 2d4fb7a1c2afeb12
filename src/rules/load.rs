//! Loads the rule files embedded in the binary and checks them, as ast-grep does, before any
//! Python is read.

use std::collections::HashSet;

use super::index::RuleIndex;
use super::schema::{Action, Applicability, Family, Rule, RuleFile};

/// The rule files, one per guide area. Embedded so the binary needs no files at run time.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("rules/client.toml", include_str!("../../rules/client.toml")),
    ("rules/run.toml", include_str!("../../rules/run.toml")),
    (
        "rules/predictions.toml",
        include_str!("../../rules/predictions.toml"),
    ),
    (
        "rules/objects.toml",
        include_str!("../../rules/objects.toml"),
    ),
    (
        "rules/pagination.toml",
        include_str!("../../rules/pagination.toml"),
    ),
    ("rules/models.toml", include_str!("../../rules/models.toml")),
    (
        "rules/trainings.toml",
        include_str!("../../rules/trainings.toml"),
    ),
    (
        "rules/deployments.toml",
        include_str!("../../rules/deployments.toml"),
    ),
    ("rules/files.toml", include_str!("../../rules/files.toml")),
    (
        "rules/collections.toml",
        include_str!("../../rules/collections.toml"),
    ),
    (
        "rules/imports.toml",
        include_str!("../../rules/imports.toml"),
    ),
    ("rules/errors.toml", include_str!("../../rules/errors.toml")),
];

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    #[error("cannot parse {file}: {message}")]
    #[diagnostic(
        code(rm::rules::syntax),
        help("fix the TOML; every field is documented in src/rules/schema.rs")
    )]
    Syntax { file: String, message: String },
    #[error("rule {code} in {file}: {message}")]
    #[diagnostic(code(rm::rules::invalid))]
    Invalid {
        file: String,
        code: String,
        message: String,
    },
}

/// The loaded rules, with the area file each came from and their index by trigger.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub files: Vec<String>,
    pub index: RuleIndex,
    /// The files checked with this set belong to a project whose dependencies require
    /// replicate v2 (`replicate>=2` in its requirements): their module-level API is taken as
    /// v2's, as in a file that names `Replicate` (see `SemanticModel::build_in`).
    pub project_on_v2: bool,
}

impl RuleSet {
    /// The rules whose code `keep` accepts, indexed again (rule selection: `--select`,
    /// `--ignore`, `per-file-ignores`, file-level `noqa`).
    pub fn only(&self, keep: impl Fn(&str) -> bool) -> RuleSet {
        let (rules, files): (Vec<Rule>, Vec<String>) = self
            .rules
            .iter()
            .zip(&self.files)
            .filter(|(r, _)| keep(&r.code))
            .map(|(r, f)| (r.clone(), f.clone()))
            .unzip();
        let index = RuleIndex::build(&rules);
        RuleSet {
            rules,
            files,
            index,
            project_on_v2: self.project_on_v2,
        }
    }

    pub fn by_code(&self, code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
    }
}

// `rule_json`: the files of `RULE_FILES` as build.rs converted them to JSON.
include!(concat!(env!("OUT_DIR"), "/rule_json.rs"));

/// The rules built in: `RULE_FILES`, read from the JSON build.rs made of them (the same rules
/// as `load` makes of the TOML, in a fraction of the time).
pub fn load_embedded() -> Result<RuleSet, LoadError> {
    load_parsed(
        RULE_FILES
            .iter()
            .map(|(file, text)| (file.to_string(), parse_embedded(text, rule_json(file)))),
    )
}

/// A built-in rule file from its JSON; one the JSON does not give (a key the schema lacks) is
/// read as TOML, whose error points into the file as it was written.
fn parse_embedded(text: &str, json: Option<&str>) -> Result<RuleFile, String> {
    match json.and_then(|json| serde_json::from_str::<RuleFile>(json).ok()) {
        Some(parsed) => Ok(parsed),
        None => toml::from_str::<RuleFile>(text).map_err(|e| e.to_string()),
    }
}

/// Rules from TOML files: (file name, text).
pub fn load(files: impl IntoIterator<Item = (String, String)>) -> Result<RuleSet, LoadError> {
    load_parsed(files.into_iter().map(|(file, text)| {
        let parsed = toml::from_str::<RuleFile>(&text).map_err(|e| e.to_string());
        (file, parsed)
    }))
}

/// The rule set of parsed rule files (or why a file did not parse), checked.
fn load_parsed(
    files: impl IntoIterator<Item = (String, Result<RuleFile, String>)>,
) -> Result<RuleSet, LoadError> {
    let mut rules = Vec::new();
    let mut origin = Vec::new();
    for (file, parsed) in files {
        let parsed = parsed.map_err(|message| LoadError::Syntax {
            file: file.clone(),
            message,
        })?;
        let mut file_rules = parsed.rules;
        for (i, family) in parsed.families.iter().enumerate() {
            file_rules.extend(expand_family(family).map_err(|message| LoadError::Invalid {
                file: file.clone(),
                code: format!("family {}", i + 1),
                message,
            })?);
        }
        for rule in file_rules {
            origin.push(file.clone());
            rules.push(rule);
        }
    }
    // One order everywhere (`rule --all`, the README table, SARIF): by code.
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by(|a, b| rules[*a].code.cmp(&rules[*b].code));
    let mut slots: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
    let rules: Vec<Rule> = order
        .iter()
        .map(|&i| slots[i].take().expect("each once"))
        .collect();
    let origin: Vec<String> = order.iter().map(|&i| origin[i].clone()).collect();
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for (rule, file) in rules.iter().zip(&origin) {
        let invalid = |message: String| LoadError::Invalid {
            file: file.clone(),
            code: rule.code.clone(),
            message,
        };
        check_rule(rule).map_err(invalid)?;
        if !codes.insert(rule.code.clone()) {
            return Err(invalid("duplicate code".into()));
        }
        if !names.insert(rule.name.clone()) {
            return Err(invalid(format!("duplicate name `{}`", rule.name)));
        }
    }
    let index = RuleIndex::build(&rules);
    Ok(RuleSet {
        rules,
        files: origin,
        index,
        project_on_v2: false,
    })
}

/// The kinds a rule's `on` may name.
pub const RECEIVER_KINDS: &[&str] = &[
    "module",
    "client",
    "prediction",
    "training",
    "model",
    "version",
    "deployment",
    "file",
    "collection",
    "hardware",
    "account",
    "api_error",
    "model_error",
    "async_output",
    "page",
    "pages",
    "list",
];

fn check_rule(rule: &Rule) -> Result<(), String> {
    let code_ok = rule.code.len() == 5
        && rule.code.starts_with("RM")
        && rule.code[2..].chars().all(|c| c.is_ascii_digit());
    if !code_ok {
        return Err("code must be `RM` and three digits".into());
    }
    let kebab = !rule.name.is_empty()
        && rule
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        return Err(format!("name `{}` must be kebab-case", rule.name));
    }
    if rule.mapping.is_empty() {
        return Err("`mapping` must name at least one row of api-mapping.md".into());
    }
    let m = &rule.matcher;
    let kinds = [
        m.call.is_some(),
        m.reference.is_some(),
        m.import.is_some(),
        m.import_module.is_some(),
        m.subscript.is_some(),
        m.membership.is_some(),
        m.field.is_some(),
        m.iterate,
        m.index,
        m.argument_of.is_some(),
        m.except.is_some(),
        m.isinstance.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(
            "`[match]` needs exactly one of call, reference, import, import_module, subscript, membership, field, except, isinstance, iterate, index, argument_of"
                .into(),
        );
    }
    if m.around_sdk_call && m.except.is_none() {
        return Err("`around_sdk_call` applies to `except` rules only".into());
    }
    if m.try_builds_client && m.except.is_none() {
        return Err("`try_builds_client` applies to `except` rules only".into());
    }
    if m.completed_by.is_some() && m.isinstance.is_none() {
        return Err("`completed_by` applies to `isinstance` rules only".into());
    }
    if (m.call.is_some()
        || m.isinstance.is_some()
        || m.subscript.is_some()
        || m.membership.is_some()
        || m.field.is_some()
        || m.iterate
        || m.index
        || m.argument_of.is_some())
        && m.on.is_empty()
    {
        return Err(
            "`[match]` with `call`, `isinstance`, `subscript`, `membership`, `field`, `iterate`, `index` or `argument_of` needs `on` (which receivers)"
                .into(),
        );
    }
    for on in &m.on {
        if !RECEIVER_KINDS.contains(&on.as_str()) {
            return Err(format!(
                "unknown receiver kind `{on}`; use one of {}",
                RECEIVER_KINDS.join(", ")
            ));
        }
    }
    if rule.docs.example.trim().is_empty() {
        return Err("docs.example is empty".into());
    }
    if let Some(fix) = &rule.fix {
        if fix.applicability != Applicability::Safe && rule.docs.fix_safety.is_none() {
            return Err("a fix that is not safe must explain why in docs.fix_safety".into());
        }
        if fix.actions.is_empty() == fix.cases.is_empty() {
            return Err("a fix needs either `actions` or `case`s, not both".into());
        }
        for case in &fix.cases {
            if case.actions.is_empty() == case.manual.is_none() {
                return Err("a fix case needs either `actions` or `manual`".into());
            }
            for action in &case.actions {
                check_action(action)?;
            }
        }
        if rule.docs.use_instead.is_none() {
            return Err("a rule with a fix needs docs.use_instead".into());
        }
        for action in &fix.actions {
            check_action(action)?;
        }
    } else if rule.docs.manual.is_none() {
        return Err("a rule without a fix must say what to do in docs.manual".into());
    }
    Ok(())
}

fn check_action(action: &Action) -> Result<(), String> {
    match action {
        Action::ReplaceCallee { template }
        | Action::ReplaceNode { template }
        | Action::ReplaceStatement { template }
        | Action::WrapKeyword { template, .. }
        | Action::ReplaceArg { template, .. }
        | Action::InsertArguments { text: template } => super::template::check(template),
        Action::CallHelper { helper } => match super::helpers::source(helper) {
            Some(_) => Ok(()),
            None => Err(format!("unknown helper `{helper}`")),
        },
        Action::Transform { name } => match super::transforms::find(name) {
            Some(_) => Ok(()),
            None => Err(format!(
                "unknown transform `{name}`; known: {}",
                super::transforms::REGISTRY
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        _ => Ok(()),
    }
}

/// The rules of a family: each template once per row, with `${key}` replaced by the row's value.
fn expand_family(family: &Family) -> Result<Vec<Rule>, String> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (r, row) in family.rows.iter().enumerate() {
        for template in &family.templates {
            let value = substitute(&toml::Value::Table(template.clone()), row, &mut used)
                .map_err(|e| format!("row {}: {e}", r + 1))?;
            let rule: Rule = value
                .try_into()
                .map_err(|e: toml::de::Error| format!("row {}: {}", r + 1, e.message()))?;
            out.push(rule);
        }
    }
    for row in &family.rows {
        if let Some(key) = row.keys().find(|k| !used.contains(*k)) {
            return Err(format!("row key `{key}` is used by no template"));
        }
    }
    Ok(out)
}

fn substitute(
    value: &toml::Value,
    row: &toml::Table,
    used: &mut HashSet<String>,
) -> Result<toml::Value, String> {
    Ok(match value {
        toml::Value::String(text) => {
            // A whole-string `${key}` takes the row's value as it is (an array, say).
            if let Some(key) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
                if !key.contains(['$', '{', '}']) {
                    used.insert(key.to_string());
                    return row
                        .get(key)
                        .cloned()
                        .ok_or_else(|| format!("no `{key}` in this row"));
                }
            }
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = rest[start..]
                    .find('}')
                    .ok_or_else(|| format!("unclosed `${{` in `{text}`"))?;
                let key = &rest[start + 2..start + end];
                used.insert(key.to_string());
                match row.get(key) {
                    Some(toml::Value::String(v)) => out.push_str(v),
                    Some(_) => {
                        return Err(format!("`${{{key}}}` inside `{text}` must be a string"))
                    }
                    None => return Err(format!("no `{key}` in this row")),
                }
                rest = &rest[start + end + 1..];
            }
            out.push_str(rest);
            toml::Value::String(out)
        }
        toml::Value::Array(items) => toml::Value::Array(
            items
                .iter()
                .map(|v| substitute(v, row, used))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(table) => {
            let mut out = toml::Table::new();
            for (k, v) in table {
                out.insert(k.clone(), substitute(v, row, used)?);
            }
            toml::Value::Table(out)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_embedded;

    #[test]
    fn a_built_in_file_with_an_unknown_key_is_reported_where_the_toml_has_it() {
        let text = "[[rule]]\ncode = \"RM999\"\nbogus = 1\n";
        let json = r#"{"rule":[{"code":"RM999","bogus":1}]}"#;
        let error = parse_embedded(text, Some(json)).expect_err("an unknown key");
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("bogus"), "{error}");
    }

    #[test]
    fn a_built_in_file_is_read_from_its_json() {
        // The TOML text is not read when the JSON gives the file (here it would not parse).
        let parsed = parse_embedded("not toml [", Some(r#"{"rule":[]}"#)).expect("the JSON");
        assert!(parsed.rules.is_empty() && parsed.families.is_empty());
    }
}
