//! `pyproject.toml` (PEP 621, PEP 735, Poetry, PDM, uv, Hatch, Pixi, setuptools' dynamic
//! files) and Pipenv's `Pipfile`.

use super::pep508::{self, Style, Verdict};
use super::toml_scan::{self, Node, Seg, Value};
use super::{
    check_pep508, pep440, rm950_help, rm950_message, rm952_invalid, rm952_url, Checked, Ctx,
    Finding, Include, ManifestKind, Mapped, Replacement, RM950, RM952,
};

/// One step of a path pattern.
#[derive(Clone, Copy)]
enum Pat {
    /// This key.
    K(&'static str),
    /// Any key (a group or extra name).
    AnyKey,
    /// Any array index.
    Idx,
    /// A key naming the distribution replicate.
    Replicate,
}

use Pat::{AnyKey, Idx, Replicate, K};

fn matches(path: &[Seg], pat: &[Pat]) -> bool {
    path.len() == pat.len()
        && path.iter().zip(pat).all(|(s, p)| match (s, p) {
            (Seg::Key(k), K(want)) => k == want,
            (Seg::Key(_), AnyKey) => true,
            (Seg::Index(_), Idx) => true,
            (Seg::Key(k), Replicate) => pep508::is_replicate(k),
            _ => false,
        })
}

/// Arrays of PEP 508 strings: (pattern, is a constraint list).
const PEP508_LISTS: &[(&[Pat], bool)] = &[
    (&[K("project"), K("dependencies"), Idx], false),
    (
        &[K("project"), K("optional-dependencies"), AnyKey, Idx],
        false,
    ),
    (&[K("dependency-groups"), AnyKey, Idx], false),
    (
        &[K("tool"), K("pdm"), K("dev-dependencies"), AnyKey, Idx],
        false,
    ),
    (
        &[K("tool"), K("pdm"), K("optional-dependencies"), AnyKey, Idx],
        false,
    ),
    (&[K("tool"), K("uv"), K("dev-dependencies"), Idx], false),
    (
        &[K("tool"), K("uv"), K("override-dependencies"), Idx],
        false,
    ),
    (
        &[K("tool"), K("uv"), K("constraint-dependencies"), Idx],
        true,
    ),
    (
        &[
            K("tool"),
            K("hatch"),
            K("envs"),
            AnyKey,
            K("dependencies"),
            Idx,
        ],
        false,
    ),
    (
        &[
            K("tool"),
            K("hatch"),
            K("envs"),
            AnyKey,
            K("extra-dependencies"),
            Idx,
        ],
        false,
    ),
];

/// Where a requirements file is named: setuptools' dynamic metadata, hatch-requirements-txt.
const FILE_REFS: &[&[Pat]] = &[
    &[
        K("tool"),
        K("setuptools"),
        K("dynamic"),
        K("dependencies"),
        K("file"),
    ],
    &[
        K("tool"),
        K("setuptools"),
        K("dynamic"),
        K("dependencies"),
        K("file"),
        Idx,
    ],
    &[
        K("tool"),
        K("setuptools"),
        K("dynamic"),
        K("optional-dependencies"),
        AnyKey,
        K("file"),
    ],
    &[
        K("tool"),
        K("setuptools"),
        K("dynamic"),
        K("optional-dependencies"),
        AnyKey,
        K("file"),
        Idx,
    ],
    &[
        K("tool"),
        K("hatch"),
        K("metadata"),
        K("hooks"),
        K("requirements_txt"),
        K("files"),
        Idx,
    ],
    &[
        K("tool"),
        K("hatch"),
        K("metadata"),
        K("hooks"),
        K("requirements_txt"),
        K("optional-dependencies"),
        AnyKey,
        Idx,
    ],
];

/// The value syntax of a `name = ...` dependency table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// Poetry's constraints (`^1.0`, `~1.2`, bare versions are exact).
    Poetry,
    /// PEP 440 specifiers, `*` for any (Pipenv, Pixi's PyPI dependencies).
    Pep440,
    /// A conda package (Pixi's `dependencies`): not checked.
    Conda,
    /// Only where it installs from (uv's `[tool.uv.sources]`): a git / path / URL source.
    Source,
}

/// `name = ...` dependency tables.
const DEP_TABLES: &[(&[Pat], Syntax, &str)] = &[
    (
        &[K("tool"), K("poetry"), K("dependencies"), Replicate],
        Syntax::Poetry,
        "Poetry",
    ),
    (
        &[K("tool"), K("poetry"), K("dev-dependencies"), Replicate],
        Syntax::Poetry,
        "Poetry",
    ),
    (
        &[
            K("tool"),
            K("poetry"),
            K("group"),
            AnyKey,
            K("dependencies"),
            Replicate,
        ],
        Syntax::Poetry,
        "Poetry",
    ),
    (
        &[K("tool"), K("pixi"), K("pypi-dependencies"), Replicate],
        Syntax::Pep440,
        "pixi",
    ),
    (
        &[
            K("tool"),
            K("pixi"),
            K("feature"),
            AnyKey,
            K("pypi-dependencies"),
            Replicate,
        ],
        Syntax::Pep440,
        "pixi",
    ),
    (
        &[K("tool"), K("pixi"), K("dependencies"), Replicate],
        Syntax::Conda,
        "pixi",
    ),
    (
        &[
            K("tool"),
            K("pixi"),
            K("feature"),
            AnyKey,
            K("dependencies"),
            Replicate,
        ],
        Syntax::Conda,
        "pixi",
    ),
    (
        &[K("tool"), K("uv"), K("sources"), Replicate],
        Syntax::Source,
        "uv",
    ),
];

