//! Match stage: rules as data (`rules/*.toml`), and the engine that finds their matches through
//! the semantic model and builds their fixes.

mod explain;
mod load;
mod matcher;
pub mod schema;
pub mod transforms;
pub use explain::{explain, markdown_table};

pub use load::{load, load_embedded, LoadError, RuleSet, RULE_FILES};
pub use matcher::check_file;
