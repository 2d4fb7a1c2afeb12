//! Byte ranges sorted by start, to find those near a range without scanning them all: a file
//! with thousands of fixes has thousands of findings, edits and calls to relate.

/// A set of `start..end` ranges, each with its index in the caller's list.
pub struct Spans {
    /// `(start, end, index)`, by start.
    sorted: Vec<(usize, usize, usize)>,
    longest: usize,
}

impl Spans {
    pub fn new(spans: impl Iterator<Item = (usize, usize)>) -> Spans {
        let mut sorted: Vec<(usize, usize, usize)> =
            spans.enumerate().map(|(i, (s, e))| (s, e, i)).collect();
        sorted.sort_unstable();
        let longest = sorted
            .iter()
            .map(|(s, e, _)| e.saturating_sub(*s))
            .max()
            .unwrap_or(0);
        Spans { sorted, longest }
    }

    /// The indices of every range that could meet `start..=end` (a superset, which the caller
    /// tests): those starting from `longest` before `start` up to `end` inclusive.
    pub fn near(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self
            .sorted
            .partition_point(|(s, _, _)| *s < start.saturating_sub(self.longest));
        let to = self.sorted.partition_point(|(s, _, _)| *s <= end);
        self.sorted[from..to.max(from)].iter().map(|(_, _, i)| *i)
    }
}

#[cfg(test)]
mod tests {
    use super::Spans;

    #[test]
    fn near_finds_every_range_that_meets_or_touches() {
        let ranges = [(0, 4), (10, 10), (12, 30), (31, 33), (50, 51)];
        let spans = Spans::new(ranges.iter().copied());
        for start in 0..60 {
            for end in start..60 {
                let near: Vec<usize> = spans.near(start, end).collect();
                for (i, (s, e)) in ranges.iter().enumerate() {
                    if *s <= end && start <= *e {
                        assert!(near.contains(&i), "{start}..{end} misses {s}..{e}");
                    }
                }
            }
        }
    }
}
