//! What holds for every kind: kinds from file names, the prefilter, byte order marks,
//! malformed inputs, and never panicking.
use super::*;

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
