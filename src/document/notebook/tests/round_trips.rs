//! Round trips (notebooks from several writers come back byte for byte) and write-back (only
//! a changed cell's `source` is re-encoded, in the document's style).

use super::*;

#[test]
fn round_trip_nbformat_style() {
    let nb = unchanged_round_trip(NBFORMAT);
    assert_eq!(
            nb.cell_sources(),
            vec![
                (2, "import replicate\nimport os".to_string()),
                (3, "out = replicate.run(\n    \"owner/model\",\n    input={\"prompt\": \"hi\"},\n)\nprint(out)".to_string()),
                (5, String::new()),
            ]
        );
    compiles(nb.module());
}

#[test]
fn round_trip_fixtures() {
    for fixture in [REAL_PROJECT, INDENT2_UNSORTED, LEGACY_V3] {
        let nb = unchanged_round_trip(fixture);
        compiles(nb.module());
    }
    // Without the final newline, and with it.
    unchanged_round_trip(REAL_PROJECT.trim_end());
    unchanged_round_trip(&format!("{INDENT2_UNSORTED}\n"));
}

#[test]
fn round_trip_other_writers() {
    // Indent 4, unsorted keys, source as one string.
    let indent4 = "{\n    \"nbformat\": 4,\n    \"nbformat_minor\": 2,\n    \"metadata\": {},\n    \"cells\": [\n        {\n            \"source\": \"import replicate\\nreplicate.run(\\\"a/b\\\")\\n\",\n            \"cell_type\": \"code\",\n            \"outputs\": [],\n            \"metadata\": {},\n            \"execution_count\": null\n        }\n    ]\n}";
    unchanged_round_trip(indent4);
    // The nbformat document with CRLF between JSON tokens.
    unchanged_round_trip(&NBFORMAT.replace('\n', "\r\n"));
    // Tabs, and no whitespace at all.
    unchanged_round_trip(&NBFORMAT.replace("\n ", "\n\t"));
    let minified: Value = serde_json::from_str(NBFORMAT).unwrap();
    unchanged_round_trip(&serde_json::to_string(&minified).unwrap());
    // Non-ASCII raw, and escaped (even unusually: `\/`, upper-case hex, `\u0041`).
    unchanged_round_trip(&notebook_of(&[Value::from(vec![
        "s = \"été 😀\"\n",
        "t = '/'",
    ])]));
    let escaped = r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["s = \"\u00e9t\u00E9 \ud83d\ude00\"\n", "t = '\/'\n", "\u0041 = 1"]}]}"#;
    let nb = unchanged_round_trip(escaped);
    assert_eq!(nb.cell_sources()[0].1, "s = \"été 😀\"\nt = '/'\nA = 1");
    // A UTF-8 byte order mark.
    unchanged_round_trip(&format!("\u{feff}{NBFORMAT}"));
}

#[test]
fn round_trip_large_and_deep_outputs() {
    // A 4 MB base64 image and a deeply nested (but within serde_json's limit) output.
    let image: String = (0..4_000_000)
        .map(|i| (b'A' + (i % 26) as u8) as char)
        .collect();
    let mut nested = String::new();
    for _ in 0..60 {
        nested.push_str("{\"a\": [");
    }
    nested.push_str("\"\\\"]}\"");
    for _ in 0..60 {
        nested.push_str("]}");
    }
    let text = format!(
        r#"{{"cells": [{{"cell_type": "code", "metadata": {{"deep": {nested}}}, "outputs": [{{"data": {{"image/png": "{image}\n", "text/plain": ["<Figure>"]}}, "metadata": {{}}, "output_type": "display_data"}}], "source": ["import replicate"]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#
    );
    let nb = unchanged_round_trip(&text);
    let fixed = edit(
        nb.module(),
        "import replicate",
        "import replicate\nimport os",
    );
    let out = nb.with_module(&fixed).unwrap();
    let value = only_span_changed(text.as_bytes(), &out, &nb.cells[0].span);
    assert_eq!(value, br#"["import replicate\n","import os"]"#);
}

#[test]
fn duplicate_keys_follow_serde_json() {
    // serde_json keeps the last of duplicate keys; so does the scanner.
    let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": ["old = 1"], "metadata": {}, "source": ["new = 2"]}]}"#;
    let nb = unchanged_round_trip(text);
    assert_eq!(nb.cell_sources(), vec![(1, "new = 2".to_string())]);
    let out = nb
        .with_module(&edit(nb.module(), "new = 2", "new = 3"))
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        text.replace("[\"new = 2\"]", "[\"new = 3\"]")
    );
    let cells_twice = r#"{"cells": [{"cell_type": "code", "source": "a = 1"}], "cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "code", "source": "b = 1"}]}"#;
    let twice = unchanged_round_trip(cells_twice);
    assert_eq!(twice.cell_sources(), vec![(2, "b = 1".to_string())]);
    let out = twice
        .with_module(&edit(twice.module(), "b = 1", "b = 2"))
        .unwrap();
    assert_eq!(out, cells_twice.replace("b = 1", "b = 2").into_bytes());
}

