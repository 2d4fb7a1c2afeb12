//! PEP 440 versions: parsing, ordering as `packaging` orders them, and display.

use std::cmp::Ordering;
use std::fmt;

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
pub(super) struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    pub(super) fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    pub(super) fn number(&mut self) -> Option<Option<u64>> {
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        Some(if self.i == start { None } else { Some(n) })
    }
    pub(super) fn word(&mut self, words: &[&str]) -> Option<usize> {
        for (k, w) in words.iter().enumerate() {
            if self.s[self.i..].starts_with(w.as_bytes()) {
                self.i += w.len();
                return Some(k);
            }
        }
        None
    }
    pub(super) fn is_sep(c: Option<u8>) -> bool {
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
    pub(super) fn trailing_number(c: &mut Cursor) -> Option<u64> {
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
    pub(super) fn has_prefix(&self, epoch: u64, prefix: &[u64]) -> bool {
        self.epoch == epoch
            && prefix
                .iter()
                .enumerate()
                .all(|(i, p)| self.release.get(i).copied().unwrap_or(0) == *p)
    }
}

pub(super) fn cmp_release(a: &[u64], b: &[u64]) -> Ordering {
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
pub(super) fn pre_key(v: &Version) -> (u8, Option<(PreKind, u64)>) {
    match v.pre {
        None if v.post.is_none() && v.dev.is_some() => (0, None),
        None => (2, None),
        Some(p) => (1, Some(p)),
    }
}

pub(super) fn cmp_local(a: &[LocalSeg], b: &[LocalSeg]) -> Ordering {
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
