//! PEP 440 specifiers and specifier sets, and whether they select the target.

use std::fmt;

use super::version::Version;

/// A specifier's comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `~=`
    Compatible,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `===`
    Arbitrary,
}

/// One clause of a specifier set, such as `>=1.0` or `==1.*`.
#[derive(Debug, Clone)]
pub struct Specifier {
    pub op: Op,
    /// The version text as written (trimmed, `.*` removed).
    pub text: String,
    /// The parsed version; `None` only for an `===` clause whose text is not a version.
    pub version: Option<Version>,
    /// `==1.*` / `!=1.0.*`
    pub wildcard: bool,
}

/// Why a specifier did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(pub String);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Specifier {
    /// Parses one clause with the validity rules of `packaging.specifiers.Specifier`.
    pub fn parse(text: &str) -> Result<Specifier, SpecError> {
        let t = text.trim();
        let bad = |why: &str| Err(SpecError(format!("invalid specifier `{t}`: {why}")));
        let (op, rest) = if let Some(r) = t.strip_prefix("===") {
            (Op::Arbitrary, r)
        } else if let Some(r) = t.strip_prefix("~=") {
            (Op::Compatible, r)
        } else if let Some(r) = t.strip_prefix("==") {
            (Op::Eq, r)
        } else if let Some(r) = t.strip_prefix("!=") {
            (Op::Ne, r)
        } else if let Some(r) = t.strip_prefix("<=") {
            (Op::Le, r)
        } else if let Some(r) = t.strip_prefix(">=") {
            (Op::Ge, r)
        } else if let Some(r) = t.strip_prefix('<') {
            (Op::Lt, r)
        } else if let Some(r) = t.strip_prefix('>') {
            (Op::Gt, r)
        } else {
            return bad("no comparison operator");
        };
        let v = rest.trim();
        if v.is_empty() {
            return bad("no version");
        }
        if op == Op::Arbitrary {
            if v.contains(|c: char| c.is_whitespace() || c == ';' || c == ')') {
                return bad("whitespace in an arbitrary version");
            }
            return Ok(Specifier {
                op,
                text: v.to_string(),
                version: Version::parse(v),
                wildcard: false,
            });
        }
        if v.contains(char::is_whitespace) {
            return bad("whitespace inside the version");
        }
        let (vtext, wildcard) = match v.strip_suffix(".*") {
            Some(p) => (p, true),
            None => (v, false),
        };
        let Some(version) = Version::parse(vtext) else {
            return bad("not a PEP 440 version");
        };
        if wildcard {
            if !matches!(op, Op::Eq | Op::Ne) {
                return bad("`.*` is only allowed with `==` and `!=`");
            }
            if version.pre.is_some()
                || version.post.is_some()
                || version.dev.is_some()
                || !version.local.is_empty()
            {
                return bad("`.*` follows a release number only");
            }
        }
        if !version.local.is_empty() && !matches!(op, Op::Eq | Op::Ne) {
            return bad("a local version is only allowed with `==` and `!=`");
        }
        if op == Op::Compatible && version.release.len() < 2 {
            return bad("`~=` needs at least two release numbers");
        }
        Ok(Specifier {
            op,
            text: vtext.to_string(),
            version: Some(version),
            wildcard,
        })
    }

    /// Whether `v` (whose normalised text is `v_text`) matches, pre-releases allowed.
    pub fn contains(&self, v: &Version) -> bool {
        let Some(spec) = &self.version else {
            // `===` with a non-version: a case-insensitive string comparison.
            return v.to_string().eq_ignore_ascii_case(&self.text);
        };
        match self.op {
            Op::Arbitrary => v.to_string().eq_ignore_ascii_case(&self.text),
            Op::Eq | Op::Ne => {
                let equal = if self.wildcard {
                    v.has_prefix(spec.epoch, &spec.release)
                } else if spec.local.is_empty() {
                    v.public() == *spec
                } else {
                    v == spec
                };
                equal == (self.op == Op::Eq)
            }
            Op::Compatible => {
                let prefix = &spec.release[..spec.release.len() - 1];
                v.public() >= *spec && v.has_prefix(spec.epoch, prefix)
            }
            Op::Le => v.public() <= *spec,
            Op::Ge => v.public() >= *spec,
            Op::Lt => {
                // `<V` excludes pre-releases of V itself unless V is one.
                let pre_of_spec =
                    v.is_prerelease() && !spec.is_prerelease() && v.base() == spec.base();
                v < spec && !pre_of_spec
            }
            Op::Gt => {
                // `>V` excludes post-releases of V unless V is one, and local versions of V.
                let same_base = v.base() == spec.base();
                let post_of_spec = same_base && v.is_postrelease() && !spec.is_postrelease();
                let local_of_spec = same_base && !v.local.is_empty();
                v > spec && !post_of_spec && !local_of_spec
            }
        }
    }

    /// Whether every version this clause admits is at least `floor` (`>=2`, `~=2.0`, `==2.*`,
    /// `==2.0.0b4` for the floor 2.0.0.dev0); `!=`, `<` and `<=` clauses never are.
    pub fn excludes_below(&self, floor: &Version) -> bool {
        let Some(spec) = &self.version else {
            return false;
        };
        match self.op {
            Op::Ge | Op::Gt | Op::Compatible | Op::Eq | Op::Arbitrary => spec >= floor,
            Op::Ne | Op::Le | Op::Lt => false,
        }
    }

    /// Whether this clause on its own lets pip consider pre-releases (packaging ≤ 24).
    pub fn names_prerelease(&self) -> bool {
        matches!(
            self.op,
            Op::Eq | Op::Ge | Op::Le | Op::Compatible | Op::Arbitrary
        ) && !self.wildcard
            && self.version.as_ref().is_some_and(Version::is_prerelease)
    }
}

