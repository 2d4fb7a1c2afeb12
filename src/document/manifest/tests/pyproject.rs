//! `pyproject.toml` (PEP 621, Poetry, uv, PDM) with the lock files beside it, and its edge
//! cases.
use super::*;

#[test]
fn pyproject_pep621_and_poetry_groups() {
    let text = fixture!("pyproject/pyproject.toml");
    let (c, r) = run(ManifestKind::Pyproject, text);
    assert_eq!(
        r,
        [
            "RM950 11 `replicate (>=1.0.0,<2.0.0)` -> `>=2.0.0b4,<3`",
            "RM950 17 `Replicate[async]>=1.0 ; python_version >= '3.9'` -> `>=2.0.0b4,<3`",
            "RM950 26 `replicate==1.0.7` -> `==2.0.0b4`",
            "RM950 30 `\"^1.0\"` -> `>=2.0.0b4,<3`",
            "RM950 34 `\"*\"` -> `>=2.0.0b4,<3`",
        ]
    );
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[
            ("replicate (>=1.0.0,<2.0.0)", "replicate (>=2.0.0b4,<3)"),
            ("Replicate[async]>=1.0 ;", "Replicate[async]>=2.0.0b4,<3 ;"),
            ("\"replicate==1.0.7\"", "\"replicate==2.0.0b4\""),
            ("version = \"^1.0\"", "version = \">=2.0.0b4,<3\""),
            ("REPLICATE = \"*\"", "REPLICATE = \">=2.0.0b4,<3\""),
        ],
    );
    assert_eq!(
        c.findings[3].message,
        "`replicate.version = \"^1.0\"` excludes replicate 2.0.0b4, so the migrated code would \
         be installed against v1"
    );
    assert_eq!(
        c.findings[4].message,
        "`REPLICATE = \"*\"` has no version bound: Poetry installs the latest final release \
         (1.x), not the pre-release 2.0.0b4"
    );
}

#[test]
fn classic_poetry_project_and_lock() {
    let text = fixture!("poetry/pyproject.toml");
    let (c, r) = run(ManifestKind::Pyproject, text);
    assert_eq!(
        r,
        [
            "RM950 10 `\"^1.0\"` -> `>=2.0.0b4,<3`",
            "RM950 18 `\">=1.0.7\"` -> `>=2.0.0b4,<3`",
        ]
    );
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[
            ("replicate = \"^1.0\"", "replicate = \">=2.0.0b4,<3\""),
            ("\">=1.0.7\"", "\">=2.0.0b4,<3\""),
        ],
    );
    let text = fixture!("poetry/poetry.lock");
    let (c, r) = run(ManifestKind::Lock(LockKind::Poetry), text);
    assert_eq!(r, ["RM951 23 `\"1.0.7\"`"]);
    assert!(c.findings[0].fix.is_none());
    assert_eq!(
        c.findings[0].message,
        "poetry.lock locks replicate 1.0.7, so the migrated code would be installed against it \
         instead of 2.0.0b4"
    );
    assert_eq!(
        c.findings[0].help.as_deref(),
        Some(
            "regenerate the lock (`poetry lock`) after updating the replicate requirement in \
             pyproject.toml to select 2.0.0b4"
        )
    );
}

#[test]
fn uv_project_and_lock() {
    let text = fixture!("uv/pyproject.toml");
    let (c, r) = run(ManifestKind::Pyproject, text);
    assert_eq!(
        r,
        [
            "RM950 6 `replicate>=1.0` -> `>=2.0.0b4,<3`",
            "RM950 11 `replicate[dev]~=1.0` -> `>=2.0.0b4,<3`",
            "RM950 12 `replicate<2.0.0` -> `>=2.0.0b4,<3`",
            "RM950 15 `replicate==1.0.*` -> `>=2.0.0b4,<3`",
        ]
    );
    assert_eq!(
        includes(&c),
        [(
            "requirements/extra.txt".to_string(),
            ManifestKind::Requirements
        )]
    );
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[
            ("'replicate>=1.0'", "'replicate>=2.0.0b4,<3'"),
            ("replicate[dev]~=1.0", "replicate[dev]>=2.0.0b4,<3"),
            ("replicate<2.0.0", "replicate>=2.0.0b4,<3"),
            ("replicate==1.0.*", "replicate>=2.0.0b4,<3"),
        ],
    );
    let text = fixture!("uv/uv.lock");
    let (_, r) = run(ManifestKind::Lock(LockKind::Uv), text);
    assert_eq!(r, ["RM951 22 `\"1.0.7\"`"]);
}

