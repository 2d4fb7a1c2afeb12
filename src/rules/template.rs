//! Fix templates: text with `{placeholder}`s that name parts of the match (`{receiver}`,
//! `{arg:0}`, `{kw:version}`) or v2 symbols (`{symbol:Replicate}`), which add the import the file
//! lacks. `{{` and `}}` stand for braces. Every placeholder is listed in `PLACEHOLDERS` and
//! documented in `rules/README.md`.

use super::context::Context;
use crate::diagnostic::ImportNeed;

/// The placeholders a template may use; `symbol:`, `arg:` and `kw:` take a suffix.
pub const PLACEHOLDERS: &[&str] = &[
    "receiver",
    "client",
    "module",
    "value",
    "args",
    "node",
    "path",
    "sync_path",
    "async_client",
    "symbol:NAME",
    "arg:N",
    "kw:NAME",
];

/// A template split into text and `{placeholder}`s.
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

/// Checks a template at load time: it splits, and every placeholder is known.
pub fn check(template: &str) -> Result<(), String> {
    for part in template_parts(template)? {
        let TemplatePart::Placeholder(placeholder) = part else {
            continue;
        };
        let known = PLACEHOLDERS.iter().any(|p| match p.split_once(':') {
            Some((prefix, _)) => placeholder.starts_with(&format!("{prefix}:")),
            None => *p == placeholder,
        });
        if !known {
            return Err(format!(
                "placeholder `{{{placeholder}}}` in `{template}` is not one of receiver, client, module, value, args, node, path, symbol:NAME, arg:N, kw:NAME (write `{{{{` for a brace)"
            ));
        }
    }
    Ok(())
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
        let text = placeholder_text(cx, &placeholder, value)?;
        out.push_str(&text);
    }
    Ok(out)
}

fn placeholder_text(
    cx: &mut Context,
    placeholder: &str,
    value: Option<&str>,
) -> Result<String, String> {
    Ok(match placeholder {
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
        "async_client" => super::async_twin::async_client(cx)?,
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
            let args = cx.call()?.args;
            let inner = &cx.source.bytes[args.start_byte() + 1..args.end_byte() - 1];
            String::from_utf8_lossy(inner).into_owned()
        }
        p if p.starts_with("symbol:") => symbol(cx, &p["symbol:".len()..])?,
        p if p.starts_with("arg:") => {
            let i: usize = p[4..]
                .parse()
                .map_err(|_| format!("bad placeholder `{p}`"))?;
            let node = *cx
                .call()?
                .positional
                .get(i)
                .ok_or_else(|| format!("missing positional argument {i}"))?;
            cx.source.str(node)
        }
        p if p.starts_with("kw:") => {
            let name = &p[3..];
            let (_, node) = cx
                .call()?
                .keyword(name)
                .ok_or_else(|| format!("missing keyword `{name}=`"))?;
            cx.source.str(node)
        }
        other => return Err(format!("internal: unknown placeholder `{other}`")),
    })
}

/// How to name `name` at the matched node, recording an import when the file lacks one.
pub fn symbol(cx: &mut Context, name: &str) -> Result<String, String> {
    // `replicate.types.X`: through the file's `import replicate [as r]`, else a new one.
    if let Some(rest) = name.strip_prefix("replicate.") {
        if let Some(module) = cx.model.module_alias_in_scope(cx.node) {
            return Ok(format!("{module}.{rest}"));
        }
    }
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
