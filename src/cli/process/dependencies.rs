//! A dependency manifest: its findings on the `replicate` pins, and the fixed specifiers.

use std::collections::BTreeMap;

use super::super::Mode;
use super::{FileResult, Job};
use crate::config::Selection;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::document::manifest::{self, ManifestKind};
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::FileReport;
use crate::syntax::Source;

/// A dependency manifest: its `replicate` pins (RM950), locks (RM951) and requirements that
/// cannot be checked (RM952); `fix` rewrites only the specifiers. Lock files are never edited.
pub(super) fn process_manifest(
    name: String,
    kind: ManifestKind,
    raw: Vec<u8>,
    job: &Job,
) -> Option<FileResult> {
    if !manifest::mentions_replicate(&raw) {
        return None;
    }
    let selection = &job.selection;
    let source = Source::new(raw.clone());
    let report = |source: Source, diagnostics: Vec<Diagnostic>| {
        FileReport::plain(name.clone(), Kind::Manifest(kind), source, diagnostics)
    };
    let diagnose = |bytes: &[u8]| manifest_findings(&name, kind, bytes, selection);
    let found = match diagnose(&raw) {
        Ok(found) => found,
        Err(d) => return Some(FileResult::reported(report(source, vec![*d]))),
    };
    let fixable = found.iter().any(|d| d.fix.is_some());
    if job.mode == Mode::Check || job.add_noqa || !fixable {
        return Some(FileResult::reported(report(source, found)));
    }
    let checked = manifest::check(kind, &raw).ok()?;
    let wanted: Vec<manifest::Finding> = checked
        .findings
        .into_iter()
        .filter(|f| selection.is_enabled(f.code))
        .collect();
    let new_raw = manifest::apply_fixes(&raw, &wanted);
    let new_source = Source::new(new_raw.clone());
    let remaining = match diagnose(&new_raw) {
        Ok(remaining) => remaining,
        // A fix that would make the file unreadable is never written.
        Err(_) => return Some(FileResult::reported(report(source, found))),
    };
    let mut fixed_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for d in &found {
        *fixed_by_code.entry(d.code.clone()).or_default() += 1;
    }
    for d in &remaining {
        if let Some(n) = fixed_by_code.get_mut(&d.code) {
            *n = n.saturating_sub(1);
        }
    }
    fixed_by_code.retain(|_, n| *n > 0);
    let fixed = fixed_by_code.values().sum();
    Some(FileResult {
        fixed,
        fixed_by_code,
        before: Some(report(source.clone(), found.clone())),
        found,
        found_by_code: BTreeMap::new(),
        diff: Some(unified_diff(&name, &source, &new_source, None)),
        new_bytes: Some(new_raw),
        write_error: None,
        report: report(new_source, remaining),
    })
}

/// The findings of a manifest's bytes, offsets in the bytes without a BOM (as `Source` holds
/// them); a manifest that cannot be read is one RM952.
pub(super) fn manifest_findings(
    name: &str,
    kind: ManifestKind,
    bytes: &[u8],
    selection: &Selection,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let checked = manifest::check(kind, bytes).map_err(|e| {
        Box::new(Diagnostic {
            help: Some("fix the file; it is not changed until it reads".into()),
            ..Diagnostic::tool(
                manifest::RM952,
                "dependency-unchecked",
                format!("cannot read {name}: {e}"),
                e.offset.saturating_sub(bom),
            )
        })
    })?;
    Ok(checked
        .findings
        .into_iter()
        .filter(|f| selection.is_enabled(f.code))
        .map(|f| manifest_diagnostic(f, bom))
        .collect())
}

pub(super) fn manifest_diagnostic(f: manifest::Finding, bom: usize) -> Diagnostic {
    let name = manifest::CODES
        .iter()
        .find(|(c, _, _)| *c == f.code)
        .map_or("dependency", |(_, n, _)| *n);
    let fix = f.fix.map(|r| Fix {
        title: f
            .help
            .clone()
            .unwrap_or_else(|| format!("Require `{}`", r.content)),
        applicability: Applicability::Safe,
        edits: vec![Edit::replace(
            r.start.saturating_sub(bom),
            r.end.saturating_sub(bom),
            r.content.into_bytes(),
        )],
        imports: Vec::new(),
        defer_while_unfixed: false,
    });
    Diagnostic {
        code: f.code.to_string(),
        name: name.to_string(),
        message: f.message,
        severity: Severity::Error,
        start: f.start.saturating_sub(bom),
        end: f.end.saturating_sub(bom),
        help: if fix.is_some() { None } else { f.help },
        fix,
        url: Some(
            "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md#installing-the-v2-sdk".into(),
        ),
    }
}