// --- write-back ------------------------------------------------------------------------

#[test]
fn edit_in_cell_3_changes_only_its_source() {
    let nb = parse(NBFORMAT);
    let fixed = edit(nb.module(), "out = replicate.run(", "out = client.run(");
    let out = nb.with_module(&fixed).unwrap();
    let span = &nb.cells[1].span;
    assert_eq!(nb.cells[1].number, 3);
    let value = only_span_changed(NBFORMAT.as_bytes(), &out, span);
    assert_eq!(
            std::str::from_utf8(value).unwrap(),
            "[\n    \"out = client.run(\\n\",\n    \"    \\\"owner/model\\\",\\n\",\n    \"    input={\\\"prompt\\\": \\\"hi\\\"},\\n\",\n    \")\\n\",\n    \"print(out)\"\n   ]"
        );
    let again = parse(std::str::from_utf8(&out).unwrap());
    assert_eq!(
        again.cell_sources()[1].1,
        nb.cell_sources()[1]
            .1
            .replace("replicate.run", "client.run")
    );
    assert_eq!(
        nb.changed_cells(&fixed).unwrap(),
        vec![CellChange {
            cell: 3,
            before: nb.cell_sources()[1].1.clone(),
            after: again.cell_sources()[1].1.clone(),
        }]
    );
}

#[test]
fn new_source_follows_the_documents_style() {
    // A single string stays a single string; an import added to the first cell of many.
    let nb = parse(INDENT2_UNSORTED);
    let fixed = edit(
        nb.module(),
        "from replicate import Client\n",
        "from replicate import Client\nimport replicate\n",
    );
    let out = nb.with_module(&fixed).unwrap();
    let value = only_span_changed(INDENT2_UNSORTED.as_bytes(), &out, &nb.cells[1].span);
    assert_eq!(
        std::str::from_utf8(value).unwrap(),
        r#""from replicate import Client\nimport replicate\nfrom google.colab import userdata\n\nclient = Client(api_token=userdata.get(\"REPLICATE_API_TOKEN\"))""#
    );

    // An empty array gets nbformat's layout, one level deeper than its key.
    let nb = parse(NBFORMAT);
    let fixed = [nb.module(), b"x = 1\ny = \"/\"\n".as_slice()].concat();
    let out = nb.with_module(&fixed).unwrap();
    let value = only_span_changed(NBFORMAT.as_bytes(), &out, &nb.cells[2].span);
    assert_eq!(
        value,
        b"[\n    \"x = 1\\n\",\n    \"y = \\\"/\\\"\\n\"\n   ]"
    );

    // An emptied cell is `[]`.
    let cell2 = "import replicate\nimport os\n";
    let fixed = edit(nb.module(), cell2, "");
    let out = nb.with_module(&fixed).unwrap();
    assert_eq!(
        only_span_changed(NBFORMAT.as_bytes(), &out, &nb.cells[0].span),
        b"[]"
    );

    // CRLF between JSON tokens: the array's own whitespace is reused.
    let crlf = NBFORMAT.replace('\n', "\r\n");
    let nb = parse(&crlf);
    let out = nb
        .with_module(&edit(nb.module(), "import os", "import os\nimport sys"))
        .unwrap();
    let value = only_span_changed(crlf.as_bytes(), &out, &nb.cells[0].span);
    assert_eq!(
        value,
        b"[\r\n    \"import replicate\\n\",\r\n    \"import os\\n\",\r\n    \"import sys\"\r\n   ]"
    );

    // An empty array in a CRLF document, and a one-line array that grows.
    let fixed = [nb.module(), b"x = 1\n".as_slice()].concat();
    let out = nb.with_module(&fixed).unwrap();
    let value = only_span_changed(crlf.as_bytes(), &out, &nb.cells[2].span);
    assert_eq!(value, b"[\r\n    \"x = 1\\n\"\r\n   ]");
    let nb = parse(REAL_PROJECT);
    let pip = line_of(module_str(&nb), "replicate-migrate: magic 0 ");
    let fixed = edit(nb.module(), pip, &format!("{pip}import sys\n"));
    let out = nb.with_module(&fixed).unwrap();
    let value = only_span_changed(REAL_PROJECT.as_bytes(), &out, &nb.cells[0].span);
    assert_eq!(
        std::str::from_utf8(value).unwrap(),
        "[\n    \"%pip install replicate pillow requests\\n\",\n    \"import sys\"\n   ]"
    );

    // Minified: no whitespace added.
    let minified =
        serde_json::to_string(&serde_json::from_str::<Value>(NBFORMAT).unwrap()).unwrap();
    let nb = parse(&minified);
    let out = nb
        .with_module(&[nb.module(), b"z = 0".as_slice()].concat())
        .unwrap();
    assert_eq!(
        only_span_changed(minified.as_bytes(), &out, &nb.cells[2].span),
        br#"["z = 0"]"#
    );
}

