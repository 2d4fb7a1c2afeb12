//! What a fix is built from: the file, its model, the matched node and what the match learned
//! about it (the call's arguments, the receiver, the client that made the object).

use tree_sitter::Node;

use crate::diagnostic::{Edit, ImportNeed};
use crate::semantic::{SdkValue, SemanticModel};
use crate::syntax::{CallArgs, Source};

pub struct Context<'a, 't> {
    pub source: &'t Source,
    pub model: &'a SemanticModel<'t>,
    pub node: Node<'t>,
    pub call: Option<CallArgs<'t>>,
    /// Text of the receiver (`replicate`, `client`, `self.client`, `p`).
    pub receiver: Option<String>,
    /// Text naming the client that produced the receiver object.
    pub client: Option<String>,
    /// Imports the fix needs, added once per file by the fix stage.
    pub imports: Vec<ImportNeed>,
    /// Edits a placeholder made elsewhere in the file (an `AsyncReplicate` twin's definition).
    pub extra_edits: Vec<Edit>,
    /// The callee's attribute path after the receiver (`versions.get`), for calls.
    pub path: String,
    /// The rule-file name of the receiver's kind (`module`, `prediction`, ...), when known.
    pub on: &'static str,
    /// Set by an action whose edit is right only under an assumption the tool cannot check
    /// (e.g. that a variable holds `"owner/name"`): the fix becomes unsafe.
    pub assumes: bool,
}

impl<'a, 't> Context<'a, 't> {
    /// A context for a node that is not a call and holds no v1 object (imports, references).
    pub fn bare(source: &'t Source, model: &'a SemanticModel<'t>, node: Node<'t>) -> Self {
        Context {
            source,
            model,
            node,
            call: None,
            receiver: None,
            client: None,
            imports: Vec::new(),
            extra_edits: Vec::new(),
            path: String::new(),
            on: "",
            assumes: false,
        }
    }

    /// A context for a use of a v1 object `held` (a field, subscript, iteration).
    pub fn held(
        source: &'t Source,
        model: &'a SemanticModel<'t>,
        node: Node<'t>,
        receiver: Option<String>,
        held: &SdkValue,
    ) -> Self {
        Context {
            receiver,
            client: held.client.clone(),
            on: held.kind.rule_name(),
            assumes: held.assumed,
            ..Context::bare(source, model, node)
        }
    }

    /// The matched call's arguments, for actions that only apply to calls.
    pub fn call(&self) -> Result<&CallArgs<'t>, String> {
        self.call
            .as_ref()
            .ok_or_else(|| "internal: this action needs a call".to_string())
    }
}
