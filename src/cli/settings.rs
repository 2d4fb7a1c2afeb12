//! `--show-settings`: the settings that apply to a path, and where they come from.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::fail;
use super::output::Output;
use crate::config::{Resolver, Selection};
use crate::files::display_path;
use crate::report::Format;

/// `--show-settings`: the settings that apply to `path`, and where they come from.
pub(super) fn show_settings(
    resolver: &Resolver,
    path: &Path,
    selection_for: &dyn Fn(&Path) -> Result<Selection, String>,
    format: Format,
    unsafe_fixes: bool,
    out: &Output,
) -> ExitCode {
    let probe = if path.is_dir() {
        path.join("__probe__.py")
    } else {
        path.to_path_buf()
    };
    let config = match resolver.config_for(&probe, false) {
        Ok(config) => config,
        Err(e) => return fail(e),
    };
    let selection = match selection_for(&probe) {
        Ok(selection) => selection,
        Err(e) => return fail(e),
    };
    let list = |v: &Option<Vec<String>>| match v {
        Some(v) => format!("{v:?}"),
        None => "(default)".to_string(),
    };
    let format_name = crate::config::FORMATS
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("full", |(n, _)| n);
    let mut text = String::new();
    let _ = writeln!(text, "Resolved settings for: {}", display_path(path));
    let _ = writeln!(
        text,
        "Settings path: {}",
        config
            .path
            .as_ref()
            .map_or("(none: defaults)".to_string(), |p| p.display().to_string())
    );
    let _ = writeln!(text, "select = {}", list(&config.select));
    let _ = writeln!(text, "extend-select = {}", list(&config.extend_select));
    let _ = writeln!(text, "ignore = {}", list(&config.ignore));
    let pfi: Vec<String> = config
        .per_file_ignores
        .iter()
        .flatten()
        .map(|(g, c)| format!("{g:?} = {c:?}"))
        .collect();
    let _ = writeln!(text, "per-file-ignores = {{ {} }}", pfi.join(", "));
    let _ = writeln!(text, "exclude = {}", list(&config.exclude));
    let _ = writeln!(text, "extend-exclude = {}", list(&config.extend_exclude));
    let _ = writeln!(
        text,
        "force-exclude = {}",
        config.force_exclude.unwrap_or(false)
    );
    let _ = writeln!(text, "unsafe-fixes = {unsafe_fixes}");
    let _ = writeln!(
        text,
        "max-file-size = {}",
        config
            .max_file_size
            .unwrap_or(crate::config::DEFAULT_MAX_FILE_SIZE)
    );
    let _ = writeln!(text, "output-format = {format_name:?}");
    let enabled: Vec<&str> = selection.enabled.iter().map(String::as_str).collect();
    let _ = writeln!(text, "enabled ({}) = {enabled:?}", enabled.len());
    match out.write(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
