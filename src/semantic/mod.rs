//! Understand stage: what each name in a file refers to, as far as the Replicate SDK goes.
//!
//! The model resolves names through imports and aliases (`import replicate as r`,
//! `from replicate.client import Client as C`), honours Python's scoping (function scopes skip
//! class scopes, `global`, shadowing by parameters, assignments, loops, `def` and `class`), and
//! infers which v1 object a name holds (`Client`, `Prediction`, `Page` of `Model`, ...) and which
//! client made it. It is flow-insensitive and conservative: a name bound in one scope to two
//! different things resolves to nothing, so rules stay quiet rather than guess.

mod kinds;
mod model;
#[cfg(test)]
mod tests;

pub use kinds::{ObjectKind, SdkKind, SdkValue};
pub use model::{Resolved, SemanticModel, Target};