#[test]
fn pdm_project_and_lock() {
    let text = fixture!("pdm/pyproject.toml");
    let (c, r) = run(ManifestKind::Pyproject, text);
    assert_eq!(
        r,
        [
            "RM950 7 `replicate == 1.0.7` -> `== 2.0.0b4`",
            "RM950 10 `replicate>=1.0.0a1,<2` -> `>=2.0.0b4,<3`",
        ]
    );
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[
            ("replicate == 1.0.7", "replicate == 2.0.0b4"),
            ("replicate>=1.0.0a1,<2", "replicate>=2.0.0b4,<3"),
        ],
    );
    // A lock already at 2.0.0b4 says nothing.
    let (_, r) = run(ManifestKind::Lock(LockKind::Pdm), fixture!("pdm/pdm.lock"));
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn pyproject_edge_cases() {
    let cases: &[(&str, &[&str])] = &[
        // Poetry: allow-prereleases lets `>=1.0` pick 2.0.0b4.
        (
            "[tool.poetry.dependencies]\nreplicate = { version = \">=1.0\", allow-prereleases = true }\n",
            &[],
        ),
        // Poetry: a dependency table under its own header.
        (
            "[tool.poetry.dependencies.replicate]\nversion = \"~1.0\"\nextras = [\"a\"]\n",
            &["RM950 2 `\"~1.0\"` -> `>=2.0.0b4,<3`"],
        ),
        // Poetry: multiple-constraint dependencies.
        (
            "[tool.poetry.dependencies]\nreplicate = [\n  { version = \"^1.0\", python = \"<3.9\" },\n  { version = \"^2.0.0b4\", python = \">=3.9\" },\n]\n",
            &["RM950 3 `\"^1.0\"` -> `>=2.0.0b4,<3`"],
        ),
        // Poetry: exact pins keep their form; sources cannot be checked.
        (
            "[tool.poetry.dependencies]\nreplicate = \"1.0.7\"\n",
            &["RM950 2 `\"1.0.7\"` -> `2.0.0b4`"],
        ),
        (
            "[tool.poetry.dependencies]\nreplicate = \"==1.0.7\"\n",
            &["RM950 2 `\"==1.0.7\"` -> `==2.0.0b4`"],
        ),
        (
            "[tool.poetry.dependencies]\nreplicate = { path = \"../replicate-python\", develop = true }\n",
            &["RM952 2 `\"../replicate-python\"`"],
        ),
        (
            "[tool.poetry.dependencies]\nreplicate = \"latest\"\n",
            &["RM952 2 `\"latest\"`"],
        ),
        // Poetry: a table without a version.
        (
            "[tool.poetry.dependencies]\nreplicate = { extras = [\"a\"] }\n",
            &["RM950 2 `{ extras = [\"a\"] }`"],
        ),
        // Poetry 2: a [project] dependency, its [tool.poetry] table only adds pre-releases.
        (
            "[project]\ndependencies = [\"replicate (>=1.0)\"]\n[tool.poetry.dependencies]\nreplicate = { allow-prereleases = true }\n",
            &[],
        ),
        (
            "[project]\ndependencies = [\"replicate (>=1.0)\"]\n[tool.poetry.dependencies]\nreplicate = { source = \"internal\" }\n",
            &["RM950 2 `replicate (>=1.0)` -> `>=2.0.0b4,<3`"],
        ),
        // Pixi: PyPI dependencies are checked, conda ones cannot be.
        (
            "[tool.pixi.pypi-dependencies]\nreplicate = \">=1.0\"\n[tool.pixi.dependencies]\nreplicate = \"*\"\n",
            &[
                "RM950 2 `\">=1.0\"` -> `>=2.0.0b4,<3`",
                "RM952 4 `\"*\"`",
            ],
        ),
        // uv sources: a git source cannot be checked; an index or workspace source is fine.
        (
            "[project]\ndependencies = [\"replicate>=2.0.0b4\"]\n[tool.uv.sources]\nreplicate = { git = \"https://github.com/replicate/replicate-python\", tag = \"1.0.7\" }\n",
            &["RM952 4 `\"https://github.com/replicate/replicate-python\"`"],
        ),
        (
            "[tool.uv.sources]\nreplicate = { index = \"internal\" }\n",
            &[],
        ),
        (
            "[tool.uv]\nsources.Replicate = { workspace = true }\n",
            &[],
        ),
        // Escapes inside a TOML string map back to the file.
        (
            "[project]\ndependencies = [\"replicate\\u003e=1.0\"]\n",
            &["RM950 2 `replicate\\u003e=1.0` -> `>=2.0.0b4,<3`"],
        ),
        // A literal and a multi-line string.
        (
            "[project]\ndependencies = ['''\nreplicate<2''']\n",
            &["RM950 3 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        // Dotted keys and an inline [project] table.
        (
            "project.optional-dependencies.x = [\"replicate<2\"]\n",
            &["RM950 1 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        // Not dependencies.
        (
            "[project.scripts]\nreplicate = \"a:b\"\n[[tool.mypy.overrides]]\nmodule = [\"replicate.*\"]\n\
             [tool.poetry.scripts]\nreplicate = \"a:b\"\n[tool.replicate]\nversion = \"1.0.7\"\n\
             [build-system]\nrequires = [\"setuptools\"]\n[project.urls]\nreplicate = \"https://replicate.com\"\n",
            &[],
        ),
    ];
    for (text, want) in cases {
        let (_, r) = run(ManifestKind::Pyproject, text);
        assert_eq!(&r, want, "in {text:?}");
    }
    let text = "[project]\ndependencies = [\"replicate\\u003e=1.0\"]\n";
    let (c, _) = run(ManifestKind::Pyproject, text);
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[("replicate\\u003e=1.0", "replicate>=2.0.0b4,<3")],
    );
}
