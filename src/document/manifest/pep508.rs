//! PEP 508 requirement strings (`name[extras] (specifiers | @ url) ; marker`), parsed for their
//! byte spans, and the specifier that replaces one which misses replicate 2.0.0b4.

use std::ops::Range;

use super::pep440::{self, PoetryConstraint, SpecifierSet};

/// What follows the name and extras.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No version specifier; one would be inserted at `at`.
    None { at: usize },
    /// `>=1,<2` or `(>=1,<2)`: `range` is the specifier text, inside any parentheses.
    Versions { range: Range<usize> },
    /// `@ https://...`: the URL.
    Url(Range<usize>),
    /// Something that is neither (`replicate 1.0`, an unclosed parenthesis).
    Invalid(Range<usize>),
}

/// A requirement's parts, as byte ranges into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: Range<usize>,
    pub extras: Option<Range<usize>>,
    pub body: Body,
    pub marker: Option<Range<usize>>,
    /// From the name to the end of the requirement (marker included), trimmed.
    pub span: Range<usize>,
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Whether `name` is the distribution `replicate` (`Replicate`, `REPLICATE`; not
/// `replicate-foo`).
pub fn is_replicate(name: &str) -> bool {
    normalize(name) == "replicate"
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

fn trim_range(b: &[u8], mut s: usize, mut e: usize) -> Range<usize> {
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    s..e
}

/// Parses a requirement. `None` when the text does not start with a distribution name.
pub fn parse(text: &str) -> Option<Requirement> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    let mut i = start;
    if i >= b.len() || !b[i].is_ascii_alphanumeric() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'_' | b'.')) {
        i += 1;
    }
    while i > start && !b[i - 1].is_ascii_alphanumeric() {
        i -= 1;
    }
    let name = start..i;
    let mut j = skip_ws(b, i);
    let mut after = i;
    let mut extras = None;
    if j < b.len() && b[j] == b'[' {
        let close = b[j..].iter().position(|&c| c == b']')? + j;
        extras = Some(j..close + 1);
        after = close + 1;
        j = skip_ws(b, close + 1);
    }
    let end_all = trim_range(b, start, b.len()).end;
    let marker_from = |k: usize| -> Option<Range<usize>> {
        // `k` is just past the `;`.
        Some(trim_range(b, k, b.len()))
    };
    let (body, marker) = if j >= b.len() {
        (Body::None { at: after }, None)
    } else if b[j] == b';' {
        (Body::None { at: after }, marker_from(j + 1))
    } else if b[j] == b'@' {
        // The URL ends at whitespace followed by `;`, or at the end.
        let mut k = j + 1;
        let mut semi = None;
        while k < b.len() {
            if b[k].is_ascii_whitespace() {
                let n = skip_ws(b, k);
                if n < b.len() && b[n] == b';' {
                    semi = Some(n);
                    break;
                }
            }
            k += 1;
        }
        let url_end = semi.unwrap_or(b.len());
        (
            Body::Url(trim_range(b, j + 1, url_end)),
            semi.and_then(|s| marker_from(s + 1)),
        )
    } else if b[j] == b'(' {
        match b[j..].iter().position(|&c| c == b')') {
            Some(p) => {
                let close = j + p;
                let rest = skip_ws(b, close + 1);
                if rest < b.len() && b[rest] != b';' {
                    (Body::Invalid(trim_range(b, j, b.len())), None)
                } else {
                    (
                        Body::Versions {
                            range: trim_range(b, j + 1, close),
                        },
                        (rest < b.len()).then(|| marker_from(rest + 1)).flatten(),
                    )
                }
            }
            None => (Body::Invalid(trim_range(b, j, b.len())), None),
        }
    } else if matches!(b[j], b'<' | b'>' | b'=' | b'!' | b'~') {
        let semi = b[j..].iter().position(|&c| c == b';').map(|p| p + j);
        let spec_end = semi.unwrap_or(b.len());
        (
            Body::Versions {
                range: trim_range(b, j, spec_end),
            },
            semi.and_then(|s| marker_from(s + 1)),
        )
    } else {
        (Body::Invalid(trim_range(b, j, b.len())), None)
    };
    Some(Requirement {
        name,
        extras,
        body,
        marker,
        span: start..end_all,
    })
}

