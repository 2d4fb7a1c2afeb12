//! Dependency manifests: finds every `replicate` requirement that keeps a project on v1 and
//! offers the specifier that installs 2.0.0b4.
//!
//! Migrated code fails when it is installed against `replicate` 1.x, so a `requirements.txt`,
//! `pyproject.toml`, `setup.cfg`, `setup.py`, `Pipfile` or conda `environment.yml` whose
//! `replicate` requirement does not select 2.0.0b4 gets [`RM950`], with a fix that replaces only
//! the specifier's bytes (extras, markers, quoting and spacing stay). A lock file that locks
//! another version gets [`RM951`] (regenerate it; never edited), and a requirement this module
//! cannot judge (a URL, a conda package, a malformed specifier) gets [`RM952`].
//!
//! "Selects 2.0.0b4" is pip's rule: the specifier set contains 2.0.0b4 *and* pre-releases are
//! allowed, which by default needs a clause that names a pre-release (`>=2.0.0b4`), `--pre` in
//! the requirements file, or Poetry's / Pipenv's allow-prereleases setting. So a bare
//! `replicate` or `replicate>=1.0` is flagged too: pip installs the latest final release, 1.x.
//! The semantics are in [`pep440`], checked against the real `packaging` in the tests.
//!
//! Everything here is a pure function over a file's bytes; offsets are byte offsets into the
//! bytes given to [`check`] (a UTF-8 BOM is allowed and stays outside every range).

use std::fmt;
use std::ops::Range;
use std::path::Path;

mod conda;
mod json_scan;
mod locks;
pub mod pep440;
mod pep508;
mod pyproject;
mod requirements;
mod setup_cfg;
mod setup_py;
#[cfg(test)]
mod testing;
mod toml_scan;

/// A `replicate` requirement excludes 2.0.0b4 (or does not select it); fixable.
pub const RM950: &str = "RM950";
/// A lock file locks replicate at another version than 2.0.0b4: regenerate the lock.
pub const RM951: &str = "RM951";
/// A `replicate` requirement that cannot be checked: a URL or path, a conda package, a
/// specifier that does not parse, a requirement built by code.
pub const RM952: &str = "RM952";

/// (code, name, summary) of each code, for registering them.
pub const CODES: [(&str, &str, &str); 3] = [
    (
        RM950,
        "dependency-excludes-v2",
        "dependency pin excludes replicate 2.0.0b4",
    ),
    (
        RM951,
        "lock-file-pins-v1",
        "lock file pins replicate v1: regenerate the lock",
    ),
    (
        RM952,
        "dependency-unchecked",
        "replicate requirement cannot be checked (URL, conda, unparsable)",
    ),
];

/// Which kind of manifest a file is; see [`kind_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ManifestKind {
    /// A pip requirements file (`requirements*.txt`, `requirements/*.txt`, `*.in` inputs).
    Requirements,
    /// A pip constraints file (`constraints*.txt`, or one included with `-c`): it only
    /// restricts, so only a specifier that excludes 2.0.0b4 is reported.
    Constraints,
    /// `pyproject.toml`: PEP 621, PEP 735, Poetry, PDM, uv, Hatch, Pixi tables.
    Pyproject,
    /// `setup.cfg`: `[options] install_requires` and `[options.extras_require]`.
    SetupCfg,
    /// `setup.py`: literal string lists given to `install_requires=` / `extras_require=`.
    SetupPy,
    /// Pipenv's `Pipfile`.
    Pipfile,
    /// A conda `environment.yml`: its `pip:` list (and conda packages named replicate).
    CondaEnvironment,
    /// A lock file: findings only, never edits.
    Lock(LockKind),
}

/// The lock-file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockKind {
    Poetry,
    Uv,
    Pdm,
    Pipenv,
    /// PEP 751 `pylock.toml`.
    Pylock,
    /// A requirements file written by pip-compile / `uv pip compile` (or rye's
    /// `requirements*.lock`). Requirements files are also treated so when their header says
    /// they were generated or their replicate line has `--hash=`.
    PipCompile,
}

impl LockKind {
    /// The command that regenerates this lock.
    pub fn command(self) -> &'static str {
        match self {
            LockKind::Poetry => "poetry lock",
            LockKind::Uv => "uv lock",
            LockKind::Pdm => "pdm lock",
            LockKind::Pipenv => "pipenv lock",
            LockKind::Pylock => "pip lock",
            LockKind::PipCompile => "pip-compile",
        }
    }
}

