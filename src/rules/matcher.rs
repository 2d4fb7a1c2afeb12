//! Finds every match of every rule in one file, through the semantic model, and builds each
//! match's fix from the rule's actions.

use tree_sitter::{Node, Tree};

use super::load::RuleSet;
use super::schema::{Action, Applicability, ArgRef, Rule};
use super::transforms;
use crate::diagnostic::{Diagnostic, Edit, Fix, ImportNeed};
use crate::parse::Source;
use crate::semantic::{Resolved, SdkKind, SemanticModel};

/// Everything a fix is built from: the file, its model and the matched node.
pub struct Context<'a, 't> {
    pub source: &'t Source,
    pub model: &'a SemanticModel<'t>,
    pub node: Node<'t>,
    pub call: Option<CallInfo<'t>>,
    /// Text of the receiver (`replicate`, `client`, `self.client`, `p`).
    pub receiver: Option<String>,
    /// Text naming the client that produced the receiver object.
    pub client: Option<String>,
    pub imports: Vec<ImportNeed>,
    /// The callee's attribute path after the receiver (`versions.get`), for calls.
    pub path: String,
    /// Set by an action whose edit is right only under an assumption the tool cannot check
    /// (e.g. that a variable holds `"owner/name"`): the fix becomes unsafe.
    pub assumes: bool,
}

impl<'a, 't> Context<'a, 't> {
    /// A context for a node that is not a call and holds no v1 object (imports, references).
    fn bare(source: &'t Source, model: &'a SemanticModel<'t>, node: Node<'t>) -> Self {
        Context {
            source,
            model,
            node,
            call: None,
            receiver: None,
            client: None,
            imports: Vec::new(),
            path: String::new(),
            assumes: false,
        }
    }

    /// A context for a use of a v1 object `held` (a field, subscript, iteration).
    fn held(
        source: &'t Source,
        model: &'a SemanticModel<'t>,
        node: Node<'t>,
        receiver: Option<String>,
        held: &crate::semantic::SdkValue,
    ) -> Self {
        Context {
            receiver,
            client: held.client.clone(),
            assumes: held.assumed,
            ..Context::bare(source, model, node)
        }
    }
}

/// A call's arguments, split the way rules look at them.
pub struct CallInfo<'t> {
    pub call: Node<'t>,
    pub callee: Node<'t>,
    pub args: Node<'t>,
    pub positional: Vec<Node<'t>>,
    /// (name, keyword_argument node, value node)
    pub keywords: Vec<(String, Node<'t>, Node<'t>)>,
    /// Every argument in order (positional, keyword and splats), comments excluded.
    pub all: Vec<Node<'t>>,
    pub unpacking: bool,
}

impl<'t> CallInfo<'t> {
    pub fn new(source: &Source, call: Node<'t>) -> Option<Self> {
        let callee = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        if args.kind() != "argument_list" {
            return None;
        }
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        let mut all = Vec::new();
        let mut unpacking = false;
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.kind() {
                "comment" => continue,
                "keyword_argument" => {
                    let name = arg.child_by_field_name("name")?;
                    let value = arg.child_by_field_name("value")?;
                    keywords.push((source.str(name), arg, value));
                }
                "list_splat" | "dictionary_splat" => unpacking = true,
                _ => positional.push(arg),
            }
            all.push(arg);
        }
        Some(CallInfo {
            call,
            callee,
            args,
            positional,
            keywords,
            all,
            unpacking,
        })
    }

    pub fn keyword(&self, name: &str) -> Option<(Node<'t>, Node<'t>)> {
        self.keywords
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, k, v)| (*k, *v))
    }

    /// The byte range that removes argument `arg` together with one separating comma.
    pub fn removal_range(&self, source: &Source, arg: Node<'t>) -> (usize, usize) {
        let i = self.all.iter().position(|a| *a == arg).unwrap_or(0);
        if let Some(next) = self.all.get(i + 1) {
            (arg.start_byte(), next.start_byte())
        } else if i > 0 {
            (self.all[i - 1].end_byte(), arg.end_byte())
        } else {
            // The only argument: also drop a trailing comma.
            let mut end = arg.end_byte();
            let rest = &source.bytes[end..self.args.end_byte()];
            if let Some(pos) = rest.iter().position(|b| !b.is_ascii_whitespace()) {
                if rest[pos] == b',' {
                    end += pos + 1;
                }
            }
            (arg.start_byte(), end)
        }
    }

    /// Where to insert a new trailing argument, and the text before it.
    pub fn append_point(&self) -> (usize, &'static str) {
        match self.all.last() {
            Some(last) => (last.end_byte(), ", "),
            None => (self.args.start_byte() + 1, ""),
        }
    }
}

/// The content of a plain string literal (no f-string, no bytes, no escapes), with its quotes.
pub struct StringLiteral {
    pub prefix_quote: String,
    pub content: String,
    pub end_quote: String,
}

pub fn string_literal(source: &Source, node: Node) -> Option<StringLiteral> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let end = children.iter().find(|c| c.kind() == "string_end")?;
    if children
        .iter()
        .any(|c| !matches!(c.kind(), "string_start" | "string_end" | "string_content"))
    {
        return None;
    }
    let prefix_quote = source.str(*start);
    if prefix_quote
        .chars()
        .any(|c| matches!(c.to_ascii_lowercase(), 'f' | 'b'))
    {
        return None;
    }
    let content =
        String::from_utf8(source.bytes[start.end_byte()..end.start_byte()].to_vec()).ok()?;
    if content.contains('\\') || content.contains('\n') {
        return None;
    }
    Some(StringLiteral {
        prefix_quote,
        content,
        end_quote: source.str(*end),
    })
}

