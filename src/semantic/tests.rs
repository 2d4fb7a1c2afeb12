//! What the model proves a name holds, on small programs.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::{Resolved, SdkKind, SdkValue, SemanticModel};
use crate::parse::{parse, Source};

/// The kind of the expression `needle` where it last occurs in `code`, if proven.
pub(crate) fn kind_at(code: &str, needle: &str) -> Option<String> {
    kind_in(code, needle, needle)
}

/// The kind of `inner`, found inside the last occurrence of `context` in `code`.
pub(crate) fn kind_in(code: &str, context: &str, inner: &str) -> Option<String> {
    let source = Source::new(code.as_bytes().to_vec());
    let tree = parse(&source);
    let model = SemanticModel::build(&source, &tree);
    let start = code.rfind(context).expect("context in code")
        + context.find(inner).expect("inner in context");
    let node = tree
        .root_node()
        .named_descendant_for_byte_range(start, start + inner.len())
        .expect("a node at the needle");
    match model.resolve(node) {
        Resolved::Member { value, path, .. } if path.is_empty() => Some(match value.kind {
            SdkKind::Object(o) => o.rule_name().to_string(),
            other => other.rule_name().to_string(),
        }),
        Resolved::Sdk { path, .. } => Some(path.join(".")),
        _ => None,
    }
}

/// Runs `f` on the model of `code` and its tree's root.
pub(crate) fn with_model<R>(
    code: &str,
    f: impl for<'t> FnOnce(&SemanticModel<'t>, Node<'t>) -> R,
) -> R {
    let source = Source::new(code.as_bytes().to_vec());
    let tree = parse(&source);
    let model = SemanticModel::build(&source, &tree);
    f(&model, tree.root_node())
}

/// The smallest named node at `inner`, inside the last occurrence of `context` in `code`.
pub(crate) fn find<'t>(root: Node<'t>, code: &str, context: &str, inner: &str) -> Node<'t> {
    let start = code.rfind(context).expect("context in code")
        + context.find(inner).expect("inner in context");
    root.named_descendant_for_byte_range(start, start + inner.len())
        .expect("a node at the needle")
}

/// A kind with its element kind spelled out: `prediction`, `client`, `page(model)`.
pub(crate) fn kind_name(kind: SdkKind) -> String {
    match kind {
        SdkKind::Module | SdkKind::Client => kind.rule_name().to_string(),
        SdkKind::Object(o) => o.rule_name().to_string(),
        SdkKind::Page(o)
        | SdkKind::List(o)
        | SdkKind::Dict(o)
        | SdkKind::Pages(o)
        | SdkKind::Keyed(o)
        | SdkKind::KeyedList(o)
        | SdkKind::Mixed(o, _)
        | SdkKind::MixedList(o, _) => format!("{}({})", kind.rule_name(), o.rule_name()),
    }
}

/// What `node` resolves to, as text: `unknown`, an SDK path (`replicate.Client`), a kind
/// (`list(prediction)`, with `.path` below a value), `function f`, `class C`, `instance C`,
/// `method m`.
pub(crate) fn describe<'t>(model: &SemanticModel<'t>, node: Node<'t>) -> String {
    let name = |n: Node<'t>| {
        n.field("name")
            .map_or("lambda".to_string(), |n| model.source.str(n))
    };
    match model.resolve(node) {
        Resolved::Unknown => "unknown".to_string(),
        Resolved::Sdk { path, .. } => path.join("."),
        Resolved::Member { value, path, .. } if path.is_empty() => kind_name(value.kind),
        Resolved::Member { value, path, .. } => {
            format!("{}.{}", kind_name(value.kind), path.join("."))
        }
        Resolved::Function(def) => format!("function {}", name(def)),
        Resolved::Class(class) => format!("class {}", name(class)),
        Resolved::Instance { class, .. } => format!("instance {}", name(class)),
        Resolved::Method { def, .. } => format!("method {}", name(def)),
    }
}

/// `describe` of `inner` inside the last occurrence of `context` in `code`.
pub(crate) fn describe_in(code: &str, context: &str, inner: &str) -> String {
    with_model(code, |model, root| {
        describe(model, find(root, code, context, inner))
    })
}

/// `describe` of the last occurrence of `needle` in `code`.
pub(crate) fn describe_at(code: &str, needle: &str) -> String {
    describe_in(code, needle, needle)
}

/// The v1 value of `inner` inside the last occurrence of `context` in `code`.
pub(crate) fn value_in(code: &str, context: &str, inner: &str) -> Option<SdkValue> {
    with_model(code, |model, root| {
        model.value(find(root, code, context, inner))
    })
}

