//! The command line: argument parsing and the wiring of the stages.

pub mod args;
mod run;

pub use run::run;