impl StringLiteral {
    pub fn with_content(&self, content: &str) -> String {
        format!("{}{}{}", self.prefix_quote, content, self.end_quote)
    }
}

/// Runs every rule on one parsed file.
pub fn check_file(source: &Source, tree: &Tree, rules: &RuleSet) -> Vec<Diagnostic> {
    let model = SemanticModel::build(source, tree);
    if !model.imports_sdk {
        return Vec::new();
    }
    let comments = comment_ranges(tree.root_node());
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "call" => {
                check_call(source, &model, rules, node, &comments, &mut out);
                check_builtin_argument(source, &model, rules, node, &comments, &mut out);
            }
            "attribute" => {
                check_reference(source, &model, rules, node, &comments, &mut out);
                check_field(source, &model, rules, node, &comments, &mut out);
            }
            "for_statement" | "for_in_clause" => {
                if let Some(iter) = node.child_by_field_name("right") {
                    check_value_use(
                        source,
                        &model,
                        rules,
                        iter,
                        ValueUse::Iterate,
                        &comments,
                        &mut out,
                    );
                }
            }
            "subscript" => {
                check_subscript(source, &model, rules, node, &comments, &mut out);
                if let Some(value) = node.child_by_field_name("value") {
                    check_value_use(
                        source,
                        &model,
                        rules,
                        value,
                        ValueUse::Index,
                        &comments,
                        &mut out,
                    );
                }
            }
            "import_from_statement" => {
                check_import_from(source, &model, rules, node, &comments, &mut out)
            }
            "import_statement" => check_import(source, &model, rules, node, &comments, &mut out),
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out.retain(|d| !suppressed(source, d.start, &d.code));
    out.sort_by_key(|d| (d.start, d.code.clone()));
    out
}

/// Whether the line where a finding starts carries `# noqa` (every code) or
/// `# noqa: RM321, RM101` (those codes), as ruff reads it.
fn suppressed(source: &Source, offset: usize, code: &str) -> bool {
    let bytes = &source.bytes;
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
    let line = String::from_utf8_lossy(&bytes[start..end]).to_ascii_lowercase();
    let Some(hash) = line.find('#') else {
        return false;
    };
    let comment = &line[hash + 1..];
    let Some(at) = comment.find("noqa") else {
        return false;
    };
    let rest = comment[at + 4..].trim_start();
    match rest.strip_prefix(':') {
        Some(codes) => codes
            .split(|c: char| c == ',' || c.is_whitespace())
            .any(|c| c.trim().eq_ignore_ascii_case(code)),
        None => true,
    }
}

fn comment_ranges(root: Node) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            out.push((node.start_byte(), node.end_byte()));
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    out
}

fn path_matches(spec: &Option<super::schema::OneOrMany>, path: &[String]) -> bool {
    let joined = path.join(".");
    spec.as_ref().is_some_and(|s| s.to_vec().contains(&joined))
}

fn is_statement(call: Node) -> bool {
    let mut node = call;
    if let Some(p) = node.parent() {
        if p.kind() == "await" {
            node = p;
        }
    }
    node.parent()
        .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
}

fn compared_to_none(call: Node) -> bool {
    let mut node = call;
    while let Some(p) = node.parent() {
        if p.kind() == "parenthesized_expression" {
            node = p;
            continue;
        }
        if p.kind() == "comparison_operator" {
            let mut cursor = p.walk();
            let none = p.named_children(&mut cursor).any(|c| c.kind() == "none");
            return none;
        }
        return false;
    }
    false
}

fn is_awaited(call: Node) -> bool {
    call.parent().is_some_and(|p| p.kind() == "await")
}

fn call_conditions(rule: &Rule, source: &Source, model: &SemanticModel, info: &CallInfo) -> bool {
    let m = &rule.matcher;
    if m.input_has_file {
        let has = info
            .keyword("input")
            .is_some_and(|(_, v)| !transforms::file_inputs(source, model, v).is_empty());
        if !has {
            return false;
        }
    }
    if let Some(want) = &m.arg_kind {
        let value = match want.index.and_then(|i| info.positional.get(i)) {
            Some(p) => Some(*p),
            None => want
                .keyword
                .as_deref()
                .and_then(|k| info.keyword(k))
                .map(|(_, v)| v),
        };
        let matches = value.is_some_and(|v| {
            matches!(model.resolve(v), Resolved::Member { value, path, .. }
                if path.is_empty() && value.kind.rule_name() == want.kind)
        });
        if !matches {
            return false;
        }
    }
    if info.unpacking && !m.unpacking && !m.only_unpacking {
        return false;
    }
    if m.only_unpacking && !info.unpacking {
        return false;
    }
    if m.positional_min.is_some_and(|n| info.positional.len() < n) {
        return false;
    }
    if m.positional_max.is_some_and(|n| info.positional.len() > n) {
        return false;
    }
    if !m.has_keyword.iter().all(|k| info.keyword(k).is_some()) {
        return false;
    }
    if m.lacks_keyword.iter().any(|k| info.keyword(k).is_some()) {
        return false;
    }
    for k in &m.literal_keyword {
        match info.keyword(k) {
            Some((_, v)) if string_literal(source, v).is_some() => {}
            _ => return false,
        }
    }
    if let Some(cond) = &m.literal_contains {
        let contains = info
            .keyword(&cond.keyword)
            .and_then(|(_, v)| string_literal(source, v))
            .is_some_and(|l| l.content.contains(&cond.text));
        if !contains {
            return false;
        }
    }
    if let Some(cond) = &m.literal_lacks_suffix {
        let done = info
            .keyword(&cond.keyword)
            .and_then(|(_, v)| string_literal(source, v))
            .is_some_and(|l| l.content.trim_end_matches('/').ends_with(&cond.suffix));
        if done {
            return false;
        }
    }
    for k in &m.nonliteral_keyword {
        match info.keyword(k) {
            Some((_, v)) if string_literal(source, v).is_none() => {}
            _ => return false,
        }
    }
    if let Some(allowed) = &m.keywords_outside {
        if !info
            .keywords
            .iter()
            .any(|(name, _, _)| !allowed.iter().any(|a| a == name))
        {
            return false;
        }
    }
    if m.statement && !is_statement(info.call) {
        return false;
    }
    if m.in_expression && is_statement(info.call) {
        return false;
    }
    if m.not_compared_to_none && compared_to_none(info.call) {
        return false;
    }
    if let Some(awaited) = m.awaited {
        if awaited != is_awaited(info.call) {
            return false;
        }
    }
    true
}

