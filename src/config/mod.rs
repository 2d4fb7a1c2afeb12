//! Settings, as ruff reads its own: `[tool.replicate-migrate]` in a `pyproject.toml`, or a
//! `replicate-migrate.toml` / `.replicate-migrate.toml` (whose keys are at the top level). For
//! each file the nearest one wins, walking up from its directory (a `pyproject.toml` without the
//! table does not count); `--config PATH` uses one file for every file, `--config 'key = value'`
//! overrides a key, `--isolated` reads no file. Paths and globs in a file are relative to its
//! directory.
//!
//! - `selection`: which rules run for a file (`select`, `extend-select`, `ignore`,
//!   `per-file-ignores`, then the CLI's flags), by code or prefix (`RM3`);
//! - keys and values are checked when read: an unknown key, code or format is an error that
//!   names it and the nearest valid one.

mod selection;

pub use selection::{Layer, Selection, Selector, TOOL_CODES, UNIGNORABLE};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::discover::{Exclude, DEFAULT_EXCLUDES};
use crate::report::Format;

/// The keys of `[tool.replicate-migrate]`.
pub const KEYS: &[&str] = &[
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "unsafe-fixes",
    "output-format",
    "max-file-size",
];

/// Files larger than this are reported (RM012) and skipped: the syntax tree of a file takes
/// about 45 times its size, and fixing holds two or three.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// A size written as `2000000`, `"500KB"`, `"10MB"`, `"1GiB"` (KB/MB/GB are 1000-based,
/// KiB/MiB/GiB 1024-based), in bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim();
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "kib" | "k" => 1 << 10,
        "mib" | "m" => 1 << 20,
        "gib" | "g" => 1 << 30,
        _ => {
            return Err(format!(
                "invalid size `{text}`: use bytes or KB, MB, GB, KiB, MiB, GiB"
            ))
        }
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("invalid size `{text}`: it must start with a whole number"))?;
    n.checked_mul(scale)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("invalid size `{text}`: it must be more than 0 and fit in 64 bits"))
}

/// The values of `output-format`, as `--output-format` spells them.
pub const FORMATS: &[(&str, Format)] = &[
    ("concise", Format::Concise),
    ("full", Format::Full),
    ("json", Format::Json),
    ("json-lines", Format::JsonLines),
    ("github", Format::Github),
    ("gitlab", Format::Gitlab),
    ("junit", Format::Junit),
    ("pylint", Format::Pylint),
    ("sarif", Format::Sarif),
    ("markdown", Format::Markdown),
];

/// Configuration file names, in the order one directory is searched (as ruff's `.ruff.toml`,
/// `ruff.toml`, `pyproject.toml`).
const FILE_NAMES: &[&str] = &[
    ".replicate-migrate.toml",
    "replicate-migrate.toml",
    "pyproject.toml",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("cannot parse {path}: {message}")]
    Toml { path: String, message: String },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// One configuration: a file's settings, or the `--config 'key = value'` overrides.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (`None` for overrides).
    pub path: Option<PathBuf>,
    /// The directory its paths and globs are relative to.
    pub root: PathBuf,
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    /// `(glob, selectors)`, in file order.
    pub per_file_ignores: Option<Vec<(String, Vec<String>)>>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Option<Vec<String>>,
    pub force_exclude: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub output_format: Option<Format>,
    /// `max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
}

impl Config {
    /// `self` with every key `over` sets replaced.
    pub fn overridden(&self, over: &Config) -> Config {
        Config {
            path: self.path.clone(),
            root: self.root.clone(),
            select: over.select.clone().or_else(|| self.select.clone()),
            extend_select: over
                .extend_select
                .clone()
                .or_else(|| self.extend_select.clone()),
            ignore: over.ignore.clone().or_else(|| self.ignore.clone()),
            per_file_ignores: over
                .per_file_ignores
                .clone()
                .or_else(|| self.per_file_ignores.clone()),
            exclude: over.exclude.clone().or_else(|| self.exclude.clone()),
            extend_exclude: over
                .extend_exclude
                .clone()
                .or_else(|| self.extend_exclude.clone()),
            force_exclude: over.force_exclude.or(self.force_exclude),
            unsafe_fixes: over.unsafe_fixes.or(self.unsafe_fixes),
            output_format: over.output_format.or(self.output_format),
            max_file_size: over.max_file_size.or(self.max_file_size),
        }
    }

