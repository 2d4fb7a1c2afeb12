//! Each finding with its source snippet, rendered by miette.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

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

/// How many files' rendered reports may wait to be written (memory), while rendering runs on.
const RENDERED_AHEAD: usize = 256;

/// Hands on the report of `files` in order, as it is made: workers render files in parallel
/// (miette's layout was the run's largest serial part, after the files were checked in
/// parallel) and this thread hands each on once it and every file before it are done, so the
/// report is never held whole. (Chunks rendered with `par_iter`, one after another, cost ~4%
/// more CPU on a dense tree: the cores waited at the end of every chunk.)
pub fn render_into(
    files: &[FileReport],
    unsafe_fixes: bool,
    color: bool,
    emit: &mut dyn FnMut(&str),
) {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(files.len());
    if workers <= 1 {
        for file in files {
            emit(&render_file(&handler, file, unsafe_fixes));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let shared = Mutex::new(Pending::new(files.len()));
    let (done, room) = (Condvar::new(), Condvar::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= files.len() {
                    return;
                }
                let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                while i >= state.written + RENDERED_AHEAD {
                    state = room.wait(state).unwrap_or_else(|e| e.into_inner());
                }
                drop(state);
                let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    render_file(&handler, &files[i], unsafe_fixes)
                }));
                let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                state.texts[i] = Some(text.unwrap_or_else(|panic| {
                    state.panic.get_or_insert(panic);
                    String::new()
                }));
                done.notify_one();
            });
        }
        for i in 0..files.len() {
            let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
            let text = loop {
                match state.texts[i].take() {
                    Some(text) => break text,
                    None => state = done.wait(state).unwrap_or_else(|e| e.into_inner()),
                }
            };
            state.written = i + 1;
            room.notify_all();
            drop(state);
            emit(&text);
        }
    });
    let panic = shared.into_inner().unwrap_or_else(|e| e.into_inner()).panic;
    if let Some(panic) = panic {
        std::panic::resume_unwind(panic);
    }
}

/// What the rendering workers and the writing thread share.
struct Pending {
    /// Each file's report, from when it is rendered until it is handed on.
    texts: Vec<Option<String>>,
    /// How many files were handed on.
    written: usize,
    /// A worker's panic, raised again once the workers are done.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

impl Pending {
    fn new(files: usize) -> Self {
        Pending {
            texts: vec![None; files],
            written: 0,
            panic: None,
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