/// The manifest kind of a file, from its name (and, for `requirements/*.txt`, its folder).
pub fn kind_of(path: &Path) -> Option<ManifestKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let kind = match name.as_str() {
        "pyproject.toml" => ManifestKind::Pyproject,
        "setup.cfg" => ManifestKind::SetupCfg,
        "setup.py" => ManifestKind::SetupPy,
        "pipfile" => ManifestKind::Pipfile,
        "pipfile.lock" => ManifestKind::Lock(LockKind::Pipenv),
        "poetry.lock" => ManifestKind::Lock(LockKind::Poetry),
        "uv.lock" => ManifestKind::Lock(LockKind::Uv),
        "pdm.lock" => ManifestKind::Lock(LockKind::Pdm),
        "pylock.toml" => ManifestKind::Lock(LockKind::Pylock),
        _ => {
            let (stem, ext) = name.rsplit_once('.')?;
            let dir = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|d| d.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            match ext {
                "toml" if stem.starts_with("pylock.") => ManifestKind::Lock(LockKind::Pylock),
                "yml" | "yaml" if stem.starts_with("environment") => ManifestKind::CondaEnvironment,
                "lock" if stem.starts_with("requirements") => {
                    ManifestKind::Lock(LockKind::PipCompile)
                }
                "txt" | "in" | "pip" if stem.contains("constraint") || dir == "constraints" => {
                    ManifestKind::Constraints
                }
                "txt" | "in" | "pip"
                    if stem.contains("requirement") || dir == "requirements" || dir == "reqs" =>
                {
                    ManifestKind::Requirements
                }
                _ => return None,
            }
        }
    };
    Some(kind)
}

/// A byte-range replacement (an insertion when `start == end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

/// One finding in one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range of the requirement (or locked version) the finding is about.
    pub start: usize,
    pub end: usize,
    /// [`RM950`], [`RM951`] or [`RM952`].
    pub code: &'static str,
    pub message: String,
    /// The edit that fixes it; only [`RM950`] has one, and it touches only the specifier.
    pub fix: Option<Replacement>,
    /// What the fix does, or what to do by hand.
    pub help: Option<String>,
}

/// Another file a manifest pulls in (`-r base.txt`, `-c constraints.txt`, setup.cfg's
/// `file:`, setuptools' dynamic `file`), as written: relative to the manifest's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    /// How to check it: [`ManifestKind::Requirements`] or [`ManifestKind::Constraints`].
    pub kind: ManifestKind,
    /// Byte range of the path in the manifest.
    pub start: usize,
    pub end: usize,
}

/// A `replicate` requirement (or locked version) the manifest states, whatever its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Byte range of the requirement (or locked version).
    pub start: usize,
    pub end: usize,
    /// No 1.x can be installed from it (`replicate>=2`, `>=2.0.0b4,<3`, a lock of 2.0.0b4):
    /// the project is on v2. False for a bare name, a URL or a specifier that does not parse.
    pub excludes_v1: bool,
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// In file order.
    pub findings: Vec<Finding>,
    pub includes: Vec<Include>,
    /// Every `replicate` requirement, in file order.
    pub pins: Vec<Pin>,
}

impl Checked {
    /// The manifest names replicate, and none of its requirements admits a 1.x.
    pub fn requires_v2(&self) -> bool {
        !self.pins.is_empty() && self.pins.iter().all(|p| p.excludes_v1)
    }
}

/// A manifest that cannot be read: not UTF-8, or not valid TOML / JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// Byte offset of the problem; `line` and `column` (1-based, column in characters) say the
    /// same.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ManifestError {}

impl ManifestError {
    pub(crate) fn at(bytes: &[u8], offset: usize, message: impl Into<String>) -> ManifestError {
        let offset = offset.min(bytes.len());
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        ManifestError {
            offset,
            line,
            column,
            message: message.into(),
        }
    }
}

/// Cheap prefilter: whether the bytes contain `replicate` in any case. A file without it has no
/// finding, though a requirements file may still have [`Checked::includes`].
pub fn mentions_replicate(bytes: &[u8]) -> bool {
    bytes
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"replicate"))
}

