//! CPython's verdict against tree-sitter's `first_error` and `parse::cpython::compile_errors`.
//!
//! Each file CPython 3.11, 3.12 and 3.13 all reject must be reported by one of the two, at the line
//! CPython gives (its line 0, for a bad encoding, is line 1 here); each file CPython compiles must
//! get nothing from either. `python3` (or $PYTHON, 3.11 or newer) gives the verdicts, all in one
//! run. Cases 3.11 rejects and a newer CPython accepts must not be flagged by `compile_errors`.
//! The sweep over the standard library is `tools/check_compile_errors.py`, not a test.

use replicate_migrate::parse::{self, cpython, Source};
use std::collections::HashMap;
use std::process::Command;

/// Who reports a case: tree-sitter (`first_error`), `compile_errors`, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Ts,
    Us,
    Both,
}
use By::*;

/// Rejected by CPython 3.11, 3.12 and 3.13.
const BAD: &[(&str, &[u8], By)] = &[
    ("raw_string_ending_in_backslash", b"v = r'\\'\n", Both),
    ("py2_print", b"print x\n", Us),
    ("py2_exec", b"exec 'code'\n", Us),
    ("py2_exec_in", b"exec code in ns\n", Us),
    (
        "py2_except_comma",
        b"try:\n    pass\nexcept ValueError, e:\n    pass\n",
        Us,
    ),
    (
        "except_multi_unparen",
        b"try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
        Us,
    ),
    (
        "except_as_attr",
        b"try:\n    pass\nexcept ValueError as e.x:\n    pass\n",
        Us,
    ),
    (
        "except_as_tuple",
        b"try:\n    pass\nexcept ValueError as (a, b):\n    pass\n",
        Us,
    ),
    ("backticks", b"x = `1`\n", Us),
    ("ne_old", b"x = 1 <> 2\n", Us),
    ("octal_old", b"x = 0777\n", Us),
    ("octal_old_09", b"x = 09\n", Us),
    ("octal_0_7", b"x = 0_7\n", Us),
    ("long_suffix", b"x = 10L\n", Us),
    ("long_hex", b"x = 0xFFL\n", Us),
    ("trailing_us", b"x = 1_\n", Us),
    ("trailing_us_hex", b"x = 0x1_\n", Both),
    ("us_before_dot", b"x = 1_.5\n", Us),
    ("us_float_end", b"x = 1.5_\n", Us),
    ("us_exp", b"x = 1e5_\n", Us),
    ("us_before_e", b"x = 1_e5\n", Us),
    ("us_before_j", b"x = 1_j\n", Us),
    ("float_L", b"x = 1.5L\n", Both),
    ("double_us", b"x = 1__0\n", Both),
    ("ur_prefix", b"x = ur'abc'\n", Us),
    ("bu_prefix", b"x = bu'abc'\n", Us),
    ("fb_prefix", b"x = fb'abc'\n", Us),
    ("uf_prefix", b"x = uf'abc'\n", Us),
    ("rr_prefix", b"x = rr'abc'\n", Us),
    ("t_prefix", b"x = t'abc'\n", Us),
    ("raise_comma", b"raise ValueError, 'msg'\n", Us),
    ("raise_comma3", b"raise ValueError, 'msg', tb\n", Us),
    ("unexpected_indent", b"x = 1\n    y = 2\n", Us),
    ("unexpected_indent_first", b"    x = 1\n", Us),
    (
        "unindent_mismatch",
        b"if x:\n        a = 1\n    b = 2\n",
        Us,
    ),
    ("expected_indent", b"if x:\npass\n", Us),
    ("expected_indent_def", b"def f():\nreturn 1\n", Us),
    ("expected_indent_eof", b"if x:\n", Us),
    ("taberror", b"if x:\n\ta = 1\n        b = 2\n", Us),
    ("taberror2", b"if x:\n        a = 1\n\tb = 2\n", Us),
    ("return_outside", b"return 1\n", Us),
    ("return_class", b"class C:\n    return 1\n", Us),
    ("yield_outside", b"yield 1\n", Us),
    ("yield_class", b"class C:\n    yield 1\n", Us),
    ("await_module", b"await x\n", Us),
    ("await_sync_def", b"def f():\n    await x\n", Us),
    (
        "await_lambda_async",
        b"async def f():\n    g = lambda: await x\n",
        Us,
    ),
    (
        "async_for_sync",
        b"def f():\n    async for x in y:\n        pass\n",
        Us,
    ),
    (
        "async_with_sync",
        b"def f():\n    async with x:\n        pass\n",
        Us,
    ),
    ("async_for_module", b"async for x in y:\n    pass\n", Us),
    (
        "async_comp_sync",
        b"def f():\n    return [x async for x in y]\n",
        Us,
    ),
    ("async_comp_module", b"[x async for x in y]\n", Us),
    (
        "await_listcomp_sync",
        b"def f():\n    return [await x for x in y]\n",
        Us,
    ),
    ("await_listcomp_module", b"[await x for x in y]\n", Us),
    (
        "nested_async_comp_sync",
        b"def f():\n    return [[x async for x in y] for z in w]\n",
        Us,
    ),
    ("nonlocal_module", b"nonlocal x\n", Us),
    ("nonlocal_nobinding", b"def f():\n    nonlocal x\n", Us),
    ("nonlocal_class_module", b"class C:\n    nonlocal x\n", Us),
    ("break_outside", b"break\n", Us),
    ("continue_outside", b"continue\n", Us),
    (
        "break_in_else",
        b"for x in y:\n    pass\nelse:\n    break\n",
        Us,
    ),
    (
        "break_in_def_in_loop",
        b"for x in y:\n    def f():\n        break\n",
        Us,
    ),
    (
        "late_future",
        b"import os\nfrom __future__ import annotations\n",
        Us,
    ),
    (
        "future_after_two_docs",
        b"'''doc'''\n'''doc2'''\nfrom __future__ import annotations\n",
        Us,
    ),
    (
        "future_in_def",
        b"from __future__ import annotations\ndef f():\n    from __future__ import division\n",
        Us,
    ),
    ("future_unknown", b"from __future__ import nosuch\n", Us),
    ("future_braces", b"from __future__ import braces\n", Us),
    ("future_star", b"from __future__ import *\n", Ts),
    ("dup_param", b"def f(a, a):\n    pass\n", Us),
    ("dup_param_kw", b"def f(a, *, a):\n    pass\n", Us),
    ("dup_param_star", b"def f(a, *a):\n    pass\n", Us),
    ("dup_lambda", b"f = lambda a, a: 0\n", Us),
    ("dup_kwarg", b"f(a=1, a=2)\n", Us),
    ("dup_kwarg_class", b"class C(a=1, a=2):\n    pass\n", Us),
    ("pos_after_kw", b"f(a=1, 2)\n", Us),
    ("pos_after_dstar", b"f(**k, 2)\n", Us),
    ("star_after_dstar", b"f(**a, *b)\n", Us),
    ("genexp_unparen", b"f(x for x in y, 1)\n", Us),
    ("genexp_unparen2", b"f(1, x for x in y)\n", Ts),
    ("assign_none", b"None = 1\n", Ts),
    ("assign_true", b"True = 1\n", Ts),
    ("assign_call", b"f() = 1\n", Ts),
    ("assign_literal", b"1 = x\n", Ts),
    ("assign_str", b"'a' = x\n", Ts),
    ("assign_binop", b"a + 1 = 2\n", Ts),
    ("assign_star_alone", b"*a = 1\n", Us),
    ("assign_multi_star", b"*a, *b = c\n", Us),
    ("star_expr_stmt", b"*a\n", Us),
    ("star_rhs", b"x = *a\n", Us),
    ("star_paren", b"x = (*a)\n", Us),
    ("del_call", b"del f()\n", Us),
    ("del_literal", b"del 1\n", Us),
    ("del_binop", b"del a + b\n", Us),
    ("del_star", b"del *a\n", Us),
    (
        "nondefault_after_default",
        b"def f(a=1, b):\n    pass\n",
        Us,
    ),
    (
        "nondefault_after_default_lambda",
        b"f = lambda a=1, b: 0\n",
        Us,
    ),
    (
        "nondefault_after_default_posonly",
        b"def f(a=1, /, b):\n    pass\n",
        Us,
    ),
    (
        "global_after_assign",
        b"def f():\n    x = 1\n    global x\n",
        Us,
    ),
    (
        "global_after_use",
        b"def f():\n    print(x)\n    global x\n",
        Us,
    ),
    ("global_after_assign_module", b"x = 1\nglobal x\n", Us),
    (
        "global_annot",
        b"def f():\n    global x\n    x: int = 1\n",
        Us,
    ),
    ("global_param", b"def f(x):\n    global x\n", Us),
    (
        "nonlocal_param",
        b"def g():\n    x = 1\n    def f(x):\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_global",
        b"def g():\n    x = 1\n    def f():\n        global x\n        nonlocal x\n",
        Us,
    ),
    ("import_star_def", b"def f():\n    from os import *\n", Us),
    ("import_star_class", b"class C:\n    from os import *\n", Us),
    (
        "default_except_not_last",
        b"try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
        Us,
    ),
    (
        "except_mix_star",
        b"try:\n    pass\nexcept ValueError:\n    pass\nexcept* TypeError:\n    pass\n",
        Us,
    ),
    (
        "break_in_except_star",
        b"for x in y:\n    try:\n        pass\n    except* ValueError:\n        break\n",
        Us,
    ),
    (
        "return_in_except_star",
        b"def f():\n    try:\n        pass\n    except* ValueError:\n        return\n",
        Us,
    ),
    ("bytes_nonascii", b"x = b'\xc3\xa9'\n", Us),
    ("bytes_str_mix", b"x = b'a' 'b'\n", Us),
    ("fstr_bytes_mix", b"x = f'a' b'b'\n", Us),
    ("trunc_x", b"x = '\\x4'\n", Us),
    ("trunc_u", b"x = '\\u12'\n", Us),
    ("bad_U", b"x = '\\U00110000'\n", Us),
    ("bytes_trunc_x", b"x = b'\\x4'\n", Us),
    ("malformed_N", b"x = '\\N'\n", Us),
    ("fstr_empty", b"x = f'{}'\n", Ts),
    ("fstr_space", b"x = f'{ }'\n", Ts),
    ("fstr_single_close", b"x = f'}'\n", Both),
    ("fstr_bad_conv", b"x = f'{a!x}'\n", Us),
    ("fstr_empty_conv", b"x = f'{a!}'\n", Ts),
    ("fstr_hash", b"x = f'{a#}'\n", Both),
    ("walrus_attr", b"(a.b := 1)\n", Ts),
    ("walrus_stmt", b"x := 1\n", Us),
    ("walrus_comp_iter", b"[x for x in (y := [1])]\n", Us),
    ("walrus_rebind", b"[i := 0 for i in x]\n", Us),
    (
        "walrus_class_comp",
        b"class C:\n    [(y := i) for i in x]\n",
        Us,
    ),
    (
        "yield_listcomp",
        b"def f():\n    return [(yield x) for x in y]\n",
        Us,
    ),
    (
        "yield_genexp",
        b"def f():\n    return ((yield x) for x in y)\n",
        Us,
    ),
    (
        "ret_val_async_gen",
        b"async def f():\n    yield 1\n    return 2\n",
        Us,
    ),
    (
        "yield_from_async",
        b"async def f():\n    yield from x\n",
        Us,
    ),
    ("debug_assign", b"__debug__ = 1\n", Us),
    ("debug_param", b"def f(__debug__):\n    pass\n", Us),
    ("debug_kwarg", b"f(__debug__=1)\n", Us),
    ("debug_attr", b"a.__debug__ = 1\n", Us),
    ("debug_import", b"import os as __debug__\n", Us),
    ("debug_def", b"def __debug__():\n    pass\n", Us),
    ("debug_del", b"del __debug__\n", Us),
    ("null_byte", b"x = 1\x00\n", Both),
    ("invalid_utf8", b"x = '\xe9'\n", Us),
    ("unknown_codec", b"# -*- coding: nosuch -*-\nx = 1\n", Us),
    ("bom_latin1", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", Us),
    (
        "bom_utf8_nodash",
        b"\xef\xbb\xbf# coding: utf8\nx = 1\n",
        Us,
    ),
    ("star_params_twice", b"def f(*a, *b):\n    pass\n", Us),
    ("kw_after_dstar_param", b"def f(**k, a):\n    pass\n", Us),
    ("bare_star_end", b"def f(*):\n    pass\n", Us),
    ("bare_star_dstar", b"def f(*, **k):\n    pass\n", Us),
    ("slash_first", b"def f(/, a):\n    pass\n", Us),
    ("slash_twice", b"def f(a, /, /):\n    pass\n", Us),
    ("slash_after_star", b"def f(*, a, /):\n    pass\n", Us),
    ("star_default", b"def f(*a=1):\n    pass\n", Ts),
    ("dstar_dstar", b"def f(**a, **b):\n    pass\n", Us),
    ("tuple_param", b"def f((a, b)):\n    pass\n", Us),
    ("aug_tuple", b"a, b += 1\n", Us),
    ("aug_call", b"f() += 1\n", Ts),
    ("aug_list", b"[a] += 1\n", Us),
    ("annot_tuple", b"(a, b): int\n", Us),
    ("annot_list", b"[a]: int\n", Us),
    ("annot_call", b"f(): int\n", Ts),
    ("for_target_call", b"for f() in x:\n    pass\n", Ts),
    ("for_target_lit", b"for 1 in x:\n    pass\n", Ts),
    ("comp_target_call", b"[x for f() in y]\n", Ts),
    ("with_target_call", b"with a as f():\n    pass\n", Us),
    ("for_star_alone", b"for *a in b:\n    pass\n", Us),
    ("assign_yield", b"x = yield = 1\n", Both),
    ("assign_cond", b"a if b else c = 1\n", Ts),
    ("assign_compare", b"a < b = 1\n", Ts),
    ("assign_lambda", b"lambda: 1 = 1\n", Ts),
    ("assign_listcomp", b"[x for x in y] = 1\n", Ts),
    ("assign_dict", b"{a: b} = 1\n", Ts),
    ("assign_set", b"{a} = 1\n", Ts),
    ("assign_fstring", b"f'{x}' = 1\n", Ts),
    ("assign_ellipsis", b"... = 1\n", Ts),
    ("assign_await", b"async def f():\n    await x = 1\n", Ts),
    ("assign_walrus", b"(a := 1) = 2\n", Ts),
    ("assign_not", b"not a = 1\n", Ts),
    ("kwarg_literal", b"f(1=2)\n", Ts),
    ("kwarg_attr", b"f(a.b=1)\n", Ts),
    ("kwarg_true", b"f(True=1)\n", Ts),
    ("async_name", b"async = 1\n", Us),
    ("await_name", b"await = 1\n", Us),
    ("nbsp", b"x = 1\xc2\xa0+ 2\n", Both),
    ("zwsp", b"x = 1\xe2\x80\x8b+ 2\n", Us),
    ("vtab", b"x = 1\x0b+ 2\n", Us),
    ("ctrl", b"x = 1\x01+ 2\n", Both),
    ("dollar", b"x = $a\n", Both),
    ("question", b"x = a?\n", Both),
    ("euro_ident", b"a\xe2\x82\xac = 1\n", Ts),
    ("bs_not_newline", b"x = 1 \\ + 2\n", Both),
    ("bs_eof", b"x = 1 + \\", Both),
    ("import_trailing_comma", b"from os import path,\n", Us),
    ("import_paren_star", b"from os import (*)\n", Ts),
    ("unterminated_str", b"x = 'abc\n", Both),
    ("unterminated_triple", b"x = '''abc\n", Both),
    (
        "match_irrefutable_not_last",
        b"match x:\n    case a:\n        pass\n    case 1:\n        pass\n",
        Us,
    ),
    (
        "match_wildcard_not_last",
        b"match x:\n    case _:\n        pass\n    case 1:\n        pass\n",
        Us,
    ),
    (
        "match_dup_capture",
        b"match x:\n    case [a, a]:\n        pass\n",
        Us,
    ),
    (
        "match_or_diff_names",
        b"match x:\n    case [a] | b:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key",
        b"match x:\n    case {'a': 1, 'a': 2}:\n        pass\n",
        Us,
    ),
    (
        "match_pos_after_kw",
        b"match x:\n    case C(a=1, b):\n        pass\n",
        Us,
    ),
    (
        "match_dup_attr",
        b"match x:\n    case C(a=1, a=2):\n        pass\n",
        Us,
    ),
    (
        "match_two_stars",
        b"match x:\n    case [*a, *b]:\n        pass\n",
        Us,
    ),
    (
        "match_bad_complex",
        b"match x:\n    case 1 + 1:\n        pass\n",
        Us,
    ),
    (
        "match_bad_key",
        b"match x:\n    case {a: 1}:\n        pass\n",
        Us,
    ),
    ("try_bare", b"try:\n    pass\n", Us),
    ("try_else_only", b"try:\n    pass\nelse:\n    pass\n", Us),
    ("lambda_star_only", b"f = lambda *: 0\n", Us),
    ("star_in_comp", b"[*a for a in b]\n", Us),
    ("dstar_in_dictcomp", b"{**a for a in b}\n", Ts),
    ("return_star", b"def f():\n    return *a\n", Us),
    ("with_star_target", b"with a as *b:\n    pass\n", Us),
    (
        "class_await_in_async",
        b"async def f():\n    class C:\n        await x\n",
        Us,
    ),
    (
        "await_in_async_comp_in_sync_in_async",
        b"async def f():\n    def g():\n        return [await x for x in y]\n",
        Us,
    ),
    ("print_str", b"print 'a' % b\n", Us),
    (
        "barry_ne",
        b"from __future__ import barry_as_FLUFL\nx = 1 <> 2\n",
        Us,
    ),
    ("annot_then_global_module", b"x: int = 1\nglobal x\n", Us),
    (
        "annot_then_global_def",
        b"def f():\n    x: int = 1\n    global x\n",
        Us,
    ),
    (
        "global_for_target",
        b"def f():\n    for x in y:\n        global x\n",
        Us,
    ),
    (
        "global_if_use",
        b"def f():\n    if x:\n        global x\n",
        Us,
    ),
    (
        "global_class_after",
        b"class C:\n    x = 1\n    global x\n",
        Us,
    ),
    (
        "global_after_def",
        b"def f():\n    def x(): pass\n    global x\n",
        Us,
    ),
    (
        "global_after_del",
        b"def f():\n    del x\n    global x\n",
        Us,
    ),
    (
        "global_after_comp_iter_use",
        b"def f():\n    [y for y in x]\n    global x\n",
        Us,
    ),
    (
        "global_after_nested_default",
        b"def f():\n    def g(a=x): pass\n    global x\n",
        Us,
    ),
    (
        "global_after_walrus_comp",
        b"def f():\n    [(x := 1) for y in z]\n    global x\n",
        Us,
    ),
    (
        "global_after_except_as",
        b"def f():\n    try:\n        pass\n    except E as x:\n        pass\n    global x\n",
        Us,
    ),
    (
        "global_after_annotation_use",
        b"def f():\n    y: x = 1\n    global x\n",
        Us,
    ),
    (
        "global_after_param_annot_use",
        b"def f():\n    def g(a: x): pass\n    global x\n",
        Us,
    ),
    (
        "nonlocal_outer_global",
        b"def f():\n    global x\n    def g():\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_class_var",
        b"class C:\n    x = 1\n    def g(self):\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_after_assign",
        b"def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_comp_var_outer",
        b"def f():\n    [x for x in z]\n    def g():\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_only_use_outer",
        b"def f():\n    print(x)\n    def g():\n        nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_outer_nonlocal_unbound",
        b"def f():\n    def g():\n        nonlocal x\n        def h():\n            nonlocal x\n",
        Us,
    ),
    (
        "nonlocal_lambda_param_outer",
        b"def f():\n    lambda x: 0\n    def g():\n        nonlocal x\n",
        Us,
    ),
    ("walrus_kwarg_val", b"f(a=x := 1)\n", Us),
    ("walrus_slice", b"a[x := 1:2]\n", Us),
    ("walrus_comp_if", b"[x for x in y if z := x]\n", Us),
    ("walrus_dict_val", b"{a: x := 1}\n", Us),
    ("walrus_dict_key", b"{x := 1: 2}\n", Us),
    ("walrus_assign_rhs", b"y = x := 1\n", Us),
    ("walrus_return", b"def f():\n    return x := 1\n", Us),
    ("walrus_lambda", b"lambda: x := 1\n", Us),
    ("walrus_tuple_unparen", b"x = 1, y := 2\n", Us),
    ("walrus_cond_expr", b"a if b := 1 else c\n", Us),
    ("walrus_with", b"with x := 1:\n    pass\n", Us),
    ("walrus_assert", b"assert x := 1\n", Us),
    ("walrus_yield", b"def f():\n    yield x := 1\n", Us),
    ("walrus_not", b"not x := 1\n", Us),
    ("walrus_await", b"async def f():\n    await x := 1\n", Ts),
    ("walrus_for_iter", b"for a in x := [1]:\n    pass\n", Us),
    ("star_yield", b"def f():\n    yield *a\n", Us),
    ("star_for_iter_single", b"for x in *a:\n    pass\n", Us),
    ("star_lambda", b"lambda: *a\n", Us),
    ("star_kwarg_val", b"f(x=*a)\n", Us),
    ("star_dict_val", b"{a: *b}\n", Us),
    ("star_aug_rhs", b"x += *a\n", Us),
    ("star_annot_rhs", b"x: int = *a\n", Us),
    ("star_chain", b"a = b = *c\n", Us),
    ("star_paren_in_call", b"f((*a))\n", Us),
    ("star_in_comp_iter", b"[x for x in *a]\n", Us),
    ("comp_iter_tuple", b"[x for x in a, b]\n", Us),
    ("star_if", b"if *a:\n    pass\n", Us),
    ("star_assert", b"assert *a\n", Us),
    ("star_target_list_twice", b"[*a, *b] = c\n", Us),
    ("star_for_twice", b"for *a, *b in c:\n    pass\n", Us),
    (
        "star_with_tuple_twice",
        b"with a as (*b, *c):\n    pass\n",
        Us,
    ),
    ("star_aug_target", b"*a += 1\n", Us),
    ("star_genexp_arg", b"f(*a for a in b)\n", Us),
    ("star_await", b"async def f():\n    await *a\n", Us),
    ("star_set_comp", b"{*a for a in b}\n", Us),
    ("star_genexp", b"(*a for a in b)\n", Us),
    ("genexp_trailing_comma", b"f(x for x in y,)\n", Us),
    ("genexp_class", b"class C(x for x in y):\n    pass\n", Ts),
    ("genexp_kw_after", b"f(x for x in y, a=1)\n", Both),
    ("assert_three", b"assert a, b, c\n", Us),
    ("import_trailing", b"import a,\n", Us),
    ("import_dotted_from", b"from os import a.b\n", Us),
    ("import_dotted_alias_from", b"from os import a.b as c\n", Us),
    (
        "future_same_line",
        b"import os; from __future__ import annotations\n",
        Us,
    ),
    (
        "future_fstring_doc",
        b"f'doc'\nfrom __future__ import annotations\n",
        Us,
    ),
    (
        "future_bytes_doc",
        b"b'doc'\nfrom __future__ import annotations\n",
        Us,
    ),
    (
        "future_after_future_then_other",
        b"from __future__ import annotations; import os; from __future__ import division\n",
        Us,
    ),
    (
        "future_in_if",
        b"if x:\n    from __future__ import annotations\n",
        Us,
    ),
    (
        "future_unknown_later",
        b"from __future__ import annotations\nimport os\nfrom __future__ import nosuch\n",
        Us,
    ),
    (
        "except_star_bare",
        b"try:\n    pass\nexcept*:\n    pass\n",
        Us,
    ),
    (
        "except_star_continue_outer",
        b"for x in y:\n    try:\n        pass\n    except* E:\n        continue\n",
        Us,
    ),
    (
        "break_in_class_in_loop",
        b"for x in y:\n    class C:\n        break\n",
        Us,
    ),
    ("debug_import_plain", b"import __debug__\n", Us),
    ("debug_from_import", b"from a import __debug__\n", Us),
    (
        "debug_except_as",
        b"try:\n    pass\nexcept E as __debug__:\n    pass\n",
        Us,
    ),
    ("debug_class", b"class __debug__:\n    pass\n", Us),
    ("debug_for", b"for __debug__ in x:\n    pass\n", Us),
    ("debug_with", b"with a as __debug__:\n    pass\n", Us),
    ("debug_walrus", b"(__debug__ := 1)\n", Us),
    ("debug_aug", b"__debug__ += 1\n", Us),
    ("debug_annot", b"__debug__: int\n", Us),
    ("debug_lambda_param", b"lambda __debug__: 0\n", Us),
    ("debug_star_param", b"def f(*__debug__): pass\n", Us),
    (
        "debug_match_capture",
        b"match x:\n    case __debug__:\n        pass\n",
        Us,
    ),
    ("debug_comp_target", b"[1 for __debug__ in x]\n", Us),
    ("debug_kw_class", b"class C(__debug__=1): pass\n", Us),
    ("debug_nonlocal", b"def f():\n    __debug__ = 1\n", Us),
    ("async_ident_attr", b"x.async = 1\n", Both),
    ("await_ident_arg", b"f(await=1)\n", Us),
    ("async_param", b"def f(async): pass\n", Ts),
    ("await_def_name", b"def await(): pass\n", Ts),
    (
        "await_first_iter_sync",
        b"def f():\n    return [x for x in await y]\n",
        Us,
    ),
    (
        "await_first_iter_genexp_sync",
        b"def f():\n    return (x for x in await y)\n",
        Us,
    ),
    (
        "await_second_iter_sync",
        b"def f():\n    return [x for z in w for x in await y]\n",
        Us,
    ),
    (
        "async_comp_in_class",
        b"class C:\n    [x async for x in y]\n",
        Us,
    ),
    (
        "async_comp_in_lambda_in_async",
        b"async def f():\n    g = lambda: [x async for x in y]\n",
        Us,
    ),
    (
        "async_for_in_class_in_async",
        b"async def f():\n    class C:\n        async for x in y:\n            pass\n",
        Us,
    ),
    ("yield_module_first_iter", b"[x for x in (yield)]\n", Us),
    (
        "yield_setcomp",
        b"def f():\n    return {(yield x) for x in y}\n",
        Us,
    ),
    (
        "yield_dictcomp",
        b"def f():\n    return {(yield x): 1 for x in y}\n",
        Us,
    ),
    (
        "return_async_gen_none",
        b"async def f():\n    yield 1\n    return None\n",
        Us,
    ),
    (
        "return_before_yield_async",
        b"async def f():\n    return 1\n    yield 2\n",
        Us,
    ),
    ("return_in_lambda_default", b"lambda a=(yield): 0\n", Us),
    (
        "posonly_default_then_nodefault",
        b"def f(a, /, b=1, c): pass\n",
        Us,
    ),
    ("dstar_default", b"def f(**k=1): pass\n", Ts),
    ("lambda_tuple_param", b"lambda (a, b): 0\n", Us),
    ("lambda_star_dstar", b"lambda *, **k: 0\n", Us),
    ("lambda_slash_first", b"lambda /, a: 0\n", Us),
    ("dup_param_dstar", b"def f(a, **a): pass\n", Us),
    ("dup_param_posonly", b"def f(a, /, a): pass\n", Us),
    ("star_args_then_bare", b"def f(*a, *): pass\n", Us),
    ("bare_star_twice", b"def f(*, a, *, b): pass\n", Us),
    ("dstar_then_slash", b"def f(**k, /): pass\n", Us),
    ("dstar_then_star", b"def f(**k, *a): pass\n", Us),
    (
        "typed_default_then_plain",
        b"def f(a: int = 1, b: int): pass\n",
        Us,
    ),
    ("fs_conv_upper", b"x = f'{a!R}'\n", Ts),
    ("fs_single_close_spec", b"x = f'{a:}}'\n", Both),
    ("fs_close_in_spec", b"x = f'{a:>{w}}}'\n", Both),
    ("bytes_raw_nonascii", b"x = rb'\xc3\xa9'\n", Us),
    ("str_U_trunc", b"x = '\\U1234'\n", Us),
    ("str_N_noclose", b"x = '\\N{BULLET'\n", Us),
    ("str_N_empty", b"x = '\\N{}'\n", Us),
    ("fs_trunc_x", b"x = f'\\x4{a}'\n", Us),
    ("concat_paren_mix", b"x = (b'a'\n     'b')\n", Us),
    ("concat_bs_mix", b"x = b'a' \\\n    'b'\n", Us),
    ("ur_in_call", b"f(ur'x')\n", Us),
    ("indent_ff_mid", b"if x:\n    \x0ca = 1\n    b = 2\n", Us),
    (
        "tab_8spaces_consistent_alt",
        b"if x:\n        a = 1\n\tb = 2\n",
        Us,
    ),
    (
        "tab_vs_spaces_dedent",
        b"if x:\n    if y:\n\ta = 1\n    b = 2\n",
        Us,
    ),
    ("expected_indent_else", b"if a:\n    b\nelse:\nc\n", Us),
    ("expected_indent_class", b"class C:\nx = 1\n", Us),
    ("expected_indent_for", b"for x in y:\npass\n", Us),
    ("expected_indent_while", b"while x:\npass\n", Us),
    ("expected_indent_with", b"with x:\npass\n", Us),
    ("expected_indent_try", b"try:\npass\n", Us),
    (
        "expected_indent_except",
        b"try:\n    pass\nexcept:\npass\n",
        Us,
    ),
    (
        "expected_indent_finally",
        b"try:\n    pass\nfinally:\npass\n",
        Us,
    ),
    ("expected_indent_elif", b"if a:\n    b\nelif c:\nd\n", Us),
    ("expected_indent_async_def", b"async def f():\npass\n", Us),
    ("expected_indent_decorated", b"@d\ndef f():\npass\n", Us),
    (
        "expected_indent_match",
        b"match x:\ncase 1:\n    pass\n",
        Both,
    ),
    (
        "expected_indent_case",
        b"match x:\n    case 1:\n    pass\n",
        Both,
    ),
    ("expected_indent_eof_blank", b"if x:\n\n\n", Us),
    ("expected_indent_eof_comment", b"def f():\n    # todo\n", Us),
    (
        "expected_indent_async_for",
        b"async def f():\n    async for x in y:\n    pass\n",
        Us,
    ),
    (
        "expected_indent_async_with",
        b"async def f():\n    async with x:\n    pass\n",
        Us,
    ),
    ("oneliner_then_indent", b"if x: pass\n    y = 1\n", Us),
    ("lambda_colon_end", b"f = lambda:\n", Both),
    ("num_1e", b"x = 1e\n", Both),
    ("num_1e_plus", b"x = 1e+\n", Both),
    ("num_0x", b"x = 0x\n", Both),
    ("num_0o8", b"x = 0o8\n", Both),
    ("num_0b2", b"x = 0b2\n", Both),
    ("num_1else", b"x = 1 if y else 2\nz = 1else\n", Both),
    ("num_0_dot", b"x = 0_.5\n", Us),
    ("num_00_7", b"x = 00_7\n", Us),
    ("num_0_0_7", b"x = 0_0_7\n", Us),
    ("num_1__", b"x = 1._5\n", Both),
    ("num_float_L", b"x = 1e5L\n", Both),
    ("num_j_L", b"x = 1Lj\n", Both),
    ("num_07L", b"x = 07L\n", Us),
    ("num_hexL", b"x = 0XffL\n", Us),
    ("num_1e_1_", b"x = 1e1_\n", Us),
    ("num_j_us", b"x = 1j_\n", Both),
    ("num_ident_after", b"x = 1abc\n", Both),
    ("num_1_0x", b"x = 10x\n", Both),
    ("assign_as", b"x = a as b\n", Us),
    ("call_as", b"print(a as b)\n", Us),
    ("with_as_literal", b"with a as 1:\n    pass\n", Us),
    ("with_as_tuple_call", b"with a as (b, f()):\n    pass\n", Us),
    ("del_nested_call", b"del (a, f())\n", Us),
    ("del_starred_in_tuple", b"del (a, *b)\n", Us),
    (
        "match_star_top",
        b"match x:\n    case *a:\n        pass\n",
        Us,
    ),
    (
        "match_kw_top",
        b"match x:\n    case a=1:\n        pass\n",
        Us,
    ),
    (
        "match_or_irrefutable_first",
        b"match x:\n    case a | 1:\n        pass\n",
        Us,
    ),
    (
        "match_or_wild_first",
        b"match x:\n    case _ | 1:\n        pass\n",
        Us,
    ),
    (
        "match_or_irrefutable_last",
        b"match x:\n    case 1 | a:\n        pass\n    case 2:\n        pass\n",
        Us,
    ),
    (
        "match_as_irrefutable",
        b"match x:\n    case (a as b):\n        pass\n    case 1:\n        pass\n",
        Us,
    ),
    (
        "match_paren_capture",
        b"match x:\n    case (a):\n        pass\n    case 1:\n        pass\n",
        Us,
    ),
    (
        "match_dup_as",
        b"match x:\n    case [a] as a:\n        pass\n",
        Us,
    ),
    (
        "match_dup_splat",
        b"match x:\n    case [a, *a]:\n        pass\n",
        Us,
    ),
    (
        "match_dup_kw_value",
        b"match x:\n    case C(x=a, y=a):\n        pass\n",
        Us,
    ),
    (
        "match_dup_dict_rest",
        b"match x:\n    case {'k': a, **a}:\n        pass\n",
        Us,
    ),
    (
        "match_star_wild_twice",
        b"match x:\n    case [*_, *_]:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_num",
        b"match x:\n    case {1: a, 1: b}:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_neg",
        b"match x:\n    case {-1: a, -1: b}:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_str_concat",
        b"match x:\n    case {'ab': a, 'a' 'b': b}:\n        pass\n",
        Us,
    ),
    (
        "match_complex_real_real",
        b"match x:\n    case 1j + 2j:\n        pass\n",
        Us,
    ),
    (
        "match_dict_rest_underscore",
        b"match x:\n    case {**_}:\n        pass\n",
        Us,
    ),
    (
        "match_as_underscore",
        b"match x:\n    case 1 as _:\n        pass\n",
        Us,
    ),
    (
        "match_dict_rest_not_last",
        b"match x:\n    case {**r, 'a': 1}:\n        pass\n",
        Us,
    ),
    (
        "match_fstring_key",
        b"match x:\n    case f'a':\n        pass\n",
        Us,
    ),
    (
        "match_bytes_str",
        b"match x:\n    case b'a' 'b':\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_true",
        b"match x:\n    case {True: a, True: b}:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_1_true",
        b"match x:\n    case {1: a, True: b}:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_1_10",
        b"match x:\n    case {1: a, 1.0: b}:\n        pass\n",
        Us,
    ),
    (
        "match_capture_dotted_first",
        b"match x:\n    case a.b | c:\n        pass\n",
        Us,
    ),
    (
        "match_kw_dup_pattern_name",
        b"match x:\n    case C(a=b, c=b):\n        pass\n",
        Us,
    ),
    (
        "match_open_tuple_dup",
        b"match x:\n    case a, a:\n        pass\n",
        Us,
    ),
    (
        "match_or_names_three",
        b"match x:\n    case [a] | [a] | [b]:\n        pass\n",
        Us,
    ),
    (
        "expected_indent_except_star",
        b"try:\n    pass\nexcept* E:\npass\n",
        Us,
    ),
    ("fstr_star", b"x = f'{*a}'\n", Us),
    (
        "await_in_fstring_sync",
        b"def f():\n    return f'{await x}'\n",
        Us,
    ),
    ("yield_in_fstring_module", b"x = f'{(yield)}'\n", Us),
    (
        "nonlocal_module_dunder_class",
        b"def f():\n    nonlocal __class__\n",
        Us,
    ),
    (
        "walrus_nested_comp_iter",
        b"[x for x in [(y := 1) for z in w]]\n",
        Us,
    ),
    (
        "walrus_nested_comp_rebind",
        b"[[(i := 1) for j in k] for i in x]\n",
        Us,
    ),
    (
        "walrus_inner_loop_conflict",
        b"[i for i in x if (j := i) for j in y]\n",
        Us,
    ),
    (
        "await_module_genexp_first_iter",
        b"(x for x in await y)\n",
        Us,
    ),
    (
        "class_kw_dup",
        b"class C(metaclass=A, metaclass=B): pass\n",
        Us,
    ),
    (
        "genexp_in_class_bases_dup",
        b"class C(x for x in y, z): pass\n",
        Ts,
    ),
    ("del_await", b"async def f():\n    del await x\n", Us),
    (
        "except_as_star",
        b"try:\n    pass\nexcept E as *e:\n    pass\n",
        Us,
    ),
    (
        "with_as_nested_star_twice",
        b"with a as [b, (*c, *d)]:\n    pass\n",
        Us,
    ),
    ("import_as_keyword", b"import a as async\n", Both),
    ("def_debug_lambda_kwonly", b"lambda *, __debug__: 0\n", Us),
    (
        "match_keyword_in_list",
        b"match x:\n    case [a=1]:\n        pass\n",
        Us,
    ),
    (
        "match_or_wild_last_names",
        b"match x:\n    case a | _:\n        pass\n",
        Us,
    ),
    (
        "match_star_in_tuple_paren",
        b"match x:\n    case (*a, *b):\n        pass\n",
        Us,
    ),
    (
        "match_mapping_rest_twice",
        b"match x:\n    case {**a, **b}:\n        pass\n",
        Us,
    ),
    (
        "match_dup_key_hex",
        b"match x:\n    case {0x10: 1, 16: 2}:\n        pass\n",
        Us,
    ),
    (
        "keyword_async_except_alias",
        b"try:\n    pass\nexcept E as await:\n    pass\n",
        Us,
    ),
    ("tstring", b"x = t'{a}'\n", Us),
    (
        "global_then_nonlocal",
        b"def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
        Us,
    ),
    ("dup_param_lambda_kwonly", b"lambda a, *, a: 0\n", Us),
    (
        "break_in_nested_def_in_try_in_loop",
        b"while x:\n    try:\n        def f():\n            break\n    finally:\n        pass\n",
        Us,
    ),
    ("return_outside_in_if", b"if x:\n    return 1\n", Us),
    (
        "yield_in_class_in_def",
        b"def f():\n    class C:\n        yield 1\n",
        Us,
    ),
    (
        "async_with_in_lambda",
        b"async def f():\n    x = lambda: [y async for y in z]\n",
        Us,
    ),
    // A line end where no statement can end: tree-sitter reads on into the next line.
    ("join_dot", b"x.\ny = 1\n", Us),
    ("join_dot_comment", b"x.#c\ny\n", Us),
    ("join_plus", b"x = 1 +\n2\n", Us),
    ("join_equals", b"x =\n1\n", Us),
    ("join_import", b"import\nos\n", Us),
    ("join_from_import", b"from os import\npath\n", Us),
    ("join_not", b"x = not\ny\n", Us),
    ("join_if_else", b"x = a if\nb else c\n", Us),
    ("join_assert", b"assert\nx\n", Us),
    ("join_del", b"del\nx\n", Us),
    ("join_minus_crlf", b"x = -\r\n1\r\n", Us),
    ("join_attr_chain", b"def f():\n    x = a.b.\n    c\n", Us),
    ("join_eof", b"x = 1 +", Both),
    ("join_colon", b"printelse:\n(format(x))\n", Us),
    (
        "join_colon_indented",
        b"def f():\n    priinally:\n    print(1)\n",
        Us,
    ),
    ("join_from", b"from typil\n\nimport os\n", Us),
    ("annotation_in_chain", b"attempts = count:er = 0\n", Us),
    (
        "annotation_as_value",
        b"output = relambda: plicate.run(1)\n",
        Us,
    ),
    ("annotation_augmented", b"x += a: b\n", Us),
    ("annotated_chain", b"attempt:s = counter = 0\n", Us),
    ("augmented_chain", b"counter += m = 1\n", Us),
    ("chain_augmented", b"atte=mpts += 1\n", Us),
    ("lone_comma_call", b"f(,)\n", Us),
    ("two_block_colons", b"if __debug:__:\n    x = 1\n", Us),
    ("parameter_colons", b"def f(a: b:c):\n    pass\n", Us),
    ("annotation_colons", b"x: a:b = 1\n", Us),
    ("lone_comma_dict", b"x = {,}\n", Us),
    ("await_await", b"async def f():\n    await await x\n", Us),
    ("await_unary", b"async def f():\n    await -x\n", Us),
    ("await_not", b"async def f():\n    await not x\n", Both),
];

/// Rejected by CPython, and by neither check (see the module docs of `parse::cpython`).
const MISSED: &[(&str, &[u8])] = &[
    ("bad_N", b"x = '\\N{NO SUCH NAME}'\n"),
    (
        "match_dup_key_escape_skip",
        b"match x:\n    case {'\\x61': 1, 'a': 2}:\n        pass\n",
    ),
];

/// Rejected by CPython 3.11 but accepted by a newer one: `compile_errors` must not flag them.
const NEWER: &[(&str, &[u8])] = &[
    ("fstr_nested_deep", b"x = f'{a:{b:{c}}}'\n"),
    ("fstr_backslash", b"x = f'{\"\\n\".join(a)}'\n"),
    ("fstr_nested_quote", b"x = f'{a['b']}'\n"),
    ("type_stmt", b"type X = int\n"),
    ("generic_def", b"def f[T](x: T) -> T:\n    return x\n"),
    (
        "future_rel_late",
        b"import os\nfrom .__future__ import annotations\n",
    ),
    ("fs_newline_in_expr", b"x = f'{a +\nb}'\n"),
    ("fs_newline_in_expr_paren", b"x = f'{(a +\nb)}'\n"),
    ("fs_triple_comment", b"x = f'''{a # c\n}'''\n"),
    ("fs_conv_space", b"x = f'{a!r }'\n"),
    (
        "d_fstring_312",
        b"x = f'{a['b']}'\ny = f'{\"\\n\".join(a)}'\nz = f'{f'{f'{1}'}'}'\n",
    ),
];

/// Valid look-alikes: CPython compiles them; neither check may report anything.
const DECOYS: &[(&str, &[u8])] = &[
    ("d_strings", b"x = 'a\\\nb'\ny = '''a\n\\'''b'''\nz = \"\\N{BULLET} \\x41 \\u0041 \\U00000041 \\777 \\d\"\nw = b'\\x41\\d\\N{x}'\nv = r'\\d'\nu = '\\\\'\n"),
    ("py2_print_chevron", b"import sys\nprint >>sys.stderr, 'x'\n"),
    ("async_genexp_sync", b"def f():\n    return (x async for x in y)\n"),
    ("await_genexp_sync", b"def f():\n    return (await x for x in y)\n"),
    ("await_genexp_module", b"(await x for x in y)\n"),
    ("future_after_doc", b"'''doc'''\n# c\nfrom __future__ import annotations\n"),
    ("subscript_star", b"a[*b]\n"),
    ("print_kw_space", b"print (x)\n"),
    ("lambda_default_yield", b"def f():\n    g = lambda: (yield)\n"),
    ("print_minus", b"print -1\n"),
    ("print_star", b"print *a\n"),
    ("print_list", b"print [1]\n"),
    ("print_paren_tuple", b"print (a), b\n"),
    ("print_alone", b"print\n"),
    ("print_chev_only", b"print >>f\n"),
    ("exec_paren_in", b"exec (code) in ns\n"),
    ("barry_bangeq", b"from __future__ import barry_as_FLUFL\nx = 1 != 2\n"),
    ("import_os_global", b"def f():\n    import os\n    global os\n"),
    ("global_annot_module", b"global x\nx: int = 1\n"),
    ("global_after_comp_use", b"def f():\n    [x for y in z]\n    global x\n"),
    ("global_twice", b"def f():\n    global x\n    global x\n"),
    ("global_after_import_from", b"def f():\n    from a import x\n    global x\n"),
    ("nonlocal_ok", b"def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n"),
    ("nonlocal_later_binding", b"def f():\n    def g():\n        nonlocal x\n    x = 1\n"),
    ("nonlocal_through_class", b"def f():\n    x = 1\n    class C:\n        def g(self):\n            nonlocal x\n"),
    ("nonlocal_class_direct", b"def f():\n    x = 1\n    class C:\n        nonlocal x\n"),
    ("nonlocal_chain", b"def f():\n    x = 1\n    def g():\n        nonlocal x\n        def h():\n            nonlocal x\n"),
    ("nonlocal_param_outer", b"def f(x):\n    def g():\n        nonlocal x\n"),
    ("nonlocal_import_outer", b"def f():\n    import x\n    def g():\n        nonlocal x\n"),
    ("nonlocal_walrus_outer", b"def f():\n    [(x := 1) for y in z]\n    def g():\n        nonlocal x\n"),
    ("nonlocal_del_outer", b"def f():\n    del x\n    def g():\n        nonlocal x\n"),
    ("nonlocal_class_name_outer", b"def f():\n    class x: pass\n    def g():\n        nonlocal x\n"),
    ("nonlocal_annot_only_outer", b"def f():\n    x: int\n    def g():\n        nonlocal x\n"),
    ("walrus_if", b"if x := 1:\n    pass\n"),
    ("walrus_while", b"while x := 1:\n    pass\n"),
    ("walrus_arg", b"f(x := 1)\n"),
    ("walrus_list", b"[x := 1, 2]\n"),
    ("walrus_set", b"{x := 1}\n"),
    ("walrus_subscript", b"a[x := 1]\n"),
    ("walrus_comp_body", b"[y := 1 for x in z]\n"),
    ("walrus_genexp_body", b"(y := 1 for x in z)\n"),
    ("walrus_tuple_paren", b"(1, y := 2)\n"),
    ("walrus_match", b"match x := 1:\n    case _:\n        pass\n"),
    ("walrus_decorator", b"@x := y\ndef f(): pass\n"),
    ("walrus_cond_expr_body", b"x = (a := 1) if b else c\n"),
    ("walrus_elif", b"if a:\n    pass\nelif x := 1:\n    pass\n"),
    ("walrus_fstring", b"f'{(x:=1)}'\n"),
    ("walrus_nested_paren", b"((x := 1))\n"),
    ("walrus_in_genexp_arg", b"f(y := 1 for x in z)\n"),
    ("walrus_subscript_tuple", b"a[x := 1, 2]\n"),
    ("walrus_set_comp_body", b"{y := 1 for x in z}\n"),
    ("walrus_print_arg", b"print(x := 1, y := 2)\n"),
    ("star_call", b"f(*a)\n"),
    ("star_list", b"[*a]\n"),
    ("star_tuple", b"x = *a, *b\n"),
    ("star_return_tuple", b"def f():\n    return *a, b\n"),
    ("star_yield_tuple", b"def f():\n    yield *a, b\n"),
    ("star_for_iter", b"for x in *a, *b:\n    pass\n"),
    ("star_aug_rhs_tuple", b"x += *a, b\n"),
    ("star_annot_rhs_tuple", b"x: tuple = *a, b\n"),
    ("star_chain_tuple", b"a = b = *c, d\n"),
    ("star_subscript_store", b"a[*b] = 1\n"),
    ("star_target_nested", b"(*a, b), *c = x\n"),
    ("star_with_tuple", b"with a as (b, *c):\n    pass\n"),
    ("star_alone_tuple", b"*a, = x\n"),
    ("star_match_subject", b"match *a, b:\n    case _:\n        pass\n"),
    ("star_subscript_slice", b"a[*b, 1:2]\n"),
    ("kw_then_star", b"f(a=1, *b)\n"),
    ("dstar_then_kw", b"f(**a, b=1)\n"),
    ("kw_after_dstar_pos_star", b"f(*a, b=1, *c, **d, e=2)\n"),
    ("future_alias", b"from __future__ import annotations as a\n"),
    ("future_rel", b"from .__future__ import annotations\n"),
    ("future_paren_doc", b"('doc')\nfrom __future__ import annotations\n"),
    ("future_concat_doc", b"'a' 'b'\nfrom __future__ import annotations\n"),
    ("future_two", b"from __future__ import annotations\nfrom __future__ import division\n"),
    ("future_semicolon_two", b"from __future__ import annotations; from __future__ import division\n"),
    ("future_after_comment_only", b"#!/usr/bin/env python\n# comment\n\nfrom __future__ import annotations\n"),
    ("future_doc_semicolon", b"'doc'; from __future__ import annotations\n"),
    ("except_bare_last_ok", b"try:\n    pass\nexcept ValueError:\n    pass\nexcept:\n    pass\n"),
    ("except_star_loop_inner_break", b"try:\n    pass\nexcept* E:\n    for x in y:\n        break\n"),
    ("except_star_def_return", b"try:\n    pass\nexcept* E:\n    def f():\n        return 1\n"),
    ("except_star_in_loop_body_try_finally", b"for x in y:\n    try:\n        pass\n    except* E:\n        pass\n    finally:\n        break\n"),
    ("return_in_finally", b"def f():\n    try:\n        pass\n    finally:\n        return 1\n"),
    ("continue_in_finally", b"for x in y:\n    try:\n        pass\n    finally:\n        continue\n"),
    ("break_in_while_else_in_for", b"for x in y:\n    while a:\n        pass\n    else:\n        break\n"),
    ("debug_global", b"def f():\n    global __debug__\n"),
    ("debug_del_attr", b"del a.__debug__\n"),
    ("debug_load", b"print(__debug__)\n"),
    ("debug_attr_load", b"print(a.__debug__)\n"),
    ("match_name", b"match = 1\nprint(match)\n"),
    ("match_call", b"match(x)\n"),
    ("case_name", b"case = 1\n"),
    ("type_name", b"type = 1\nprint(type(x))\n"),
    ("print_name", b"print = 1\n"),
    ("underscore", b"_ = 1\n"),
    ("await_in_async_comp_ok", b"async def f():\n    return [await x for x in y]\n"),
    ("async_comp_in_async", b"async def f():\n    return [x async for x in y]\n"),
    ("async_comp_in_genexp_sync", b"def f():\n    return ([x async for x in y] for z in w)\n"),
    ("await_genexp_class", b"class C:\n    (await x for x in y)\n"),
    ("await_in_async_genexp_lambda", b"async def f():\n    g = lambda: (await x for x in y)\n"),
    ("async_with_in_async", b"async def f():\n    async with a:\n        pass\n"),
    ("yield_lambda", b"x = lambda: (yield)\n"),
    ("yield_first_iter", b"def f():\n    return [x for x in (yield)]\n"),
    ("yield_in_async_ok", b"async def f():\n    yield 1\n"),
    ("return_async_gen_noval", b"async def f():\n    yield 1\n    return\n"),
    ("async_gen_nested_yield", b"async def f():\n    def g():\n        yield 1\n    return 2\n"),
    ("await_in_default", b"async def f():\n    def g(a=await x): pass\n"),
    ("await_in_decorator", b"async def f():\n    @await x\n    def g(): pass\n"),
    ("await_class_arg", b"async def f():\n    class C(await x): pass\n"),
    ("yield_in_default", b"def f():\n    def g(a=(yield)): pass\n"),
    ("yield_in_class_base", b"def f():\n    class C((yield)): pass\n"),
    ("nested_async_def_await", b"async def f():\n    def g():\n        async def h():\n            await x\n"),
    ("kw_only_after_default", b"def f(a=1, *, b): pass\n"),
    ("default_then_star_args_then_kw", b"def f(a=1, *args, b): pass\n"),
    ("posonly_default_then_default", b"def f(a=1, /, b=2): pass\n"),
    ("typed_star", b"def f(*args: int, **kw: str): pass\n"),
    ("star_then_dstar_ok", b"def f(*a, **k): pass\n"),
    ("bare_star_kw", b"def f(*, a): pass\n"),
    ("slash_only_after", b"def f(a, /): pass\n"),
    ("slash_then_star", b"def f(a, /, *, b): pass\n"),
    ("star_dstar_after_bare_star", b"def f(*, a, **k): pass\n"),
    ("default_then_dstar", b"def f(a=1, **k): pass\n"),
    ("fs_triple_newline", b"x = f'''{a +\nb}'''\n"),
    ("fs_nested_same_quote", b"x = f'{a[\"b\"]}' + f\"{d['e']}\"\n"),
    ("fs_nested_fstring", b"x = f'{f\"{y}\"}'\n"),
    ("fs_format_spec_nested", b"x = f'{a:{b}}'\n"),
    ("fs_format_spec_brace_esc", b"x = f'{a:{{}}}'\n"),
    ("fs_debug", b"x = f'{a=}'\n"),
    ("fs_debug_conv", b"x = f'{a = !r:>10}'\n"),
    ("fs_ne", b"x = f'{a!=b}'\n"),
    ("fs_dict", b"x = f'{ {1: 2}[1] }'\n"),
    ("fs_lambda", b"x = f'{(lambda: 1)()}'\n"),
    ("fs_esc_brace", b"x = f'{{}}'\n"),
    ("fs_raw", b"x = rf'\\{a}'\n"),
    ("fs_bytes", b"x = f'{b\"a\"}'\n"),
    ("fs_conv_s", b"x = f'{a!s}'\n"),
    ("str_escape_newline", b"x = 'a\\\nb'\n"),
    ("bytes_escapes_ok", b"x = b'\\x00\\n\\N\\u1234\\777'\n"),
    ("str_escapes_ok", b"x = '\\x00\\u1234\\U0010FFFF\\N{BULLET}\\777\\d'\n"),
    ("raw_trunc_ok", b"x = r'\\x4'\n"),
    ("concat_fs_u", b"x = f'a' u'b' 'c'\n"),
    ("concat_bytes_ok", b"x = b'a' B'b' rb'c'\n"),
    ("indent_ff", b"if x:\n\x0c    a = 1\n    b = 2\n"),
    ("tabs_consistent", b"if x:\n\ta = 1\n\tif y:\n\t\tb = 2\n"),
    ("tab_space_mix_same", b"if x:\n  \ta = 1\n  \tb = 2\n"),
    ("tab_then_spaces_deeper", b"if x:\n\ta = 1\n\tif y:\n\t    b = 2\n"),
    ("indent_in_brackets", b"x = (1,\n  2,\n        3)\ny = 1\n"),
    ("indent_bs_cont", b"x = 1 + \\\n        2\ny = 1\n"),
    ("indent_triple_str", b"x = '''\n    a\n  b'''\ny = 1\n"),
    ("indent_comment_line", b"if x:\n    a = 1\n  # comment\n    b = 2\n"),
    ("indent_blank_ws_line", b"if x:\n    a = 1\n  \n    b = 2\n"),
    ("colon_in_bracket_end", b"x = {1:\n 2}\n"),
    ("cont_line_first_indent", b"if x:\n    a = 1 + \\\n2\n    b = 2\n"),
    ("crlf_ok", b"if x:\r\n    a = 1\r\n"),
    ("num_ok", b"x = [0, 00, 0_0, 0o777, 0x_ff, 0b1_0, 1_000, 1.5e-3, 1e5, 1j, 1.j, .5, 5., 0.0, 09.5, 09e1, 09j, 0e0, 00.5, 1E+5_0, 0xdeadBEEF, 1_0j]\n"),
    ("num_0o_", b"x = 0o_7\n"),
    ("num_kw", b"x = [1if y else 2, 0x1for z in w]\n"),
    ("num_attr", b"x = 1 .real\n"),
    ("num_dotdot", b"x = 1..real\n"),
    ("num_in", b"x = 1in y\n"),
    ("num_not_in", b"x = 1not in y\n"),
    ("num_is", b"x = 1is y\n"),
    ("num_and", b"x = 1and y\n"),
    ("num_or", b"x = 1or y\n"),
    ("num_0777_float", b"x = 0777.0\n"),
    ("num_0777e", b"x = 0777e1\n"),
    ("num_0_7_float", b"x = 0_7.5\n"),
    ("num_1_e_5", b"x = 1e1_0\n"),
    ("with_as_paren", b"with (a as b):\n    pass\n"),
    ("with_as_tuple_target", b"with a as (b, c):\n    pass\n"),
    ("with_as_list_target", b"with a as [b, c]:\n    pass\n"),
    ("with_as_attr", b"with a as b.c, d as e[0]:\n    pass\n"),
    ("with_as_paren_target", b"with a as (b):\n    pass\n"),
    ("with_as_star_in_list", b"with a as [*b]:\n    pass\n"),
    ("del_tuple", b"del (a, b), [c, d], e.f, g[0]\n"),
    ("del_paren", b"del (a)\n"),
    ("del_empty_tuple", b"del ()\n"),
    ("del_empty_list", b"del []\n"),
    ("del_slice", b"del a[1:2]\n"),
    ("del_trailing_comma", b"del a,\n"),
    ("match_guard_irrefutable_ok", b"match x:\n    case a if a:\n        pass\n    case 1:\n        pass\n"),
    ("match_value_pattern_ok", b"match x:\n    case a.b:\n        pass\n    case 1:\n        pass\n"),
    ("match_or_same_names_ok", b"match x:\n    case [a, b] | [b, a]:\n        pass\n"),
    ("match_or_wild_names_ok", b"match x:\n    case [a, _] | [_, a]:\n        pass\n"),
    ("match_dup_key_attr_ok", b"match x:\n    case {a.b: 1, a.b: 2}:\n        pass\n"),
    ("match_complex_ok", b"match x:\n    case -1 - 2j:\n        pass\n"),
    ("match_complex_float_ok", b"match x:\n    case 1.5 + 2.5j:\n        pass\n"),
    ("match_class_kw_dup_ok_diff", b"match x:\n    case C(a=1, b=2):\n        pass\n"),
    ("match_irrefutable_last_ok", b"match x:\n    case 1:\n        pass\n    case a:\n        pass\n"),
    ("match_neg_j", b"match x:\n    case -1j:\n        pass\n"),
    ("match_open_tuple", b"match x:\n    case 1, a:\n        pass\n"),
    ("d_print", b"print(x)\nprint (x)\nprint\n"),
    ("d_exec", b"exec(code)\nexec(code, {})\n"),
    ("d_dup_kw_dict", b"f(a=1, **{'a': 2})\n"),
    ("d_numbers", b"x = [0o777, 0, 00, 0_0, 0b1, 0x_1f, 1_000.000_1e1_0j, 0.0, 1., .1, 1e-5, 0e0, 000.5]\n"),
    ("d_prefixes", b"x = [rb'a', Rb'a', bR'a', BR'a', br'a', u'a', U'a', f'a', F'a', fr'a', rf'{x}', Rf'a', fR'a', r'a', b'a']\n"),
    ("d_await_async", b"async def f():\n    await x\n    [await y for y in z]\n    [y async for y in z]\n    {k: v async for k, v in z}\n    (await y for y in z)\n    async with a as b, c:\n        pass\n    async for i in x:\n        pass\n"),
    ("d_global_before", b"def f():\n    global x\n    x = 1\n    print(x)\n    del x\n"),
    ("d_nonlocal_nested", b"def f():\n    x = 1\n    def g():\n        nonlocal x\n        x += 1\n        def h():\n            nonlocal x\n            return x\n        return h\n    return g\n"),
    ("d_tabs", b"if x:\n\tif y:\n\t\tpass\n\telse:\n\t\tpass\n"),
    ("d_formfeed", b"\x0cimport os\n\x0c\ndef f():\n    pass\n\x0c\nclass C:\n\x0c    x = 1\n"),
    ("d_future_after_doc", b"\"\"\"Doc.\"\"\"\n# comment\n\nfrom __future__ import annotations\nfrom __future__ import division, print_function\n"),
    ("d_match_soft", b"match = 1\ncase = 2\n_ = 3\ntype = 4\nmatch(x)\nmatch.x = 1\nprint(match, case, type)\n"),
    ("d_match_guard_walrus", b"match x:\n    case y if (z := y):\n        pass\n    case y if z := y:\n        pass\n"),
    ("d_targets", b"a.b = a[0] = a[1:2] = (a) = [a, b] = (c, d) = e\nx: int\nx: int = 1\n(y): int = 1\na.b: int = 1\na[0]: int\n(a.b): int\nx += 1\na.b += 1\na[0] += 1\n(x) += 1\ndel a, (b, c), [d], e.f, g[0], (h)\ndel (a), [b, c],\n() = []\n[] = ()\n"),
    ("d_args", b"f(a, b, *c, d=1, **e)\nf(*a, *b)\nf(**a, b=1)\nf(a, b=1, *c)\nclass C(A, B, metaclass=M, **kw):\n    pass\nf(x for x in y)\nf((x for x in y), 1)\n"),
    ("d_params", b"def f(a, b=1, *args, c, d=2, **kw): pass\ndef g(a, /, b, *, c): pass\ndef h(a=1, /, b=2, *, c, d=3): pass\ndef i(*, a): pass\ndef j(*args: int, **kw: str) -> None: pass\nlambda: 0\nlambda a, b=1, *c, d, **e: 0\nlambda *a: 0\nlambda a, /: 0\ndef k(a, /): pass\nasync def m(a: int = 1, *, b: str = 'x'): pass\n"),
    ("d_fstrings", b"x = f'{a!r:>{width}} {b=} {c!s} {d:%Y} {{}} {e:{f}.{g}}'\ny = f\"{'nested'} {d['k']} {x:=10}\"\nz = rf'\\d{x}'\nw = f'''{\na\n}'''\nv = f'{a}' 'b' f'{c}'\nu = f'{a!a}'\n"),
    ("d_decorators", b"@a.b(c)\n@d[0]\n@(lambda f: f)\n@e if f else g\ndef h(): pass\n"),
    ("d_class_scopes", b"class C:\n    x = 1\n    y = [x for _ in range(3)]\n    def m(self):\n        return __class__\n    def n(self):\n        super().n()\n"),
    ("d_global_module", b"global x\nx = 1\n"),
    ("d_try", b"try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass\ntry:\n    pass\nexcept* A:\n    pass\nexcept* (B, C) as e:\n    pass\ntry:\n    pass\nfinally:\n    pass\n"),
    ("d_loops", b"for x in y:\n    try:\n        continue\n    finally:\n        break\nelse:\n    pass\nwhile True:\n    for z in w:\n        break\n    else:\n        continue\n    break\n"),
    ("d_yield", b"def g():\n    x = yield\n    y = yield from z\n    yield\n    await_ = 1\n    return 1\nasync def h():\n    yield 1\n    return\nlambda: (yield)\n"),
    ("d_import", b"import a.b.c\nimport a as b, c.d as e\nfrom . import x\nfrom .. import (y, z,)\nfrom .m import *\nfrom a import (b as c, d)\n"),
    ("d_concat", b"x = ('a'\n     'b'\n     f'c')\ny = (b'a'\n     B'b'\n     rb'c')\nz = 'a' \\\n    'b'\n"),
    ("d_continuation", b"x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\n"),
    ("d_semicolons", b"x = 1; y = 2;\nif x: pass; y = 3\n"),
    ("d_comments_indent", b"def f():\n    x = 1\n# comment at col 0\n        # deeper comment\n    return x\n"),
    ("d_crlf", b"def f():\r\n    return 1\r\n\r\nclass C:\r\n    pass\r\n"),
    ("d_cr_only_no", b"x = 1\n"),
    ("d_unicode_ident", b"caf\xc3\xa9 = 1\n\xcf\x80 = 3.14\nprint(caf\xc3\xa9, \xcf\x80)\n"),
    ("d_nbsp_in_str", b"x = 'a\xc2\xa0b'  # \xe2\x80\x8b comment\n"),
    ("d_latin1", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n# \xe9\n"),
    ("d_bom", b"\xef\xbb\xbfx = 1\n"),
    ("d_bom_cookie", b"\xef\xbb\xbf# -*- coding: utf-8 -*-\nx = 1\n"),
    ("d_invalid_utf8_comment", b"x = 1  # caf\xe9\n"),
    ("d_ellipsis", b"def f(): ...\nx = ...\na[..., 1]\n"),
    ("d_nested_funcs_global", b"def f():\n    def g():\n        global x\n        x = 1\n    x = 2\n    return g\n"),
    ("d_comp_scopes", b"x = [y for y in range(3)]\ndef f():\n    return [x for x in x]\nclass C:\n    a = [b for b in range(3)]\n    c = {d: e for d, e in []}\n"),
    ("d_lambda_defaults", b"def f():\n    x = 1\n    return lambda y=x: y\n"),
    ("d_type_hints", b"from typing import List\ndef f(a: List[int], *args: 'T', **kw: 'U') -> 'V':\n    x: 'W' = 1\n    return x\n"),
    ("d_typevar_tuple", b"def f(*args: *Ts): pass\n"),
    ("d_chained_cmp", b"x = 1 < 2 <= 3 != 4 == 5 > 0 >= 0 is not None in [] not in []\n"),
    ("d_unary_chain", b"x = - - + ~ 1\ny = not not x\n"),
    ("d_nonlocal_class_method", b"def outer():\n    x = 1\n    class C:\n        def m(self):\n            nonlocal x\n            x = 2\n    return C\n"),
    ("d_global_in_class", b"class C:\n    global x\n    x = 1\n"),
    ("d_with_paren", b"with (open('a') as f, open('b') as g):\n    pass\nwith (a, b):\n    pass\nwith (a):\n    pass\nwith (a) as b:\n    pass\nwith a, b as c:\n    pass\n"),
    ("d_async_names", b"import asyncio\nasyncio.run(main())\nx.await_ = 1\nawaitable = 1\nasync_ = 1\n"),
    ("d_print_chevron", b"print >>sys.stderr, 'x'\n"),
    ("d_keyword_soft_as_attr", b"x.match = 1\nx.case(1)\nx.type\n"),
    ("d_empty", b""),
    ("d_only_comment", b"# just a comment"),
    ("d_no_trailing_newline", b"def f():\n    return 1"),
    ("d_indented_comment_first", b"    # indented comment\nx = 1\n"),
    ("d_blank_ws_end", b"if x:\n    pass\n    \n  \n"),
    ("d_if_else_oneline", b"if x: y\nelif z: w\nelse: v\n"),
    ("d_class_oneline", b"class C: pass\ndef f(): return 1\n"),
    ("d_dict_comp_walrus_body", b"[[y := x] for x in z]\n"),
    ("d_return_in_class_method", b"class C:\n    def m(self):\n        return 1\n"),
    ("d_comp_if_star", b"[x for x in y if x]\n"),
    ("d_backslash_in_comment", b"x = 1  # \\\ny = 2\n"),
    ("d_strings_hash", b"x = '#'\ny = \"\"\"#\n\"\"\"\n"),
    ("d_numbers_attr", b"x = 1 .real + 1.0.real + 0x1.real if 1 else 2\n"),
    ("d_complex_class", b"class A(B, *mixins, **kwargs): pass\n"),
    ("d_slice", b"a[1:2, ::3, ...]\na[:]\na[x:y:z]\n"),
    ("d_conditional_lambda", b"f = lambda x: x if x else None\n"),
    ("d_await_in_async_lambda_none", b"async def f():\n    return await (lambda: g())()\n"),
    ("d_genexp_await_sync", b"def f():\n    return (await x for x in y)\n"),
    ("d_async_genexp_sync", b"def f():\n    return (x async for x in y)\n"),
    ("d_except_star_loop", b"try:\n    pass\nexcept* E:\n    for x in y:\n        break\n    while z:\n        continue\n"),
    ("d_nonlocal_later_assign", b"def f():\n    def g():\n        nonlocal v\n        return v\n    v = 1\n    return g\n"),
    ("d_global_different", b"def f():\n    y = 1\n    global x\n    x = y\n"),
    ("d_param_shadow_global_other", b"def f(a):\n    global b\n    b = a\n"),
    ("d_annot_module_global", b"x: int = 1\ndef f():\n    global x\n    x = 2\n"),
    ("d_super_call", b"class C(B):\n    def __init__(self):\n        super().__init__()\n"),
    ("d_import_star_module", b"from os import *\n"),
    ("d_future_barry", b"from __future__ import barry_as_FLUFL\nx = 1 != 2\n"),
    ("d_match_class_nested", b"match p:\n    case Point(x=Point(y=a), z=[b, *c]):\n        pass\n    case {**rest}:\n        pass\n    case (a, b) | [b, a]:\n        pass\n"),
    ("d_match_value_dotted", b"match x:\n    case A.B:\n        pass\n    case A.B.C | D.E:\n        pass\n"),
    ("d_match_subject_tuple", b"match a, b:\n    case 1, 2:\n        pass\n    case (x, y):\n        pass\n"),
    ("d_match_dict_keys", b"match x:\n    case {'a': 1, 'b': 2, A.b: 3, -1: 4, 1.5: 5, None: 6, True: 7, b'a': 8}:\n        pass\n"),
    ("d_ann_only_global_other_func", b"def f():\n    x: int\ndef g():\n    global x\n"),
    ("fstr_star_tuple", b"x = f'{*a,}'\n"),
    ("global_annot_future", b"from __future__ import annotations\ndef f():\n    y: x = 1\n    global x\n"),
    ("global_param_annot_future", b"from __future__ import annotations\ndef f():\n    def g(a: x): pass\n    global x\n"),
    ("nonlocal_class_dunder", b"class C:\n    def f(self):\n        nonlocal __class__\n"),
    ("walrus_comp_class_nested_func", b"class C:\n    def f(self):\n        [(y := i) for i in x]\n"),
    ("match_class_pos_after_kw_nested", b"match x:\n    case C(D(a=1), b):\n        pass\n"),
    ("match_dup_key_bytes_str_ok", b"match x:\n    case {'a': 1, b'a': 2}:\n        pass\n"),
    ("nested_fstring_quote_312_ok", b"x = f\"{'a' if b else 'c'}\"\n"),
    ("nonlocal_then_global_other_scope_ok", b"def f():\n    x = 1\n    def g():\n        nonlocal x\n    def h():\n        global x\n"),
    ("continue_in_finally_in_loop", b"while x:\n    try:\n        pass\n    finally:\n        continue\n"),
    ("await_in_class_body_comp_genexp_ok", b"async def f():\n    class C:\n        x = (await y for y in z)\n"),
    ("d_line_ends", b"from os.path import *\nx = ...\ny = 1,\nz = a.\\\n    b\nw = (a +\n     b)\nv = 1;\nraise\nu: int\nt: int = 1\nmatch = 1\nmatch: int\nfrom . import (a,\n    b)\nfrom \\\n  os import path\nclass A: pass\nf(a,)\nx[1,]\ng = lambda a,: 0\ndef h(*, a, b=1,): pass\nasync def k():\n    -await (await x)\nf(a, # c\n  b)\na = b = c = 1\nd: int = (e := 1)\nif x: f = lambda: 0\nfor i in lambda: y:\n    pass\nclass B: c: int\nwhile d[1:2]: pass\nwith e as g: h = {1: 2}\n"),
];

/// Built here rather than spelled out: (name, source, who reports it; None for valid files).
fn long_cases() -> Vec<(&'static str, Vec<u8>, Option<By>)> {
    let nest = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)).into_bytes();
    let ifs = |n: usize| {
        let mut s: String = (0..n)
            .map(|i| format!("{}if x:\n", "    ".repeat(i)))
            .collect();
        s.push_str(&format!("{}pass\n", "    ".repeat(n)));
        s.into_bytes()
    };
    let star = |n: usize| {
        let names: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        format!("{}, *b = x\n", names.join(", ")).into_bytes()
    };
    vec![
        ("too_many_nested_parens", nest(201), Some(Us)),
        ("nested_parens_200", nest(200), None),
        ("too_many_indentation_levels", ifs(100), Some(Us)),
        ("indentation_levels_99", ifs(99), None),
        ("too_many_star_targets", star(256), Some(Us)),
        ("star_targets_255", star(255), None),
    ]
}

