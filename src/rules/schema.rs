//! The rule file format: one `[[rule]]` table per rule in `rules/<area>.toml`.

use serde::Deserialize;

pub use crate::diagnostic::{Applicability, Severity};

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn contains(&self, item: &str) -> bool {
        match self {
            OneOrMany::One(s) => s == item,
            OneOrMany::Many(v) => v.iter().any(|s| s == item),
        }
    }

    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(rename = "rule", default)]
    pub rules: Vec<Rule>,
    #[serde(rename = "family", default)]
    pub families: Vec<Family>,
}

/// Rules of one shape written once: each template in `rule` is expanded once per row of
/// `rows`, with `${key}` in its strings replaced by the row's `key` (a whole-string `${key}`
/// may take an array, such as `mapping`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// What the members have in common.
    pub doc: String,
    pub rows: Vec<toml::Table>,
    #[serde(rename = "rule")]
    pub templates: Vec<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable code, `RM` and three digits; the hundreds digit names the area.
    pub code: String,
    /// Kebab-case name of the v1 pattern flagged.
    pub name: String,
    /// Rows of `api-mapping.md` this rule implements.
    pub mapping: Vec<String>,
    pub severity: Severity,
    /// One line, in v2 terms.
    pub message: String,
    #[serde(rename = "match")]
    pub matcher: Match,
    pub fix: Option<FixSpec>,
    pub docs: Docs,
}

