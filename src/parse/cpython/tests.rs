//! Unit tests: deep inputs on a small stack, and the details of single checks. The comparison
//! with CPython itself, case by case, is tests/cpython_syntax.rs.

use super::*;
use crate::parse::{first_error, parse};

fn errors(src: &str) -> Vec<CompileError> {
    let source = Source::new(src.as_bytes().to_vec());
    compile_errors(&source, &parse(&source))
}

/// The first error as (line, kind, message).
fn first(src: &str) -> Option<(usize, &'static str, String)> {
    let source = Source::new(src.as_bytes().to_vec());
    compile_errors(&source, &parse(&source))
        .into_iter()
        .next()
        .map(|e| (source.line_col(e.offset).0, e.kind, e.message))
}

fn message(src: &str) -> String {
    first(src).map(|e| e.2).unwrap_or_default()
}

#[test]
fn the_fix_stage_sees_a_repeated_keyword() {
    let src =
        "import replicate\nclient = replicate.Replicate(bearer_token='tok', bearer_token='x')\n";
    let errs = errors(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, "SyntaxError");
    assert_eq!(errs[0].message, "keyword argument repeated: bearer_token");
    assert_eq!(&src[errs[0].offset..errs[0].offset + 12], "bearer_token");
    assert!(
        errors("replicate.Replicate(bearer_token='tok', **{'bearer_token': 'x'})\n").is_empty()
    );
}

#[test]
fn errors_come_sorted_by_offset() {
    let errs = errors("def f(a, a):\n    return 1\nreturn 2\nf(x=1, x=2)\n");
    let offsets: Vec<usize> = errs.iter().map(|e| e.offset).collect();
    let mut sorted = offsets.clone();
    sorted.sort();
    assert_eq!(offsets, sorted);
    assert_eq!(errs.len(), 3, "{errs:?}");
}

/// Runs `f` on a thread with a 256 KiB stack: a recursive walk of these trees would overflow it.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the checks ran out of stack");
}

#[test]
fn deep_inputs_on_a_small_stack() {
    on_small_stack(|| {
        let n = 10_000;
        let chain: String = (0..600).map(|i| format!(".m{i}(x)")).collect();
        let cases: Vec<(String, bool)> = vec![
            // (source, CPython rejects it)
            (format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)), true),
            (format!("x = {}{}\n", "[".repeat(n), "]".repeat(n)), true),
            (format!("x = {}1{}\n", "{".repeat(n), "}".repeat(n)), true),
            (format!("{}a{} = 1\n", "(".repeat(n), ")".repeat(n)), true),
            (format!("del {}a{}\n", "(".repeat(n), ")".repeat(n)), true),
            (format!("x = client{chain}\n"), false),
            (format!("x = *client{chain},\n"), false),
            (format!("x = 1{}\n", " + 1".repeat(n)), false),
            (format!("x = {}y\n", "not ".repeat(n)), false),
            (format!("x = {}1\n", "-".repeat(n)), false),
            (format!("x = {}0\n", "lambda: ".repeat(3_000)), false),
            (format!("x = {}0{}\n", "a[".repeat(n), "]".repeat(n)), true),
            // (tree-sitter keeps at most 255 open strings; CPython 3.12 at most 150)
            (
                format!("x = {}1{}\n", "f'{".repeat(1_000), "}'".repeat(1_000)),
                true,
            ),
            (
                format!("x = {}y{}\n", "[".repeat(n), " for y in z]".repeat(n)),
                true,
            ),
            (
                format!(
                    "match x:\n    case {}a{}:\n        pass\n",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
                true,
            ),
            (
                format!("x = 1 if y else {}2\n", "3 if y else ".repeat(n)),
                false,
            ),
            (format!("f({})\n", "a=1, ".repeat(n)), true),
        ];
        for (src, rejected) in cases {
            let source = Source::new(src.into_bytes());
            let tree = parse(&source);
            let ours = compile_errors(&source, &tree);
            let found = first_error(&tree).is_some() || !ours.is_empty();
            assert_eq!(
                found,
                rejected,
                "{:?}: {:?}",
                &source.bytes[..60],
                ours.first()
            );
        }
    });
}

