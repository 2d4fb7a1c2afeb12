//! The kinds of v1 SDK values the semantic model can prove a name holds.

/// A v1 object type returned by SDK calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Prediction,
    Training,
    Model,
    Version,
    Deployment,
    File,
    Collection,
    Hardware,
    Account,
    /// v1's `ReplicateError` (an HTTP error answer), caught with `except ... as e`.
    ApiError,
    /// v1's `ModelError` (a prediction that failed), caught with `except ... as e`.
    ModelError,
    /// What `await replicate.async_run(...)` returns: the output, or its items (files become
    /// `AsyncFileOutput` in v2, which has `read()` but no `aread()`).
    AsyncOutput,
}

/// What a name or expression holds.
///
/// Ex) after `c = replicate.Client()`, `c` holds a `Client`; after `page = c.models.list()`,
/// `page` holds a `Page(Model)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdkKind {
    /// The `replicate` module itself (under whatever alias).
    Module,
    Client,
    Object(ObjectKind),
    /// A v1 `Page` (one page of a cursor listing).
    Page(ObjectKind),
    /// A plain Python list of objects (`files.list()`, `page.results`, `collection.models`).
    List(ObjectKind),
    /// A dict whose values are objects (`jobs[user] = prediction`).
    Dict(ObjectKind),
    /// An iterator of pages (`replicate.paginate(X.list)`, v2's `page.iter_pages()`).
    Pages(ObjectKind),
    /// A pair whose second item is an object (`return url, prediction`).
    Keyed(ObjectKind),
    /// A list of such pairs (`await asyncio.gather(*(tag(u) for u in urls))`), which `dict()`
    /// makes a `Dict`.
    KeyedList(ObjectKind),
    /// An object, or an instance of the file's own class whose definition starts at this byte
    /// (`Union[LocalJob, Prediction]`, a name bound to either in two branches), or of a class
    /// from elsewhere that a module-level name binds once (`LocalJob = queue.Queue`; the byte is
    /// that binding's). No rule takes it; `isinstance` tells the two apart.
    Mixed(ObjectKind, usize),
    /// A list of such values (`List[Union[LocalJob, Prediction]]`, `[job, LocalJob()]`).
    MixedList(ObjectKind, usize),
}

impl SdkKind {
    /// The name used for this kind in rule files (`on = ["prediction"]`).
    pub fn rule_name(self) -> &'static str {
        match self {
            SdkKind::Module => "module",
            SdkKind::Client => "client",
            SdkKind::Object(o) => o.rule_name(),
            SdkKind::Page(_) => "page",
            SdkKind::List(_) => "list",
            SdkKind::Dict(_) => "dict",
            SdkKind::Pages(_) => "pages",
            SdkKind::Keyed(_) => "keyed",
            SdkKind::KeyedList(_) => "keyed_list",
            SdkKind::Mixed(..) => "mixed",
            SdkKind::MixedList(..) => "mixed_list",
        }
    }

    /// The kind of one element when iterating over a value of this kind.
    pub fn element(self) -> Option<SdkKind> {
        match self {
            SdkKind::Page(o) | SdkKind::List(o) => Some(SdkKind::Object(o)),
            SdkKind::Pages(o) => Some(SdkKind::Page(o)),
            SdkKind::KeyedList(o) => Some(SdkKind::Keyed(o)),
            SdkKind::MixedList(o, class) => Some(SdkKind::Mixed(o, class)),
            SdkKind::Object(ObjectKind::Collection) => Some(SdkKind::Object(ObjectKind::Model)),
            SdkKind::Object(ObjectKind::AsyncOutput) => {
                Some(SdkKind::Object(ObjectKind::AsyncOutput))
            }
            _ => None,
        }
    }
}

impl ObjectKind {
    pub fn rule_name(self) -> &'static str {
        match self {
            ObjectKind::Prediction => "prediction",
            ObjectKind::Training => "training",
            ObjectKind::Model => "model",
            ObjectKind::Version => "version",
            ObjectKind::Deployment => "deployment",
            ObjectKind::File => "file",
            ObjectKind::Collection => "collection",
            ObjectKind::Hardware => "hardware",
            ObjectKind::Account => "account",
            ObjectKind::ApiError => "api_error",
            ObjectKind::ModelError => "model_error",
            ObjectKind::AsyncOutput => "async_output",
        }
    }
}

/// A value of a known kind, and how to reach the client that produced it.
///
/// Ex) after `p = self.client.predictions.get(...)`, `p` is a `Prediction` whose `client` is
/// `self.client`; with the module-level API it is the module's local name (`replicate`, `r`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkValue {
    pub kind: SdkKind,
    /// Source text that names the producing client, when one is known.
    pub client: Option<String>,
    /// The kind rests on an assumption the file cannot prove: a parameter typed from its call
    /// sites or its annotation (another module may pass something else, and rebinding a
    /// parameter does not update the caller's object). Fixes that rely on it are unsafe.
    pub assumed: bool,
    /// Made through a v2-only form (`Replicate(...)`, `AsyncReplicate()`, `bearer_token=`, a v2
    /// annotation), or by the module in a file already on v2. Rules for v1 forms that are also
    /// valid v2 with another meaning (iterating a page) leave such values alone.
    pub v2: bool,
}

