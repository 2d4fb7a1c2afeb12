//! `setup.cfg` and `setup.py`.
use super::*;

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