struct Verdict {
    line: usize,
    message: String,
}

/// CPython's verdict on each source: None if it compiles.
fn cpython(cases: &[(&str, &[u8])]) -> Option<HashMap<String, Option<Verdict>>> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (name, src)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("{i}.py"));
        std::fs::write(&path, src).unwrap();
        paths.push((name.to_string(), path));
    }
    const SCRIPT: &str = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
if sys.version_info < (3, 11):
    sys.exit(3)
for p in sys.argv[1:]:
    try:
        compile(open(p, "rb").read(), p, "exec", dont_inherit=True)
        print(json.dumps(None))
    except (SyntaxError, ValueError) as e:
        print(json.dumps([getattr(e, "lineno", None) or 1, type(e).__name__ + ": " + str(getattr(e, "msg", e))]))
"#;
    let out = match Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .args(paths.iter().map(|(_, p)| p))
        .output()
    {
        Ok(out) if out.status.success() => out,
        other => {
            eprintln!("skipping the CPython comparison: {python} unavailable or older than 3.11 ({other:?})");
            return None;
        }
    };
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), paths.len());
    Some(
        paths
            .into_iter()
            .zip(lines)
            .map(|((name, _), v)| {
                let verdict = v.as_array().map(|a| Verdict {
                    line: a[0].as_u64().unwrap_or(1).max(1) as usize,
                    message: a[1].as_str().unwrap_or_default().to_string(),
                });
                (name, verdict)
            })
            .collect(),
    )
}

