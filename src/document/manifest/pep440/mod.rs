//! PEP 440 versions and specifier sets, and Poetry's constraint syntax: just enough to answer
//! "does this requirement make the installer pick replicate 2.0.0b4?".
//!
//! Matching follows `packaging.specifiers` (the library pip vendors). Which pre-releases are
//! allowed follows the rule pip has applied for years (packaging ≤ 24): a specifier set allows
//! pre-releases only when one of its `==`, `>=`, `<=`, `~=` or `===` clauses names a pre-release.
//! Newer packaging also counts `<` and `>`; the older rule flags a superset, which is the safe
//! side for a migration check.
//!
//! The code by job: `version` (PEP 440 versions and their order), `specifier` (specifiers and
//! specifier sets), `poetry` (Poetry's constraints).

mod poetry;
mod specifier;
mod version;

#[cfg(test)]
mod cross_check;
#[cfg(test)]
mod tests;

pub use poetry::PoetryConstraint;
pub use specifier::{v2_floor, Op, SpecError, Specifier, SpecifierSet};
pub use version::{LocalSeg, PreKind, Version};

/// The release the migration targets.
pub const TARGET: &str = "2.0.0b4";

/// The parsed [`TARGET`].
pub fn target() -> Version {
    Version::parse(TARGET).expect("the target version parses")
}