/// What a rule matches. Exactly one trigger (`call`, `reference`, `import`, `import_module`,
/// `subscript`, `membership`, `field`, `except`, `isinstance`, `iterate`, `index`, `argument_of`) is set. Names are resolved through the semantic model, never by spelling.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Match {
    /// Callee path after the receiver, e.g. `predictions.get` or `wait`.
    pub call: Option<OneOrMany>,
    /// An attribute path of the module, e.g. `default_client` (any context, not only calls).
    pub reference: Option<OneOrMany>,
    /// A name imported with `from replicate[...] import NAME`, as its v1 path (`Client`).
    pub import: Option<OneOrMany>,
    /// A module imported with `import NAME`, e.g. `replicate.client`.
    pub import_module: Option<OneOrMany>,
    /// `receiver.ATTR[...]` with a string key, e.g. `urls`.
    pub subscript: Option<OneOrMany>,
    /// `KEY in receiver.ATTR` (or `not in`), also through a name every reaching assignment of
    /// which binds `receiver.ATTR`, e.g. `metrics`.
    pub membership: Option<OneOrMany>,
    /// `receiver.ATTR` read as a field of a v1 object, e.g. `id` on a model.
    pub field: Option<OneOrMany>,
    /// An exception class an `except` clause catches (alone or in a tuple), by the dotted path
    /// the file's imports give it (any module), e.g. `httpx.TimeoutException`.
    pub except: Option<OneOrMany>,
    /// With `except`: only where the `try` block calls the SDK.
    #[serde(default)]
    pub around_sdk_call: bool,
    /// With `except`: only where the `try` block builds a v1 client (`replicate.Client(...)`),
    /// which v2 makes raise its root `ReplicateError` when no token is set.
    #[serde(default)]
    pub try_builds_client: bool,
    /// An `isinstance(value, C)` check whose class (or a class of its tuple) is this SDK name,
    /// as a path after `replicate.` (`helpers.FileOutput`); `on` is the value's kind.
    pub isinstance: Option<OneOrMany>,
    /// With `isinstance`: a check that already names this v2 class (`AsyncFileOutput`) is left
    /// alone.
    pub completed_by: Option<String>,
    /// With `field`: only where the field is used as a string (sliced, indexed, or a `str`
    /// method called on it), which breaks when v2 returns another type.
    #[serde(default)]
    pub string_use: bool,
    /// With `field`: only where the field's text matters (`json.dump(s)`, a format spec, `+` or
    /// a comparison with a string, a string parser, `len`), directly or through a local name or
    /// a dict or list literal; see `used_as_text`.
    #[serde(default)]
    pub text_use: bool,
    /// With `field`: only where an attribute of the field's value is read or called
    /// (`model.default_example.output`), which breaks when v2 returns a plain dict.
    #[serde(default)]
    pub attribute_use: bool,
    /// With `reference` or `field`: only where the attribute is assigned to
    /// (`replicate.default_client.api_token = token`); `field` rules without it skip assignments.
    #[serde(default)]
    pub assigned: bool,
    /// With `reference`: only where the name is not called (`raise X(...)` constructs it).
    #[serde(default)]
    pub not_called: bool,
    /// A value iterated by `for` or a comprehension (`for x in page`).
    #[serde(default)]
    pub iterate: bool,
    /// Skip files that already use v2-only names (`Replicate`, `replicate.types`): for v1 names
    /// that v2 kept with another meaning (`ReplicateError`).
    #[serde(default)]
    pub v1_file_only: bool,
    /// Skip values made through v2 forms (see `SdkValue::v2`): for v1 code that is valid v2
    /// code with another meaning, such as iterating a page.
    #[serde(default)]
    pub v1_only: bool,
    /// A value indexed or sliced (`page[0]`, `collection[1:]`).
    #[serde(default)]
    pub index: bool,
    /// The only argument of a call to one of these builtins (`len(page)`).
    pub argument_of: Option<OneOrMany>,
    /// Which kinds of receiver the call or subscript applies to: `module`, `client`,
    /// `prediction`, `training`, `model`, `deployment`, `file`, `collection`, `page`, ...
    #[serde(default)]
    pub on: Vec<String>,
    pub positional_min: Option<usize>,
    pub positional_max: Option<usize>,
    #[serde(default)]
    pub has_keyword: Vec<String>,
    #[serde(default)]
    pub lacks_keyword: Vec<String>,
    /// Keywords whose value must be a plain string literal.
    #[serde(default)]
    pub literal_keyword: Vec<String>,
    /// A keyword whose plain string literal value must not already end in `suffix` (a value
    /// that does is taken as migrated: `base_url="https://host/v1"` never worked in v1).
    pub literal_lacks_suffix: Option<LiteralSuffixCondition>,
    /// A keyword whose plain string literal value must contain `text`.
    pub literal_contains: Option<LiteralText>,
    /// With `reference`: only in files without `import MODULE` (any alias) at the top level.
    pub unless_imported: Option<String>,
    /// `input=` must hold an open file or a `Path`: among the values of its dict literal or
    /// `dict(...)` call, or in the dict a name it passes holds (see `file_inputs`).
    #[serde(default)]
    pub input_has_file: bool,
    /// `input=` must hold the `.file` of a FastAPI/Starlette `UploadFile` parameter, found as
    /// `input_has_file` finds files (see `upload_stream_inputs`).
    #[serde(default)]
    pub input_has_upload_stream: bool,
    /// An argument whose value must be a v1 object of `kind` (`version`, `model`, ...).
    pub arg_kind: Option<ArgKind>,
    /// Keywords whose value must not be a plain string literal.
    #[serde(default)]
    pub nonliteral_keyword: Vec<String>,
    /// Keywords other than these (and the v2 ones) make the rule fire.
    pub keywords_outside: Option<Vec<String>>,
    /// Match calls that use `*args` / `**kwargs` (their arity cannot be known).
    #[serde(default)]
    pub unpacking: bool,
    /// Match only calls with `*args` or `**kwargs`.
    #[serde(default)]
    pub only_unpacking: bool,
    /// The call must be a whole expression statement (its value unused).
    #[serde(default)]
    pub statement: bool,
    /// The call must not be a whole expression statement (its value is used).
    #[serde(default)]
    pub in_expression: bool,
    /// The call's value must not already be compared with `None` (`(x.delete() is None)`).
    #[serde(default)]
    pub not_compared_to_none: bool,
    /// The call must (true) or must not (false) be awaited.
    pub awaited: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// Imperative: what the fix does.
    pub title: String,
    pub applicability: Applicability,
    /// The edits, when one set of actions fixes every match.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Or: the first case whose `call` and `on` fit the match supplies the actions (or says why
    /// there is none), for a rule whose matches differ in their v2 form.
    #[serde(default, rename = "case")]
    pub cases: Vec<FixCase>,
    /// Wait while a finding that overlaps this fix's edits stays unfixed in the run: the fix
    /// removes the v1 spelling (`Client`) that finding matches on, which would hide it.
    #[serde(default)]
    pub defer_while_unfixed: bool,
}

/// One case of a fix: which matches it is for, and their actions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixCase {
    /// The matched callee paths this case is for (any when absent).
    pub call: Option<OneOrMany>,
    /// The receiver kinds this case is for (any when absent).
    pub on: Option<OneOrMany>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// No fix for these matches: why, shown with the finding.
    pub manual: Option<String>,
}

