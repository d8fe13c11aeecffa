//! Byte offsets to 1-based line and column numbers.

use ruff_text_size::TextSize;

pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { starts }
    }

    /// The 1-based line of an offset.
    pub fn line(&self, offset: TextSize) -> u32 {
        let at = u32::from(offset);
        let idx = self.starts.partition_point(|&s| s <= at);
        u32::try_from(idx).unwrap_or(u32::MAX).max(1)
    }

    /// The 1-based line and column (in characters) of an offset.
    pub fn line_column(&self, source: &str, offset: TextSize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize] as usize;
        let end = (u32::from(offset) as usize).min(source.len());
        let column = source.get(start..end).map_or(0, |s| s.chars().count());
        (line, u32::try_from(column + 1).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_columns() {
        let src = "a = 1\nbb = 2\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line(TextSize::from(0)), 1);
        assert_eq!(idx.line_column(src, TextSize::from(8)), (2, 3));
    }
}