fn check_call<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    call: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(callee) = call.child_by_field_name("function") else {
        return;
    };
    let Some(target) = model.target(callee) else {
        return;
    };
    let kind_name = target.value.kind.rule_name();
    for rule in &rules.rules {
        let m = &rule.matcher;
        if m.call.is_none() || !m.on.iter().any(|o| o == kind_name) {
            continue;
        }
        if !path_matches(&m.call, &target.path) {
            continue;
        }
        let Some(info) = CallInfo::new(source, call) else {
            continue;
        };
        if !call_conditions(rule, source, model, &info) {
            continue;
        }
        let receiver = match target.value.kind {
            SdkKind::Module | SdkKind::Client => target.base.map(|b| source.str(b)),
            _ => target
                .base
                .filter(|b| simple_receiver(*b))
                .map(|b| source.str(b)),
        };
        let client = match target.value.kind {
            SdkKind::Module | SdkKind::Client => receiver.clone(),
            _ => target.value.client.clone(),
        };
        let cx = Context {
            source,
            model,
            node: call,
            call: Some(info),
            receiver,
            client,
            imports: Vec::new(),
            path: target.path.join("."),
            assumes: target.value.assumed,
        };
        out.push(diagnostic(rule, cx, call, comments));
    }
}

fn check_reference<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let (Some(object), Some(attr)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("attribute"),
    ) else {
        return;
    };
    let Resolved::Sdk {
        mut path,
        module_node,
    } = model.resolve(object)
    else {
        return;
    };
    path.push(source.str(attr));
    let resolved = match model.resolve(node) {
        Resolved::Sdk { path, .. } => path,
        _ => path,
    };
    for rule in &rules.rules {
        if rule
            .matcher
            .unless_imported
            .as_deref()
            .is_some_and(|m| imports_module(source, node, m))
        {
            continue;
        }
        if rule.matcher.v1_file_only && model.file_is_v2 {
            continue;
        }
        if rule.matcher.reference.is_none()
            || !path_matches(&rule.matcher.reference, &resolved[1..])
        {
            continue;
        }
        let cx = Context {
            receiver: module_node.map(|n| source.str(n)),
            ..Context::bare(source, model, node)
        };
        out.push(diagnostic(rule, cx, node, comments));
    }
}

/// Whether the file imports `module` at the top level (`import replicate.exceptions [as x]`).
fn imports_module(source: &Source, node: Node, module: &str) -> bool {
    let mut root = node;
    while let Some(p) = root.parent() {
        root = p;
    }
    let mut cursor = root.walk();
    let found = root.named_children(&mut cursor).any(|s| {
        s.kind() == "import_statement" && {
            let mut c = s.walk();
            let any = s.children_by_field_name("name", &mut c).any(|n| {
                let dotted = match n.kind() {
                    "aliased_import" => n.child_by_field_name("name"),
                    _ => Some(n),
                };
                dotted.is_some_and(|d| source.str(d).replace(' ', "") == module)
            });
            any
        }
    });
    found
}

/// Object kinds whose receiver text may be repeated in a fix: a name or attribute chain, never
/// a call (repeating it would send the request twice).
fn simple_receiver(node: Node) -> bool {
    match node.kind() {
        "identifier" => true,
        "attribute" => node
            .child_by_field_name("object")
            .is_some_and(simple_receiver),
        _ => false,
    }
}

/// `x[...]`, or `x.split(...)` and other methods only `str` has.
fn used_as_string(source: &Source, node: Node) -> bool {
    const STR_METHODS: &[&str] = &[
        "split",
        "rsplit",
        "startswith",
        "endswith",
        "replace",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "encode",
        "find",
        "rfind",
        "partition",
        "rpartition",
        "zfill",
    ];
    node.parent().is_some_and(|p| match p.kind() {
        "subscript" => p.child_by_field_name("value") == Some(node),
        "attribute" => {
            p.child_by_field_name("object") == Some(node)
                && p.child_by_field_name("attribute")
                    .is_some_and(|a| STR_METHODS.contains(&source.str(a).as_str()))
        }
        _ => false,
    })
}

fn check_field<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let (Some(object), Some(attr)) = (
        node.child_by_field_name("object"),
        node.child_by_field_name("attribute"),
    ) else {
        return;
    };
    // A call of the attribute is a method, handled by `call` rules; an assignment target is
    // the user's own.
    if node.parent().is_some_and(|p| {
        (p.kind() == "call" && p.child_by_field_name("function") == Some(node))
            || (p.kind() == "assignment" && p.child_by_field_name("left") == Some(node))
    }) {
        return;
    }
    let Some(held) = model.value(object) else {
        return;
    };
    let attr = source.str(attr);
    let kind_name = held.kind.rule_name();
    for rule in &rules.rules {
        let m = &rule.matcher;
        if m.field.is_none()
            || !m.on.iter().any(|o| o == kind_name)
            || !path_matches(&m.field, std::slice::from_ref(&attr))
            || (m.string_use && !used_as_string(source, node))
        {
            continue;
        }
        let cx = Context::held(
            source,
            model,
            node,
            simple_receiver(object).then(|| source.str(object)),
            &held,
        );
        out.push(diagnostic(rule, cx, node, comments));
    }
}