#[test]
fn new_source_escaping() {
    // Raw non-ASCII document (nbformat's ensure_ascii=False): raw; control characters,
    // quotes and backslashes escaped as JSON requires; `/` not escaped.
    let raw_doc = notebook_of(&[Value::from(vec!["s = 'é'"])]);
    let nb = parse(&raw_doc);
    let out = nb
        .with_module(&edit(
            nb.module(),
            "s = 'é'",
            "s = 'é→😀' + \"\\\\\" + '\u{1b}\t/'",
        ))
        .unwrap();
    let value = only_span_changed(raw_doc.as_bytes(), &out, &nb.cells[0].span);
    assert_eq!(
        std::str::from_utf8(value).unwrap(),
        r#"["s = 'é→😀' + \"\\\\\" + '\u001b\t/'"]"#
    );

    // A document escaping non-ASCII (and `/`, in upper-case hex): the same.
    let escaped = r#"{"nbformat": 4, "metadata": {"url": "http:\/\/x"}, "cells": [{"cell_type": "code", "source": ["s = '\u00E9'"]}]}"#;
    let nb = parse(escaped);
    let out = nb
        .with_module(&edit(nb.module(), "s = 'é'", "s = 'é/😀\u{7f}'"))
        .unwrap();
    let value = only_span_changed(escaped.as_bytes(), &out, &nb.cells[0].span);
    assert_eq!(
        std::str::from_utf8(value).unwrap(),
        r#"["s = '\u00E9\/\uD83D\uDE00\u007F'"]"#
    );

    // A cell left alone keeps its unusual escaping even when another cell changes.
    let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": "\u0061 = '\/'"}, {"cell_type": "code", "source": "b = 2"}]}"#;
    let nb = parse(text);
    let out = nb
        .with_module(&edit(nb.module(), "b = 2", "b = 3"))
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        text.replace("b = 2", "b = 3")
    );
}

#[test]
fn crlf_inside_cells_round_trips() {
    let text = notebook_of(&[
        Value::from(vec![
            "import replicate\r\n",
            "x = replicate.run('a/b')\r\n",
            "%pip list\r\n",
        ]),
        Value::from("y = 1\r\nz = 2"),
    ]);
    let nb = unchanged_round_trip(&text);
    let module = module_str(&nb);
    assert!(
        module.contains("# replicate-migrate: cell 1 ")
            && module.contains("\r\nimport replicate\r\n")
    );
    assert!(
        !module.replace("\r\n", "").contains('\n'),
        "the module's newline follows the cells"
    );
    compiles(nb.module());
    let fixed = edit(
        nb.module(),
        "x = replicate.run('a/b')\r\n",
        "x = replicate.run('a/b')\r\nw = 0\r\n",
    );
    let fixed = edit(&fixed, "z = 2", "z = 3");
    let out = nb.with_module(&fixed).unwrap();
    let again = parse(std::str::from_utf8(&out).unwrap());
    assert_eq!(
        again.cell_sources(),
        vec![
            (
                1,
                "import replicate\r\nx = replicate.run('a/b')\r\nw = 0\r\n%pip list\r\n"
                    .to_string()
            ),
            (2, "y = 1\r\nz = 3".to_string()),
        ]
    );
    assert!(String::from_utf8(out).unwrap().contains(r#""w = 0\r\n","#));
}

#[test]
fn lines_split_as_python_splitlines() {
    assert_eq!(
        split_lines_keepends("a\nb\r\nc\rd\u{2028}e\u{c}f"),
        vec!["a\n", "b\r\n", "c\r", "d\u{2028}", "e\u{c}", "f"]
    );
    assert_eq!(split_lines_keepends("a\n"), vec!["a\n"]);
    assert!(split_lines_keepends("").is_empty());
}
