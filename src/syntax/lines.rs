//! Where each line of a text starts, so that offsets become lines (and lines become byte
//! ranges) by binary search instead of a scan from the start of the file for every finding.

/// The byte offset of the start of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> Self {
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex {
            starts,
            len: bytes.len(),
        }
    }

    /// The 0-based line holding `offset` (an offset past the end is on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of 0-based lines `first..=last`, with the last line's `\n`.
    pub fn span_of_lines(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let last = last.min(self.starts.len() - 1);
        let start = self.starts[first.min(last)];
        let end = self.starts.get(last + 1).copied().unwrap_or(self.len);
        start..end
    }

    /// The byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// 1-based line and column (in characters of the lossily decoded line) of `offset` in
    /// `bytes`, the text this index was built from.
    pub fn line_col(&self, bytes: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = String::from_utf8_lossy(&bytes[start..offset])
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }
}

/// Where text added after the statement ending at `at` goes: the end of its line when only
/// spaces and a comment follow (`import x  # why` keeps its comment), else `at` itself
/// (another statement follows after `;`).
pub fn after_trailing_comment(bytes: &[u8], at: usize) -> usize {
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| at + i);
    let rest = &bytes[at..end];
    match rest.iter().position(|b| !matches!(b, b' ' | b'\t')) {
        None => end,
        Some(i) if rest[i] == b'#' => end,
        Some(_) => at,
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;
    use crate::syntax::Source;

    #[test]
    fn lines_and_columns_match_a_scan_from_the_start() {
        let text = "a = 1\r\n\nb = 'é'  # x\nlast";
        let index = LineIndex::new(text.as_bytes());
        let source = Source::new(text.as_bytes().to_vec());
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text.as_bytes(), offset),
                source.line_col(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_ranges_include_their_newline_and_clamp_at_the_end() {
        let text = b"one\ntwo\nthree";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.span_of_lines(0, 0)], b"one\n");
        assert_eq!(&text[index.span_of_lines(1, 2)], b"two\nthree");
        assert_eq!(&text[index.span_of_lines(1, 9)], b"two\nthree");
        assert_eq!(index.line_of(text.len()), 2);
        assert_eq!(index.line_start(2), 8);
        assert_eq!(LineIndex::new(b"").span_of_lines(0, 3), 0..0);
    }
}
