//! Requirements files: the fixture, included requirement and constraint files, pip-compile
//! input and output, and the edge cases of the format.
use super::*;

#[test]
fn requirements_txt_fixture() {
    let text = fixture!("pip/requirements.txt");
    let (c, r) = run(ManifestKind::Requirements, text);
    assert_eq!(r, ["RM950 8 `replicate>=1.0.0,<2.0.0` -> `>=2.0.0b4,<3`"]);
    assert_eq!(
        includes(&c),
        [
            ("base.txt".to_string(), ManifestKind::Requirements),
            ("constraints.txt".to_string(), ManifestKind::Constraints)
        ]
    );
    for i in &c.includes {
        assert_eq!(&text[i.start..i.end], i.path);
    }
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[("replicate>=1.0.0,<2.0.0", "replicate>=2.0.0b4,<3")],
    );
    assert_eq!(
        c.findings[0].message,
        "`replicate>=1.0.0,<2.0.0` excludes replicate 2.0.0b4, so the migrated code would be \
         installed against v1"
    );
    assert_eq!(
        c.findings[0].help.as_deref(),
        Some("require `replicate>=2.0.0b4,<3`: the migrated code needs replicate 2.0.0b4")
    );
}

#[test]
fn included_requirement_and_constraint_files() {
    let text = fixture!("pip/base.txt");
    let (c, r) = run(ManifestKind::Requirements, text);
    assert_eq!(
        r,
        ["RM950 3 `REPLICATE[async] == 1.0.7 ; python_version < \"3.13\"` -> `== 2.0.0b4`"]
    );
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[(
            "REPLICATE[async] == 1.0.7 ;",
            "REPLICATE[async] == 2.0.0b4 ;",
        )],
    );

    let text = fixture!("pip/constraints.txt");
    let (c, r) = run(ManifestKind::Constraints, text);
    assert_eq!(r, ["RM950 3 `replicate<2` -> `>=2.0.0b4,<3`"]);
    assert_fixed(
        ManifestKind::Constraints,
        text,
        &c,
        &[("replicate<2", "replicate>=2.0.0b4,<3")],
    );
    // The same line read as a requirements file is also flagged; a bare name or a lower
    // bound only is not a problem in a constraints file.
    let (_, r) = run(ManifestKind::Constraints, "replicate\nreplicate>=1.0\n");
    assert!(r.is_empty(), "{r:?}");
    let (_, r) = run(ManifestKind::Requirements, "replicate\n");
    assert_eq!(r, ["RM950 1 `replicate` -> `>=2.0.0b4,<3`"]);
}

#[test]
fn pip_compile_input_and_output() {
    let text = fixture!("pip/requirements-dev.in");
    let (c, r) = run(ManifestKind::Requirements, text);
    assert_eq!(r, ["RM950 5 `replicate` -> `>=2.0.0b4,<3`"]);
    assert_eq!(
        includes(&c),
        [("constraints.txt".to_string(), ManifestKind::Constraints)]
    );
    assert_eq!(
        c.findings[0].message,
        "`replicate` has no version bound: pip installs the latest final release (1.x), not the \
         pre-release 2.0.0b4"
    );
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[("\nreplicate\n", "\nreplicate>=2.0.0b4,<3\n")],
    );

    let text = fixture!("pip/requirements-dev.txt");
    let (c, r) = run(ManifestKind::Requirements, text);
    assert_eq!(r, ["RM951 11 `replicate==1.0.7`"]);
    assert!(c.findings[0]
        .help
        .as_deref()
        .unwrap()
        .contains("`pip-compile`"));
    // Named as a lock, the same.
    let (_, r2) = run(ManifestKind::Lock(LockKind::PipCompile), text);
    assert_eq!(r2, r);
}

