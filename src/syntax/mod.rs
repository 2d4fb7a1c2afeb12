//! The vocabulary every stage shares about Python source: the bytes of a file (`Source`), a
//! call's arguments, string literals and dotted names. A leaf like `diagnostic`: it knows
//! tree-sitter's node kinds but no stage of the pipeline.

mod call;
mod codecs;
mod encoding;
mod lines;
mod literal;
mod names;
mod node_ext;
mod source;
mod spans;

pub use call::{CallArgs, Keyword};
pub use encoding::{DecodeError, EncodeError};
pub use lines::{after_trailing_comment, LineIndex};
pub use literal::{
    fstring_parts, side_effect_free_fstring, split_model_ref, string_literal, StringLiteral,
};
pub use names::{dotted, is_identifier, simple_receiver, simple_text, unsplat};
pub use node_ext::{field_id, field_name, NodeExt};
pub use source::Source;
pub use spans::Spans;
