//! `Pipfile` and `Pipfile.lock`.
use super::*;

#[test]
fn pipfile_fixture_and_lock() {
    let text = fixture!("pipenv/Pipfile");
    let (c, r) = run(ManifestKind::Pipfile, text);
    assert_eq!(
        r,
        [
            "RM950 7 `\"*\"` -> `>=2.0.0b4,<3`",
            "RM950 12 `\"==1.0.7\"` -> `==2.0.0b4`",
        ]
    );
    assert_fixed(
        ManifestKind::Pipfile,
        text,
        &c,
        &[
            ("\nreplicate = \"*\"", "\nreplicate = \">=2.0.0b4,<3\""),
            ("\"==1.0.7\"", "\"==2.0.0b4\""),
        ],
    );
    assert!(c.findings[0]
        .message
        .contains("pipenv installs the latest final release"));
    let text = fixture!("pipenv/Pipfile.lock");
    let (c, r) = run(ManifestKind::Lock(LockKind::Pipenv), text);
    assert_eq!(r, ["RM951 33 `\"==1.0.7\"`"]);
    assert!(c.findings[0]
        .help
        .as_deref()
        .unwrap()
        .contains("`pipenv lock`"));
    assert!(c.findings[0].help.as_deref().unwrap().contains("Pipfile"));
}

#[test]
fn pipfile_edge_cases() {
    let cases: &[(&str, &[&str])] = &[
        // Pipenv's allow_prereleases lets `>=1.0` pick 2.0.0b4; it cannot widen `<2`.
        (
            "[pipenv]\nallow_prereleases = true\n[packages]\nreplicate = \">=1.0\"\n",
            &[],
        ),
        (
            "[pipenv]\nallow_prereleases = true\n[packages]\nreplicate = \"<2\"\n",
            &["RM950 4 `\"<2\"` -> `>=2.0.0b4,<3`"],
        ),
        // A custom category, a git source, a bare version.
        (
            "[docs]\nreplicate = {version = \"~=1.0\"}\n",
            &["RM950 2 `\"~=1.0\"` -> `>=2.0.0b4,<3`"],
        ),
        (
            "[packages]\nreplicate = {git = \"https://github.com/replicate/replicate-python.git\", ref = \"1.0.7\"}\n",
            &["RM952 2 `\"https://github.com/replicate/replicate-python.git\"`"],
        ),
        ("[packages]\nreplicate = \"1.0.7\"\n", &["RM950 2 `\"1.0.7\"` -> `2.0.0b4`"]),
        ("[packages]\nreplicate = \"==2.0.0b4\"\n", &[]),
        // Not dependencies.
        ("[scripts]\nreplicate = \"python -m x\"\n[requires]\npython_version = \"3.11\"\n", &[]),
    ];
    for (text, want) in cases {
        let (_, r) = run(ManifestKind::Pipfile, text);
        assert_eq!(&r, want, "in {text:?}");
    }
}
