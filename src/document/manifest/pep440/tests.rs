//! Unit tests: versions, specifiers, Poetry constraints, and the selects table that
//! `cross_check` also runs through the real `packaging`.

use super::*;

fn v(s: &str) -> Version {
    Version::parse(s).unwrap_or_else(|| panic!("{s} parses"))
}

#[test]
fn parses_and_normalises_versions() {
    for (raw, norm) in [
        ("2.0.0b4", "2.0.0b4"),
        ("2.0.0-beta4", "2.0.0b4"),
        ("2.0.0.beta.4", "2.0.0b4"),
        ("V1.0", "1.0"),
        ("1!2.0", "1!2.0"),
        ("1.0-1", "1.0.post1"),
        ("1.0.post", "1.0.post0"),
        ("1.0rev2", "1.0.post2"),
        ("1.0r", "1.0.post0"),
        ("1.0c1", "1.0rc1"),
        ("1.0preview2", "1.0rc2"),
        ("1.0pre", "1.0rc0"),
        ("1.0alpha", "1.0a0"),
        ("1.0-dev", "1.0.dev0"),
        ("1.0a.dev1", "1.0a0.dev1"),
        ("1.0+Ubuntu-1.2", "1.0+ubuntu.1.2"),
        (" 1.0 ", "1.0"),
        ("1.0rc1.post2.dev3", "1.0rc1.post2.dev3"),
    ] {
        assert_eq!(v(raw).to_string(), norm, "{raw}");
    }
    for bad in [
        "",
        "x",
        "1.",
        "1..0",
        "1.0+",
        "1.0+a..b",
        "1.0 1",
        "1.0.*",
        "1.0beta-",
        "1.0++",
        "-1",
        "1.0-",
        "99999999999999999999999",
    ] {
        assert!(Version::parse(bad).is_none(), "{bad:?} must not parse");
    }
}

#[test]
fn orders_versions_like_packaging() {
    let sorted = [
        "1.0.dev0",
        "1.0a1.dev1",
        "1.0a1",
        "1.0a1.post1.dev1",
        "1.0a1.post1",
        "1.0b1",
        "1.0rc1",
        "1.0",
        "1.0+abc",
        "1.0+abc.1",
        "1.0+1",
        "1.0.post1.dev1",
        "1.0.post1",
        "1.0.1",
        "2.0.0a1",
        "2.0.0b4",
        "2.0.0rc1",
        "2.0",
        "1!0.1",
    ];
    for w in sorted.windows(2) {
        assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
    }
    assert_eq!(v("1.0"), v("1.0.0.0"));
    assert_eq!(v("2.0.0b4"), v("2.0b4"));
    assert_ne!(v("1.0"), v("1.0+local"));
}

/// (specifier set, selects 2.0.0b4 under pip's default, contains 2.0.0b4 with pre-releases)
pub(crate) const SELECTS_TABLE: &[(&str, bool, bool)] = &[
    ("", false, true),
    (">=1.0", false, true),
    (">=1.0.0,<2.0.0", false, false),
    ("<2", false, false),
    ("<2.0", false, false),
    ("<=2", false, true),
    ("==1.0.7", false, false),
    ("~=1.0", false, false),
    ("==1.*", false, false),
    ("==2.*", false, true),
    ("==2.0.*", false, true),
    ("!=1.0.*", false, true),
    ("!=2.0.*", false, false),
    ("!=1.0.7", false, true),
    (">1.99", false, true),
    (">2", false, false),
    (">=2", false, false),
    (">=2.0.0", false, false),
    (">=2.0.0b4", true, true),
    (">= 2.0.0b4", true, true),
    ("==2.0.0b4", true, true),
    ("==2.0b4", true, true),
    ("==2.0.0-beta.4", true, true),
    ("==v2.0.0b4", true, true),
    ("===2.0.0b4", true, true),
    ("===2.0.0B4", true, true),
    ("===2.0.0-beta4", false, false),
    (">=2.0.0a1,<3", true, true),
    (">=2.0.0b4,<3", true, true),
    (">=2.0.0b5", false, false),
    (">=2.0.0rc1", false, false),
    (">=2.0.0.dev1", true, true),
    ("~=2.0b1", true, true),
    ("~=2.0.0b1", true, true),
    ("~=2.0.0b5", false, false),
    ("~=1.0b1", false, false),
    ("<=2.0.0b4", true, true),
    ("<=2.0.0b3", false, false),
    (">2.0.0a1", false, true),
    (">2.0.0a1,<3", false, true),
    ("<2.0.0b5", false, true),
    (">=1.0,!=2.0.0b4,<3.0.0rc1", false, false),
    (">=2.0.0b4,!=2.0.0b4", false, false),
    (">=2.0.0b4,<2", false, false),
    (">=2.0.0b4,<2.0.0b4", false, false),
    ("==2.0.0b4+local", false, false),
    ("!=2.0.0b4+local", false, true),
    (">=1!1.0", false, false),
    ("==0!2.0.0b4", true, true),
    (">=2.0.0b4,>=1", true, true),
    ("<3,>=2.0.0b4", true, true),
    ("==2.0.0b4,==2.0.0b4", true, true),
    (">=1.0.0a1,<2", false, false),
    (">=1.0.0a1", true, true),
    (">=2.0.0b4.post1", false, false),
    (">2.0.0b3.post1", false, true),
    (">=2.0.0b3.post1", true, true),
];