/// How a v1 value is used, for the rules that match uses rather than calls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueUse {
    Iterate,
    Index,
    Argument,
}

fn check_builtin_argument<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    call: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(callee) = call.child_by_field_name("function") else {
        return;
    };
    if callee.kind() != "identifier" || !model.is_unbound(callee) {
        return;
    }
    let Some(info) = CallInfo::new(source, call) else {
        return;
    };
    if info.all.len() != 1 || info.positional.len() != 1 {
        return;
    }
    let name = source.str(callee);
    let wanted = rules.rules.iter().any(|r| {
        r.matcher
            .argument_of
            .as_ref()
            .is_some_and(|a| a.to_vec().contains(&name))
    });
    if wanted {
        let arg = info.positional[0];
        check_value_use_named(
            source,
            model,
            rules,
            arg,
            ValueUse::Argument,
            Some(&name),
            comments,
            out,
        );
    }
}

fn check_value_use<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    usage: ValueUse,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    check_value_use_named(source, model, rules, node, usage, None, comments, out);
}

#[allow(clippy::too_many_arguments)]
fn check_value_use_named<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    usage: ValueUse,
    builtin: Option<&str>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(held) = model.value(node) else {
        return;
    };
    let kind_name = held.kind.rule_name();
    for rule in &rules.rules {
        let m = &rule.matcher;
        let uses = match usage {
            ValueUse::Iterate => m.iterate,
            ValueUse::Index => m.index,
            ValueUse::Argument => m
                .argument_of
                .as_ref()
                .is_some_and(|a| builtin.is_some_and(|b| a.to_vec().iter().any(|x| x == b))),
        };
        if !uses || !m.on.iter().any(|o| o == kind_name) || (m.v1_only && held.v2) {
            continue;
        }
        let cx = Context::held(source, model, node, Some(source.str(node)), &held);
        out.push(diagnostic(rule, cx, node, comments));
    }
}

fn check_subscript<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(value) = node.child_by_field_name("value") else {
        return;
    };
    if value.kind() != "attribute" {
        return;
    }
    let (Some(object), Some(attr)) = (
        value.child_by_field_name("object"),
        value.child_by_field_name("attribute"),
    ) else {
        return;
    };
    let Some(held) = model.value(object) else {
        return;
    };
    let attr = source.str(attr);
    let kind_name = held.kind.rule_name();
    for rule in &rules.rules {
        let m = &rule.matcher;
        if m.subscript.is_none()
            || !m.on.iter().any(|o| o == kind_name)
            || !path_matches(&m.subscript, std::slice::from_ref(&attr))
        {
            continue;
        }
        let cx = Context::held(
            source,
            model,
            node,
            simple_receiver(object).then(|| source.str(object)),
            &held,
        );
        out.push(diagnostic(rule, cx, node, comments));
    }
}

fn check_import_from<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(module) = node
        .child_by_field_name("module_name")
        .filter(|m| m.kind() == "dotted_name")
    else {
        return;
    };
    let module = source.str(module).replace(' ', "");
    if module != "replicate" && !module.starts_with("replicate.") {
        return;
    }
    let mut cursor = node.walk();
    let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
    for name_node in names {
        let name = match name_node.kind() {
            "aliased_import" => name_node.child_by_field_name("name"),
            _ => Some(name_node),
        };
        let Some(name) = name else { continue };
        let mut path: Vec<String> = module.split('.').map(str::to_string).collect();
        path.push(source.str(name));
        let v1 = if path.len() == 3 && path[1] == "client" && path[2] == "Client" {
            "Client".to_string()
        } else {
            path[1..].join(".")
        };
        for rule in &rules.rules {
            let Some(spec) = &rule.matcher.import else {
                continue;
            };
            if rule.matcher.v1_file_only && model.file_is_v2 {
                continue;
            }
            if !spec.to_vec().contains(&v1) {
                continue;
            }
            let cx = Context::bare(source, model, name_node);
            out.push(diagnostic(rule, cx, name_node, comments));
        }
    }
}

fn check_import<'t>(
    source: &'t Source,
    model: &SemanticModel<'t>,
    rules: &RuleSet,
    node: Node<'t>,
    comments: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let mut cursor = node.walk();
    let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
    for name_node in names {
        let dotted = match name_node.kind() {
            "aliased_import" => name_node.child_by_field_name("name"),
            _ => Some(name_node),
        };
        let Some(dotted) = dotted else { continue };
        let module = source.str(dotted).replace(' ', "");
        for rule in &rules.rules {
            let Some(spec) = &rule.matcher.import_module else {
                continue;
            };
            if !spec.to_vec().contains(&module) {
                continue;
            }
            let cx = Context::bare(source, model, name_node);
            out.push(diagnostic(rule, cx, name_node, comments));
        }
    }
}