impl FixSpec {
    /// The actions for a match of callee `path` on a receiver of kind `on`; `Err` says why
    /// there are none.
    pub fn actions_for(&self, path: &str, on: &str) -> Result<&[Action], String> {
        if self.cases.is_empty() {
            return Ok(&self.actions);
        }
        let case = self.cases.iter().find(|c| {
            c.call.as_ref().is_none_or(|p| p.contains(path))
                && c.on.as_ref().is_none_or(|o| o.contains(on))
        });
        match case {
            Some(FixCase {
                manual: Some(why), ..
            }) => Err(why.clone()),
            Some(case) => Ok(&case.actions),
            None => Err(format!("internal: no fix case for `{path}` on {on}")),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgKind {
    pub index: Option<usize>,
    pub keyword: Option<String>,
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiteralText {
    pub keyword: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiteralSuffixCondition {
    pub keyword: String,
    pub suffix: String,
}

/// Where an argument is: positional `index` if present, else keyword `keyword`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgRef {
    pub index: Option<usize>,
    pub keyword: Option<String>,
}

/// A fix primitive. Each names a shape of edit, not a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Insert `name=` before positional argument `index`.
    KeywordForPositional {
        index: usize,
        name: String,
    },
    RenameKeyword {
        from: String,
        to: String,
    },
    /// Append `name=value` to the argument list.
    AddKeyword {
        name: String,
        value: String,
    },
    RemoveKeyword {
        name: String,
    },
    /// Rename the method called (`x.aread()` → `x.read()`), keeping the receiver as it is.
    RenameMethod {
        to: String,
    },
    /// Replace the callee (`replicate.predictions.create`) by a template.
    ReplaceCallee {
        template: String,
    },
    /// Replace the matched node (reference, subscript) by a template.
    ReplaceNode {
        template: String,
    },
    /// Replace positional argument `index` by a template (`{value}` is its text).
    ReplaceArg {
        index: usize,
        template: String,
    },
    /// Replace the whole expression statement holding the call by a template.
    ReplaceStatement {
        template: String,
    },
    /// Split a string literal `"owner/name[:version]"` into keyword arguments named `into`.
    SplitReference {
        arg: ArgRef,
        into: Vec<String>,
    },
    /// Strip a trailing `/` from a string literal keyword value and append `suffix`.
    LiteralSuffix {
        keyword: String,
        suffix: String,
    },
    /// Keep only what follows the last `/` of a string literal keyword value
    /// (`name="acme/sdxl"` → `name="sdxl"`).
    LiteralBasename {
        keyword: String,
    },
    /// Replace a keyword's value by a template over `{value}`.
    WrapKeyword {
        name: String,
        template: String,
    },
    /// In `from replicate[.client] import X`, import `to` from `replicate` instead, renaming
    /// the file's uses of `X` when it had no alias.
    RenameImport {
        to: String,
    },
    /// Rewrite a single-name `from replicate.x import Y [as Z]` as `from MODULE import NAME as Z`,
    /// keeping the local name the file uses; with `unless_called`, no fix when the file calls
    /// the imported name (v2's class is built with other arguments).
    RewriteFromImport {
        module: String,
        name: String,
        #[serde(default)]
        unless_called: bool,
    },
    /// In `from M import X [as Y]`, import `to` from the same module under the local name the file
    /// uses (`from M import TO as X`); works in imports of several names.
    RenameImportedName {
        to: String,
    },
    /// Replace `import replicate.client` by `import replicate` (or drop it if already imported).
    ReplaceImportModule {
        with: String,
    },
    /// Replace the callee by a helper function that the fix adds to the file (`rules::helpers`).
    CallHelper {
        helper: String,
    },
    /// Delete the import of the matched name when the file uses it only as `NAME.ATTR(...)`
    /// for `ATTR` in `only` (calls other fixes replace).
    DropImportIfOnly {
        only: Vec<String>,
    },
    /// Add `import MODULE` to the file (once, next to its imports).
    AddModuleImport {
        module: String,
    },
    /// Insert arguments (a template) before the call's first argument.
    InsertArguments {
        text: String,
    },
    /// Append `.id` to an argument that holds a v1 `Version` object (v2 takes the ID string).
    VersionObjectId {
        arg: ArgRef,
    },
    /// After a rebinding of an object v1 changed in place: keep every other holder of it
    /// current (write it back, return it to callers), or refuse naming them.
    KeepHoldersCurrent,
    /// A named transform implemented in Rust (see `rules::transforms::REGISTRY`).
    Transform {
        name: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub example: String,
    pub use_instead: Option<String>,
    pub fix_safety: Option<String>,
    /// Link to the guide section (or the mapping row) this rule follows.
    pub guide: String,
    /// Extra text shown with a finding that has no fix: what to do by hand.
    pub manual: Option<String>,
}
