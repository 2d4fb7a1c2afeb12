//! What the pins mean: fixed requirements select the target in `packaging`, and whether the
//! project requires v2.
use super::*;

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
