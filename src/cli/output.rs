//! Where the report goes: stdout, or `--output-file`. Whether it is coloured: `--color`,
//! then `NO_COLOR` / `FORCE_COLOR` (<https://no-color.org>, <https://force-color.org>), then
//! whether stdout is a terminal. A failed write is reported, except a closed pipe (`| head`),
//! which ends the output quietly as ripgrep's does.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::eprint_report;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether output to a terminal-or-not stream is coloured, given the environment.
    pub fn enabled(self, is_terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("NO_COLOR") => false,
            Color::Auto if set("FORCE_COLOR") => true,
            Color::Auto => is_terminal,
        }
    }
}

pub struct Output {
    file: Option<PathBuf>,
    color: bool,
    terminal: bool,
}

impl Output {
    pub fn new(file: Option<&Path>, color: Color) -> Output {
        let terminal = file.is_none() && std::io::stdout().is_terminal();
        Output {
            file: file.map(Path::to_path_buf),
            // A file never gets colour codes unless asked for.
            color: color.enabled(terminal, |name| std::env::var(name).ok())
                && (file.is_none() || color == Color::Always),
            terminal,
        }
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// Whether the report goes to a terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// Writes the whole report; an error names the file (exit 2).
    pub fn write(&self, text: &str) -> Result<(), ExitCode> {
        let mut sink = self.sink(false)?;
        sink.push(text);
        sink.finish()
    }
}

/// A report written as it is made, piece by piece (a run's report is never held whole: for
/// 5,000 dense files it was ~17 MiB, held twice while it was joined).
pub struct Sink {
    target: Target,
    /// The first failed write: nothing more is written.
    failed: Option<ExitCode>,
    /// Stdout was closed (`| head`): nothing more is written, and that is no error.
    closed: bool,
}

enum Target {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(PathBuf, std::io::BufWriter<std::fs::File>),
    /// `fix -`'s report (stdout has the fixed document): printed to stderr at the end.
    Stderr(String),
}

impl Output {
    /// Where the report goes: `--output-file`, stdout, or stderr when `to_stderr` (and there
    /// is no `--output-file`). The file is created (emptied) now; an error names it (exit 2).
    pub fn sink(&self, to_stderr: bool) -> Result<Sink, ExitCode> {
        let target = match &self.file {
            Some(path) => match std::fs::File::create(path) {
                Ok(file) => Target::File(path.clone(), std::io::BufWriter::new(file)),
                Err(e) => return Err(file_error(path, &e)),
            },
            None if to_stderr => Target::Stderr(String::new()),
            None => Target::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout().lock(),
            )),
        };
        Ok(Sink {
            target,
            failed: None,
            closed: false,
        })
    }
}

impl Sink {
    pub fn push(&mut self, text: &str) {
        if self.failed.is_some() || self.closed {
            return;
        }
        let written = match &mut self.target {
            Target::Stdout(w) => w.write_all(text.as_bytes()),
            Target::File(_, w) => w.write_all(text.as_bytes()),
            Target::Stderr(buffer) => {
                buffer.push_str(text);
                Ok(())
            }
        };
        if let Err(e) = written {
            self.fail(&e);
        }
    }

    /// Flushes what is buffered; the first failed write (a closed pipe is not one) gives exit 2.
    pub fn finish(mut self) -> Result<(), ExitCode> {
        let flushed = match &mut self.target {
            Target::Stdout(w) => w.flush(),
            Target::File(_, w) => w.flush(),
            Target::Stderr(buffer) => {
                if !buffer.is_empty() {
                    eprint_report(buffer.trim_end_matches('\n'));
                }
                Ok(())
            }
        };
        if let Err(e) = flushed {
            if self.failed.is_none() && !self.closed {
                self.fail(&e);
            }
        }
        match self.failed {
            Some(code) => Err(code),
            None => Ok(()),
        }
    }

    /// A failed write: a closed pipe ends the output quietly, as ripgrep's does; anything
    /// else is reported (exit 2).
    fn fail(&mut self, e: &std::io::Error) {
        match &self.target {
            Target::Stdout(_) if e.kind() == std::io::ErrorKind::BrokenPipe => self.closed = true,
            Target::File(path, _) => self.failed = Some(file_error(path, e)),
            _ => {
                eprint_report(&format!("error: cannot write to stdout: {e}"));
                self.failed = Some(ExitCode::from(2));
            }
        }
    }
}

fn file_error(path: &Path, e: &std::io::Error) -> ExitCode {
    eprint_report(&format!(
        "error: cannot write {}: {}",
        path.display(),
        crate::files::io_reason(e)
    ));
    ExitCode::from(2)
}

/// Writes to stdout; an error other than a closed pipe is reported (exit 2).
pub fn write_stdout(bytes: &[u8]) -> Result<(), ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprint_report(&format!("error: cannot write to stdout: {e}"));
            Err(ExitCode::from(2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Color;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_force_color_then_the_terminal() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(Color::Auto.enabled(true, env(&[])));
        assert!(!Color::Auto.enabled(false, env(&[])));
        assert!(!Color::Auto.enabled(true, env(&[("NO_COLOR", "1")])));
        assert!(
            Color::Auto.enabled(true, env(&[("NO_COLOR", "")])),
            "empty means unset"
        );
        assert!(Color::Auto.enabled(false, env(&[("FORCE_COLOR", "1")])));
        assert!(!Color::Auto.enabled(true, env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")])));
        assert!(Color::Always.enabled(false, env(&[("NO_COLOR", "1")])));
        assert!(!Color::Never.enabled(true, env(&[("FORCE_COLOR", "1")])));
    }
}
