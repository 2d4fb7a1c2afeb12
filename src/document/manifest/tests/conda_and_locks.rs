//! Conda `environment.yml`, and the edge cases of lock files.
use super::*;

#[test]
fn conda_environment_fixture() {
    let text = fixture!("conda/environment.yml");
    let (c, r) = run(ManifestKind::CondaEnvironment, text);
    assert_eq!(
        r,
        [
            "RM952 8 `conda-forge::replicate=1.0.7`",
            "RM950 12 `replicate[async]>=1.0,<2.0` -> `>=2.0.0b4,<3`",
        ]
    );
    assert!(c.findings[0]
        .message
        .contains("conda-forge may not have replicate 2.0.0b4"));
    assert_eq!(
        includes(&c),
        [("requirements.txt".to_string(), ManifestKind::Requirements)]
    );
    assert_fixed(
        ManifestKind::CondaEnvironment,
        text,
        &c,
        &[(
            "replicate[async]>=1.0,<2.0\"",
            "replicate[async]>=2.0.0b4,<3\"",
        )],
    );
    // Items at the key's indent, single quotes, `--pre`; other top-level keys are not read.
    let text = "dependencies:\n- replicate\n- pip:\n  - 'replicate<2'\n  - --pre\n  - replicate>=1.0\nother:\n  - pip:\n    - replicate<2\n";
    let (_, r) = run(ManifestKind::CondaEnvironment, text);
    assert_eq!(
        r,
        [
            "RM952 2 `replicate`",
            "RM950 4 `replicate<2` -> `>=2.0.0b4,<3`",
        ]
    );
}

#[test]
fn lock_edge_cases() {
    // Equal versions in another spelling, no replicate at all, replicate only as a dependency.
    let (_, r) = run(
        ManifestKind::Lock(LockKind::Poetry),
        "[[package]]\nname = \"Replicate\"\nversion = \"2.0b4\"\n",
    );
    assert!(r.is_empty(), "{r:?}");
    let (_, r) = run(
        ManifestKind::Lock(LockKind::Uv),
        "version = 1\n[[package]]\nname = \"app\"\nversion = \"0.1\"\ndependencies = [{ name = \"replicate\" }]\n",
    );
    assert!(r.is_empty(), "{r:?}");
    let (_, r) = run(
        ManifestKind::Lock(LockKind::Pylock),
        "lock-version = \"1.0\"\n[[packages]]\nname = \"replicate\"\nversion = \"1.0.7\"\n",
    );
    assert_eq!(r, ["RM951 4 `\"1.0.7\"`"]);
    let (_, r) = run(
        ManifestKind::Lock(LockKind::Pipenv),
        "{\"default\": {}, \"develop\": {\"replicate\": {\"version\": \"==2.0.0b4\"}}}",
    );
    assert!(r.is_empty(), "{r:?}");
}