#[test]
fn specifier_table() {
    let t = target();
    for (spec, selects, contains) in SELECTS_TABLE {
        let set = SpecifierSet::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(set.contains(&t), *contains, "contains({spec:?})");
        assert_eq!(set.selects(&t, false), *selects, "selects({spec:?})");
        // `--pre` (or an installer's allow-prereleases) makes containment enough.
        assert_eq!(set.selects(&t, true), *contains, "selects --pre ({spec:?})");
    }
}

/// Clauses that `packaging` (without LegacySpecifier) rejects too.
pub(crate) const INVALID: &[&str] = &[
    "1.0",
    ">=",
    ">=1.0.*",
    "~=1",
    "~=1.0.*",
    "<1.0+local",
    ">=1.0 2",
    "==1.0a1.*",
    "=1.0",
    "=>1.0",
    "== 1. 0",
    ">=1.x",
];

#[test]
fn rejects_invalid_specifiers() {
    for bad in INVALID {
        assert!(
            SpecifierSet::parse(bad).is_err(),
            "{bad:?} must be rejected"
        );
    }
    assert!(SpecifierSet::parse("  ").unwrap().specs.is_empty());
}

#[test]
fn poetry_constraints() {
    let t = target();
    for (c, selects, pinned) in [
        ("*", false, false),
        ("", false, false),
        ("^1.0", false, false),
        ("^1.0.7", false, false),
        ("~1.0", false, false),
        ("~1", false, false),
        ("~2", false, false),
        ("~=1.0", false, false),
        ("1.0.7", false, true),
        ("==1.0.7", false, true),
        ("=1.0.7", false, true),
        ("1.*", false, false),
        ("1.x", false, false),
        (">=1,<2", false, false),
        (">=1 <2", false, false),
        (">= 1.0, < 2.0", false, false),
        (">=1.0", false, false),
        ("^2.0.0b4", true, false),
        ("^2.0.0a1", true, false),
        ("^2.0.0b5", false, false),
        ("2.0.0b4", true, true),
        ("==2.0.0b4", true, true),
        (">=2.0.0b4,<3", true, false),
        (">=2.0.0b4 <3", true, false),
        ("~2.0.0b1", true, false),
        ("~=2.0b1", true, false),
        ("<2.0.0b5", true, false),
        ("^1.0 || ^2.0.0b4", true, false),
        ("^1.0 || >=2", false, false),
        ("^1.0 | ^2.0.0b1", true, false),
        ("!=1.0.7", false, false),
        ("<>2.0.0b4", false, false),
        ("2.*", false, false),
    ] {
        let pc = PoetryConstraint::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert_eq!(pc.selects(&t, false), selects, "poetry selects({c:?})");
        assert_eq!(pc.is_exact_pin(), pinned, "poetry pinned({c:?})");
    }
    // `allow-prereleases = true` makes containment enough.
    let pc = PoetryConstraint::parse(">=1.0").unwrap();
    assert!(pc.selects(&t, true));
    let pc = PoetryConstraint::parse("^1.0").unwrap();
    assert!(!pc.selects(&t, true));
    // Caret and tilde bounds.
    let upper = |c: &str| {
        PoetryConstraint::parse(c).unwrap().branches[0].specs[1]
            .version
            .clone()
            .unwrap()
            .to_string()
    };
    assert_eq!(upper("^1.2.3"), "2");
    assert_eq!(upper("^0.2.3"), "0.3");
    assert_eq!(upper("^0.0.3"), "0.0.4");
    assert_eq!(upper("^0.0"), "0.1");
    assert_eq!(upper("^0"), "1");
    assert_eq!(upper("~1.2.3"), "1.3");
    assert_eq!(upper("~1"), "2");
    for bad in ["^", "^x", "~", ">=", "1.0 ||| x", "latest", ">=1.0.x.y"] {
        assert!(
            PoetryConstraint::parse(bad).is_err(),
            "{bad:?} must be rejected"
        );
    }
}
