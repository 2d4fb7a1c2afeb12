//! PEP 440 versions and specifier sets, and Poetry's constraint syntax: just enough to answer
//! "does this requirement make the installer pick replicate 2.0.0b4?".
//!
//! Matching follows `packaging.specifiers` (the library pip vendors). Which pre-releases are
//! allowed follows the rule pip has applied for years (packaging ≤ 24): a specifier set allows
//! pre-releases only when one of its `==`, `>=`, `<=`, `~=` or `===` clauses names a pre-release.
//! Newer packaging also counts `<` and `>`; the older rule flags a superset, which is the safe
//! side for a migration check.

use std::cmp::Ordering;
use std::fmt;

/// The release the migration targets.
pub const TARGET: &str = "2.0.0b4";

/// The parsed [`TARGET`].
pub fn target() -> Version {
    Version::parse(TARGET).expect("the target version parses")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// One dot-separated part of a local version label (`+ubuntu.1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalSeg {
    Num(u64),
    Str(String),
}

/// A PEP 440 version.
#[derive(Debug, Clone)]
pub struct Version {
    pub epoch: u64,
    pub release: Vec<u64>,
    pub pre: Option<(PreKind, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
    pub local: Vec<LocalSeg>,
}

/// A cursor over the lower-cased version text.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn number(&mut self) -> Option<Option<u64>> {
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        Some(if self.i == start { None } else { Some(n) })
    }
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        for (k, w) in words.iter().enumerate() {
            if self.s[self.i..].starts_with(w.as_bytes()) {
                self.i += w.len();
                return Some(k);
            }
        }
        None
    }
    fn is_sep(c: Option<u8>) -> bool {
        matches!(c, Some(b'-' | b'_' | b'.'))
    }
}

