//! Converts the rule files (`rules/*.toml`, TOML as people write it) to JSON for the binary to
//! embed: every run loads all the rules before it reads a file, and serde_json reads them several
//! times faster than the TOML parser (the TOML was half of an empty run's CPU). `load()` still
//! reads TOML; a test checks that both give the same rules.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir).join("rules");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    let mut names: Vec<String> = std::fs::read_dir("rules")
        .expect("the rules directory")
        .map(|entry| entry.expect("a readable rules directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let name = path.file_stem().expect("a file name").to_string_lossy();
            name.into_owned()
        })
        .collect();
    names.sort();
    let mut arms = String::new();
    for name in &names {
        let path = format!("rules/{name}.toml");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).expect("a readable rule file");
        let table: toml::Table = match text.parse() {
            Ok(table) => table,
            Err(e) => panic!("{path} is not valid TOML: {e}"),
        };
        if let Some(at) = datetime_in(&toml::Value::Table(table.clone()), "") {
            // JSON has no dates: serde would write a private struct in its place.
            panic!("{path}: a rule file holds no dates, but `{at}` is one");
        }
        let json = serde_json::to_string(&table).expect("TOML values are JSON values");
        let json_path = out.join(format!("{name}.json"));
        std::fs::write(&json_path, json).expect("OUT_DIR is writable");
        writeln!(
            arms,
            "        {path:?} => Some(include_str!({:?})),",
            json_path.display().to_string()
        )
        .expect("writing to a String");
    }
    let code = format!(
        "/// A rule file of `rules/` (named as in `RULE_FILES`) as JSON (made by build.rs).\n\
         pub(crate) fn rule_json(file: &str) -> Option<&'static str> {{\n    \
         match file {{\n{arms}        _ => None,\n    }}\n}}\n"
    );
    std::fs::write(Path::new(&out_dir).join("rule_json.rs"), code).expect("OUT_DIR is writable");
}

/// The key of the first date or time in `value`, if it holds one.
fn datetime_in(value: &toml::Value, key: &str) -> Option<String> {
    match value {
        toml::Value::Datetime(_) => Some(key.to_string()),
        toml::Value::Array(items) => items.iter().find_map(|v| datetime_in(v, key)),
        toml::Value::Table(table) => table.iter().find_map(|(k, v)| datetime_in(v, k)),
        _ => None,
    }
}