#[test]
fn aliases_resolve_to_the_sdk() {
    assert_eq!(
        kind_at("import replicate as r\nr.predictions\n", "r.predictions").as_deref(),
        Some("replicate.predictions")
    );
    assert_eq!(
        kind_at("from replicate.client import Client as C\nC\n", "C").as_deref(),
        Some("replicate.Client")
    );
}

#[test]
fn a_shadowing_parameter_is_not_the_sdk() {
    let code = "import replicate\ndef f(replicate):\n    return replicate.run\n";
    assert_eq!(kind_at(code, "replicate.run"), None);
}

#[test]
fn objects_keep_their_kind_through_assignments_loops_and_returns() {
    let code = "import replicate\n\
                def make():\n    return replicate.predictions.create(version='v', input={})\n\
                p = make()\n\
                for q in replicate.models.list():\n    q\n\
                p\n";
    assert_eq!(kind_at(code, "p").as_deref(), Some("prediction"));
    assert_eq!(kind_in(code, "    q\n", "q").as_deref(), Some("model"));
}

#[test]
fn a_name_bound_to_two_kinds_is_unknown() {
    let code = "import replicate\np = replicate.predictions.get(prediction_id='x')\np = 3\np\n";
    assert_eq!(kind_in(code, "3\np\n", "p"), None);
}

#[test]
fn a_client_on_self_is_seen_in_other_methods() {
    let code = "import replicate\nclass A:\n    def __init__(self):\n        self.c = replicate.Client()\n    def go(self):\n        return self.c\n";
    assert_eq!(
        kind_in(code, "return self.c", "self.c").as_deref(),
        Some("client")
    );
}

#[test]
fn a_parameter_takes_the_kind_its_call_sites_agree_on() {
    let code = "import replicate\ndef finish(p):\n    return p\nfinish(replicate.predictions.get(prediction_id='x'))\n";
    assert_eq!(
        kind_in(code, "return p", "p").as_deref(),
        Some("prediction")
    );
    let passed_around = format!("{code}callbacks = [finish]\n");
    assert_eq!(kind_in(&passed_around, "return p", "p"), None);
}

/// A value that is an SDK object or an instance of the file's class is `mixed` until an
/// `isinstance` test on that class tells them apart; another class's test does not.
#[test]
fn mixed_values_are_narrowed_by_isinstance_of_their_class() {
    let code = r#"import replicate
from typing import List, Union
from replicate.prediction import Prediction

class LocalJob:
    def wait(self):
        return self

class Other:
    pass

def pick(flag):
    if flag:
        job = LocalJob()
    else:
        job = replicate.predictions.create(version="v", input={})
    job.status
    if isinstance(job, Other):
        return None
    job.id
    if not isinstance(job, LocalJob):
        job.logs
    return job

def each(jobs: List[Union[LocalJob, Prediction]]):
    for item in jobs:
        if isinstance(item, LocalJob):
            continue
        item.error

def both(x: "LocalJob | None", y: Union[LocalJob, Prediction]):
    y.urls
"#;
    assert_eq!(
        kind_in(code, "    job.status", "job").as_deref(),
        Some("mixed")
    );
    // `Other` rules nothing out: still mixed.
    assert_eq!(kind_in(code, "    job.id", "job").as_deref(), Some("mixed"));
    assert_eq!(
        kind_in(code, "job.logs", "job").as_deref(),
        Some("prediction")
    );
    assert_eq!(
        kind_in(code, "jobs: List", "jobs").as_deref(),
        Some("mixed_list")
    );
    assert_eq!(
        kind_in(code, "item.error", "item").as_deref(),
        Some("prediction")
    );
    assert_eq!(kind_in(code, "    y.urls", "y").as_deref(), Some("mixed"));
    // A local class alone (or with None) is not an SDK value at all.
    assert_eq!(kind_in(code, "def both(x", "x"), None);
}

#[test]
fn a_name_bound_to_an_instance_is_that_instance() {
    let code = "import replicate\nclass W:\n    def __init__(self):\n        self.client = replicate.Client()\na = W()\nb = a\nb.client\n";
    assert_eq!(describe_at(code, "b.client"), "client");
    // Decoy: an alias of an instance of a class with no SDK attribute stays quiet.
    let plain = "import replicate\nclass W:\n    def __init__(self):\n        self.client = object()\na = W()\nb = a\nb.client\n";
    assert_eq!(describe_at(plain, "b.client"), "unknown");
}