fn diagnostic(rule: &Rule, mut cx: Context, node: Node, comments: &[(usize, usize)]) -> Diagnostic {
    let (fix, help) = match &rule.fix {
        Some(spec) => match build_edits(&mut cx, &spec.actions) {
            Ok(edits) if !edits.is_empty() => {
                let mut applicability = spec.applicability;
                // A fix that replaces a comment drops to unsafe, as in ruff.
                let touches_comment = edits.iter().any(|e| {
                    e.end > e.start && comments.iter().any(|(s, en)| *s < e.end && *en > e.start)
                });
                if (touches_comment || cx.assumes) && applicability == Applicability::Safe {
                    applicability = Applicability::Unsafe;
                }
                let mut imports = std::mem::take(&mut cx.imports);
                imports.sort();
                imports.dedup();
                (
                    Some(Fix {
                        title: spec.title.clone(),
                        applicability,
                        edits,
                        imports,
                        defer_while_unfixed: spec.defer_while_unfixed,
                    }),
                    None,
                )
            }
            Ok(_) => (None, rule.docs.manual.clone()),
            Err(reason) => (
                None,
                Some(match &rule.docs.manual {
                    Some(manual) => format!("{reason}; {manual}"),
                    None => reason,
                }),
            ),
        },
        None => (None, rule.docs.manual.clone()),
    };
    Diagnostic {
        code: rule.code.clone(),
        name: rule.name.clone(),
        message: rule.message.clone(),
        severity: rule.severity,
        start: node.start_byte(),
        end: node.end_byte(),
        fix,
        help,
        url: Some(rule.docs.guide.clone()),
    }
}