/// How a requirement stands against replicate 2.0.0b4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The installer picks 2.0.0b4 (or may: nothing to say).
    Selects,
    /// 2.0.0b4 is outside the specifier, pre-releases allowed or not.
    Excludes,
    /// 2.0.0b4 matches, but nothing allows a pre-release: the latest final (1.x) is picked.
    FinalOnly,
    /// No version bound at all: the latest final (1.x) is picked.
    Unpinned,
    /// The specifier does not parse.
    Invalid(String),
}

/// Judges a PEP 440 specifier set (`None`: no specifier). `allow_pre` is `--pre` or an
/// installer's allow-prereleases setting; `constraint` is for constraint files, which only
/// restrict, so only an exclusion matters there.
pub fn judge_pep440(spec: Option<&str>, allow_pre: bool, constraint: bool) -> Verdict {
    let t = pep440::target();
    let Some(spec) = spec.filter(|s| !s.trim().is_empty()) else {
        return if allow_pre || constraint {
            Verdict::Selects
        } else {
            Verdict::Unpinned
        };
    };
    match SpecifierSet::parse(spec) {
        Err(e) => Verdict::Invalid(e.0),
        Ok(set) if !set.contains(&t) => Verdict::Excludes,
        Ok(set) if set.selects(&t, allow_pre) || constraint => Verdict::Selects,
        Ok(_) => Verdict::FinalOnly,
    }
}

/// Judges a Poetry constraint string.
pub fn judge_poetry(constraint: &str, allow_pre: bool) -> Verdict {
    let t = pep440::target();
    if constraint.trim().is_empty() || constraint.trim() == "*" {
        return if allow_pre {
            Verdict::Selects
        } else {
            Verdict::Unpinned
        };
    }
    match PoetryConstraint::parse(constraint) {
        Err(e) => Verdict::Invalid(e.0),
        Ok(c) if !c.contains(&t) => Verdict::Excludes,
        Ok(c) if c.selects(&t, allow_pre) => Verdict::Selects,
        Ok(_) => Verdict::FinalOnly,
    }
}

/// The spacing of an existing specifier, copied into its replacement.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// `>= 1.0` rather than `>=1.0`
    pub op_space: bool,
    /// `>=1, <2` rather than `>=1,<2`
    pub comma_space: bool,
}

impl Style {
    pub fn of(spec: &str) -> Style {
        let t = spec.trim_start();
        let op_len = t
            .bytes()
            .take_while(|c| matches!(c, b'<' | b'>' | b'=' | b'!' | b'~' | b'^'))
            .count();
        Style {
            op_space: op_len > 0 && t[op_len..].starts_with([' ', '\t']),
            comma_space: spec.contains(", "),
        }
    }
}

/// `>=2.0.0b4,<3` (or `==2.0.0b4` for an exact pin), spaced like the original.
pub fn replacement(style: Style, exact: bool) -> String {
    let sp = if style.op_space { " " } else { "" };
    if exact {
        return format!("=={sp}{}", pep440::TARGET);
    }
    let comma = if style.comma_space { ", " } else { "," };
    format!(">={sp}{}{comma}<{sp}3", pep440::TARGET)
}

