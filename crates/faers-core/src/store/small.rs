//! Columns of small numbers in as few bytes as their largest value needs.
//!
//! A case version rarely passes a few dozen, a quarter names a couple of hundred reporter
//! countries and a handful of occupation codes; yet each was a `u32` per report. Once a
//! quarter is read, such a column is kept in one, two or four bytes a value, whichever holds
//! its largest. [`NO_TEXT`] ("none", `u32::MAX`) must not force four bytes, so values are
//! stored plus one, wrapping: "none" is stored as 0.

use super::NO_TEXT;

/// A column of `u32` values: four bytes each while a quarter is read, as few as fit once it
/// is finished ([`Small::shrink_to_fit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Small {
    /// One byte a value.
    Bytes(Vec<u8>),
    /// Two bytes a value.
    Halves(Vec<u16>),
    /// Four bytes a value.
    Words(Vec<u32>),
}

impl Default for Small {
    fn default() -> Self {
        Small::Words(Vec::new())
    }
}

impl From<Vec<u32>> for Small {
    fn from(values: Vec<u32>) -> Self {
        Small::Words(values.into_iter().map(stored).collect())
    }
}

/// The stored form of a value: [`NO_TEXT`] becomes 0.
#[inline]
fn stored(value: u32) -> u32 {
    value.wrapping_add(1)
}

impl Small {
    /// Adds a value (a narrowed column is widened first: it only happens to hand-built data).
    pub fn push(&mut self, value: u32) {
        if !matches!(self, Small::Words(_)) {
            *self = Small::from(self.iter().collect::<Vec<_>>());
        }
        if let Small::Words(values) = self {
            values.push(stored(value));
        }
    }

    /// The value at `i`; panics past the end, as a slice does.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        let at = match self {
            Small::Bytes(v) => u32::from(v[i]),
            Small::Halves(v) => u32::from(v[i]),
            Small::Words(v) => v[i],
        };
        at.wrapping_sub(1)
    }

    /// Every value, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Small::Bytes(v) => v.len(),
            Small::Halves(v) => v.len(),
            Small::Words(v) => v.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps each value in as few bytes as the largest needs, without growth slack.
    pub fn shrink_to_fit(&mut self) {
        let Small::Words(values) = self else {
            return;
        };
        let largest = values.iter().copied().max().unwrap_or(0);
        *self = if largest <= u32::from(u8::MAX) {
            Small::Bytes(values.iter().map(|&v| v as u8).collect())
        } else if largest <= u32::from(u16::MAX) {
            Small::Halves(values.iter().map(|&v| v as u16).collect())
        } else {
            values.shrink_to_fit();
            return;
        };
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Small::Bytes(v) => v.capacity(),
            Small::Halves(v) => v.capacity() * 2,
            Small::Words(v) => v.capacity() * 4,
        }
    }
}

const _: () = assert!(NO_TEXT == u32::MAX);

#[cfg(test)]
mod tests {
    use super::*;

    fn narrowed(values: &[u32]) -> Small {
        let mut column = Small::from(values.to_vec());
        column.shrink_to_fit();
        assert_eq!(column.iter().collect::<Vec<_>>(), values);
        column
    }

    #[test]
    fn each_value_takes_the_bytes_the_largest_needs_and_none_costs_nothing() {
        // "None" beside ids up to 254 still fits a byte; 255 does not (255 + 1).
        let bytes = narrowed(&[0, NO_TEXT, 3, 254]);
        assert!(matches!(bytes, Small::Bytes(_)));
        assert_eq!(bytes.heap_bytes(), 4);
        assert!(matches!(narrowed(&[255, NO_TEXT]), Small::Halves(_)));
        assert!(matches!(narrowed(&[65_534]), Small::Halves(_)));
        assert!(matches!(narrowed(&[65_535]), Small::Words(_)));
        assert!(matches!(narrowed(&[u32::MAX - 1, 0]), Small::Words(_)));
        assert!(narrowed(&[]).is_empty());
        // Pushing to a narrowed column widens it, keeping every value.
        let mut column = bytes;
        column.push(70_000);
        assert_eq!(
            column.iter().collect::<Vec<_>>(),
            [0, NO_TEXT, 3, 254, 70_000]
        );
        assert!(matches!(column, Small::Words(_)));
    }
}
