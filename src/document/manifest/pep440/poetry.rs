//! Poetry's constraint syntax (`^1.0`, `~1.2`, `>=1,<2 || ^3`), converted to PEP 440 clauses.

use super::specifier::{Op, SpecError, Specifier, SpecifierSet};
use super::version::Version;

/// A Poetry version constraint (`^1.0`, `~1.2`, `>=1,<2 || ^3`, `1.0.7`, `*`), converted to PEP 440
/// clauses: a union of intersections.
#[derive(Debug, Clone)]
pub struct PoetryConstraint {
    pub branches: Vec<SpecifierSet>,
}

impl PoetryConstraint {
    /// Parses poetry-core's constraint syntax. A bare version is an exact pin, `=V` is `==V`,
    /// `<>V` is `!=V`, and `1.x` / `1.*` are wildcards.
    pub fn parse(text: &str) -> Result<PoetryConstraint, SpecError> {
        if text.trim().is_empty() {
            return Ok(PoetryConstraint {
                branches: vec![SpecifierSet::default()],
            });
        }
        let mut branches = Vec::new();
        for branch in text.replace("||", "|").split('|') {
            let branch = branch.trim();
            if branch.is_empty() {
                return Err(SpecError(format!("empty constraint in `{}`", text.trim())));
            }
            let mut specs = Vec::new();
            for single in Self::singles(branch) {
                specs.extend(Self::single(&single)?);
            }
            branches.push(SpecifierSet { specs });
        }
        Ok(PoetryConstraint { branches })
    }

    /// Splits an intersection on commas and spaces, keeping an operator with its version.
    pub(super) fn singles(branch: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut pending = String::new();
        for word in branch.split(|c: char| c == ',' || c.is_whitespace()) {
            if word.is_empty() {
                continue;
            }
            pending.push_str(word);
            if word.chars().all(|c| "<>=!~^".contains(c)) {
                continue;
            }
            out.push(std::mem::take(&mut pending));
        }
        if !pending.is_empty() {
            out.push(pending);
        }
        out
    }

    pub(super) fn single(c: &str) -> Result<Vec<Specifier>, SpecError> {
        let bad = || SpecError(format!("invalid Poetry constraint `{c}`"));
        let spec = |op: Op, v: &Version, text: &str| Specifier {
            op,
            text: text.to_string(),
            version: Some(v.clone()),
            wildcard: false,
        };
        if c == "*" {
            return Ok(Vec::new());
        }
        if let Some(rest) = c.strip_prefix('^') {
            let v = Version::parse(rest).ok_or_else(bad)?;
            let r = &v.release;
            let upper = if r[0] > 0 || r.len() == 1 {
                vec![r[0] + 1]
            } else if r[1] > 0 || r.len() == 2 {
                vec![0, r[1] + 1]
            } else {
                vec![0, 0, r[2] + 1]
            };
            let upper = Version {
                release: upper,
                ..v.base()
            };
            return Ok(vec![
                spec(Op::Ge, &v, rest.trim()),
                spec(Op::Lt, &upper, &upper.to_string()),
            ]);
        }
        if let Some(rest) = c.strip_prefix('~').filter(|r| !r.starts_with('=')) {
            let v = Version::parse(rest).ok_or_else(bad)?;
            let r = &v.release;
            let upper = if r.len() == 1 {
                vec![r[0] + 1]
            } else {
                vec![r[0], r[1] + 1]
            };
            let upper = Version {
                release: upper,
                ..v.base()
            };
            return Ok(vec![
                spec(Op::Ge, &v, rest.trim()),
                spec(Op::Lt, &upper, &upper.to_string()),
            ]);
        }
        if let Some(rest) = c.strip_prefix("~=") {
            let v = Version::parse(rest).ok_or_else(bad)?;
            if v.release.len() == 1 {
                let upper = Version {
                    release: vec![v.release[0] + 1],
                    ..v.base()
                };
                return Ok(vec![
                    spec(Op::Ge, &v, rest.trim()),
                    spec(Op::Lt, &upper, &upper.to_string()),
                ]);
            }
            return Ok(vec![Specifier::parse(c)?]);
        }
        // Operators of poetry's basic constraint, longest first.
        let (op, rest) = [
            ("==", "=="),
            ("!=", "!="),
            ("<>", "!="),
            (">=", ">="),
            ("<=", "<="),
            ("=", "=="),
            ("<", "<"),
            (">", ">"),
        ]
        .iter()
        .find_map(|(p, op)| c.strip_prefix(p).map(|r| (*op, r)))
        .unwrap_or(("==", c));
        let rest = rest.trim();
        // `1.x`, `1.X`, `1.*` wildcards.
        let lowered = rest.to_ascii_lowercase();
        if let Some(prefix) = lowered
            .strip_suffix(".x")
            .or_else(|| lowered.strip_suffix(".*"))
        {
            let op = if op == "!=" { "!=" } else { "==" };
            if !matches!(c.chars().next(), Some('=' | '!' | '0'..='9' | 'v')) {
                return Err(bad());
            }
            return Ok(vec![Specifier::parse(&format!("{op}{prefix}.*"))?]);
        }
        Specifier::parse(&format!("{op}{rest}")).map(|s| vec![s])
    }

    /// Poetry's choice: `v` is in one branch, and a pre-release `v` is considered when the
    /// dependency allows pre-releases (`allow-prereleases = true`: `allow_pre`) or that branch
    /// names a pre-release bound (poetry-core counts `<` and `>` bounds too).
    pub fn selects(&self, v: &Version, allow_pre: bool) -> bool {
        self.branches.iter().any(|b| {
            b.contains(v)
                && (!v.is_prerelease()
                    || allow_pre
                    || b.specs
                        .iter()
                        .any(|s| s.version.as_ref().is_some_and(Version::is_prerelease)))
        })
    }

    /// A single exact version (`1.0.7`, `==1.0.7`).
    pub fn is_exact_pin(&self) -> bool {
        matches!(self.branches.as_slice(), [b] if b.is_exact_pin())
    }

    /// Whether some branch matches `v` with pre-releases allowed.
    pub fn contains(&self, v: &Version) -> bool {
        self.branches.iter().any(|b| b.contains(v))
    }

    /// No branch admits a 1.x (`^2.0.0b4`, `>=2,<3`, `2.0.0b4`).
    pub fn excludes_v1(&self) -> bool {
        !self.branches.is_empty() && self.branches.iter().all(SpecifierSet::excludes_v1)
    }
}