#[test]
fn nesting_limits() {
    let parens = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    assert!(errors(&parens(200)).is_empty());
    assert_eq!(message(&parens(201)), "too many nested parentheses");
    let ifs = |n: usize| {
        let mut s: String = (0..n)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect();
        s.push_str(&format!("{}pass\n", " ".repeat(n)));
        s
    };
    assert!(errors(&ifs(99)).is_empty());
    assert_eq!(
        first(&ifs(100)),
        Some((
            101,
            "IndentationError",
            "too many levels of indentation".into()
        ))
    );
}

#[test]
fn indentation() {
    let e = |src: &str| first(src).map(|(line, kind, _)| (line, kind));
    assert_eq!(e("x = 1\n    y = 2\n"), Some((2, "IndentationError")));
    assert_eq!(e("    x = 1\n"), Some((1, "IndentationError")));
    assert_eq!(
        e("if x:\n        a\n    b\n"),
        Some((3, "IndentationError"))
    );
    assert_eq!(
        message("if x:\n        a\n    b\n"),
        "unindent does not match any outer indentation level"
    );
    assert_eq!(
        message("if x:\npass\n"),
        "expected an indented block after 'if' statement on line 1"
    );
    assert_eq!(
        message("@d\nasync def f():\npass\n"),
        "expected an indented block after function definition on line 2"
    );
    assert_eq!(
        message("class C:\n# nothing\n"),
        "expected an indented block after class definition on line 1"
    );
    assert_eq!(e("if x:\n\n\n"), Some((3, "IndentationError")));
    assert_eq!(e("if x: pass\n    y = 1\n"), Some((2, "IndentationError")));
    // tabs: to the next multiple of 8, and compared again with tabs as 1 column
    assert_eq!(e("if x:\n\ta\n        b\n"), Some((3, "TabError")));
    assert_eq!(e("if x:\n        a\n\tb\n"), Some((3, "TabError")));
    assert_eq!(e("if x:\n    if y:\n\ta\n    b\n"), Some((3, "TabError")));
    assert_eq!(e("if x:\n\ta\n\tif y:\n\t    b\n"), None);
    assert_eq!(e("if x:\n  \ta\n  \tb\n"), None);
    // form feed resets the column; lines in brackets, continued, in strings or comments do not count
    assert_eq!(e("if x:\n\x0c    a\n    b\n"), None);
    assert_eq!(e("if x:\n    \x0ca\n"), Some((2, "IndentationError")));
    assert_eq!(e("x = (1,\n  2,\n        3)\ny = 1\n"), None);
    assert_eq!(e("x = 1 + \\\n        2\ny = 1\n"), None);
    assert_eq!(e("x = '''\n    a\n  b'''\ny = 1\n"), None);
    assert_eq!(e("if x:\n    a\n  # c\n        # d\n    b\n"), None);
    assert_eq!(e("x = f'''{\n  a}'''\ny = 1\n"), None);
    assert_eq!(e("if x:\r\n    a\r\n"), None);
    assert_eq!(e("def f():\n    return 1"), None);
}