/// The keywords v2's client constructor (`Replicate`, `AsyncReplicate`, and `Client`, its alias)
/// takes.
pub const V2_CLIENT_KEYWORDS: [&str; 7] = [
    "bearer_token",
    "base_url",
    "timeout",
    "max_retries",
    "default_headers",
    "default_query",
    "http_client",
];

/// Of those, the ones v1's `Client` rejects (its `**kwargs` go to `httpx.Client`, which takes
/// none of them): a `Client(...)` passing one is v2 code.
pub const V2_ONLY_CLIENT_KEYWORDS: [&str; 5] = [
    "bearer_token",
    "max_retries",
    "default_headers",
    "default_query",
    "http_client",
];

/// What a call on a v1 client (or the module) returns, keyed on the attribute path after the
/// client. `async_*` twins return the same kinds once awaited.
pub fn client_call_result(path: &[String]) -> Option<SdkKind> {
    use ObjectKind::*;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let (last, namespace) = path.split_last()?;
    let method = last.strip_prefix("async_").unwrap_or(last);
    if path == ["async_run"] {
        return Some(SdkKind::Object(AsyncOutput));
    }
    let kind = match (namespace, method) {
        (["predictions"], "create" | "get" | "cancel" | "wait") => SdkKind::Object(Prediction),
        (["predictions"], "list") => SdkKind::Page(Prediction),
        (["models"], "get" | "create") => SdkKind::Object(Model),
        (["models"], "list" | "search") => SdkKind::Page(Model),
        (["models", "predictions"], "create") => SdkKind::Object(Prediction),
        (["models", "versions"], "get") => SdkKind::Object(Version),
        (["models", "versions"], "list") => SdkKind::Page(Version),
        (["trainings"], "create" | "get" | "cancel") => SdkKind::Object(Training),
        (["trainings"], "list") => SdkKind::Page(Training),
        (["deployments"], "get" | "create" | "update") => SdkKind::Object(Deployment),
        (["deployments"], "list") => SdkKind::Page(Deployment),
        (["deployments", "predictions"], "create") => SdkKind::Object(Prediction),
        (["files"], "create" | "get") => SdkKind::Object(File),
        // A plain list in v1 (one page), a page in v2: it needs `.results` like a v1 page.
        (["files"], "list") => SdkKind::Page(File),
        (["collections"], "get") => SdkKind::Object(Collection),
        (["collections"], "list") => SdkKind::Page(Collection),
        (["hardware"], "list") => SdkKind::List(Hardware),
        (["accounts"], "current") => SdkKind::Object(Account),
        _ => return None,
    };
    Some(kind)
}

/// What a call on a v1 object returns, keyed on the object's kind and the path after it.
pub fn object_call_result(kind: SdkKind, path: &[String]) -> Option<SdkKind> {
    use ObjectKind::*;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    match (kind, path.as_slice()) {
        (SdkKind::Dict(o), ["pop" | "get" | "setdefault"]) => Some(SdkKind::Object(o)),
        (SdkKind::Dict(o), ["values"]) => Some(SdkKind::List(o)),
        (SdkKind::Page(o), ["get_next_page"]) => Some(SdkKind::Page(o)),
        (SdkKind::Page(o), ["iter_pages"]) => Some(SdkKind::Pages(o)),
        (SdkKind::Object(Model), ["versions", m]) if m.trim_start_matches("async_") == "get" => {
            Some(SdkKind::Object(Version))
        }
        (SdkKind::Object(Model), ["versions", m]) if m.trim_start_matches("async_") == "list" => {
            Some(SdkKind::Page(Version))
        }
        (SdkKind::Object(Deployment), ["predictions", m])
            if m.trim_start_matches("async_") == "create" =>
        {
            Some(SdkKind::Object(Prediction))
        }
        _ => None,
    }
}