    /// Reads a configuration file; `Ok(None)` for a `pyproject.toml` without the table.
    pub fn read(path: &Path, codes: &[&str]) -> Result<Option<Config>, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: shown.clone(),
            reason: crate::files::io_reason(&e),
        })?;
        let doc: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Toml {
            path: shown.clone(),
            message: e.message().to_string(),
        })?;
        // `pyproject.toml`, or any file written in its shape (`[tool.replicate-migrate]`).
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml")
            || doc
                .get("tool")
                .and_then(|t| t.get("replicate-migrate"))
                .is_some();
        let (table, origin) = if is_pyproject {
            let table = doc
                .get("tool")
                .and_then(|t| t.get("replicate-migrate"))
                .cloned();
            match table {
                None => return Ok(None),
                Some(toml::Value::Table(t)) => (t, format!("{shown} [tool.replicate-migrate]")),
                Some(_) => {
                    return Err(ConfigError::Invalid {
                        origin: shown,
                        message: "`tool.replicate-migrate` must be a table".into(),
                    })
                }
            }
        } else {
            (doc, shown)
        };
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut config = Config::from_table(&table, &origin, codes)?;
        config.path = Some(path.to_path_buf());
        config.root = root;
        Ok(Some(config))
    }

    /// Parses one `--config 'key = value'` override.
    pub fn inline(text: &str, codes: &[&str]) -> Result<Config, ConfigError> {
        let origin = format!("--config '{text}'");
        let table: toml::Table = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            origin: origin.clone(),
            message: format!(
                "not a `key = value` setting nor an existing file ({})",
                e.message().trim()
            ),
        })?;
        let mut config = Config::from_table(&table, &origin, codes)?;
        config.root = PathBuf::from(".");
        Ok(config)
    }

    fn from_table(
        table: &toml::Table,
        origin: &str,
        codes: &[&str],
    ) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let mut c = Config::default();
        for (key, value) in table {
            let strings = |value: &toml::Value| -> Result<Vec<String>, ConfigError> {
                let items = value
                    .as_array()
                    .ok_or_else(|| invalid(format!("`{key}` must be an array of strings")))?;
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| invalid(format!("`{key}` must be an array of strings")))
                    })
                    .collect()
            };
            let selectors = |value: &toml::Value| -> Result<Vec<String>, ConfigError> {
                let list = strings(value)?;
                for s in &list {
                    Selector::parse(s, codes).map_err(|m| invalid(format!("in `{key}`: {m}")))?;
                }
                Ok(list)
            };
            let boolean = |value: &toml::Value| {
                value
                    .as_bool()
                    .ok_or_else(|| invalid(format!("`{key}` must be true or false")))
            };
            match key.as_str() {
                "select" => c.select = Some(selectors(value)?),
                "extend-select" => c.extend_select = Some(selectors(value)?),
                "ignore" => c.ignore = Some(selectors(value)?),
                "per-file-ignores" => {
                    let t = value.as_table().ok_or_else(|| {
                        invalid("`per-file-ignores` must be a table of glob = [codes]".into())
                    })?;
                    let mut list = Vec::new();
                    for (glob, codes_value) in t {
                        Glob::new(glob).map_err(|e| {
                            invalid(format!(
                                "invalid glob `{glob}` in `per-file-ignores`: {}",
                                e.kind()
                            ))
                        })?;
                        list.push((glob.clone(), selectors(codes_value)?));
                    }
                    c.per_file_ignores = Some(list);
                }
                "exclude" | "extend-exclude" => {
                    let list = strings(value)?;
                    for glob in &list {
                        Glob::new(glob).map_err(|e| {
                            invalid(format!("invalid glob `{glob}` in `{key}`: {}", e.kind()))
                        })?;
                    }
                    if key == "exclude" {
                        c.exclude = Some(list);
                    } else {
                        c.extend_exclude = Some(list);
                    }
                }
                "force-exclude" => c.force_exclude = Some(boolean(value)?),
                "unsafe-fixes" => c.unsafe_fixes = Some(boolean(value)?),
                "max-file-size" => {
                    let size = match value {
                        toml::Value::Integer(n) if *n > 0 => Ok(*n as u64),
                        toml::Value::String(text) => parse_size(text),
                        _ => Err(
                            "`max-file-size` must be a positive number of bytes or a string like \"10MB\""
                                .to_string(),
                        ),
                    };
                    c.max_file_size = Some(size.map_err(invalid)?);
                }
                "output-format" => {
                    let name = value
                        .as_str()
                        .ok_or_else(|| invalid("`output-format` must be a string".into()))?;
                    let names: Vec<&str> = FORMATS.iter().map(|(n, _)| *n).collect();
                    let format = FORMATS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                        invalid(format!(
                            "unknown output format `{name}`{}",
                            did_you_mean(name, &names)
                        ))
                    })?;
                    c.output_format = Some(format.1);
                }
                other => {
                    return Err(invalid(format!(
                        "unknown key `{other}`{}",
                        did_you_mean(other, KEYS)
                    )))
                }
            }
        }
        Ok(c)
    }
}