/// Finds the `replicate` requirements of a manifest of the given kind.
pub fn check(kind: ManifestKind, bytes: &[u8]) -> Result<Checked, ManifestError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ManifestError::at(
            bytes,
            0,
            "the file is UTF-16; only UTF-8 manifests are checked",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ManifestError::at(
            bytes,
            e.valid_up_to(),
            "the file is not valid UTF-8 (binary, or another encoding)",
        )
    })?;
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[bom..];
    let mut out = Checked::default();
    let result = match kind {
        ManifestKind::Requirements => {
            requirements::check(body, requirements::Mode::Requirements, &mut out);
            Ok(())
        }
        ManifestKind::Constraints => {
            requirements::check(body, requirements::Mode::Constraints, &mut out);
            Ok(())
        }
        ManifestKind::Lock(LockKind::PipCompile) => {
            requirements::check(body, requirements::Mode::Compiled, &mut out);
            Ok(())
        }
        ManifestKind::Pyproject => pyproject::check_pyproject(body, &mut out),
        ManifestKind::Pipfile => pyproject::check_pipfile(body, &mut out),
        ManifestKind::SetupCfg => {
            setup_cfg::check(body, &mut out);
            Ok(())
        }
        ManifestKind::SetupPy => {
            setup_py::check(body, &mut out);
            Ok(())
        }
        ManifestKind::CondaEnvironment => {
            conda::check(body, &mut out);
            Ok(())
        }
        ManifestKind::Lock(LockKind::Pipenv) => locks::check_pipfile_lock(body, &mut out),
        ManifestKind::Lock(lock) => locks::check_toml_lock(body, lock, &mut out),
    };
    result.map_err(|(offset, message)| ManifestError::at(bytes, offset + bom, message))?;
    for f in &mut out.findings {
        f.start += bom;
        f.end += bom;
        if let Some(fix) = &mut f.fix {
            fix.start += bom;
            fix.end += bom;
        }
    }
    for i in &mut out.includes {
        i.start += bom;
        i.end += bom;
    }
    for p in &mut out.pins {
        p.start += bom;
        p.end += bom;
    }
    out.findings.sort_by_key(|f| (f.start, f.end));
    out.pins.sort_by_key(|p| (p.start, p.end));
    Ok(out)
}

