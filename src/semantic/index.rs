//! The name index: calls by callee name, `append` and `d[k] = v` stores, name counts, built in
//! one walk for the inferences that look beyond a name's own bindings.

use crate::syntax::NodeExt;
use tree_sitter::Node;

use super::kinds::V2_ONLY_CLIENT_KEYWORDS;
use super::SemanticModel;
use crate::syntax::{unsplat, Source};
use foldhash::HashMap;

impl<'t> SemanticModel<'t> {
    /// `NAME.append(x)` → (NAME, x).
    pub(in crate::semantic) fn append_call(&self, call: Node<'t>) -> Option<(String, Node<'t>)> {
        let callee = call.field("function")?;
        if callee.ty() != "attribute" {
            return None;
        }
        // Most calls are not `.append`: the name first, compared as bytes (no `String` per call).
        let attr = callee.field("attribute")?;
        if !self.source.is(attr, "append") {
            return None;
        }
        let object = callee.field("object")?;
        // `xs.append(x)`, or `self.xs.append(x)` (keyed `self.xs`).
        let plain = object.ty() == "identifier"
            || (object.ty() == "attribute"
                && object
                    .field("object")
                    .is_some_and(|o| o.ty() == "identifier"));
        if !plain {
            return None;
        }
        let args = call.field("arguments")?;
        let items: smallvec::SmallVec<[Node<'t>; 8]> = self
            .named_kids(args)
            .into_iter()
            .filter(|a| a.ty() != "comment")
            .collect();
        match items.as_slice() {
            [one] if one.ty() != "keyword_argument" && one.ty() != "list_splat" => {
                Some((self.source.str(object), *one))
            }
            _ => None,
        }
    }

    /// `replicate.Client(bearer_token=...)` (or `Client` imported from `replicate`) with a
    /// keyword only v2's constructor takes: the file is on v2, as one naming `Replicate` is.
    /// The keywords are read first: few calls pass one, and resolving every callee is not free.
    fn builds_v2_client(&self, call: Node<'t>) -> bool {
        let Some(callee) = call.field("function") else {
            return false;
        };
        let v2_keyword = call.field("arguments").is_some_and(|args| {
            self.named_kids(args).iter().any(|a| {
                a.ty() == "keyword_argument"
                    && a.field("name").is_some_and(|n| {
                        V2_ONLY_CLIENT_KEYWORDS.iter().any(|k| self.source.is(n, k))
                    })
            })
        });
        if !v2_keyword {
            return false;
        }
        match callee.ty() {
            "identifier" => self.resolves_to(
                self.scope_at(callee),
                &self.source.str(callee),
                &["replicate", "Client"],
            ),
            "attribute" => {
                callee
                    .field("attribute")
                    .is_some_and(|a| self.source.is(a, "Client"))
                    && callee.field("object").is_some_and(|o| {
                        o.ty() == "identifier"
                            && self.resolves_to(
                                self.scope_at(o),
                                &self.source.str(o),
                                &["replicate"],
                            )
                    })
            }
            _ => false,
        }
    }

    pub(in crate::semantic) fn index_names(&mut self) {
        for i in 0..self.named.len() {
            let node = self.named[i];
            match node.ty() {
                "identifier" => {
                    // Counted without a `String` per identifier: one per distinct name.
                    let text = self.source.text(node);
                    match std::str::from_utf8(text)
                        .ok()
                        .and_then(|t| self.name_uses.get_mut(t))
                    {
                        Some(count) => *count += 1,
                        None => *self.name_uses.entry(self.source.str(node)).or_default() += 1,
                    }
                }
                "assignment" => {
                    let stored = node.field("left").and_then(|left| {
                        let target = left.field("value")?;
                        // `d[k] = v`, or `self.d[k] = v` (keyed `self.d`).
                        let plain = target.ty() == "identifier"
                            || (target.ty() == "attribute"
                                && target
                                    .field("object")
                                    .is_some_and(|o| o.ty() == "identifier"));
                        (left.ty() == "subscript" && plain)
                            .then(|| (self.source.str(target), node.field("right")))
                    });
                    if let Some((name, Some(value))) = stored {
                        self.dict_sets.entry(name).or_default().push(value);
                    }
                    // `app.api = Client(...)`: an attribute stored on a plain name.
                    let attribute_store = node.field("left").and_then(|left| {
                        let object = left.field("object")?;
                        let attr = left.field("attribute")?;
                        (left.ty() == "attribute" && object.ty() == "identifier")
                            .then(|| (self.source.str(attr), object, node.field("right")))
                    });
                    if let Some((attr, object, Some(value))) = attribute_store {
                        if value.ty() != "assignment" {
                            self.attr_stores
                                .entry(attr)
                                .or_default()
                                .push((object, value));
                        }
                    }
                }
                "attribute" => {
                    let v2_name = node.field("attribute").is_some_and(|a| {
                        matches!(self.source.text(a), b"Replicate" | b"AsyncReplicate")
                    }) && node.field("object").is_some_and(|o| {
                        o.ty() == "identifier"
                            && self.resolves_to(
                                self.scope_at(o),
                                &self.source.str(o),
                                &["replicate"],
                            )
                    });
                    if v2_name {
                        self.file_is_v2 = true;
                    }
                }
                "call" => {
                    if self.builds_v2_client(node) {
                        self.file_is_v2 = true;
                    }
                    if let Some((list, arg)) = self.append_call(node) {
                        self.appends.entry(list).or_default().push(arg);
                    }
                    if let Some(f) = node.field("function").map(unsplat) {
                        if let Some(attr) = (f.ty() == "attribute")
                            .then(|| f.field("attribute"))
                            .flatten()
                        {
                            push_by_name(&mut self.attr_calls, self.source, attr, node);
                        }
                        if f.ty() == "identifier" {
                            push_by_name(&mut self.calls_by_name, self.source, f, node);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// `map[name's text].push(node)`, with a `String` only for a name not yet in the map.
fn push_by_name<'t>(
    map: &mut HashMap<String, Vec<Node<'t>>>,
    source: &Source,
    name: Node,
    node: Node<'t>,
) {
    let existing = std::str::from_utf8(source.text(name))
        .ok()
        .and_then(|text| map.get_mut(text));
    match existing {
        Some(nodes) => nodes.push(node),
        None => map.entry(source.str(name)).or_default().push(node),
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::tests::with_model;

    fn texts<'t>(
        model: &super::SemanticModel<'t>,
        nodes: Option<&Vec<tree_sitter::Node<'t>>>,
    ) -> Vec<String> {
        nodes.map_or(vec![], |ns| {
            ns.iter().map(|n| model.source.str(*n)).collect()
        })
    }

    #[test]
    fn appends_are_indexed_by_the_plain_name_or_self_attribute() {
        let code = "import replicate\nxs.append(a)\nself.ys.append(b)\napp.state.zs.append(c)\nxs.append(d, e)\nxs.append(*more)\nxs.append(item=f)\nxs.extend(g)\n";
        with_model(code, |model, _| {
            assert_eq!(texts(model, model.appends.get("xs")), ["a"]);
            assert_eq!(texts(model, model.appends.get("self.ys")), ["b"]);
            // Decoys: a deeper chain, two arguments, a splat, a keyword, `extend`.
            assert!(
                !model.appends.keys().any(|k| k.contains("zs")),
                "{:?}",
                model.appends.keys()
            );
            assert_eq!(model.appends.len(), 2);
        });
    }

    #[test]
    fn subscript_and_attribute_stores_are_indexed() {
        let code = "import replicate\nd[k] = v1\nself.d[k] = v2\nget()[k] = v3\nd[k] += v4\napp.api = v5\napp.x.y = v6\n";
        with_model(code, |model, _| {
            assert_eq!(texts(model, model.dict_sets.get("d")), ["v1"]);
            assert_eq!(texts(model, model.dict_sets.get("self.d")), ["v2"]);
            // Decoys: a call's result and an augmented assignment store nothing known.
            assert_eq!(model.dict_sets.len(), 2);
            let api: Vec<(String, String)> = model.attr_stores["api"]
                .iter()
                .map(|(o, v)| (model.source.str(*o), model.source.str(*v)))
                .collect();
            assert_eq!(api, [("app".to_string(), "v5".to_string())]);
            // Decoy: an attribute below an attribute.
            assert!(!model.attr_stores.contains_key("y"));
        });
    }

    #[test]
    fn calls_are_indexed_by_callee_name_and_names_are_counted() {
        let code = "import replicate\nf(1)\nf(2)\nobj.f(3)\nx = f\ndef g():\n    f(4)\n";
        with_model(code, |model, _| {
            assert_eq!(model.calls_named("f").len(), 3);
            assert_eq!(model.attr_calls["f"].len(), 1);
            assert_eq!(model.name_uses["f"], 5);
            // Decoy: a name never called.
            assert!(model.calls_named("x").is_empty());
            assert!(model.calls_named("g").is_empty());
        });
    }

    #[test]
    fn a_file_without_the_sdk_is_not_indexed() {
        let code = "import requests\nxs.append(a)\nf(1)\n";
        with_model(code, |model, _| {
            assert!(!model.imports_sdk);
            assert!(model.appends.is_empty());
            assert!(model.calls_named("f").is_empty());
        });
        let sdk = format!("import replicate\n{}", &code["import requests\n".len()..]);
        with_model(&sdk, |model, _| {
            assert!(model.imports_sdk);
            assert_eq!(model.calls_named("f").len(), 1);
        });
    }

    #[test]
    fn v2_names_and_v2_only_client_keywords_mark_the_file_v2() {
        let v2 = |code: &str| with_model(code, |model, _| model.file_is_v2);
        assert!(v2("import replicate\nc = replicate.Replicate()\n"));
        assert!(v2("import replicate as r\nc = r.AsyncReplicate\n"));
        assert!(v2(
            "import replicate\nc = replicate.Client(bearer_token='t')\n"
        ));
        assert!(v2(
            "from replicate import Client\nc = Client(http_client=h)\n"
        ));
        // Decoys: v1 keywords, keywords v1 takes too, another module's `Replicate`, another
        // package's `Client`.
        assert!(!v2(
            "import replicate\nc = replicate.Client(api_token='t')\n"
        ));
        assert!(!v2("import replicate\nc = replicate.Client(timeout=3)\n"));
        assert!(!v2(
            "import replicate\nimport other\nc = other.Replicate()\n"
        ));
        assert!(!v2(
            "import replicate\nfrom mylib import Client\nc = Client(bearer_token='t')\n"
        ));
    }
}
