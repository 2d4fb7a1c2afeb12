pub mod notebook;