#[test]
fn numbers() {
    for ok in [
        "0",
        "00",
        "0_0",
        "0o777",
        "0x_ff",
        "0b1_0",
        "1_000",
        "1.5e-3",
        "1e5",
        "1j",
        "1.j",
        ".5",
        "5.",
        "09.5",
        "09e1",
        "09j",
        "0e0",
        "1_0j",
        "1E+5_0",
        "1 .real",
        "1if y else 2",
        "[0x1for x in y]",
        "1 in y",
        "1.0.real",
    ] {
        assert!(errors(&format!("x = {ok}\n")).is_empty(), "{ok}");
    }
    for (bad, why) in [
        ("0777", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"),
        ("0_7", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"),
        ("07L", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"),
        ("10L", "invalid decimal literal"),
        ("0xFFL", "invalid hexadecimal literal"),
        ("1_", "invalid decimal literal"),
        ("1_.5", "invalid decimal literal"),
        ("1.5_", "invalid decimal literal"),
        ("1e5_", "invalid decimal literal"),
        ("1_e5", "invalid decimal literal"),
        ("0_.5", "invalid decimal literal"),
        ("1j_", "invalid imaginary literal"),
        ("0o8", "invalid digit '8' in octal literal"),
        ("0b102", "invalid digit '2' in binary literal"),
        ("0x", "invalid hexadecimal literal"),
        ("1e", "invalid decimal literal"),
    ] {
        assert_eq!(message(&format!("x = {bad}\n")), why, "{bad}");
    }
}

#[test]
fn strings() {
    for ok in [
        "rb'a'",
        "Rb'a'",
        "bR'a'",
        "u'a'",
        "f'{a!r:>{w}}'",
        "rf'\\{a}'",
        "b'\\N'",
        "r'\\x4'",
        "'\\N{BULLET}'",
        "'\\777 \\d'",
        "f'{a[\"b\"]}'",
        "f'{{}}'",
        "(b'a'\n b'b')",
        "f'a' 'b' u'c'",
        "'#'",
        "'''a\\'''b'''",
    ] {
        assert!(errors(&format!("x = {ok}\n")).is_empty(), "{ok}");
    }
    for (bad, why) in [
        ("ur'a'", "invalid syntax"),
        ("bu'a'", "invalid syntax"),
        ("t'a'", "invalid syntax"),
        ("`a`", "invalid syntax"),
        ("b'\u{e9}'", "bytes can only contain ASCII literal characters"),
        ("b'a' 'b'", "cannot mix bytes and nonbytes literals"),
        ("(f'a'\n b'b')", "cannot mix bytes and nonbytes literals"),
        (
            "'\\x4'",
            "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape",
        ),
        ("b'\\x4'", "(value error) invalid \\x escape at position 0"),
        ("'\\N'", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \\N character escape"),
        ("f'{a!x}'", "f-string: invalid conversion character: expected 's', 'r', or 'a'"),
    ] {
        assert_eq!(message(&format!("x = {bad}\n")), why, "{bad}");
    }
}

#[test]
fn encodings() {
    let bytes = |b: &[u8]| {
        let source = Source::new(b.to_vec());
        compile_errors(&source, &parse(&source))
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bytes(b"x = '\xe9'\n"),
        vec!["(unicode error) 'utf-8' codec can't decode byte 0xe9 in position 0: unexpected end of data"]
    );
    assert!(
        bytes(b"x = 1  # caf\xe9\n").is_empty(),
        "compile() skips comments undecoded"
    );
    assert!(bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n").is_empty());
    assert_eq!(
        bytes(b"# coding: nosuch\n"),
        vec!["unknown encoding: nosuch"]
    );
    assert_eq!(
        bytes(b"\xef\xbb\xbf# coding: latin-1\n"),
        vec!["encoding problem: iso-8859-1 with BOM"]
    );
    assert!(bytes(b"\xef\xbb\xbf# coding: utf-8\nx = 1\n").is_empty());
    assert_eq!(
        bytes(b"x = 1\x00\n"),
        vec!["source code string cannot contain null bytes"]
    );
    // a Shift-JIS 0x5C byte is half a character: the byte checks stand aside
    assert!(bytes(b"# coding: shift_jis\nx = '\x95\\'\n").is_empty());
    assert_eq!(
        bytes("x = 1\u{200b}+ 2\n".as_bytes()),
        vec!["invalid non-printable character U+200B"]
    );
}

#[test]
fn scopes() {
    assert_eq!(
        message("def f():\n    print(x)\n    global x\n"),
        "name 'x' is used prior to global declaration"
    );
    assert_eq!(
        message("def f():\n    global x\n    x: int = 1\n"),
        "annotated name 'x' can't be global"
    );
    assert_eq!(
        message("def f():\n    nonlocal x\n"),
        "no binding for nonlocal 'x' found"
    );
    assert_eq!(
        message("nonlocal x\n"),
        "nonlocal declaration not allowed at module level"
    );
    assert!(errors("def f():\n    def g():\n        nonlocal x\n    x = 1\n").is_empty());
    assert!(errors("class C:\n    def f(self):\n        nonlocal __class__\n").is_empty());
    assert_eq!(
        message("class C:\n    [(y := i) for i in x]\n"),
        "assignment expression within a comprehension cannot be used in a class body"
    );
    assert_eq!(
        message("def f():\n    from os import *\n"),
        "import * only allowed at module level"
    );
    assert_eq!(
        message("import os\nfrom __future__ import annotations\n"),
        "from __future__ imports must occur at the beginning of the file"
    );
    assert!(errors("'''doc'''\n# c\nfrom __future__ import annotations\n").is_empty());
    assert_eq!(message("from __future__ import braces\n"), "not a chance");
}

#[test]
fn context() {
    assert_eq!(
        message("def f():\n    await x\n"),
        "'await' outside async function"
    );
    assert_eq!(message("await x\n"), "'await' outside function");
    assert!(
        errors("async def f():\n    [await y for y in z]\n    [y async for y in z]\n").is_empty()
    );
    assert!(errors("def f():\n    return (await x for x in y)\n").is_empty());
    assert_eq!(
        message("def f():\n    return [x async for x in y]\n"),
        "asynchronous comprehension outside of an asynchronous function"
    );
    assert_eq!(
        message("for x in y:\n    pass\nelse:\n    break\n"),
        "'break' outside loop"
    );
    assert!(
        errors("for x in y:\n    try:\n        pass\n    finally:\n        continue\n").is_empty()
    );
    assert_eq!(
        message("async def f():\n    yield 1\n    return 2\n"),
        "'return' with value in async generator"
    );
    assert_eq!(
        message("def f():\n    return [(yield x) for x in y]\n"),
        "'yield' inside list comprehension"
    );
}

/// The prefilter's question: is `replicate` a name of the code (f-string fields are code),
/// as tree-sitter's identifiers would say, and not only a word of a string or comment?
#[test]
fn the_tokenizer_finds_a_name_in_code_only() {
    let names = |src: &str| {
        let source = Source::new(src.as_bytes().to_vec());
        let scan = scan_tokens(&source, b"replicate");
        let tree = parse(&source);
        let identifier = crate::parse::preorder(&tree)
            .named
            .iter()
            .any(|n| n.kind() == "identifier" && &source.bytes[n.byte_range()] == b"replicate");
        assert_eq!(scan.has_name, Some(identifier), "{src:?}");
        identifier
    };
    for prose in [
        "\"\"\"Helpers that replicate the layout.\"\"\"\n",
        "# replicate\nx = 'replicate'\n",
        "y = b'replicate' + rb\"\"\"\nreplicate.run()\n\"\"\"\n",
        "z = f'replicate {x} replicate'\n",
        "replicated = replicate_all = _replicate = 1\n",
    ] {
        assert!(!names(prose), "{prose:?}");
    }
    for code in [
        "import replicate\n",
        "x = f\"{replicate.run('m')}\"\n",
        "x = f\"outer {f'inner {replicate}'}\"\n",
        "x = f\"{'a'!r:>{replicate.width}}\"\n",
        "x = 1 + \\\n    replicate.run('m')\n",
        "x = 1\r\nreplicate.run('m')\r\n",
        "def g(a=replicate): pass\n",
        "\u{feff}import replicate\n",
    ] {
        assert!(names(code), "{code:?}");
    }
    // A declared codec the tokenizer does not read: no answer, so the file is analysed.
    let latin = Source::new(b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'\nreplicate\n".to_vec());
    let scan = scan_tokens(&latin, b"replicate");
    assert!(scan.has_name != Some(false), "{:?}", scan.has_name);
}
