//! Splitting a byte stream into physical lines, fed chunk by chunk.
//!
//! FDA's tables are inflated on the fly; the splitter never sees a whole file. It is fed
//! arbitrary chunks and calls back once per complete line, without copying lines that lie
//! inside one chunk. Only a line that straddles two chunks is copied into a small carry
//! buffer. `\r\n` and `\n` both end a line (FDA's 2017Q4 is LF-only, the rest CRLF).
//!
//! A line longer than [`MAX_LINE_BYTES`] is not buffered: it is reported once as
//! [`Line::TooLong`] and skipped to its end, so a corrupt or hostile file cannot make the
//! reader allocate without bound.

/// The longest physical line accepted (1 MiB). FDA's longest real lines are a few KiB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One physical line, as handed to the callback.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A complete line without its terminator (`\n` or `\r\n`).
    Text(&'a [u8]),
    /// A line longer than [`MAX_LINE_BYTES`]; its bytes were discarded.
    TooLong,
}

/// Incremental line splitter. Line numbers are 1-based physical line numbers.
#[derive(Debug, Default)]
pub struct LineSplitter {
    carry: Vec<u8>,
    discarding: bool,
    line_no: u64,
    max_line: usize,
}

impl LineSplitter {
    /// A splitter that accepts lines up to [`MAX_LINE_BYTES`].
    pub fn new() -> Self {
        Self::with_max_line(MAX_LINE_BYTES)
    }

    /// A splitter with a custom line-length limit (tests use small limits).
    pub fn with_max_line(max_line: usize) -> Self {
        LineSplitter {
            carry: Vec::new(),
            discarding: false,
            line_no: 0,
            max_line,
        }
    }

    /// Feeds a chunk; calls `on_line(line_no, line)` for every line completed by it.
    pub fn push(&mut self, mut chunk: &[u8], on_line: &mut impl FnMut(u64, Line<'_>)) {
        while !chunk.is_empty() {
            match memchr::memchr(b'\n', chunk) {
                Some(pos) => {
                    let (head, rest) = (&chunk[..pos], &chunk[pos + 1..]);
                    self.line_no += 1;
                    if self.discarding {
                        self.discarding = false;
                        self.carry.clear();
                    } else if self.carry.is_empty() {
                        if head.len() > self.max_line {
                            on_line(self.line_no, Line::TooLong);
                        } else {
                            on_line(self.line_no, Line::Text(strip_cr(head)));
                        }
                    } else if self.carry.len() + head.len() > self.max_line {
                        self.carry.clear();
                        on_line(self.line_no, Line::TooLong);
                    } else {
                        self.carry.extend_from_slice(head);
                        let line = std::mem::take(&mut self.carry);
                        on_line(self.line_no, Line::Text(strip_cr(&line)));
                        self.carry = line;
                        self.carry.clear();
                    }
                    chunk = rest;
                }
                None => {
                    if !self.discarding {
                        if self.carry.len() + chunk.len() > self.max_line {
                            self.carry.clear();
                            self.discarding = true;
                            on_line(self.line_no + 1, Line::TooLong);
                        } else {
                            self.carry.extend_from_slice(chunk);
                        }
                    }
                    chunk = &[];
                }
            }
        }
    }

    /// Ends the stream: a last line without a terminator is still a line.
    pub fn finish(&mut self, on_line: &mut impl FnMut(u64, Line<'_>)) {
        if self.discarding {
            self.line_no += 1;
            self.discarding = false;
        } else if !self.carry.is_empty() {
            self.line_no += 1;
            let line = std::mem::take(&mut self.carry);
            on_line(self.line_no, Line::Text(strip_cr(&line)));
        }
    }

    /// Physical lines seen so far.
    pub fn lines_seen(&self) -> u64 {
        self.line_no
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<(u64, Option<String>)> {
        let mut out = Vec::new();
        let mut s = LineSplitter::with_max_line(max);
        let mut cb = |n: u64, l: Line<'_>| {
            out.push((
                n,
                match l {
                    Line::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    Line::TooLong => None,
                },
            ))
        };
        for c in chunks {
            s.push(c, &mut cb);
        }
        s.finish(&mut cb);
        out
    }

    #[test]
    fn crlf_and_lf_and_last_line_without_terminator() {
        let got = split(&[b"a$b\r\nc\nlast"], 100);
        assert_eq!(
            got,
            vec![
                (1, Some("a$b".into())),
                (2, Some("c".into())),
                (3, Some("last".into()))
            ]
        );
    }

    #[test]
    fn lines_straddling_chunks_in_every_split_position() {
        let text = b"first line\r\nsecond\r\n\r\nfourth\r\n";
        let whole = split(&[text], 100);
        for cut in 0..text.len() {
            let got = split(&[&text[..cut], &text[cut..]], 100);
            assert_eq!(got, whole, "cut at {cut}");
        }
        assert_eq!(whole.len(), 4);
        assert_eq!(whole[2], (3, Some(String::new())));
    }

    #[test]
    fn too_long_lines_are_reported_once_and_skipped() {
        let got = split(&[b"ok\n0123456789ABCDEF\nnext\n"], 8);
        assert_eq!(
            got,
            vec![(1, Some("ok".into())), (2, None), (3, Some("next".into()))]
        );
        // The same, when the long line arrives in small pieces.
        let got = split(&[b"ok\n0123", b"456789", b"ABCDEF\nnext\n"], 8);
        assert_eq!(
            got,
            vec![(1, Some("ok".into())), (2, None), (3, Some("next".into()))]
        );
    }
    /// What `split` must give, whatever the chunks: every `\n`-terminated line, and a last
    /// one without it; a line longer than `max` (its `\r` counted) as too long.
    fn expected(text: &[u8], max: usize) -> Vec<(u64, Option<String>)> {
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let text = (l.len() <= max).then(|| String::from_utf8_lossy(strip_cr(l)).into());
                (i as u64 + 1, text)
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn any_chunks_give_the_same_lines(
            text in proptest::collection::vec(
                proptest::sample::select(b"ab$\r\n\n".to_vec()), 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..8),
            max in 1usize..60,
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut at = 0;
            for c in cuts.into_iter().chain([text.len()]) {
                chunks.push(&text[at..c]);
                at = c;
            }
            proptest::prop_assert_eq!(split(&chunks, max), expected(&text, max));
        }
    }
}