/// Keys of a dependency table that install from somewhere other than an index.
const SOURCE_KEYS: &[&str] = &["git", "path", "url", "file", "hg", "svn", "bzr", "editable"];

pub(crate) fn check_pyproject(text: &str, out: &mut Checked) -> Result<(), (usize, String)> {
    let nodes = toml_scan::scan(text)?;
    // Poetry 2 can add `allow-prereleases = true` to a [project] dependency from its table.
    let poetry_pre = nodes.iter().any(|n| {
        matches!(n.value, Value::Bool(true))
            && n.path.last().and_then(Seg::key) == Some("allow-prereleases")
            && DEP_TABLES[..3]
                .iter()
                .any(|(pat, _, _)| matches(&n.path[..n.path.len() - 1], pat))
    });
    let mut pep621_replicate = false;
    for n in &nodes {
        let Value::Str(m) = &n.value else {
            continue;
        };
        if let Some((_, constraint)) = PEP508_LISTS.iter().find(|(p, _)| matches(&n.path, p)) {
            let ctx = Ctx {
                installer: "pip",
                allow_pre: poetry_pre,
                constraint: *constraint,
                locked: None,
            };
            let is = check_pep508(m, ctx, out);
            pep621_replicate |= is && n.path.first().and_then(Seg::key) == Some("project");
        }
        if FILE_REFS.iter().any(|p| matches(&n.path, p)) {
            include(m, out);
        }
    }
    for n in &nodes {
        if let Some((_, syntax, installer)) =
            DEP_TABLES.iter().find(|(p, _, _)| matches(&n.path, p))
        {
            entry(n, &nodes, *syntax, installer, pep621_replicate, out);
        }
    }
    Ok(())
}

fn include(m: &Mapped, out: &mut Checked) {
    let (start, end) = m.file_range(0..m.text.len());
    out.includes.push(Include {
        path: m.text.clone(),
        kind: ManifestKind::Requirements,
        start,
        end,
    });
}

pub(crate) fn check_pipfile(text: &str, out: &mut Checked) -> Result<(), (usize, String)> {
    let nodes = toml_scan::scan(text)?;
    let allow_pre = nodes.iter().any(|n| {
        matches!(n.value, Value::Bool(true))
            && matches(&n.path, &[K("pipenv"), K("allow_prereleases")])
    });
    for n in &nodes {
        // `[packages]`, `[dev-packages]` and custom package categories.
        let [Seg::Key(section), Seg::Key(name)] = n.path.as_slice() else {
            continue;
        };
        if matches!(
            section.as_str(),
            "source" | "requires" | "pipenv" | "scripts"
        ) || !pep508::is_replicate(name)
        {
            continue;
        }
        let installer = if allow_pre {
            "pipenv (allow_prereleases)"
        } else {
            "pipenv"
        };
        entry_with(n, &nodes, Syntax::Pep440, installer, allow_pre, false, out);
    }
    Ok(())
}

fn entry(
    n: &Node,
    nodes: &[Node],
    syntax: Syntax,
    installer: &str,
    pep621: bool,
    out: &mut Checked,
) {
    entry_with(n, nodes, syntax, installer, false, pep621, out)
}

