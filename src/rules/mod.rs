//! Match stage: rules as data (`rules/*.toml`, documented in `rules/README.md`), and the engine
//! that finds their matches through the semantic model and builds their fixes.
//!
//! - `schema`: the rule file format; `load`: loading, checking and indexing (`index`) the rules;
//! - `checker`: one walk over a file, offering each node to the rules it can trigger;
//! - `context`: what a match hands to its fix; `template`: fix templates and their placeholders;
//! - `actions`: the generic fix actions; `transforms`: the named ones, by topic;
//! - `helpers`: Python functions a fix adds to a file where v2 lacks v1's;
//! - `explain`: a rule's documentation, for `rule CODE` and the README table;
//! - `mapping`: the API mapping's rows, embedded; `coverage`: the ratchet's accounting of them
//!   and of the v1 surface (`rule --coverage`, `tests/ratchet.rs`).

mod actions;
mod async_twin;
mod checker;
mod context;
pub mod coverage;
mod explain;
pub mod helpers;
mod index;
mod load;
pub mod mapping;
pub mod schema;
pub mod template;
pub mod transforms;

pub use checker::{
    check_file, check_file_and, check_file_with, check_file_with_suppressed, Checks,
};
pub use explain::{explain, markdown_table};
pub use load::{load, load_embedded, LoadError, RuleSet, RECEIVER_KINDS, RULE_FILES};