/// Applies the findings' fixes to `bytes` (non-overlapping ones, in order; a fix overlapping
/// an earlier one is skipped).
pub fn apply_fixes(bytes: &[u8], findings: &[Finding]) -> Vec<u8> {
    let mut fixes: Vec<&Replacement> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|r| (r.start, r.end));
    let mut out = Vec::with_capacity(bytes.len() + 32);
    let mut at = 0;
    for r in fixes {
        if r.start < at || r.end > bytes.len() || r.start > r.end {
            continue;
        }
        out.extend_from_slice(&bytes[at..r.start]);
        out.extend_from_slice(r.content.as_bytes());
        at = r.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Text decoded from the file (a string literal's value, a joined logical line), with the
/// file range each of its bytes came from.
#[derive(Debug, Clone)]
pub(crate) struct Mapped {
    pub text: String,
    src: Src,
}

#[derive(Debug, Clone)]
enum Src {
    /// Byte `i` of the text is byte `base + i` of the file.
    Contiguous(usize),
    /// Byte `i` came from `ranges[i]` of the file (escapes, joined lines); `end` is where the
    /// text's source ends.
    Table {
        ranges: Vec<(usize, usize)>,
        end: usize,
    },
}

impl Mapped {
    pub fn contiguous(text: &str, base: usize) -> Mapped {
        Mapped {
            text: text.to_string(),
            src: Src::Contiguous(base),
        }
    }

    /// A text built byte by byte: `ranges[i]` is the file range of byte `i`; `end` is the file
    /// offset just past the source (where an insertion at the text's end goes).
    pub fn table(text: String, ranges: Vec<(usize, usize)>, end: usize) -> Mapped {
        debug_assert_eq!(text.len(), ranges.len());
        Mapped {
            text,
            src: Src::Table { ranges, end },
        }
    }

    /// The part `r` of the text, still mapped to the file.
    pub fn slice(&self, r: Range<usize>) -> Mapped {
        match &self.src {
            Src::Contiguous(base) => Mapped::contiguous(&self.text[r.clone()], base + r.start),
            Src::Table { ranges, .. } => {
                let end = self.file_range(r.clone()).1;
                Mapped::table(self.text[r.clone()].to_string(), ranges[r].to_vec(), end)
            }
        }
    }

    /// The file range of the text range `r` (for an empty `r`, the insertion point after the
    /// byte before it).
    pub fn file_range(&self, r: Range<usize>) -> (usize, usize) {
        match &self.src {
            Src::Contiguous(base) => (base + r.start, base + r.end),
            Src::Table { ranges, end } => {
                if r.end > r.start {
                    (ranges[r.start].0, ranges[r.end - 1].1)
                } else if r.start > 0 {
                    let p = ranges[r.start - 1].1;
                    (p, p)
                } else {
                    let p = ranges.first().map_or(*end, |x| x.0);
                    (p, p)
                }
            }
        }
    }
}

/// Who installs from the manifest, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub installer: &'static str,
    /// `--pre`, or the installer's allow-prereleases setting.
    pub allow_pre: bool,
    /// A constraint: only an exclusion matters.
    pub constraint: bool,
    /// A lock (pip-compile output): report [`RM951`] instead of editing.
    pub locked: Option<LockKind>,
}

impl Ctx {
    pub fn pip() -> Ctx {
        Ctx {
            installer: "pip",
            allow_pre: false,
            constraint: false,
            locked: None,
        }
    }
}

/// Messages for a requirement that does not select 2.0.0b4.
pub(crate) fn rm950_message(subject: &str, verdict: &pep508::Verdict, installer: &str) -> String {
    use pep508::Verdict::*;
    match verdict {
        Excludes => format!(
            "`{subject}` excludes replicate 2.0.0b4, so the migrated code would be installed \
             against v1"
        ),
        FinalOnly => format!(
            "`{subject}` does not select replicate 2.0.0b4: {installer} installs the latest \
             final release (1.x) unless the requirement names a pre-release"
        ),
        _ => format!(
            "`{subject}` has no version bound: {installer} installs the latest final release \
             (1.x), not the pre-release 2.0.0b4"
        ),
    }
}

pub(crate) fn rm950_help(fixed: &str) -> String {
    format!("require `{fixed}`: the migrated code needs replicate 2.0.0b4")
}

pub(crate) fn rm952_invalid(subject: &str, why: &str) -> (String, String) {
    (
        format!(
            "`{subject}`: the replicate version specifier does not parse ({why}), so it cannot \
             be checked against 2.0.0b4"
        ),
        format!(
            "write a PEP 440 specifier that selects 2.0.0b4, such as `replicate>={},<3`",
            pep440::TARGET
        ),
    )
}

pub(crate) fn rm952_url(subject: &str) -> (String, String) {
    (
        format!(
            "`{subject}` installs replicate from a URL or path, so its version cannot be \
             checked"
        ),
        format!(
            "make sure it points at replicate {} or later, or use `replicate>={},<3`",
            pep440::TARGET,
            pep440::TARGET
        ),
    )
}

/// Checks one PEP 508 requirement string, recording it in `checked.pins`. Returns whether it
/// was a replicate requirement.
pub(crate) fn check_pep508(m: &Mapped, ctx: Ctx, checked: &mut Checked) -> bool {
    let Some(req) = pep508::parse(&m.text) else {
        return false;
    };
    if !pep508::is_replicate(&m.text[req.name.clone()]) {
        return false;
    }
    let (start, end) = m.file_range(req.span.clone());
    let excludes_v1 = match &req.body {
        pep508::Body::Versions { range } => {
            pep440::SpecifierSet::parse(&m.text[range.clone()]).is_ok_and(|s| s.excludes_v1())
        }
        _ => false,
    };
    checked.pins.push(Pin {
        start,
        end,
        excludes_v1,
    });
    let out = &mut checked.findings;
    let subject = m.text[req.span.clone()].to_string();
    let mut push = |code, message: String, fix: Option<Replacement>, help: String| {
        out.push(Finding {
            start,
            end,
            code,
            message,
            fix,
            help: Some(help),
        })
    };
    let (spec_range, spec) = match &req.body {
        pep508::Body::Url(_) => {
            let (message, help) = rm952_url(&subject);
            push(RM952, message, None, help);
            return true;
        }
        pep508::Body::Invalid(r) => {
            let (message, help) = rm952_invalid(&subject, &format!("`{}`", &m.text[r.clone()]));
            push(RM952, message, None, help);
            return true;
        }
        pep508::Body::None { at } => (*at..*at, None),
        pep508::Body::Versions { range } => (range.clone(), Some(&m.text[range.clone()])),
    };
    let verdict = pep508::judge_pep440(spec, ctx.allow_pre || ctx.locked.is_some(), ctx.constraint);
    match &verdict {
        pep508::Verdict::Selects => {}
        pep508::Verdict::Invalid(why) => {
            let (message, help) = rm952_invalid(&subject, why);
            push(RM952, message, None, help);
        }
        _ if ctx.locked.is_some() => {
            let lock = ctx.locked.unwrap_or(LockKind::PipCompile);
            push(
                RM951,
                format!(
                    "`{subject}` is locked (pip-compile output or a hash-pinned line): it keeps \
                     the project on replicate v1 until the lock is regenerated"
                ),
                None,
                format!(
                    "regenerate it (e.g. `{}`) after updating the replicate requirement in its \
                     input to `replicate>={},<3`",
                    lock.command(),
                    pep440::TARGET
                ),
            );
        }
        _ => {
            let exact = spec.is_some_and(pep508::is_exact_pep440);
            let content = pep508::replacement(pep508::Style::of(spec.unwrap_or("")), exact);
            let (fs, fe) = m.file_range(spec_range.clone());
            let fixed = format!(
                "{}{}{}",
                &m.text[req.span.start..spec_range.start],
                content,
                &m.text[spec_range.end..req.span.end]
            );
            push(
                RM950,
                rm950_message(&subject, &verdict, ctx.installer),
                Some(Replacement {
                    start: fs,
                    end: fe,
                    content,
                }),
                rm950_help(&fixed),
            );
        }
    }
    true
}

#[cfg(test)]
mod tests;