fn build_edits(cx: &mut Context, actions: &[Action]) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    for action in actions {
        edits.extend(apply_action(cx, action)?);
    }
    edits.sort_by_key(|e| (e.start, e.end));
    // Two argument removals may share a separator; merge overlapping deletions.
    let mut merged: Vec<Edit> = Vec::new();
    for edit in edits {
        match merged.last_mut() {
            Some(last)
                if last.content.is_empty() && edit.content.is_empty() && edit.start < last.end =>
            {
                last.end = last.end.max(edit.end);
            }
            _ => merged.push(edit),
        }
    }
    // A merged deletion that now ends the argument list takes the comma before it too.
    let bytes = &cx.source.bytes;
    for i in 0..merged.len() {
        if !merged[i].content.is_empty() || merged[i].start == merged[i].end {
            continue;
        }
        let after = bytes[merged[i].end..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if after != Some(&b')') {
            continue;
        }
        let floor = if i > 0 { merged[i - 1].end } else { 0 };
        let mut start = merged[i].start;
        while start > floor && bytes[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        if start > floor && bytes[start - 1] == b',' {
            merged[i].start = start - 1;
        }
    }
    let edits = merged;
    for pair in edits.windows(2) {
        if pair[0].end > pair[1].start {
            return Err("internal: the rule's actions overlap".into());
        }
    }
    Ok(edits)
}

fn call<'a, 't>(cx: &'a Context<'_, 't>) -> Result<&'a CallInfo<'t>, String> {
    cx.call
        .as_ref()
        .ok_or_else(|| "internal: this action needs a call".to_string())
}

fn apply_action(cx: &mut Context, action: &Action) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    match action {
        Action::KeywordForPositional { index, name } => {
            let info = call(cx)?;
            Ok(info
                .positional
                .get(*index)
                .map(|arg| {
                    // `f(x := v)` must become `f(name=(x := v))`: a bare walrus is not a keyword value.
                    if arg.kind() == "named_expression" {
                        vec![Edit::replace(
                            arg.start_byte(),
                            arg.end_byte(),
                            format!("{name}=({})", source.str(*arg)),
                        )]
                    } else {
                        vec![Edit::insert(arg.start_byte(), format!("{name}="))]
                    }
                })
                .unwrap_or_default())
        }
        Action::RenameKeyword { from, to } => {
            let info = call(cx)?;
            Ok(match info.keyword(from) {
                Some((kw, _)) => {
                    if info.keyword(to).is_some() {
                        return Err(format!("both `{from}=` and `{to}=` are given"));
                    }
                    let name = kw.child_by_field_name("name").expect("keyword has a name");
                    vec![Edit::replace(
                        name.start_byte(),
                        name.end_byte(),
                        to.clone(),
                    )]
                }
                None => vec![],
            })
        }
        Action::AddKeyword { name, value } => {
            let info = call(cx)?;
            if info.keyword(name).is_some() {
                return Ok(vec![]);
            }
            let (at, sep) = info.append_point();
            Ok(vec![Edit::insert(at, format!("{sep}{name}={value}"))])
        }
        Action::RemoveKeyword { name } => {
            let info = call(cx)?;
            Ok(match info.keyword(name) {
                Some((kw, _)) => {
                    let (s, e) = info.removal_range(source, kw);
                    vec![Edit::delete(s, e)]
                }
                None => vec![],
            })
        }
        Action::RenameMethod { to } => {
            let callee = call(cx)?.callee;
            let attr = callee
                .child_by_field_name("attribute")
                .ok_or("internal: the callee is not a method")?;
            Ok(vec![Edit::replace(
                attr.start_byte(),
                attr.end_byte(),
                to.clone(),
            )])
        }
        Action::ReplaceCallee { template } => {
            let callee = call(cx)?.callee;
            let text = expand(cx, template, None)?;
            Ok(vec![Edit::replace(
                callee.start_byte(),
                callee.end_byte(),
                text,
            )])
        }
        Action::ReplaceNode { template } => {
            let node = cx.node;
            let text = expand(cx, template, None)?;
            if text.contains(['"', '\'']) && inside_fstring(node) {
                return Err("the expression is inside an f-string; rewrite it by hand".into());
            }
            Ok(vec![Edit::replace(
                node.start_byte(),
                node.end_byte(),
                text,
            )])
        }
        Action::ReplaceArg { index, template } => {
            let Some(arg) = call(cx)?.positional.get(*index).copied() else {
                return Ok(vec![]);
            };
            let value = source.str(arg);
            let text = expand(cx, template, Some(&value))?;
            Ok(vec![Edit::replace(arg.start_byte(), arg.end_byte(), text)])
        }
        Action::ReplaceStatement { template } => {
            let mut node = cx.node;
            if let Some(p) = node.parent().filter(|p| p.kind() == "await") {
                node = p;
            }
            let statement = node
                .parent()
                .filter(|p| p.kind() == "expression_statement")
                .ok_or("the call is not a statement of its own")?;
            // Rebinding a name that is global or from an enclosing function would make it local
            // to this one, and the read of `.id` an UnboundLocalError.
            if let Some(object) = cx
                .call
                .as_ref()
                .and_then(|c| c.callee.child_by_field_name("object"))
            {
                if object.kind() == "identifier" && !cx.model.is_local(object) {
                    return Err(format!(
                        "`{}` is not assigned in this function, so it cannot be rebound here",
                        source.str(object)
                    ));
                }
            }
            let text = expand(cx, template, None)?;
            Ok(vec![Edit::replace(
                statement.start_byte(),
                statement.end_byte(),
                text,
            )])
        }
        Action::SplitReference { arg, into } => split_reference(cx, arg, into),
        Action::LiteralSuffix { keyword, suffix } => {
            let info = call(cx)?;
            let Some((_, value)) = info.keyword(keyword) else {
                return Ok(vec![]);
            };
            let literal = string_literal(source, value)
                .ok_or_else(|| format!("`{keyword}=` is not a plain string literal"))?;
            if literal.content.is_empty() {
                return Err(format!(
                    "an empty `{keyword}=` meant the default in v1; remove the argument"
                ));
            }
            let content = literal.content.trim_end_matches('/');
            Ok(vec![Edit::replace(
                value.start_byte(),
                value.end_byte(),
                literal.with_content(&format!("{content}{suffix}")),
            )])
        }
        Action::LiteralBasename { keyword } => {
            let info = call(cx)?;
            let Some((_, value)) = info.keyword(keyword) else {
                return Ok(vec![]);
            };
            let literal = string_literal(source, value)
                .ok_or_else(|| format!("`{keyword}=` is not a plain string literal"))?;
            let Some((_, base)) = literal.content.rsplit_once('/') else {
                return Ok(vec![]);
            };
            Ok(vec![Edit::replace(
                value.start_byte(),
                value.end_byte(),
                literal.with_content(base),
            )])
        }
        Action::WrapKeyword { name, template } => {
            let info = call(cx)?;
            let Some((_, value)) = info.keyword(name) else {
                return Ok(vec![]);
            };
            let value_text = source.str(value);
            let (start, end) = (value.start_byte(), value.end_byte());
            let text = expand(cx, template, Some(&value_text))?;
            Ok(vec![Edit::replace(start, end, text)])
        }
        Action::RenameImport { to } => transforms::rename_import(cx, to),
        Action::RenameImportedName { to } => transforms::rename_imported_name(cx, to),
        Action::RewriteFromImport { module, name } => {
            transforms::rewrite_from_import(cx, module, name)
        }
        Action::ReplaceImportModule { with } => transforms::replace_import_module(cx, with),
        Action::Transform { name } => transforms::run(cx, name),
        Action::CallHelper { helper } => {
            let callee = call(cx)?.callee;
            cx.imports.push(ImportNeed::Helper(helper.clone()));
            Ok(vec![Edit::replace(
                callee.start_byte(),
                callee.end_byte(),
                helper.clone(),
            )])
        }
        Action::DropImportIfOnly { only } => transforms::drop_import_if_only(cx, only),
        Action::AddModuleImport { module } => {
            cx.imports.push(ImportNeed::Module(module.clone()));
            // An empty edit at the reference carries the import and marks the fix's place.
            Ok(vec![Edit::insert(cx.node.start_byte(), "")])
        }
        Action::InsertArguments { text } => {
            let info = call(cx)?;
            let at = info.args.start_byte() + 1;
            // Before a line break, no trailing space.
            let breaks = matches!(source.bytes.get(at), Some(b'\n' | b'\r'));
            let sep = match (info.all.is_empty(), breaks) {
                (true, _) => "",
                (false, true) => ",",
                (false, false) => ", ",
            };
            let text = expand(cx, text, None)?;
            Ok(vec![Edit::insert(at, format!("{text}{sep}"))])
        }
        Action::VersionObjectId { arg } => {
            let info = call(cx)?;
            let value = match arg.index.and_then(|i| info.positional.get(i)) {
                Some(p) => *p,
                None => match arg.keyword.as_deref().and_then(|k| info.keyword(k)) {
                    Some((_, v)) => v,
                    None => return Ok(vec![]),
                },
            };
            let is_version = matches!(
                cx.model.resolve(value),
                Resolved::Member { value: held, path, .. }
                    if path.is_empty() && held.kind == SdkKind::Object(crate::semantic::ObjectKind::Version)
            );
            if !is_version {
                return Ok(vec![]);
            }
            if !simple_receiver(value) {
                return Err(format!(
                    "assign `{}` to a variable first",
                    source.str(value)
                ));
            }
            Ok(vec![Edit::insert(value.end_byte(), ".id")])
        }
    }
}

fn inside_fstring(node: Node) -> bool {
    let mut p = node.parent();
    while let Some(n) = p {
        if n.kind() == "interpolation" {
            return true;
        }
        p = n.parent();
    }
    false
}

