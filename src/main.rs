//! The `replicate-migrate` binary: parses the arguments and hands them to the library.

mod args;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use replicate_migrate::cli::{self, Mode};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => cli::run(&args.options()),
        Command::Fix(args) => {
            let mode = if args.diff { Mode::Diff } else { Mode::Fix };
            cli::run(&args.common.options(mode))
        }
        Command::Rule(args) if args.coverage => cli::print_coverage(&args.output_format),
        Command::Rule(args) => {
            cli::explain_rules(args.rule.as_deref(), args.all, &args.output_format)
        }
    }
}
