//! Behaviour tests over whole manifests: the fixtures under `fixtures/manifests/`, and small
//! inline files for the edge cases.

use std::path::Path;

use super::*;

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../fixtures/manifests/", $path))
    };
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `CODE line `snippet` [-> `replacement`]` for each finding.
fn render(bytes: &[u8], c: &Checked) -> Vec<String> {
    c.findings
        .iter()
        .map(|f| {
            let snippet = String::from_utf8_lossy(&bytes[f.start..f.end]);
            let line = line_of(bytes, f.start);
            match &f.fix {
                Some(r) => format!("{} {line} `{snippet}` -> `{}`", f.code, r.content),
                None => format!("{} {line} `{snippet}`", f.code),
            }
        })
        .collect()
}

fn run(kind: ManifestKind, text: &str) -> (Checked, Vec<String>) {
    let c = check(kind, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let r = render(text.as_bytes(), &c);
    (c, r)
}

/// The whole fixed file must be the original with exactly these substitutions (each `old`
/// occurring once), every fix must lie inside its finding, and a second check must find
/// nothing fixable.
fn assert_fixed(kind: ManifestKind, text: &str, c: &Checked, subs: &[(&str, &str)]) {
    let mut expected = text.to_string();
    for (old, new) in subs {
        assert_eq!(expected.matches(old).count(), 1, "`{old}` must occur once");
        expected = expected.replacen(old, new, 1);
    }
    let fixed = String::from_utf8(apply_fixes(text.as_bytes(), &c.findings)).unwrap();
    assert_eq!(fixed, expected);
    for f in &c.findings {
        if let Some(r) = &f.fix {
            assert!(f.start <= r.start && r.end <= f.end, "{f:?}");
            assert_eq!(f.code, RM950);
        }
    }
    let again = check(kind, fixed.as_bytes()).unwrap();
    assert!(
        again.findings.iter().all(|f| f.code != RM950),
        "still fixable after the fix: {:?}",
        render(fixed.as_bytes(), &again)
    );
}

fn includes(c: &Checked) -> Vec<(String, ManifestKind)> {
    c.includes
        .iter()
        .map(|i| (i.path.clone(), i.kind))
        .collect()
}

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
fn setup_cfg_fixture() {
    let text = fixture!("setuptools/setup.cfg");
    let (c, r) = run(ManifestKind::SetupCfg, text);
    assert_eq!(
        r,
        [
            "RM950 11 `replicate >= 0.25, < 2 ; python_version >= \"3.9\"` -> `>= 2.0.0b4, < 3`",
            "RM950 14 `replicate==1.0.7` -> `==2.0.0b4`",
            "RM950 17 `replicate[async]` -> `>=2.0.0b4,<3`",
        ]
    );
    assert_fixed(
        ManifestKind::SetupCfg,
        text,
        &c,
        &[
            ("replicate >= 0.25, < 2 ;", "replicate >= 2.0.0b4, < 3 ;"),
            ("pytest; replicate==1.0.7", "pytest; replicate==2.0.0b4"),
            (
                "replicate = replicate[async]",
                "replicate = replicate[async]>=2.0.0b4,<3",
            ),
        ],
    );
    let (c, _) = run(
        ManifestKind::SetupCfg,
        "[options]\ninstall_requires = file: requirements.txt, extra.txt\n",
    );
    assert_eq!(
        includes(&c),
        [
            ("requirements.txt".to_string(), ManifestKind::Requirements),
            ("extra.txt".to_string(), ManifestKind::Requirements)
        ]
    );
    let text = "[options]\ninstall_requires = file: requirements.txt, extra.txt\n";
    for i in &c.includes {
        assert_eq!(&text[i.start..i.end], i.path);
    }
}

#[test]
fn setup_py_fixture() {
    let text = fixture!("setuptools/setup.py");
    let (c, r) = run(ManifestKind::SetupPy, text);
    assert_eq!(
        r,
        [
            "RM950 6 `replicate~=1.0` -> `>=2.0.0b4,<3`",
            "RM950 17 `Replicate[async]==1.0.7` -> `==2.0.0b4`",
        ]
    );
    assert_fixed(
        ManifestKind::SetupPy,
        text,
        &c,
        &[
            ("\"replicate~=1.0\"", "\"replicate>=2.0.0b4,<3\""),
            ("Replicate[async]==1.0.7", "Replicate[async]==2.0.0b4"),
        ],
    );
}

#[test]
fn setup_py_edge_cases() {
    let cases: &[(&str, &[&str])] = &[
        // Requirements built by code cannot be checked.
        (
            "setup(install_requires=[\"replicate==\" + VERSION])\n",
            &["RM952 1 `\"replicate==\"`"],
        ),
        (
            "setup(install_requires=[f\"replicate=={V}\"])\n",
            &["RM952 1 `f\"replicate=={V}\"`"],
        ),
        (
            "setup(install_requires=[\"replicate\" \">=1\"])\n",
            &["RM952 1 `\"replicate\" \">=1\"`"],
        ),
        // The dict form, tuples, escapes, single quotes, raw strings.
        (
            "setup(**{'install_requires': ('replicate<2',)})\n",
            &["RM950 1 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        (
            "setup(install_requires=[\"replicate\\u003e=1.0\"])\n",
            &["RM950 1 `replicate\\u003e=1.0` -> `>=2.0.0b4,<3`"],
        ),
        (
            "setup(install_requires=[r'replicate<2'])\n",
            &["RM950 1 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        // A string holding several requirements, one a line.
        (
            "setup(install_requires=\"\"\"\nrequests\nreplicate<2\n\"\"\")\n",
            &["RM950 3 `replicate<2` -> `>=2.0.0b4,<3`"],
        ),
        // Not a dependency: other keywords, comparisons, comments, other strings.
        (
            "x = install_requires == ['replicate<2']\n# install_requires=['replicate<2']\n\
             setup(name='replicate', entry_points={'console_scripts': ['replicate=a:b']})\n",
            &[],
        ),
        // An extra named replicate is a key, not a requirement.
        ("setup(extras_require={'replicate': ['requests']})\n", &[]),
    ];
    for (text, want) in cases {
        let (_, r) = run(ManifestKind::SetupPy, text);
        assert_eq!(&r, want, "in {text:?}");
    }
    // The escape is replaced together with the rest of the specifier.
    let text = "setup(install_requires=[\"replicate\\u003e=1.0\"])\n";
    let (c, _) = run(ManifestKind::SetupPy, text);
    assert_fixed(
        ManifestKind::SetupPy,
        text,
        &c,
        &[("replicate\\u003e=1.0", "replicate>=2.0.0b4,<3")],
    );
}

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

#[test]
fn kinds_from_file_names() {
    use ManifestKind::*;
    let cases: &[(&str, Option<ManifestKind>)] = &[
        ("requirements.txt", Some(Requirements)),
        ("app/requirements-dev.txt", Some(Requirements)),
        ("dev-requirements.txt", Some(Requirements)),
        ("requirements_test.in", Some(Requirements)),
        ("requirements/base.txt", Some(Requirements)),
        ("requirements/dev.in", Some(Requirements)),
        ("constraints.txt", Some(Constraints)),
        ("constraints-py311.txt", Some(Constraints)),
        ("requirements/constraints.txt", Some(Constraints)),
        ("pyproject.toml", Some(Pyproject)),
        ("setup.cfg", Some(SetupCfg)),
        ("setup.py", Some(SetupPy)),
        ("Pipfile", Some(Pipfile)),
        ("environment.yml", Some(CondaEnvironment)),
        ("environment-gpu.yaml", Some(CondaEnvironment)),
        ("poetry.lock", Some(Lock(LockKind::Poetry))),
        ("uv.lock", Some(Lock(LockKind::Uv))),
        ("pdm.lock", Some(Lock(LockKind::Pdm))),
        ("Pipfile.lock", Some(Lock(LockKind::Pipenv))),
        ("pylock.toml", Some(Lock(LockKind::Pylock))),
        ("pylock.dev.toml", Some(Lock(LockKind::Pylock))),
        ("requirements.lock", Some(Lock(LockKind::PipCompile))),
        ("MANIFEST.in", None),
        ("notes.txt", None),
        ("config.toml", None),
        ("setup.py.orig", None),
        ("requirements", None),
        ("docs/conf.py", None),
    ];
    for (path, want) in cases {
        assert_eq!(kind_of(Path::new(path)), *want, "{path}");
    }
}

#[test]
fn prefilter() {
    assert!(mentions_replicate(b"x\nREPLICATE==1\n"));
    assert!(mentions_replicate(b"Replicate"));
    assert!(!mentions_replicate(b"replic ate"));
    assert!(!mentions_replicate(b""));
}

#[test]
fn bom_stays_outside_every_range() {
    let text = "\u{FEFF}replicate<2\n";
    let (c, r) = run(ManifestKind::Requirements, text);
    assert_eq!(r, ["RM950 1 `replicate<2` -> `>=2.0.0b4,<3`"]);
    assert_eq!(c.findings[0].start, 3);
    assert_fixed(
        ManifestKind::Requirements,
        text,
        &c,
        &[("replicate<2", "replicate>=2.0.0b4,<3")],
    );
    let text = "\u{FEFF}[project]\ndependencies = [\"replicate<2\"]\n";
    let (c, _) = run(ManifestKind::Pyproject, text);
    assert_fixed(
        ManifestKind::Pyproject,
        text,
        &c,
        &[("replicate<2", "replicate>=2.0.0b4,<3")],
    );
}

#[test]
fn malformed_inputs_are_errors_or_quiet() {
    // Invalid TOML: an error with its position.
    let e = check(
        ManifestKind::Pyproject,
        b"[project]\ndependencies = [\"replicate<2\"\nx = 1\n",
    )
    .unwrap_err();
    assert!(e.message.starts_with("invalid TOML"), "{e}");
    assert!(e.line >= 2, "{e:?}");
    let e = check(ManifestKind::Pipfile, b"[packages]\nreplicate = \n").unwrap_err();
    assert_eq!(
        (e.line, e.message.starts_with("invalid TOML")),
        (2, true),
        "{e:?}"
    );
    // Invalid JSON.
    let e = check(
        ManifestKind::Lock(LockKind::Pipenv),
        b"{\"default\": {\"replicate\": }}",
    )
    .unwrap_err();
    assert_eq!((e.offset, e.line, e.column), (26, 1, 27), "{e:?}");
    for bad in [
        &b"{\"a\": 1,}"[..],
        b"[1 2]",
        b"{} {}",
        b"{\"a\" 1}",
        b"",
        b"\"\\x\"",
    ] {
        assert!(
            check(ManifestKind::Lock(LockKind::Pipenv), bad).is_err(),
            "{bad:?}"
        );
    }
    // Not UTF-8, UTF-16.
    let e = check(
        ManifestKind::Requirements,
        b"replicate<2\n\xff\xfe\x00garbage",
    )
    .unwrap_err();
    assert_eq!((e.offset, e.line, e.column), (12, 2, 1), "{e:?}");
    assert!(check(ManifestKind::SetupPy, b"\xff\xfer\x00e\x00").is_err());
    // Unterminated constructs give an answer, not a panic.
    for (kind, text) in [
        (ManifestKind::Requirements, "replicate>=1.0,\\"),
        (ManifestKind::Requirements, "replicate[extra"),
        (ManifestKind::Requirements, "replicate (>=1"),
        (ManifestKind::Requirements, "-r"),
        (
            ManifestKind::SetupPy,
            "setup(install_requires=['replicate<2",
        ),
        (
            ManifestKind::SetupPy,
            "setup(install_requires=[\"\"\"replicate<2",
        ),
        (ManifestKind::SetupPy, "install_requires=["),
        (
            ManifestKind::SetupCfg,
            "[options\ninstall_requires =\n  replicate<2",
        ),
        (
            ManifestKind::CondaEnvironment,
            "dependencies:\n  - pip:\n    - \"replicate<2",
        ),
    ] {
        let _ = check(kind, text.as_bytes()).unwrap();
    }
    let (_, r) = run(ManifestKind::Requirements, "replicate>=1.0,\\");
    assert_eq!(r, ["RM950 1 `replicate>=1.0,` -> `>=2.0.0b4,<3`"]);
}

/// Pseudo-random bytes and every prefix of every fixture, in every kind: no panic.
#[test]
fn never_panics() {
    let kinds = [
        ManifestKind::Requirements,
        ManifestKind::Constraints,
        ManifestKind::Pyproject,
        ManifestKind::SetupCfg,
        ManifestKind::SetupPy,
        ManifestKind::Pipfile,
        ManifestKind::CondaEnvironment,
        ManifestKind::Lock(LockKind::Poetry),
        ManifestKind::Lock(LockKind::Pipenv),
        ManifestKind::Lock(LockKind::PipCompile),
    ];
    let fixtures = [
        fixture!("pip/requirements.txt"),
        fixture!("pip/requirements-dev.txt"),
        fixture!("pyproject/pyproject.toml"),
        fixture!("setuptools/setup.cfg"),
        fixture!("setuptools/setup.py"),
        fixture!("pipenv/Pipfile.lock"),
        fixture!("conda/environment.yml"),
        "a = \"\\u00e9\"\n[t]\nb = [1, {c = 'd'}, \"\"\"e\\\n\"\"\"]\nr = 'replicate (<2)'\n",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for text in fixtures {
        for i in 0..=text.len() {
            if !text.is_char_boundary(i) {
                continue;
            }
            for kind in kinds {
                let _ = check(kind, &text.as_bytes()[..i]);
            }
        }
    }
    let alphabet = b"replicate<>=!~^*.,;[](){}\"'\\#@ \n\t-:=+abc0123456789";
    for _ in 0..3000 {
        let len = (next() % 80) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        for kind in kinds {
            if let Ok(c) = check(kind, &bytes) {
                let fixed = apply_fixes(&bytes, &c.findings);
                assert!(std::str::from_utf8(&fixed).is_ok());
            }
        }
    }
}

/// Every fixed PEP 508 requirement parses with `packaging` and makes pip pick 2.0.0b4.
#[test]
fn fixed_requirements_select_the_target_in_packaging() {
    let mut fixed: Vec<String> = Vec::new();
    let inputs: &[(ManifestKind, &str)] = &[
        (ManifestKind::Requirements, fixture!("pip/requirements.txt")),
        (ManifestKind::Requirements, fixture!("pip/base.txt")),
        (ManifestKind::Requirements, fixture!("pip/requirements-dev.in")),
        (ManifestKind::Pyproject, fixture!("pyproject/pyproject.toml")),
        (ManifestKind::Pyproject, fixture!("uv/pyproject.toml")),
        (ManifestKind::Pyproject, fixture!("pdm/pyproject.toml")),
        (ManifestKind::SetupCfg, fixture!("setuptools/setup.cfg")),
        (ManifestKind::SetupPy, fixture!("setuptools/setup.py")),
        (ManifestKind::CondaEnvironment, fixture!("conda/environment.yml")),
        (
            ManifestKind::Requirements,
            "replicate\nreplicate[a,b] ; python_version < '3.12'\nreplicate (<2)\nreplicate >= 1.0 , < 2\nreplicate===1.0.7\nreplicate!=1.0.5\nreplicate>1.99\n",
        ),
    ];
    for (kind, text) in inputs {
        let c = check(*kind, text.as_bytes()).unwrap();
        for f in c.findings.iter().filter(|f| f.fix.is_some()) {
            // The whole requirement after the fix is in the help: "require `...`: ...".
            let help = f.help.as_deref().unwrap();
            let req = help
                .strip_prefix("require `")
                .and_then(|h| h.split_once("`:"))
                .map(|(r, _)| r)
                .unwrap_or_else(|| panic!("{help}"));
            if !req.contains(" = \"") {
                fixed.push(req.to_string());
            }
        }
    }
    assert!(fixed.len() >= 18, "{fixed:?}");
    let script = r#"
import importlib, sys
R = importlib.import_module(sys.argv[1] + ".requirements")
for line in sys.stdin.read().split("\n")[:-1]:
    r = R.Requirement(line)
    picked = list(r.specifier.filter(["0.34.2", "1.0.7", "2.0.0a1", "2.0.0b3", "2.0.0b4"]))
    print("\t".join([r.name, str(r.specifier.contains("2.0.0b4", prereleases=True)), picked[-1] if picked else "None", str(r.marker) if r.marker else "-", ",".join(sorted(r.extras)) or "-"]))
"#;
    let mut input = String::new();
    for r in &fixed {
        input.push_str(r);
        input.push('\n');
    }
    for p in super::testing::packagings() {
        let out = super::testing::run(&p, script, &input);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), fixed.len());
        for (req, line) in fixed.iter().zip(lines) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields[0].to_ascii_lowercase(), "replicate", "{req}: {line}");
            assert_eq!(fields[1], "True", "packaging {}: {req}: {line}", p.version);
            assert_eq!(
                fields[2], "2.0.0b4",
                "packaging {}: pip would not pick 2.0.0b4 for {req}",
                p.version
            );
            // Markers and extras survive.
            let parsed = pep508::parse(req).unwrap();
            assert_eq!(fields[3] == "-", parsed.marker.is_none(), "{req}: {line}");
            assert_eq!(fields[4] == "-", parsed.extras.is_none(), "{req}: {line}");
        }
    }
}

/// Whether each manifest keeps the project on v2: every replicate requirement it states admits
/// no 1.x (what `check` and `fix` read as "this project is on v2").
#[test]
fn pins_say_whether_the_project_requires_v2() {
    let requires_v2 = |kind, text: &str| {
        check(kind, text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
            .requires_v2()
    };
    use ManifestKind::*;
    for (kind, text, expected) in [
        (Requirements, "replicate>=2.0.0b4,<3\n", true),
        (Requirements, "replicate>=2\n", true),
        (Requirements, "replicate==2.0.0b4\n", true),
        (Requirements, "replicate~=2.0\n", true),
        (Requirements, "replicate==2.*\n", true),
        (
            Requirements,
            "--pre\nreplicate[extra] >= 2.0.0b4 ; python_version >= '3.9'\n",
            true,
        ),
        (Requirements, "replicate\n", false),
        (Requirements, "replicate>=1.0\n", false),
        (Requirements, "replicate==1.0.7\n", false),
        (Requirements, "replicate<3\n", false),
        (Requirements, "replicate!=1.0.7\n", false),
        (
            Requirements,
            "replicate @ https://example.com/replicate-2.0.0b4.whl\n",
            false,
        ),
        // Two requirements: both must exclude v1.
        (
            Requirements,
            "replicate>=2\nreplicate<2 ; python_version < '3.9'\n",
            false,
        ),
        // No replicate requirement: nothing says the project is on v2.
        (Requirements, "httpx>=0.27\n", false),
        (
            Pyproject,
            "[project]\nname = \"x\"\ndependencies = [\"replicate>=2.0.0b4,<3\"]\n",
            true,
        ),
        (
            Pyproject,
            "[tool.poetry.dependencies]\npython = \"^3.9\"\nreplicate = \"^2.0.0b4\"\n",
            true,
        ),
        (
            Pyproject,
            "[tool.poetry.dependencies]\nreplicate = \"^1.0\"\n",
            false,
        ),
        (Pipfile, "[packages]\nreplicate = \">=2.0.0b4\"\n", true),
        (
            SetupCfg,
            "[options]\ninstall_requires =\n    replicate>=2\n",
            true,
        ),
        (
            Lock(LockKind::Poetry),
            "[[package]]\nname = \"replicate\"\nversion = \"2.0.0b4\"\n",
            true,
        ),
        (
            Lock(LockKind::Poetry),
            "[[package]]\nname = \"replicate\"\nversion = \"1.0.7\"\n",
            false,
        ),
    ] {
        assert_eq!(requires_v2(kind, text), expected, "{kind:?}: {text}");
    }
    for (name, expected) in [
        ("pip/requirements.txt", false),
        ("poetry/pyproject.toml", false),
    ] {
        let path = Path::new(name);
        let kind = kind_of(path).unwrap();
        let text = match name {
            "pip/requirements.txt" => fixture!("pip/requirements.txt"),
            _ => fixture!("poetry/pyproject.toml"),
        };
        assert_eq!(requires_v2(kind, text), expected, "{name}");
    }
}