/// What an attribute of a v1 object holds, when it is itself a known kind.
pub fn attribute_kind(kind: SdkKind, attr: &str) -> Option<SdkKind> {
    match (kind, attr) {
        (SdkKind::Page(o), "results") => Some(SdkKind::List(o)),
        (SdkKind::Object(ObjectKind::Collection), "models") => {
            Some(SdkKind::List(ObjectKind::Model))
        }
        (SdkKind::Object(ObjectKind::Model), "latest_version") => {
            Some(SdkKind::Object(ObjectKind::Version))
        }
        // `ModelError.prediction` (E12).
        (SdkKind::Object(ObjectKind::ModelError), "prediction") => {
            Some(SdkKind::Object(ObjectKind::Prediction))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn client_calls_give_the_kind_of_their_namespace_and_method() {
        let call = |p: &[&str]| client_call_result(&path(p));
        assert_eq!(
            call(&["predictions", "create"]),
            Some(SdkKind::Object(ObjectKind::Prediction))
        );
        // `async_*` twins give the same kind once awaited.
        assert_eq!(
            call(&["predictions", "async_get"]),
            Some(SdkKind::Object(ObjectKind::Prediction))
        );
        assert_eq!(
            call(&["models", "list"]),
            Some(SdkKind::Page(ObjectKind::Model))
        );
        assert_eq!(
            call(&["models", "versions", "get"]),
            Some(SdkKind::Object(ObjectKind::Version))
        );
        assert_eq!(
            call(&["deployments", "predictions", "create"]),
            Some(SdkKind::Object(ObjectKind::Prediction))
        );
        assert_eq!(
            call(&["hardware", "list"]),
            Some(SdkKind::List(ObjectKind::Hardware))
        );
        assert_eq!(
            call(&["async_run"]),
            Some(SdkKind::Object(ObjectKind::AsyncOutput))
        );
        // Decoys: a method v1 lacks, a namespace in the wrong place, `run` (its output is no
        // v1 object), and `async_run` below a namespace.
        assert_eq!(call(&["predictions", "delete"]), None);
        assert_eq!(call(&["versions", "get"]), None);
        assert_eq!(call(&["run"]), None);
        assert_eq!(call(&["models", "async_run"]), None);
        assert_eq!(call(&[]), None);
    }

    #[test]
    fn object_calls_follow_pages_dicts_models_and_deployments() {
        let call = |k: SdkKind, p: &[&str]| object_call_result(k, &path(p));
        use ObjectKind::*;
        assert_eq!(
            call(SdkKind::Dict(Prediction), &["get"]),
            Some(SdkKind::Object(Prediction))
        );
        assert_eq!(
            call(SdkKind::Dict(Prediction), &["values"]),
            Some(SdkKind::List(Prediction))
        );
        assert_eq!(
            call(SdkKind::Page(Model), &["get_next_page"]),
            Some(SdkKind::Page(Model))
        );
        assert_eq!(
            call(SdkKind::Page(Model), &["iter_pages"]),
            Some(SdkKind::Pages(Model))
        );
        assert_eq!(
            call(SdkKind::Object(Model), &["versions", "async_list"]),
            Some(SdkKind::Page(Version))
        );
        assert_eq!(
            call(SdkKind::Object(Deployment), &["predictions", "create"]),
            Some(SdkKind::Object(Prediction))
        );
        // Decoys: the same paths on kinds that do not have them.
        assert_eq!(call(SdkKind::List(Prediction), &["get"]), None);
        assert_eq!(
            call(SdkKind::Object(Prediction), &["versions", "get"]),
            None
        );
        assert_eq!(
            call(SdkKind::Object(Model), &["predictions", "create"]),
            None
        );
        assert_eq!(call(SdkKind::Page(Model), &["next_page"]), None);
    }

    #[test]
    fn attributes_and_elements_of_kinds() {
        use ObjectKind::*;
        assert_eq!(
            attribute_kind(SdkKind::Page(Model), "results"),
            Some(SdkKind::List(Model))
        );
        assert_eq!(
            attribute_kind(SdkKind::Object(Collection), "models"),
            Some(SdkKind::List(Model))
        );
        assert_eq!(
            attribute_kind(SdkKind::Object(Model), "latest_version"),
            Some(SdkKind::Object(Version))
        );
        assert_eq!(
            attribute_kind(SdkKind::Object(ModelError), "prediction"),
            Some(SdkKind::Object(Prediction))
        );
        // Decoys: the same attribute names on other kinds.
        assert_eq!(attribute_kind(SdkKind::List(Model), "results"), None);
        assert_eq!(
            attribute_kind(SdkKind::Object(ApiError), "prediction"),
            None
        );
        assert_eq!(
            attribute_kind(SdkKind::Object(Version), "latest_version"),
            None
        );

        assert_eq!(SdkKind::Page(Model).element(), Some(SdkKind::Object(Model)));
        assert_eq!(SdkKind::Pages(File).element(), Some(SdkKind::Page(File)));
        assert_eq!(
            SdkKind::KeyedList(Prediction).element(),
            Some(SdkKind::Keyed(Prediction))
        );
        assert_eq!(
            SdkKind::Object(Collection).element(),
            Some(SdkKind::Object(Model))
        );
        // Decoys: a single object, a dict (iterating gives keys), a client.
        assert_eq!(SdkKind::Object(Prediction).element(), None);
        assert_eq!(SdkKind::Dict(Prediction).element(), None);
        assert_eq!(SdkKind::Client.element(), None);
    }

    #[test]
    fn rule_names_are_the_names_rule_files_use() {
        assert_eq!(
            SdkKind::Object(ObjectKind::ApiError).rule_name(),
            "api_error"
        );
        assert_eq!(SdkKind::Page(ObjectKind::Model).rule_name(), "page");
        assert_eq!(
            SdkKind::KeyedList(ObjectKind::Model).rule_name(),
            "keyed_list"
        );
        assert_eq!(SdkKind::Module.rule_name(), "module");
        assert_eq!(ObjectKind::AsyncOutput.rule_name(), "async_output");
        assert_ne!(SdkKind::List(ObjectKind::Model).rule_name(), "page");
    }
}