/// `; did you mean `x`?` for the nearest candidate, or `; valid: ...` when none is near.
pub fn did_you_mean(wrong: &str, candidates: &[&str]) -> String {
    // Nearest first; on a tie, the candidate of the same length (a mistyped code, not a prefix).
    let best = candidates
        .iter()
        .map(|c| {
            let d = distance(&wrong.to_ascii_lowercase(), &c.to_ascii_lowercase());
            (d, c.len().abs_diff(wrong.len()), *c)
        })
        .min();
    match best {
        Some((d, _, c)) if d <= wrong.len().max(2) / 2 + 1 => format!("; did you mean `{c}`?"),
        _ if candidates.len() <= 12 => format!("; valid: {}", candidates.join(", ")),
        _ => String::new(),
    }
}

/// Edit distance with adjacent transpositions (optimal string alignment): `RM310` is one edit
/// from `RM301`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// How the command line asks for configuration.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config` values: one file, and any number of `key = value` overrides.
    pub config: Vec<String>,
    pub isolated: bool,
}

/// Finds the configuration for each file, caching by directory.
pub struct Resolver {
    codes: Vec<String>,
    explicit: Option<Arc<Config>>,
    overrides: Config,
    isolated: bool,
    cache: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
    /// The first error met while walking up (a broken file found during the walk).
    error: Mutex<Option<String>>,
}

impl Resolver {
    pub fn new(sources: &Sources, codes: Vec<String>) -> Result<Resolver, ConfigError> {
        let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let mut explicit = None;
        let mut overrides = Config::default();
        for value in &sources.config {
            let as_path = Path::new(value);
            if as_path.is_file() {
                if explicit.is_some() {
                    return Err(ConfigError::Invalid {
                        origin: format!("--config {value}"),
                        message: "only one configuration file can be given".into(),
                    });
                }
                let config =
                    Config::read(as_path, &code_refs)?.ok_or_else(|| ConfigError::Invalid {
                        origin: value.clone(),
                        message: "has no [tool.replicate-migrate] table".into(),
                    })?;
                explicit = Some(Arc::new(config));
            } else if value.ends_with(".toml") && !value.contains('=') {
                return Err(ConfigError::Read {
                    path: value.clone(),
                    reason: "no such file".into(),
                });
            } else {
                overrides = overrides.overridden(&Config::inline(value, &code_refs)?);
            }
        }
        Ok(Resolver {
            codes,
            explicit,
            overrides,
            isolated: sources.isolated,
            cache: Mutex::new(HashMap::new()),
            error: Mutex::new(None),
        })
    }

    pub fn codes(&self) -> Vec<&str> {
        self.codes.iter().map(String::as_str).collect()
    }

    /// The configuration file that applies in `dir` (before overrides), if any.
    pub fn file_config(&self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if self.isolated {
            return Ok(None);
        }
        if let Some(explicit) = &self.explicit {
            return Ok(Some(Arc::clone(explicit)));
        }
        let dir = crate::files::absolute(dir);
        let mut chain = Vec::new();
        let mut found = None;
        let mut current = Some(dir.as_path());
        while let Some(d) = current {
            if let Some(hit) = self.cache.lock().expect("not poisoned").get(d) {
                found = hit.clone();
                break;
            }
            chain.push(d.to_path_buf());
            let mut here = None;
            for name in FILE_NAMES {
                let candidate = d.join(name);
                if candidate.is_file() {
                    let codes = self.codes();
                    if let Some(config) = Config::read(&candidate, &codes)? {
                        here = Some(Arc::new(config));
                        break;
                    }
                }
            }
            if here.is_some() {
                found = here;
                break;
            }
            current = d.parent();
        }
        let mut cache = self.cache.lock().expect("not poisoned");
        for d in chain {
            cache.insert(d, found.clone());
        }
        Ok(found)
    }