#[test]
fn requirements_edge_cases() {
    let cases: &[(&str, &[&str])] = &[
        // Already selecting 2.0.0b4.
        (
            "replicate>=2.0.0b4\nreplicate==2.0.0b4\nreplicate>=2.0.0a1,<3\n",
            &[],
        ),
        // `--pre` lets pip consider pre-releases for every requirement of the file.
        ("--pre\nreplicate>=1.0\nreplicate\n", &[]),
        (
            "--pre\nreplicate<2\n",
            &["RM950 2 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        // Markers without spaces, names in any case.
        (
            "Replicate;python_version<\"3.12\"\n",
            &["RM950 1 `Replicate;python_version<\"3.12\"` -> `>=2.0.0b4,<3`"],
        ),
        (
            "replicate>=1.0 # pinned\n",
            &["RM950 1 `replicate>=1.0` -> `>=2.0.0b4,<3`"],
        ),
        // Other distributions whose names contain replicate.
        (
            "replicate-foo>=1\nreplicate_tools\nopentelemetry-instrumentation-replicate\n",
            &[],
        ),
        // Direct references and links get RM952, without a fix.
        (
            "replicate @ git+https://github.com/replicate/replicate-python@1.0.7\n",
            &["RM952 1 `replicate @ git+https://github.com/replicate/replicate-python@1.0.7`"],
        ),
        (
            "git+https://github.com/replicate/replicate-python@1.0.7#egg=replicate\n",
            &["RM952 1 `git+https://github.com/replicate/replicate-python@1.0.7#egg=replicate`"],
        ),
        (
            "-e git+https://github.com/replicate/replicate-python#egg=replicate\n",
            &["RM952 1 `git+https://github.com/replicate/replicate-python#egg=replicate`"],
        ),
        (
            "./vendor/replicate-1.0.7.tar.gz\n",
            &["RM952 1 `./vendor/replicate-1.0.7.tar.gz`"],
        ),
        // Unparsable specifiers.
        (
            "replicate==${REPLICATE_VERSION}\n",
            &["RM952 1 `replicate==${REPLICATE_VERSION}`"],
        ),
        ("replicate 1.0.7\n", &["RM952 1 `replicate 1.0.7`"]),
        // A hashed line is a lock even without a pip-compile header.
        (
            "replicate==1.0.7 --hash=sha256:abc\n",
            &["RM951 1 `replicate==1.0.7`"],
        ),
        // A continuation in the middle of the specifier is part of what is replaced.
        (
            "replicate>=1.0,\\\n    <2 ; os_name == \"nt\"\n",
            &["RM950 1 `replicate>=1.0,\\\n    <2 ; os_name == \"nt\"` -> `>=2.0.0b4, <3`"],
        ),
        // A comment line is not a requirement; `#` inside a token is not a comment.
        ("# replicate<2\n", &[]),
        // Options with attached values, and values that look like requirements.
        (
            "--index-url https://x/simple/replicate\n-i replicate\n",
            &[],
        ),
        // CRLF line endings.
        (
            "a\r\nreplicate<2\r\nb\r\n",
            &["RM950 2 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
    ];
    for (text, want) in cases {
        let (_, r) = run(ManifestKind::Requirements, text);
        assert_eq!(&r, want, "in {text:?}");
    }
    let text = "replicate>=1.0,\\\n    <2 ; os_name == \"nt\"\n";
    let (c, _) = run(ManifestKind::Requirements, text);
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[(">=1.0,\\\n    <2", ">=2.0.0b4, <3")],
    );
    let text = "a\r\nreplicate<2\r\nb\r\n";
    let (c, _) = run(ManifestKind::Requirements, text);
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[("replicate<2", "replicate>=2.0.0b4,<3")],
    );
    // Include forms.
    let (c, _) = run(
        ManifestKind::Requirements,
        "-r a.txt\n--requirement=b.txt\n-rc.txt\n--constraint d.txt\n-c https://x/e.txt\n\
         -i https://pypi.org/simple -r f.txt\n",
    );
    assert_eq!(
        includes(&c),
        [
            ("a.txt".to_string(), ManifestKind::Requirements),
            ("b.txt".to_string(), ManifestKind::Requirements),
            ("c.txt".to_string(), ManifestKind::Requirements),
            ("d.txt".to_string(), ManifestKind::Constraints),
            ("f.txt".to_string(), ManifestKind::Requirements),
        ]
    );
    // In a constraints file every include is a constraint.
    let (c, _) = run(ManifestKind::Constraints, "-r more.txt\n");
    assert_eq!(
        includes(&c),
        [("more.txt".to_string(), ManifestKind::Constraints)]
    );
}

#[test]
fn final_only_message() {
    let (c, _) = run(ManifestKind::Requirements, "replicate>=1.0\n");
    assert_eq!(
        c.findings[0].message,
        "`replicate>=1.0` does not select replicate 2.0.0b4: pip installs the latest final \
         release (1.x) unless the requirement names a pre-release"
    );
}