impl Version {
    /// Parses a version the way `packaging.version.Version` does (case-insensitive, `v` prefix,
    /// alternative spellings, surrounding whitespace). `None` for anything else, including
    /// numbers beyond `u64`.
    pub fn parse(text: &str) -> Option<Version> {
        let lower = text.trim().to_ascii_lowercase();
        let mut c = Cursor {
            s: lower.as_bytes(),
            i: 0,
        };
        if c.peek() == Some(b'v') {
            c.i += 1;
        }
        let mut epoch = 0;
        let save = c.i;
        if let Some(n) = c.number()? {
            if c.peek() == Some(b'!') {
                epoch = n;
                c.i += 1;
            } else {
                c.i = save;
            }
        }
        let mut release = vec![c.number()??];
        while c.peek() == Some(b'.') && matches!(c.at(1), Some(b'0'..=b'9')) {
            c.i += 1;
            release.push(c.number()??);
        }
        // Pre-release: [-_.]? (alpha|a|beta|b|preview|pre|c|rc) [-_.]? N?
        let mut pre = None;
        let save = c.i;
        if Cursor::is_sep(c.peek()) {
            c.i += 1;
        }
        const PRE: [&str; 8] = ["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"];
        if let Some(k) = c.word(&PRE) {
            let kind = match PRE[k] {
                "alpha" | "a" => PreKind::Alpha,
                "beta" | "b" => PreKind::Beta,
                _ => PreKind::Rc,
            };
            pre = Some((kind, Self::trailing_number(&mut c)?));
        } else {
            c.i = save;
        }
        // Post-release: -N | [-_.]? (post|rev|r) [-_.]? N?
        let mut post = None;
        if c.peek() == Some(b'-') && matches!(c.at(1), Some(b'0'..=b'9')) {
            c.i += 1;
            post = Some(c.number()??);
        } else {
            let save = c.i;
            if Cursor::is_sep(c.peek()) {
                c.i += 1;
            }
            if c.word(&["post", "rev", "r"]).is_some() {
                post = Some(Self::trailing_number(&mut c)?);
            } else {
                c.i = save;
            }
        }
        // Development release: [-_.]? dev [-_.]? N?
        let mut dev = None;
        let save = c.i;
        if Cursor::is_sep(c.peek()) {
            c.i += 1;
        }
        if c.word(&["dev"]).is_some() {
            dev = Some(Self::trailing_number(&mut c)?);
        } else {
            c.i = save;
        }
        // Local version: + [a-z0-9]+ ([-_.][a-z0-9]+)*
        let mut local = Vec::new();
        if c.peek() == Some(b'+') {
            c.i += 1;
            loop {
                let start = c.i;
                while matches!(c.peek(), Some(b'a'..=b'z' | b'0'..=b'9')) {
                    c.i += 1;
                }
                if c.i == start {
                    return None;
                }
                let seg = &lower[start..c.i];
                local.push(match seg.parse::<u64>() {
                    Ok(n) if seg.bytes().all(|b| b.is_ascii_digit()) => LocalSeg::Num(n),
                    _ if seg.bytes().all(|b| b.is_ascii_digit()) => return None,
                    _ => LocalSeg::Str(seg.to_string()),
                });
                if Cursor::is_sep(c.peek()) {
                    c.i += 1;
                } else {
                    break;
                }
            }
        }
        if c.i != c.s.len() {
            return None;
        }
        Some(Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// `[-_.]? N?` after a pre/post/dev label; the separator is taken only before a number.
    fn trailing_number(c: &mut Cursor) -> Option<u64> {
        if Cursor::is_sep(c.peek()) && matches!(c.at(1), Some(b'0'..=b'9')) {
            c.i += 1;
        }
        Some(c.number()?.unwrap_or(0))
    }

    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// The version without its local label.
    pub fn public(&self) -> Version {
        Version {
            local: Vec::new(),
            ..self.clone()
        }
    }

    /// Epoch and release only.
    pub fn base(&self) -> Version {
        Version {
            epoch: self.epoch,
            release: self.release.clone(),
            pre: None,
            post: None,
            dev: None,
            local: Vec::new(),
        }
    }

    /// Whether the public version starts with `epoch!prefix` (the `==prefix.*` test), missing
    /// release parts counting as zero.
    fn has_prefix(&self, epoch: u64, prefix: &[u64]) -> bool {
        self.epoch == epoch
            && prefix
                .iter()
                .enumerate()
                .all(|(i, p)| self.release.get(i).copied().unwrap_or(0) == *p)
    }
}

fn cmp_release(a: &[u64], b: &[u64]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let o = a
            .get(i)
            .copied()
            .unwrap_or(0)
            .cmp(&b.get(i).copied().unwrap_or(0));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// packaging's sort key for the pre-release part: a bare dev release sorts before every
/// pre-release of the same release, a final release after them.
fn pre_key(v: &Version) -> (u8, Option<(PreKind, u64)>) {
    match v.pre {
        None if v.post.is_none() && v.dev.is_some() => (0, None),
        None => (2, None),
        Some(p) => (1, Some(p)),
    }
}

fn cmp_local(a: &[LocalSeg], b: &[LocalSeg]) -> Ordering {
    // No local label sorts first; numeric segments sort after alphanumeric ones.
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (LocalSeg::Num(x), LocalSeg::Num(y)) => x.cmp(y),
            (LocalSeg::Num(_), LocalSeg::Str(_)) => Ordering::Greater,
            (LocalSeg::Str(_), LocalSeg::Num(_)) => Ordering::Less,
            (LocalSeg::Str(x), LocalSeg::Str(y)) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| cmp_release(&self.release, &other.release))
            .then_with(|| pre_key(self).cmp(&pre_key(other)))
            // No post-release sorts before any post-release.
            .then_with(|| self.post.map(|p| p + 1).cmp(&other.post.map(|p| p + 1)))
            // No dev release sorts after every dev release.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
            .then_with(|| cmp_local(&self.local, &other.local))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    /// The normalised form, as `str(packaging.version.Version(...))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        let release: Vec<String> = self.release.iter().map(u64::to_string).collect();
        f.write_str(&release.join("."))?;
        if let Some((kind, n)) = self.pre {
            let label = match kind {
                PreKind::Alpha => "a",
                PreKind::Beta => "b",
                PreKind::Rc => "rc",
            };
            write!(f, "{label}{n}")?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        if !self.local.is_empty() {
            let local: Vec<String> = self
                .local
                .iter()
                .map(|s| match s {
                    LocalSeg::Num(n) => n.to_string(),
                    LocalSeg::Str(s) => s.clone(),
                })
                .collect();
            write!(f, "+{}", local.join("."))?;
        }
        Ok(())
    }
}

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
    fn singles(branch: &str) -> Vec<String> {
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

    fn single(c: &str) -> Result<Vec<Specifier>, SpecError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn parses_and_normalises_versions() {
        for (raw, norm) in [
            ("2.0.0b4", "2.0.0b4"),
            ("2.0.0-beta4", "2.0.0b4"),
            ("2.0.0.beta.4", "2.0.0b4"),
            ("V1.0", "1.0"),
            ("1!2.0", "1!2.0"),
            ("1.0-1", "1.0.post1"),
            ("1.0.post", "1.0.post0"),
            ("1.0rev2", "1.0.post2"),
            ("1.0r", "1.0.post0"),
            ("1.0c1", "1.0rc1"),
            ("1.0preview2", "1.0rc2"),
            ("1.0pre", "1.0rc0"),
            ("1.0alpha", "1.0a0"),
            ("1.0-dev", "1.0.dev0"),
            ("1.0a.dev1", "1.0a0.dev1"),
            ("1.0+Ubuntu-1.2", "1.0+ubuntu.1.2"),
            (" 1.0 ", "1.0"),
            ("1.0rc1.post2.dev3", "1.0rc1.post2.dev3"),
        ] {
            assert_eq!(v(raw).to_string(), norm, "{raw}");
        }
        for bad in [
            "",
            "x",
            "1.",
            "1..0",
            "1.0+",
            "1.0+a..b",
            "1.0 1",
            "1.0.*",
            "1.0beta-",
            "1.0++",
            "-1",
            "1.0-",
            "99999999999999999999999",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad:?} must not parse");
        }
    }

    #[test]
    fn orders_versions_like_packaging() {
        let sorted = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1.dev1",
            "1.0a1.post1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.1",
            "1.0+1",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.0.1",
            "2.0.0a1",
            "2.0.0b4",
            "2.0.0rc1",
            "2.0",
            "1!0.1",
        ];
        for w in sorted.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("2.0.0b4"), v("2.0b4"));
        assert_ne!(v("1.0"), v("1.0+local"));
    }

    /// (specifier set, selects 2.0.0b4 under pip's default, contains 2.0.0b4 with pre-releases)
    pub(crate) const SELECTS_TABLE: &[(&str, bool, bool)] = &[
        ("", false, true),
        (">=1.0", false, true),
        (">=1.0.0,<2.0.0", false, false),
        ("<2", false, false),
        ("<2.0", false, false),
        ("<=2", false, true),
        ("==1.0.7", false, false),
        ("~=1.0", false, false),
        ("==1.*", false, false),
        ("==2.*", false, true),
        ("==2.0.*", false, true),
        ("!=1.0.*", false, true),
        ("!=2.0.*", false, false),
        ("!=1.0.7", false, true),
        (">1.99", false, true),
        (">2", false, false),
        (">=2", false, false),
        (">=2.0.0", false, false),
        (">=2.0.0b4", true, true),
        (">= 2.0.0b4", true, true),
        ("==2.0.0b4", true, true),
        ("==2.0b4", true, true),
        ("==2.0.0-beta.4", true, true),
        ("==v2.0.0b4", true, true),
        ("===2.0.0b4", true, true),
        ("===2.0.0B4", true, true),
        ("===2.0.0-beta4", false, false),
        (">=2.0.0a1,<3", true, true),
        (">=2.0.0b4,<3", true, true),
        (">=2.0.0b5", false, false),
        (">=2.0.0rc1", false, false),
        (">=2.0.0.dev1", true, true),
        ("~=2.0b1", true, true),
        ("~=2.0.0b1", true, true),
        ("~=2.0.0b5", false, false),
        ("~=1.0b1", false, false),
        ("<=2.0.0b4", true, true),
        ("<=2.0.0b3", false, false),
        (">2.0.0a1", false, true),
        (">2.0.0a1,<3", false, true),
        ("<2.0.0b5", false, true),
        (">=1.0,!=2.0.0b4,<3.0.0rc1", false, false),
        (">=2.0.0b4,!=2.0.0b4", false, false),
        (">=2.0.0b4,<2", false, false),
        (">=2.0.0b4,<2.0.0b4", false, false),
        ("==2.0.0b4+local", false, false),
        ("!=2.0.0b4+local", false, true),
        (">=1!1.0", false, false),
        ("==0!2.0.0b4", true, true),
        (">=2.0.0b4,>=1", true, true),
        ("<3,>=2.0.0b4", true, true),
        ("==2.0.0b4,==2.0.0b4", true, true),
        (">=1.0.0a1,<2", false, false),
        (">=1.0.0a1", true, true),
        (">=2.0.0b4.post1", false, false),
        (">2.0.0b3.post1", false, true),
        (">=2.0.0b3.post1", true, true),
    ];

    #[test]
    fn specifier_table() {
        let t = target();
        for (spec, selects, contains) in SELECTS_TABLE {
            let set = SpecifierSet::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
            assert_eq!(set.contains(&t), *contains, "contains({spec:?})");
            assert_eq!(set.selects(&t, false), *selects, "selects({spec:?})");
            // `--pre` (or an installer's allow-prereleases) makes containment enough.
            assert_eq!(set.selects(&t, true), *contains, "selects --pre ({spec:?})");
        }
    }

    /// Clauses that `packaging` (without LegacySpecifier) rejects too.
    pub(crate) const INVALID: &[&str] = &[
        "1.0",
        ">=",
        ">=1.0.*",
        "~=1",
        "~=1.0.*",
        "<1.0+local",
        ">=1.0 2",
        "==1.0a1.*",
        "=1.0",
        "=>1.0",
        "== 1. 0",
        ">=1.x",
    ];

    #[test]
    fn rejects_invalid_specifiers() {
        for bad in INVALID {
            assert!(
                SpecifierSet::parse(bad).is_err(),
                "{bad:?} must be rejected"
            );
        }
        assert!(SpecifierSet::parse("  ").unwrap().specs.is_empty());
    }

    #[test]
    fn poetry_constraints() {
        let t = target();
        for (c, selects, pinned) in [
            ("*", false, false),
            ("", false, false),
            ("^1.0", false, false),
            ("^1.0.7", false, false),
            ("~1.0", false, false),
            ("~1", false, false),
            ("~2", false, false),
            ("~=1.0", false, false),
            ("1.0.7", false, true),
            ("==1.0.7", false, true),
            ("=1.0.7", false, true),
            ("1.*", false, false),
            ("1.x", false, false),
            (">=1,<2", false, false),
            (">=1 <2", false, false),
            (">= 1.0, < 2.0", false, false),
            (">=1.0", false, false),
            ("^2.0.0b4", true, false),
            ("^2.0.0a1", true, false),
            ("^2.0.0b5", false, false),
            ("2.0.0b4", true, true),
            ("==2.0.0b4", true, true),
            (">=2.0.0b4,<3", true, false),
            (">=2.0.0b4 <3", true, false),
            ("~2.0.0b1", true, false),
            ("~=2.0b1", true, false),
            ("<2.0.0b5", true, false),
            ("^1.0 || ^2.0.0b4", true, false),
            ("^1.0 || >=2", false, false),
            ("^1.0 | ^2.0.0b1", true, false),
            ("!=1.0.7", false, false),
            ("<>2.0.0b4", false, false),
            ("2.*", false, false),
        ] {
            let pc = PoetryConstraint::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            assert_eq!(pc.selects(&t, false), selects, "poetry selects({c:?})");
            assert_eq!(pc.is_exact_pin(), pinned, "poetry pinned({c:?})");
        }
        // `allow-prereleases = true` makes containment enough.
        let pc = PoetryConstraint::parse(">=1.0").unwrap();
        assert!(pc.selects(&t, true));
        let pc = PoetryConstraint::parse("^1.0").unwrap();
        assert!(!pc.selects(&t, true));
        // Caret and tilde bounds.
        let upper = |c: &str| {
            PoetryConstraint::parse(c).unwrap().branches[0].specs[1]
                .version
                .clone()
                .unwrap()
                .to_string()
        };
        assert_eq!(upper("^1.2.3"), "2");
        assert_eq!(upper("^0.2.3"), "0.3");
        assert_eq!(upper("^0.0.3"), "0.0.4");
        assert_eq!(upper("^0.0"), "0.1");
        assert_eq!(upper("^0"), "1");
        assert_eq!(upper("~1.2.3"), "1.3");
        assert_eq!(upper("~1"), "2");
        for bad in ["^", "^x", "~", ">=", "1.0 ||| x", "latest", ">=1.0.x.y"] {
            assert!(
                PoetryConstraint::parse(bad).is_err(),
                "{bad:?} must be rejected"
            );
        }
    }
}