/// What the two checks report: tree-sitter's first error and ours, as (offset, line, message).
struct Found {
    ts: Option<(usize, usize)>,
    ours: Option<(usize, usize, String)>,
}

fn found(src: &[u8]) -> Found {
    let source = Source::new(src.to_vec());
    let tree = parse::parse(&source);
    let line = |offset: usize| source.line_col(offset).0;
    Found {
        ts: parse::first_error(&tree).map(|o| (o, line(o))),
        ours: cpython::compile_errors(&source, &tree).first().map(|e| {
            (
                e.offset,
                line(e.offset),
                format!("{}: {}", e.kind, e.message),
            )
        }),
    }
}

#[test]
fn rejected_files_are_reported_at_cpythons_line() {
    let mut cases: Vec<(&str, Vec<u8>, By)> =
        BAD.iter().map(|(n, s, b)| (*n, s.to_vec(), *b)).collect();
    for (name, src, by) in long_cases() {
        if let Some(by) = by {
            cases.push((name, src, by));
        }
    }
    let sources: Vec<(&str, &[u8])> = cases.iter().map(|(n, s, _)| (*n, &s[..])).collect();
    let Some(verdicts) = cpython(&sources) else {
        return;
    };
    let mut failures = Vec::new();
    for (name, src, by) in &cases {
        let Some(verdict) = &verdicts[*name] else {
            failures.push(format!("{name}: CPython compiles it"));
            continue;
        };
        let f = found(src);
        match by {
            Ts | Both if f.ts.is_none() => {
                failures.push(format!("{name}: tree-sitter no longer reports it"))
            }
            Us | Both if f.ours.is_none() => {
                failures.push(format!("{name}: compile_errors misses {}", verdict.message))
            }
            Us if f.ts.is_some() => {
                failures.push(format!("{name}: tree-sitter now reports it too"))
            }
            Ts if f.ours.is_some() => failures.push(format!(
                "{name}: compile_errors now reports it too: {:?}",
                f.ours
            )),
            _ => {}
        }
        // what a caller reports: the earlier of the two
        let first = match (f.ts, f.ours.as_ref().map(|o| (o.0, o.1))) {
            (Some((a, la)), Some((b, lb))) => Some(if a <= b { la } else { lb }),
            (Some((_, l)), None) | (None, Some((_, l))) => Some(l),
            (None, None) => None,
        };
        // (tree-sitter may place an error it shares with us earlier than CPython does)
        let ours_right = f.ours.as_ref().is_some_and(|o| o.1 == verdict.line);
        if first.is_some_and(|l| l != verdict.line) && !ours_right {
            failures.push(format!(
                "{name}: reported on line {} (tree-sitter {:?}, ours {:?}), CPython says line {}: {}",
                first.unwrap_or(0),
                f.ts.map(|t| t.1),
                f.ours.as_ref().map(|o| (o.1, &o.2)),
                verdict.line,
                verdict.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn valid_files_get_nothing() {
    let long = long_cases();
    let mut sources: Vec<(&str, &[u8])> = DECOYS.to_vec();
    sources.extend(
        long.iter()
            .filter(|c| c.2.is_none())
            .map(|(n, s, _)| (*n, &s[..])),
    );
    let verdicts = cpython(&sources);
    let mut failures = Vec::new();
    for (name, src) in &sources {
        if let Some(Some(v)) = verdicts.as_ref().map(|v| &v[*name]) {
            failures.push(format!("{name}: CPython rejects it: {}", v.message));
        }
        let f = found(src);
        if f.ts.is_some() || f.ours.is_some() {
            failures.push(format!(
                "{name}: reported: tree-sitter {:?}, ours {:?}",
                f.ts, f.ours
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn syntax_a_newer_cpython_accepts_is_not_flagged() {
    let verdicts = cpython(NEWER);
    for (name, src) in NEWER {
        if let Some(v) = &verdicts {
            assert!(
                v[*name].is_some(),
                "{name}: CPython 3.11 rejects it; has python3 changed?"
            );
        }
        assert!(found(src).ours.is_none(), "{name}: {:?}", found(src).ours);
    }
}

#[test]
fn known_misses_stay_documented() {
    // `\N{...}` needs the Unicode name table; mapping keys with escapes are not decoded
    let verdicts = cpython(MISSED);
    for (name, src) in MISSED {
        if let Some(v) = &verdicts {
            assert!(v[*name].is_some(), "{name}: CPython compiles it");
        }
        let f = found(src);
        assert!(
            f.ts.is_none() && f.ours.is_none(),
            "{name} is caught now: move it to BAD"
        );
    }
}
