//! v1 objects passed as model references: `run(model)` took a v1 `Model` or `Version`; v2's
//! `run()` takes the reference as a string (mapping rows I04, I05).

use super::super::context::Context;
use crate::diagnostic::Edit;
use crate::semantic::{ObjectKind, Resolved, SdkKind};
use crate::syntax::simple_receiver;

/// `run(model)` → `run(f"{model.owner}/{model.name}")`; `run(version)` →
/// `run(f"{model.owner}/{model.name}:{version.id}")` with the model it came from.
pub(super) fn object_reference(cx: &mut Context) -> Result<Vec<Edit>, String> {
    let info = cx.call()?;
    let arg = match info.positional.first() {
        Some(a) => *a,
        None => info.keyword("ref").ok_or("no reference argument")?.1,
    };
    let source = cx.source;
    let text = source.str(arg);
    if !simple_receiver(arg) {
        return Err(format!("assign `{text}` to a variable first"));
    }
    let Resolved::Member { value, path, .. } = cx.model.resolve(arg) else {
        return Err("internal: the reference is not a v1 object".into());
    };
    if !path.is_empty() {
        return Err("internal: the reference is not a v1 object".into());
    }
    cx.assumes |= value.assumed;
    let reference = match value.kind {
        SdkKind::Object(ObjectKind::Model) => format!("f\"{{{text}.owner}}/{{{text}.name}}\""),
        SdkKind::Object(ObjectKind::Version) => {
            let model = cx.model.version_model(arg).ok_or_else(|| {
                format!(
                    "a v2 reference to `{text}` needs its model's owner and name, and this function holds no one model it came from; pass f\"{{owner}}/{{name}}:{{{text}.id}}\""
                )
            })?;
            format!("f\"{{{model}.owner}}/{{{model}.name}}:{{{text}.id}}\"")
        }
        _ => return Err("internal: the reference is not a v1 model or version".into()),
    };
    Ok(vec![Edit::replace(
        arg.start_byte(),
        arg.end_byte(),
        reference,
    )])
}
