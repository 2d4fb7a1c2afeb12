//! A call's arguments, split once the way every stage looks at them.

use super::NodeExt;
use tree_sitter::Node;

use super::Source;

/// One `name=value` argument.
#[derive(Debug, Clone, Copy)]
pub struct Keyword<'t> {
    /// The name, as the source spells it.
    pub name: &'t [u8],
    /// The whole `name=value` node.
    pub node: Node<'t>,
    pub value: Node<'t>,
}

impl Keyword<'_> {
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.name)
    }
}

/// The arguments of one call.
///
/// Ex) `f(a, b=1, *c)`: positional `[a]`, keywords `[b=1]`, `unpacking`, and `all` in order.
#[derive(Debug, Clone)]
pub struct CallArgs<'t> {
    pub call: Node<'t>,
    pub callee: Node<'t>,
    /// The `(...)` node.
    pub args: Node<'t>,
    pub positional: Vec<Node<'t>>,
    pub keywords: Vec<Keyword<'t>>,
    /// Every argument in order (positional, keyword and splats), comments excluded.
    pub all: Vec<Node<'t>>,
    /// The call passes `*args` or `**kwargs`, so its arity cannot be known.
    pub unpacking: bool,
}

impl<'t> CallArgs<'t> {
    /// Splits a `call` node's arguments; `None` for a generator argument (`f(x for x in y)`)
    /// or a node that is not a call.
    pub fn new(source: &'t Source, call: Node<'t>) -> Option<Self> {
        let callee = call.field("function")?;
        let args = call.field("arguments")?;
        if args.ty() != "argument_list" {
            return None;
        }
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        let mut all = Vec::new();
        let mut unpacking = false;
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.ty() {
                "comment" => continue,
                "keyword_argument" => {
                    let name = arg.field("name")?;
                    let value = arg.field("value")?;
                    keywords.push(Keyword {
                        name: source.text(name),
                        node: arg,
                        value,
                    });
                }
                "list_splat" | "dictionary_splat" => unpacking = true,
                _ => positional.push(arg),
            }
            all.push(arg);
        }
        Some(CallArgs {
            call,
            callee,
            args,
            positional,
            keywords,
            all,
            unpacking,
        })
    }

    /// The `name=value` argument called `name`: (the whole argument, its value).
    pub fn keyword(&self, name: &str) -> Option<(Node<'t>, Node<'t>)> {
        self.keywords
            .iter()
            .find(|k| k.name == name.as_bytes())
            .map(|k| (k.node, k.value))
    }

    pub fn has_keyword(&self, name: &str) -> bool {
        self.keywords.iter().any(|k| k.name == name.as_bytes())
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