fn split_reference(cx: &mut Context, arg: &ArgRef, into: &[String]) -> Result<Vec<Edit>, String> {
    let source = cx.source;
    let info = call(cx)?;
    let (replace_node, value) = match arg.index.and_then(|i| info.positional.get(i)) {
        Some(p) => (*p, *p),
        None => match arg.keyword.as_deref().and_then(|k| info.keyword(k)) {
            Some((kw, v)) => (kw, v),
            None => return Ok(vec![]),
        },
    };
    let shown = source.str(value);
    // A v1 `Model` or `Deployment` object: its own fields, not a string split.
    if let Resolved::Member {
        value: held, path, ..
    } = cx.model.resolve(value)
    {
        use crate::semantic::ObjectKind;
        let object = matches!(
            held.kind,
            SdkKind::Object(ObjectKind::Model | ObjectKind::Deployment)
        );
        if path.is_empty() && object && into.len() == 2 {
            if !simple_receiver(value) {
                return Err(format!("assign `{shown}` to a variable first"));
            }
            cx.assumes |= held.assumed;
            return Ok(vec![Edit::replace(
                replace_node.start_byte(),
                replace_node.end_byte(),
                format!("{}={shown}.owner, {}={shown}.name", into[0], into[1]),
            )]);
        }
    }
    // A `("owner", "name")` tuple of literals.
    if value.kind() == "tuple" && into.len() == 2 {
        let mut cursor = value.walk();
        let items: Vec<Node> = value.named_children(&mut cursor).collect();
        if items.len() == 2 && items.iter().all(|i| string_literal(source, *i).is_some()) {
            return Ok(vec![Edit::replace(
                replace_node.start_byte(),
                replace_node.end_byte(),
                format!(
                    "{}={}, {}={}",
                    into[0],
                    source.str(items[0]),
                    into[1],
                    source.str(items[1])
                ),
            )]);
        }
    }
    if let Some(parts) = fstring_parts(source, value, into.len()) {
        // `f"{owner}/{name}"`: each part is already an expression of its own.
        let text = into
            .iter()
            .zip(parts)
            .map(|(name, part)| format!("{name}={part}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Ok(vec![Edit::replace(
            replace_node.start_byte(),
            replace_node.end_byte(),
            text,
        )]);
    }
    if string_literal(source, value).is_none() && simple_receiver(value) {
        // Split at run time; the name is evaluated more than once, which is harmless for a name.
        let parts: Vec<String> = match into.len() {
            2 => vec![
                format!("{shown}.split(\"/\", 1)[0]"),
                format!("{shown}.split(\"/\", 1)[1]"),
            ],
            _ => vec![
                format!("{shown}.split(\"/\", 1)[0]"),
                format!("{shown}.split(\"/\", 1)[1].split(\":\", 1)[0]"),
                format!("{shown}.split(\":\", 1)[1]"),
            ],
        };
        // A module constant bound once to a literal of the right shape needs no assumption.
        let known = value.kind() == "identifier"
            && cx.model.assigned_values(value).is_some_and(|values| {
                matches!(values.as_slice(), [v] if string_literal(source, *v)
                    .is_some_and(|l| split_model_ref(&l.content, into.len()).is_some()))
            });
        cx.assumes |= !known;
        let text = into
            .iter()
            .zip(parts)
            .map(|(name, part)| format!("{name}={part}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Ok(vec![Edit::replace(
            replace_node.start_byte(),
            replace_node.end_byte(),
            text,
        )]);
    }
    let literal = string_literal(source, value).ok_or_else(|| {
        format!(
            "`{shown}` is not a string literal, so it cannot be split into {}",
            into.join(", ")
        )
    })?;
    let parts = split_model_ref(&literal.content, into.len())
        .ok_or_else(|| format!("`{shown}` is not of the form {}", ref_shape(into.len())))?;
    let text = into
        .iter()
        .zip(parts)
        .map(|(name, part)| format!("{name}={}", literal.with_content(part)))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(vec![Edit::replace(
        replace_node.start_byte(),
        replace_node.end_byte(),
        text,
    )])
}

/// Splits `f"{owner}/{name}"` (or `f"acme/{name}"`, `f"{o}/{n}:{v}"`) into one expression per
/// part, when every part is a whole interpolation of a plain name or attribute, or plain text.
fn fstring_parts(source: &Source, node: Node, parts: usize) -> Option<Vec<String>> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let prefix = source.str(*start);
    if !prefix.to_ascii_lowercase().contains('f') || prefix.to_ascii_lowercase().contains('b') {
        return None;
    }
    let quote = prefix.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    // Tokens: text runs and interpolated expressions, in order.
    enum Tok {
        Text(String),
        Expr(String),
    }
    let mut toks = Vec::new();
    for child in &children {
        match child.kind() {
            "string_start" | "string_end" => {}
            "string_content" => {
                let text = source.str(*child);
                if text.contains(['\\', '{', '}']) {
                    return None;
                }
                toks.push(Tok::Text(text));
            }
            "interpolation" => {
                let expr = child.child_by_field_name("expression")?;
                let simple = child.named_child_count() == 1 && simple_receiver(expr);
                if !simple {
                    return None;
                }
                toks.push(Tok::Expr(source.str(expr)));
            }
            _ => return None,
        }
    }
    // Cut at the separators: `/` then (for three parts) `:`.
    let separators: &[char] = if parts == 3 { &['/', ':'] } else { &['/'] };
    let mut segments: Vec<Vec<Tok>> = vec![Vec::new()];
    let mut next_sep = 0;
    for tok in toks {
        match tok {
            Tok::Expr(e) => segments.last_mut()?.push(Tok::Expr(e)),
            Tok::Text(text) => {
                let mut rest = text.as_str();
                while next_sep < separators.len() {
                    let Some(i) = rest.find(separators[next_sep]) else {
                        break;
                    };
                    if i > 0 {
                        segments.last_mut()?.push(Tok::Text(rest[..i].to_string()));
                    }
                    segments.push(Vec::new());
                    rest = &rest[i + 1..];
                    next_sep += 1;
                }
                if !rest.is_empty() {
                    segments.last_mut()?.push(Tok::Text(rest.to_string()));
                }
            }
        }
    }
    if segments.len() != parts {
        return None;
    }
    segments
        .into_iter()
        .map(|segment| match segment.as_slice() {
            [Tok::Expr(e)] => Some(e.clone()),
            [Tok::Text(t)] if !t.is_empty() && !t.contains(['/', ':', '"', '\'']) => {
                Some(format!("{quote}{t}{quote}"))
            }
            _ => None,
        })
        .collect()
}

