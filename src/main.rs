use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match replicate_migrate::cli::args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    replicate_migrate::cli::run(cli)
}
