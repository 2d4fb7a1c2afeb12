//! The selects table and the invalid clauses of `tests`, judged by the real `packaging`.

use super::super::testing;
use super::tests::{INVALID, SELECTS_TABLE};
use super::*;

const SCRIPT: &str = r#"
import importlib, sys
S = importlib.import_module(sys.argv[1] + ".specifiers")
for line in sys.stdin.read().split("\n")[:-1]:
    try:
        s = S.SpecifierSet(line)
    except Exception:
        print("invalid")
        continue
    legacy = any(type(x).__name__ == "LegacySpecifier" for x in s)
    print("%d %d %d" % (s.contains("2.0.0b4", prereleases=True), s.contains("2.0.0b4"), legacy))
"#;

/// The table above, and the invalid clauses, judged by the real `packaging`.
#[test]
fn table_agrees_with_packaging() {
    let specs: Vec<&str> = SELECTS_TABLE.iter().map(|(s, _, _)| *s).collect();
    for p in testing::packagings() {
        let mut input = String::new();
        for s in specs.iter().chain(INVALID) {
            input.push_str(s);
            input.push('\n');
        }
        let out = testing::run(&p, SCRIPT, &input);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), specs.len() + INVALID.len());
        let t = target();
        for ((spec, selects, contains), line) in SELECTS_TABLE.iter().zip(&lines) {
            let ours = SpecifierSet::parse(spec).unwrap();
            let fields: Vec<&str> = line.split(' ').collect();
            assert_eq!(fields.len(), 3, "packaging {} rejects {spec:?}", p.version);
            assert_eq!(
                *contains,
                fields[0] == "1",
                "table vs packaging {}: {spec:?}",
                p.version
            );
            if p.legacy_prereleases {
                assert_eq!(
                    *selects,
                    fields[1] == "1",
                    "table vs packaging {}: {spec:?}",
                    p.version
                );
            }
            assert_eq!(
                ours.contains(&t),
                fields[0] == "1",
                "packaging {}: contains({spec:?}, prereleases=True)",
                p.version
            );
            if p.legacy_prereleases {
                // Here `contains` with default pre-release handling is pip's choice.
                assert_eq!(
                    ours.selects(&t, false),
                    fields[1] == "1",
                    "packaging {}: {spec:?} selects 2.0.0b4",
                    p.version
                );
            }
        }
        for (spec, line) in INVALID.iter().zip(&lines[specs.len()..]) {
            // packaging < 22 falls back to LegacySpecifier for malformed clauses.
            if !p.has_legacy_specifier {
                assert_eq!(*line, "invalid", "packaging {} accepts {spec:?}", p.version);
            }
        }
    }
}
