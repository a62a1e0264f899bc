//! A growing list of rows kept in fixed-size chunks.
//!
//! A `Vec` grows by doubling: at its last growth it briefly holds the old and the new
//! buffer, up to three times its rows, and keeps up to twice the room they need. In
//! WebAssembly that peak stays with the page (its memory never shrinks), and the row lists
//! of one quarter being read are its largest allocations (DRUG's 1.5 million rows take
//! 25 MB). Chunks of [`CHUNK`] rows never move once filled and waste at most one chunk.

/// Rows per chunk (a megabyte of 16-byte rows).
const CHUNK: usize = 1 << 16;

/// Rows in chunks; see the module documentation.
#[derive(Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Copy> Chunked<T> {
    /// Adds a row at the end.
    #[inline]
    pub(crate) fn push(&mut self, row: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(row),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(row);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Row `i`; panics past the end, as a slice does.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> T {
        self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_in_order_across_chunks_which_never_grow() {
        let mut rows = Chunked::default();
        let n = 2 * CHUNK + 3;
        for i in 0..n {
            rows.push(i as u32);
        }
        assert_eq!(rows.len(), n);
        assert!((0..n).map(|i| rows.get(i)).eq(0..n as u32));
        assert_eq!(rows.get(CHUNK), CHUNK as u32);
        assert_eq!(rows.chunks.len(), 3);
        assert!(rows.chunks.iter().all(|c| c.capacity() == CHUNK));
        assert_eq!(Chunked::<u8>::default().len(), 0);
    }
}