fn ref_shape(parts: usize) -> &'static str {
    if parts == 3 {
        "\"owner/name:version\""
    } else {
        "\"owner/name\""
    }
}

/// Splits `owner/name` (2 parts) or `owner/name:version` (3 parts). Anything else is malformed.
pub fn split_model_ref(text: &str, parts: usize) -> Option<Vec<&str>> {
    let (owner, rest) = text.split_once('/')?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !valid(owner) {
        return None;
    }
    match parts {
        2 => valid(rest).then(|| vec![owner, rest]),
        3 => {
            let (name, version) = rest.split_once(':')?;
            (valid(name) && valid(version)).then(|| vec![owner, name, version])
        }
        _ => None,
    }
}

/// Expands a template's placeholders. `{symbol:NAME}` names a v2 symbol (`Replicate`), or a
/// standard-library attribute (`json.dumps`), adding the import the file lacks.
pub fn expand(cx: &mut Context, template: &str, value: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    for part in template_parts(template)? {
        let placeholder = match part {
            TemplatePart::Text(text) => {
                out.push_str(&text);
                continue;
            }
            TemplatePart::Placeholder(p) => p,
        };
        let placeholder = placeholder.as_str();
        let text = match placeholder {
            "receiver" => cx.receiver.clone().ok_or(
                "the fix must name the receiver, which here is a call or comes from `from replicate import ...`; assign it to a variable or use `import replicate`",
            )?,
            "node" => cx.source.str(cx.node),
            "path" => cx.path.clone(),
            // `predictions.async_get` → `predictions.get`
            "sync_path" => match cx.path.rsplit_once('.') {
                Some((ns, last)) => format!("{ns}.{}", last.trim_start_matches("async_")),
                None => cx.path.trim_start_matches("async_").to_string(),
            },
            "async_client" => {
                let client = cx
                    .client
                    .clone()
                    .ok_or("cannot tell which client made this object")?;
                if !cx.model.is_module_name(&client, cx.node) {
                    return Err(format!(
                        "the object came from `{client}`; create an `AsyncReplicate` with the same settings and use it"
                    ));
                }
                format!("{client}.AsyncReplicate()")
            }
            "client" => {
                let client = cx.client.clone().ok_or(
                    "cannot tell which client made this object; rewrite it with the client that created it",
                )?;
                if !cx.model.client_reachable(&client, cx.node) {
                    return Err(format!(
                        "the client that made this object (`{client}`) is not in scope here"
                    ));
                }
                client
            }
            "module" => cx
                .model
                .module_alias_in_scope(cx.node)
                .ok_or("`replicate` is not imported as a module here")?,
            "value" => value
                .ok_or("internal: `{value}` outside a keyword")?
                .to_string(),
            "args" => {
                let info = call(cx)?;
                let args = info.args;
                let inner = &cx.source.bytes[args.start_byte() + 1..args.end_byte() - 1];
                String::from_utf8_lossy(inner).into_owned()
            }
            p if p.starts_with("symbol:") => symbol(cx, &p["symbol:".len()..])?,
            p if p.starts_with("arg:") => {
                let i: usize = p[4..]
                    .parse()
                    .map_err(|_| format!("bad placeholder `{p}`"))?;
                let node = *call(cx)?
                    .positional
                    .get(i)
                    .ok_or_else(|| format!("missing positional argument {i}"))?;
                cx.source.str(node)
            }
            p if p.starts_with("kw:") => {
                let name = &p[3..];
                let (_, node) = call(cx)?
                    .keyword(name)
                    .ok_or_else(|| format!("missing keyword `{name}=`"))?;
                cx.source.str(node)
            }
            other => return Err(format!("internal: unknown placeholder `{other}`")),
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// A template split into text and `{placeholder}`s; `{{` and `}}` stand for braces.
pub enum TemplatePart {
    Text(String),
    Placeholder(String),
}

pub fn template_parts(template: &str) -> Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("unclosed `{{` in template `{template}`")),
                    }
                }
                parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                parts.push(TemplatePart::Placeholder(name));
            }
            '}' => return Err(format!("lone `}}` in template `{template}`; write `}}}}`")),
            c => text.push(c),
        }
    }
    parts.push(TemplatePart::Text(text));
    Ok(parts)
}

/// How to name `name` at the matched node, recording an import when the file lacks one.
pub fn symbol(cx: &mut Context, name: &str) -> Result<String, String> {
    if let Some((module, _)) = name.split_once('.') {
        // A standard-library attribute such as `json.dumps` or `pathlib.Path`.
        if cx.model.symbol_in_scope(cx.node, &[module]).as_deref() == Some(module) {
            return Ok(name.to_string());
        }
        if cx.model.is_bound_at_module(module) {
            return Err(format!("`{module}` names something else in this file"));
        }
        cx.imports.push(ImportNeed::Module(module.to_string()));
        return Ok(name.to_string());
    }
    if let Some(local) = cx.model.symbol_in_scope(cx.node, &["replicate", name]) {
        return Ok(local);
    }
    if let Some(module) = cx.model.module_alias_in_scope(cx.node) {
        return Ok(format!("{module}.{name}"));
    }
    if cx.model.is_bound_at_module(name) {
        return Err(format!("`{name}` names something else in this file"));
    }
    cx.imports.push(ImportNeed::FromReplicate(name.to_string()));
    Ok(name.to_string())
}