/// Whether a PEP 440 specifier text is an exact pin (`==1.0.7`, `===1.0.7`).
pub fn is_exact_pep440(spec: &str) -> bool {
    SpecifierSet::parse(spec).is_ok_and(|s| s.is_exact_pin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, Option<String>, String, Option<String>) {
        let r = parse(text).unwrap_or_else(|| panic!("{text:?} parses"));
        let body = match &r.body {
            Body::None { at } => format!("none@{at}"),
            Body::Versions { range } => format!("v:{}", &text[range.clone()]),
            Body::Url(range) => format!("url:{}", &text[range.clone()]),
            Body::Invalid(range) => format!("invalid:{}", &text[range.clone()]),
        };
        (
            text[r.name].to_string(),
            r.extras.map(|e| text[e].to_string()),
            body,
            r.marker.map(|m| text[m].to_string()),
        )
    }

    #[test]
    fn parses_requirement_parts() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            parts("replicate"),
            (s("replicate"), None, s("none@9"), None)
        );
        assert_eq!(
            parts("  Replicate[async, foo] >= 1.0, <2 ; python_version < \"3.12\""),
            (
                s("Replicate"),
                Some(s("[async, foo]")),
                s("v:>= 1.0, <2"),
                Some(s("python_version < \"3.12\""))
            )
        );
        assert_eq!(
            parts("replicate (>=1,<2)"),
            (s("replicate"), None, s("v:>=1,<2"), None)
        );
        assert_eq!(
            parts("replicate ( >=1 ) ;extra=='x'"),
            (s("replicate"), None, s("v:>=1"), Some(s("extra=='x'")))
        );
        assert_eq!(
            parts("replicate @ git+https://github.com/replicate/replicate-python@1.0.7 ; os_name == 'nt'"),
            (
                s("replicate"),
                None,
                s("url:git+https://github.com/replicate/replicate-python@1.0.7"),
                Some(s("os_name == 'nt'"))
            )
        );
        assert_eq!(
            parts("replicate;python_version>'3'"),
            (
                s("replicate"),
                None,
                s("none@9"),
                Some(s("python_version>'3'"))
            )
        );
        assert_eq!(
            parts("replicate[x]"),
            (s("replicate"), Some(s("[x]")), s("none@12"), None)
        );
        assert_eq!(
            parts("replicate 1.0"),
            (s("replicate"), None, s("invalid:1.0"), None)
        );
        assert_eq!(
            parts("replicate (>=1"),
            (s("replicate"), None, s("invalid:(>=1"), None)
        );
        assert_eq!(
            parts("replicate."),
            (s("replicate"), None, s("invalid:."), None)
        );
        assert!(parse("").is_none());
        assert!(parse("  # comment").is_none());
        assert!(parse("-r base.txt").is_none());
        assert!(parse("replicate[x").is_none());
    }

    #[test]
    fn normalises_names() {
        for yes in [
            "replicate",
            "Replicate",
            "REPLICATE",
            "replicate",
            "RePlIcAtE",
        ] {
            assert!(is_replicate(yes), "{yes}");
        }
        for no in [
            "replicate-foo",
            "replicate_foo",
            "opentelemetry-instrumentation-replicate",
            "replicates",
            "re-plicate",
            "py-replicate",
            "",
        ] {
            assert!(!is_replicate(no), "{no}");
        }
        assert_eq!(normalize("Foo__Bar.-baz"), "foo-bar-baz");
    }

    #[test]
    fn judges_and_replaces() {
        assert_eq!(judge_pep440(None, false, false), Verdict::Unpinned);
        assert_eq!(judge_pep440(None, true, false), Verdict::Selects);
        assert_eq!(judge_pep440(None, false, true), Verdict::Selects);
        assert_eq!(
            judge_pep440(Some(">=1.0"), false, false),
            Verdict::FinalOnly
        );
        assert_eq!(judge_pep440(Some(">=1.0"), true, false), Verdict::Selects);
        assert_eq!(judge_pep440(Some(">=1.0"), false, true), Verdict::Selects);
        assert_eq!(judge_pep440(Some("<2"), false, true), Verdict::Excludes);
        assert_eq!(
            judge_pep440(Some(">=1.0.0,<2.0.0"), false, false),
            Verdict::Excludes
        );
        assert_eq!(
            judge_pep440(Some(">=2.0.0b4"), false, false),
            Verdict::Selects
        );
        assert!(matches!(
            judge_pep440(Some(">=1.x"), false, false),
            Verdict::Invalid(_)
        ));
        assert_eq!(judge_poetry("^1.0", false), Verdict::Excludes);
        assert_eq!(judge_poetry("*", false), Verdict::Unpinned);
        assert_eq!(judge_poetry(">=1.0", false), Verdict::FinalOnly);
        assert_eq!(judge_poetry(">=1.0", true), Verdict::Selects);
        assert_eq!(judge_poetry("^2.0.0b4", false), Verdict::Selects);
        assert!(matches!(judge_poetry("latest", false), Verdict::Invalid(_)));

        assert_eq!(replacement(Style::of(">=1,<2"), false), ">=2.0.0b4,<3");
        assert_eq!(
            replacement(Style::of(">= 1, < 2"), false),
            ">= 2.0.0b4, < 3"
        );
        assert_eq!(replacement(Style::of(">=1, <2"), false), ">=2.0.0b4, <3");
        assert_eq!(replacement(Style::of("== 1.0.7"), true), "== 2.0.0b4");
        assert_eq!(replacement(Style::default(), true), "==2.0.0b4");
        assert!(is_exact_pep440("==1.0.7"));
        assert!(is_exact_pep440("===1.0.7"));
        assert!(!is_exact_pep440("==1.*"));
        assert!(!is_exact_pep440("==1.0.7,!=1.0.6"));
    }
}
