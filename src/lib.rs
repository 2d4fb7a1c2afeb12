//! replicate-migrate: rewrites Python code from the Replicate SDK v1 (1.0.7) to v2 (2.0.0b4).
//!
//! Data flows one way through the stages, one module each:
//! discover (with each file's document kind) → parse → semantic (understand) → rules (match) → fix → validate → report.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod files;
pub mod fix;
pub mod parse;
pub mod report;
pub mod rules;
pub mod semantic;
pub mod syntax;
pub mod validate;