/// One `replicate = ...` entry of a dependency table: a string, a table, or (Poetry) an array
/// of tables with markers.
fn entry_with(
    n: &Node,
    nodes: &[Node],
    syntax: Syntax,
    installer: &str,
    allow_pre: bool,
    pep621: bool,
    out: &mut Checked,
) {
    let key = n.path.last().and_then(Seg::key).unwrap_or("replicate");
    if syntax == Syntax::Conda {
        out.findings.push(Finding {
            start: n.span.start,
            end: n.span.end,
            code: RM952,
            message: format!(
                "`{key}` is a conda dependency; conda-forge may not have replicate {} yet",
                pep440::TARGET
            ),
            fix: None,
            help: Some(format!(
                "move it to `pypi-dependencies` as `{key} = \">={},<3\"`",
                pep440::TARGET
            )),
        });
        return;
    }
    match &n.value {
        Value::Str(_) if syntax == Syntax::Source => {}
        Value::Str(m) => judge_value(
            m,
            n,
            syntax,
            installer,
            allow_pre,
            &format!("{key} = \"{}\"", m.text),
            out,
        ),
        Value::InlineTable | Value::Table => {
            table(n, &n.path, nodes, syntax, installer, allow_pre, pep621, out)
        }
        Value::Array => {
            for child in nodes.iter().filter(|c| {
                c.path.len() == n.path.len() + 1
                    && c.path.starts_with(&n.path)
                    && matches!(c.value, Value::InlineTable)
            }) {
                table(
                    child,
                    &child.path,
                    nodes,
                    syntax,
                    installer,
                    allow_pre,
                    pep621,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// A dependency given as a table: `{ version = "...", extras = [...], allow-prereleases = ... }`.
#[allow(clippy::too_many_arguments)]
fn table(
    n: &Node,
    path: &[Seg],
    nodes: &[Node],
    syntax: Syntax,
    installer: &str,
    allow_pre: bool,
    pep621: bool,
    out: &mut Checked,
) {
    let key = path.iter().rev().find_map(Seg::key).unwrap_or("replicate");
    let child = |name: &str| {
        nodes.iter().find(|c| {
            c.path.len() == path.len() + 1
                && c.path.starts_with(path)
                && c.path.last().and_then(Seg::key) == Some(name)
        })
    };
    if let Some(src) = SOURCE_KEYS.iter().find_map(|k| child(k).map(|c| (k, c))) {
        let shown = match &src.1.value {
            Value::Str(m) => format!("{key} = {{ {} = \"{}\" }}", src.0, m.text),
            _ => format!("{key} = {{ {} = ... }}", src.0),
        };
        let (message, help) = rm952_url(&shown);
        out.findings.push(Finding {
            start: src.1.span.start,
            end: src.1.span.end,
            code: RM952,
            message,
            fix: None,
            help: Some(help),
        });
        return;
    }
    if syntax == Syntax::Source {
        return;
    }
    let allow = allow_pre
        || ["allow-prereleases", "allow_prereleases"]
            .iter()
            .any(|k| child(k).is_some_and(|c| matches!(c.value, Value::Bool(true))));
    match child("version").map(|c| (c, &c.value)) {
        Some((c, Value::Str(m))) => judge_value(
            m,
            c,
            syntax,
            installer,
            allow,
            &format!("{key}.version = \"{}\"", m.text),
            out,
        ),
        Some(_) => {}
        None if allow || pep621 => {}
        None => {
            let fixed = format!("version = \">={},<3\"", pep440::TARGET);
            out.findings.push(Finding {
                start: n.span.start,
                end: n.span.end,
                code: RM950,
                message: rm950_message(
                    &format!("{key} (no version)"),
                    &Verdict::Unpinned,
                    installer,
                ),
                fix: None,
                help: Some(format!("add `{fixed}` to the `{key}` table")),
            });
        }
    }
}

/// Judges a version string (Poetry constraint or PEP 440 specifier) and offers its fix.
fn judge_value(
    m: &Mapped,
    n: &Node,
    syntax: Syntax,
    installer: &str,
    allow_pre: bool,
    subject: &str,
    out: &mut Checked,
) {
    let text = m.text.trim();
    let bare_version = pep440::Version::parse(text).is_some();
    let excludes_v1 = match syntax {
        Syntax::Poetry => pep440::PoetryConstraint::parse(text).is_ok_and(|c| c.excludes_v1()),
        _ if bare_version => {
            pep440::SpecifierSet::parse(&format!("=={text}")).is_ok_and(|s| s.excludes_v1())
        }
        _ => pep440::SpecifierSet::parse(text).is_ok_and(|s| s.excludes_v1()),
    };
    out.pins.push(super::Pin {
        start: n.span.start,
        end: n.span.end,
        excludes_v1,
    });
    let verdict = match syntax {
        Syntax::Poetry => pep508::judge_poetry(text, allow_pre),
        _ if text == "*" || text.is_empty() => pep508::judge_pep440(None, allow_pre, false),
        _ if bare_version => pep508::judge_pep440(Some(&format!("=={text}")), allow_pre, false),
        _ => pep508::judge_pep440(Some(text), allow_pre, false),
    };
    let finding = |code, message, fix, help| Finding {
        start: n.span.start,
        end: n.span.end,
        code,
        message,
        fix,
        help: Some(help),
    };
    match &verdict {
        Verdict::Selects => {}
        Verdict::Invalid(why) => {
            let (message, help) = rm952_invalid(subject, why);
            out.findings.push(finding(RM952, message, None, help));
        }
        _ => {
            let exact = match syntax {
                Syntax::Poetry => {
                    pep440::PoetryConstraint::parse(text).is_ok_and(|c| c.is_exact_pin())
                }
                _ => bare_version || pep508::is_exact_pep440(text),
            };
            let content = if exact && bare_version {
                pep440::TARGET.to_string()
            } else {
                pep508::replacement(Style::of(text), exact)
            };
            let (start, end) = m.file_range(0..m.text.len());
            let key = subject.split(" = ").next().unwrap_or("replicate");
            let fixed = format!("{key} = \"{content}\"");
            out.findings.push(finding(
                RM950,
                rm950_message(subject, &verdict, installer),
                Some(Replacement {
                    start,
                    end,
                    content,
                }),
                rm950_help(&fixed),
            ));
        }
    }
}