/// A comma-separated specifier set (`>=1.0,<2`); empty means any version.
#[derive(Debug, Clone, Default)]
pub struct SpecifierSet {
    pub specs: Vec<Specifier>,
}

impl SpecifierSet {
    pub fn parse(text: &str) -> Result<SpecifierSet, SpecError> {
        let mut specs = Vec::new();
        // Empty clauses (`>=1.0,`) are skipped, as `packaging.specifiers.SpecifierSet` does.
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            specs.push(Specifier::parse(part)?);
        }
        Ok(SpecifierSet { specs })
    }

    /// Every clause matches `v`, pre-releases allowed (`contains(v, prereleases=True)`).
    pub fn contains(&self, v: &Version) -> bool {
        self.specs.iter().all(|s| s.contains(v))
    }

    /// Some clause names a pre-release, so pip considers pre-releases.
    pub fn names_prerelease(&self) -> bool {
        self.specs.iter().any(Specifier::names_prerelease)
    }

    /// What pip does with this set: `v` matches and, if `v` is a pre-release, pre-releases are
    /// allowed (by a clause, or by `--pre` / an installer setting: `allow_pre`).
    pub fn selects(&self, v: &Version, allow_pre: bool) -> bool {
        self.contains(v) && (!v.is_prerelease() || allow_pre || self.names_prerelease())
    }

    /// A single `==V` (not a wildcard) or `===V` clause: an exact pin.
    pub fn is_exact_pin(&self) -> bool {
        matches!(self.specs.as_slice(), [s] if (s.op == Op::Eq && !s.wildcard) || s.op == Op::Arbitrary)
    }

    /// No version this set admits is a 1.x (or older): some clause bounds it at 2.0.0.dev0 or
    /// above (`>=2`, `>=2.0.0b4,<3`, `==2.0.0b4`, `~=2.0`). An empty set admits 1.x.
    pub fn excludes_v1(&self) -> bool {
        let floor = v2_floor();
        self.specs.iter().any(|s| s.excludes_below(&floor))
    }
}

/// The lowest version of replicate 2: every 1.x is below it.
pub fn v2_floor() -> Version {
    Version::parse("2.0.0.dev0").expect("a valid version")
}
