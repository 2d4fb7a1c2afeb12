//! Each finding with its source snippet, rendered by miette.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{marker, points_at_code, FileReport};
use crate::diagnostic::{Applicability, Diagnostic};

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Rendered {
    code: String,
    message: String,
    help: Option<String>,
    url: Option<String>,
    snippet: Excerpt,
    span: (usize, usize),
    /// Findings about the tool's own work on a file (RM001-RM008, RM010-RM012) point at no code.
    has_span: bool,
    severity: miette::Severity,
}

/// The lines around a finding, numbered as in the file: miette reads spans by scanning its
/// source from the start, so giving it the whole file makes a report quadratic in findings.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// The 0-based line of the file that `text` starts on.
    first_line: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn std::fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.has_span
            .then_some(&self.snippet as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.has_span {
            return None;
        }
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            self.span.0,
            self.span.1,
        ))))
    }
}

fn help_text(d: &Diagnostic, unsafe_fixes: bool) -> Option<String> {
    match (&d.fix, &d.help) {
        (Some(fix), _) => Some(match fix.applicability {
            Applicability::Safe => format!("{} (safe fix)", fix.title),
            Applicability::Unsafe if unsafe_fixes => format!("{} (unsafe fix)", fix.title),
            Applicability::Unsafe => format!(
                "{} (unsafe fix: enable with `--unsafe-fixes`; it may change runtime behaviour)",
                fix.title
            ),
            Applicability::DisplayOnly => format!("{} (suggestion only, not applied)", fix.title),
        }),
        (None, Some(help)) => Some(help.clone()),
        (None, None) => None,
    }
}

pub fn render(files: &[FileReport], unsafe_fixes: bool, color: bool) -> String {
    let mut out = String::new();
    render_into(files, unsafe_fixes, color, &mut |text| out.push_str(text));
    out
}

/// Hands on the report of `files` in order, a few files at a time: files are rendered in
/// parallel (miette's layout was the run's largest serial part, after the files were checked
/// in parallel), a chunk at a time, so the report is never held whole.
pub fn render_into(
    files: &[FileReport],
    unsafe_fixes: bool,
    color: bool,
    emit: &mut dyn FnMut(&str),
) {
    use rayon::prelude::*;
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let chunk = 16 * rayon::current_num_threads().max(1);
    for files in files.chunks(chunk) {
        let rendered: Vec<String> = files
            .par_iter()
            .map(|file| render_file(&handler, file, unsafe_fixes))
            .collect();
        for text in &rendered {
            emit(text);
        }
    }
}

fn render_file(handler: &GraphicalReportHandler, file: &FileReport, unsafe_fixes: bool) -> String {
    let mut out = String::new();
    {
        for d in &file.diagnostics {
            let frame = file.frame(d.start, d.end);
            let rendered = Rendered {
                code: format!("{}{}", d.code, marker(d, unsafe_fixes)),
                message: if matches!(d.code.as_str(), "RM002" | "RM003" | "RM004") {
                    format!("{}: {}", file.path, d.message)
                } else {
                    d.message.clone()
                },
                help: help_text(d, unsafe_fixes),
                url: d.url.clone(),
                snippet: Excerpt {
                    name: frame.name,
                    text: frame.text,
                    first_line: frame.first_line,
                },
                span: (frame.start, frame.end - frame.start),
                has_span: points_at_code(d),
                severity: match d.severity {
                    crate::diagnostic::Severity::Error => miette::Severity::Error,
                    crate::diagnostic::Severity::Warning => miette::Severity::Warning,
                },
            };
            let _ = handler.render_report(&mut out, &rendered);
            out.push('\n');
        }
    }
    out
}
