//! Lock files: `poetry.lock`, `uv.lock`, `pdm.lock`, `pylock.toml` (TOML) and `Pipfile.lock`
//! (JSON). A lock that locks replicate at another version than 2.0.0b4 gets RM951; locks are
//! never edited (regenerating them is the installer's job).

use super::toml_scan::{self, Node, Seg, Value};
use super::{json_scan, pep440, pep508, Checked, Finding, LockKind, Pin, RM951};

fn str_of(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Str(m) => Some(m.text.as_str()),
        _ => None,
    }
}

fn rm951(n: &Node, lock: LockKind, file: &str, version: &str) -> Finding {
    let manifest = match lock {
        LockKind::Poetry | LockKind::Uv | LockKind::Pdm | LockKind::Pylock => "pyproject.toml",
        LockKind::Pipenv => "Pipfile",
        LockKind::PipCompile => "the requirements input",
    };
    let command = match lock {
        LockKind::Pylock => "`pip lock` or `uv export --format pylock.toml`".to_string(),
        other => format!("`{}`", other.command()),
    };
    Finding {
        start: n.span.start,
        end: n.span.end,
        code: RM951,
        message: format!(
            "{file} locks replicate {version}, so the migrated code would be installed against \
             it instead of {}",
            pep440::TARGET
        ),
        fix: None,
        help: Some(format!(
            "regenerate the lock ({command}) after updating the replicate requirement in \
             {manifest} to select {}",
            pep440::TARGET
        )),
    }
}

/// Whether a locked version text is 2.0.0b4 (`==` allowed, as Pipfile.lock writes it).
fn is_target(version: &str) -> bool {
    let v = version.trim();
    let v = v
        .strip_prefix("===")
        .or_else(|| v.strip_prefix("=="))
        .unwrap_or(v);
    pep440::Version::parse(v).is_some_and(|v| v == pep440::target())
}

/// A locked version: on v2 when it is 2.x.
fn locked_pin(n: &Node, version: &str) -> Pin {
    let v = version.trim();
    let v = v
        .strip_prefix("===")
        .or_else(|| v.strip_prefix("=="))
        .unwrap_or(v);
    Pin {
        start: n.span.start,
        end: n.span.end,
        excludes_v1: pep440::Version::parse(v).is_some_and(|v| v >= pep440::v2_floor()),
    }
}

pub(crate) fn check_toml_lock(
    text: &str,
    lock: LockKind,
    out: &mut Checked,
) -> Result<(), (usize, String)> {
    let nodes = toml_scan::scan(text)?;
    let (list, file) = match lock {
        LockKind::Poetry => ("package", "poetry.lock"),
        LockKind::Uv => ("package", "uv.lock"),
        LockKind::Pdm => ("package", "pdm.lock"),
        _ => ("packages", "pylock.toml"),
    };
    for n in &nodes {
        // `[[package]] name = "replicate"` ... `version = "1.0.7"`
        let [Seg::Key(l), Seg::Index(i), Seg::Key(k)] = n.path.as_slice() else {
            continue;
        };
        if l != list || k != "name" || !str_of(n).is_some_and(pep508::is_replicate) {
            continue;
        }
        let version = nodes.iter().find(|v| {
            matches!(v.path.as_slice(), [Seg::Key(l2), Seg::Index(i2), Seg::Key(k2)]
                if l2 == list && i2 == i && k2 == "version")
        });
        if let Some((v, text)) = version.and_then(|v| str_of(v).map(|t| (v, t))) {
            out.pins.push(locked_pin(v, text));
            if !is_target(text) {
                out.findings.push(rm951(v, lock, file, text));
            }
        }
    }
    Ok(())
}

pub(crate) fn check_pipfile_lock(text: &str, out: &mut Checked) -> Result<(), (usize, String)> {
    let nodes = json_scan::scan(text)?;
    for n in &nodes {
        // `"default": { "replicate": { "version": "==1.0.7", ... } }`
        let [Seg::Key(section), Seg::Key(name), Seg::Key(k)] = n.path.as_slice() else {
            continue;
        };
        if section == "_meta" || k != "version" || !pep508::is_replicate(name) {
            continue;
        }
        if let Some(text) = str_of(n) {
            out.pins.push(locked_pin(n, text));
            if !is_target(text) {
                let shown = text.trim().trim_start_matches('=');
                out.findings
                    .push(rm951(n, LockKind::Pipenv, "Pipfile.lock", shown));
            }
        }
    }
    Ok(())
}
