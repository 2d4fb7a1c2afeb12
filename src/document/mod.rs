//! Documents other than Python source that the migration checks.

pub mod manifest;