    /// The configuration for `dir`, overrides applied.
    pub fn config(&self, dir: &Path) -> Result<Config, ConfigError> {
        let base = match self.file_config(dir)? {
            Some(config) => (*config).clone(),
            None => Config {
                root: PathBuf::from("."),
                ..Config::default()
            },
        };
        Ok(base.overridden(&self.overrides))
    }

    /// The configuration of the file (or directory) `path`: the nearest one from its directory.
    pub fn config_for(&self, path: &Path, is_dir: bool) -> Result<Config, ConfigError> {
        let dir = if is_dir {
            path
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        self.config(dir)
    }

    fn remember(&self, e: ConfigError) {
        let mut error = self.error.lock().expect("not poisoned");
        if error.is_none() {
            *error = Some(e.to_string());
        }
    }

    /// A configuration error met while walking (`Exclude` cannot return one).
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().expect("not poisoned").take()
    }
}

/// A configuration's excludes: whether the defaults apply, the globs, their directory.
type Patterns = (bool, GlobSet, PathBuf);

/// Excludes from the configuration that applies to each path, the command line's beside them.
pub struct ConfigExclude {
    pub resolver: Arc<Resolver>,
    /// `--exclude` / `--extend-exclude` globs, relative to the current directory.
    pub cli: GlobSet,
    cache: Mutex<HashMap<PathBuf, Arc<Patterns>>>,
}

impl ConfigExclude {
    pub fn new(resolver: Arc<Resolver>, cli: &[String]) -> Result<ConfigExclude, String> {
        Ok(ConfigExclude {
            resolver,
            cli: globs(cli)?,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Whether the defaults apply, the globs, and the directory they are relative to.
    fn patterns(&self, config: &Config) -> Arc<Patterns> {
        let key = config.path.clone().unwrap_or_default();
        if let Some(hit) = self.cache.lock().expect("not poisoned").get(&key) {
            return Arc::clone(hit);
        }
        let mut list: Vec<String> = config.exclude.clone().unwrap_or_default();
        list.extend(config.extend_exclude.clone().unwrap_or_default());
        let set = globs(&list).unwrap_or_else(|_| GlobSet::empty());
        let entry = Arc::new((config.exclude.is_none(), set, config.root.clone()));
        self.cache
            .lock()
            .expect("not poisoned")
            .insert(key, Arc::clone(&entry));
        entry
    }
}

fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(
            Glob::new(pattern).map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))?,
        );
    }
    builder.build().map_err(|e| e.to_string())
}

/// Whether `set` matches `path`, the path relative to `root`, or the file name, as ruff
/// matches `exclude` and `per-file-ignores`.
pub fn matches(set: &GlobSet, path: &Path, root: &Path) -> bool {
    let plain = path.strip_prefix(".").unwrap_or(path);
    let absolute = crate::files::absolute(path);
    let root_abs = crate::files::absolute(root);
    let relative = absolute.strip_prefix(&root_abs).unwrap_or(plain);
    set.is_match(plain)
        || set.is_match(relative)
        || path.file_name().is_some_and(|n| set.is_match(n))
}

impl Exclude for ConfigExclude {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let plain = path.strip_prefix(".").unwrap_or(path);
        if self.cli.is_match(plain) || self.cli.is_match(name) || self.cli.is_match(path) {
            return true;
        }
        let config = match self.resolver.config_for(path, is_dir) {
            Ok(config) => config,
            Err(e) => {
                self.resolver.remember(e);
                return false;
            }
        };
        let entry = self.patterns(&config);
        let (defaults, set, root) = &*entry;
        (*defaults && DEFAULT_EXCLUDES.contains(&name)) || matches(set, path, root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_are_suggested() {
        assert_eq!(did_you_mean("selct", KEYS), "; did you mean `select`?");
        assert_eq!(
            did_you_mean("per-file-ignore", KEYS),
            "; did you mean `per-file-ignores`?"
        );
        assert!(did_you_mean("zzzzzzzzzzzz", KEYS).starts_with("; valid: select"));
    }

    #[test]
    fn an_unknown_key_names_the_nearest_one() {
        let e = Config::inline("extend-selct = [\"RM1\"]", &["RM101"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--config 'extend-selct = [\"RM1\"]': unknown key `extend-selct`; did you mean `extend-select`?"
        );
    }
}