#[cfg(test)]
mod cross_check {
    use super::super::testing;
    use super::tests::{INVALID, SELECTS_TABLE};
    use super::*;

    const SCRIPT: &str = r#"
import importlib, sys
S = importlib.import_module(sys.argv[1] + ".specifiers")
for line in sys.stdin.read().split("\n")[:-1]:
    try:
        s = S.SpecifierSet(line)
    except Exception:
        print("invalid")
        continue
    legacy = any(type(x).__name__ == "LegacySpecifier" for x in s)
    print("%d %d %d" % (s.contains("2.0.0b4", prereleases=True), s.contains("2.0.0b4"), legacy))
"#;

    /// The table above, and the invalid clauses, judged by the real `packaging`.
    #[test]
    fn table_agrees_with_packaging() {
        let specs: Vec<&str> = SELECTS_TABLE.iter().map(|(s, _, _)| *s).collect();
        for p in testing::packagings() {
            let mut input = String::new();
            for s in specs.iter().chain(INVALID) {
                input.push_str(s);
                input.push('\n');
            }
            let out = testing::run(&p, SCRIPT, &input);
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), specs.len() + INVALID.len());
            let t = target();
            for ((spec, selects, contains), line) in SELECTS_TABLE.iter().zip(&lines) {
                let ours = SpecifierSet::parse(spec).unwrap();
                let fields: Vec<&str> = line.split(' ').collect();
                assert_eq!(fields.len(), 3, "packaging {} rejects {spec:?}", p.version);
                assert_eq!(
                    *contains,
                    fields[0] == "1",
                    "table vs packaging {}: {spec:?}",
                    p.version
                );
                if p.legacy_prereleases {
                    assert_eq!(
                        *selects,
                        fields[1] == "1",
                        "table vs packaging {}: {spec:?}",
                        p.version
                    );
                }
                assert_eq!(
                    ours.contains(&t),
                    fields[0] == "1",
                    "packaging {}: contains({spec:?}, prereleases=True)",
                    p.version
                );
                if p.legacy_prereleases {
                    // Here `contains` with default pre-release handling is pip's choice.
                    assert_eq!(
                        ours.selects(&t, false),
                        fields[1] == "1",
                        "packaging {}: {spec:?} selects 2.0.0b4",
                        p.version
                    );
                }
            }
            for (spec, line) in INVALID.iter().zip(&lines[specs.len()..]) {
                // packaging < 22 falls back to LegacySpecifier for malformed clauses.
                if !p.has_legacy_specifier {
                    assert_eq!(*line, "invalid", "packaging {} accepts {spec:?}", p.version);
                }
            }
        }
    }
}
