//! Report dates in two bytes.
//!
//! A [`Date`] keeps FDA's `YYYYMMDD` as a number (zeros for a part not given), which needs
//! four bytes; but a year, a month of 0–12 and a day of 0–31 are 157 × 416 values from
//! 1900 to 2056, which fit two. A date outside those years (a typing slip such as 1007 or
//! 2106 is read as given) is kept whole beside the column, so every date comes back
//! exactly.

use crate::values::Date;

/// The first year a two-byte code names, and how many.
const FIRST_YEAR: u32 = 1900;
const YEARS: u32 = 157;
/// Codes per year: months 0–12 times days 0–31.
const PER_YEAR: u32 = 13 * 32;
/// The code of a date kept whole in [`Dates::Packed::outside`].
const OUTSIDE: u16 = u16::MAX;

const _: () = assert!(YEARS * PER_YEAR < OUTSIDE as u32);

/// The two-byte code of a date (0 when missing), `None` outside the years it covers.
fn encode(date: Date) -> Option<u16> {
    if date == Date::MISSING {
        return Some(0);
    }
    let (year, month, day) = (date.0 / 10_000, date.0 / 100 % 100, date.0 % 100);
    let fits = (FIRST_YEAR..FIRST_YEAR + YEARS).contains(&year) && month <= 12 && day <= 31;
    fits.then(|| (1 + (year - FIRST_YEAR) * PER_YEAR + month * 32 + day) as u16)
}

fn decode(code: u16) -> Date {
    if code == 0 {
        return Date::MISSING;
    }
    let v = u32::from(code) - 1;
    let (year, rest) = (FIRST_YEAR + v / PER_YEAR, v % PER_YEAR);
    Date(year * 10_000 + rest / 32 * 100 + rest % 32)
}

/// A column of dates: four bytes each while a quarter is read, two once it is finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dates {
    /// Each date as read.
    Whole(Vec<Date>),
    /// Two-byte codes, and the dates they cannot name by place.
    Packed {
        /// One code per date.
        codes: Vec<u16>,
        /// (place, date) for each code that says "kept whole", by place.
        outside: Vec<(u32, Date)>,
    },
}

impl Default for Dates {
    fn default() -> Self {
        Dates::Whole(Vec::new())
    }
}

impl From<Vec<Date>> for Dates {
    fn from(dates: Vec<Date>) -> Self {
        Dates::Whole(dates)
    }
}

impl Dates {
    /// A packed column from its parts (as a snapshot keeps them); `None` unless `outside`
    /// names, in order, exactly the places whose code says "kept whole".
    pub fn packed(codes: Vec<u16>, outside: Vec<(u32, Date)>) -> Option<Dates> {
        let marked = codes.iter().filter(|&&c| c == OUTSIDE).count();
        let ordered = outside.windows(2).all(|w| w[0].0 < w[1].0);
        let named = outside
            .iter()
            .all(|&(p, _)| codes.get(p as usize) == Some(&OUTSIDE));
        (marked == outside.len() && ordered && named).then_some(Dates::Packed { codes, outside })
    }

    /// Adds a date (a packed column is unpacked first: it only happens to hand-built data).
    pub fn push(&mut self, date: Date) {
        if let Dates::Packed { .. } = self {
            *self = Dates::Whole(self.iter().collect());
        }
        if let Dates::Whole(dates) = self {
            dates.push(date);
        }
    }

    /// The date at `i`; panics past the end, as a slice does.
    #[inline]
    pub fn get(&self, i: usize) -> Date {
        match self {
            Dates::Whole(dates) => dates[i],
            Dates::Packed { codes, outside } => match codes[i] {
                OUTSIDE => {
                    let at = outside.partition_point(|&(p, _)| (p as usize) < i);
                    outside[at].1
                }
                code => decode(code),
            },
        }
    }

    /// Every date, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Date> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Number of dates.
    pub fn len(&self) -> usize {
        match self {
            Dates::Whole(dates) => dates.len(),
            Dates::Packed { codes, .. } => codes.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Packs the column into two-byte codes, without growth slack.
    pub fn shrink_to_fit(&mut self) {
        let Dates::Whole(dates) = self else {
            return;
        };
        let mut outside = Vec::new();
        let codes = dates
            .iter()
            .enumerate()
            .map(|(i, &date)| {
                encode(date).unwrap_or_else(|| {
                    outside.push((i as u32, date));
                    OUTSIDE
                })
            })
            .collect();
        outside.shrink_to_fit();
        *self = Dates::Packed { codes, outside };
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Dates::Whole(dates) => dates.capacity() * 4,
            Dates::Packed { codes, outside } => codes.capacity() * 2 + outside.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_date_the_reader_accepts_comes_back_exactly() {
        let mut dates = vec![Date::MISSING];
        for year in [
            1, 1007, 1899, 1900, 1968, 2004, 2024, 2056, 2057, 2106, 9999,
        ] {
            for month in 0..=12 {
                let days = if month == 0 { 0..=0 } else { 0..=31 };
                for day in days {
                    let text = match (month, day) {
                        (0, _) => format!("{year:04}"),
                        (_, 0) => format!("{year:04}{month:02}"),
                        _ => format!("{year:04}{month:02}{day:02}"),
                    };
                    // The reader's own dates, invalid days such as 20240231 included.
                    dates.push(Date::parse(text.as_bytes()).unwrap());
                }
            }
        }
        let mut column = Dates::from(dates.clone());
        column.shrink_to_fit();
        assert_eq!(column.iter().collect::<Vec<_>>(), dates);
        let Dates::Packed { outside, .. } = &column else {
            panic!("not packed");
        };
        // Years 1, 1007, 1899, 2057, 2106 and 9999 are kept whole; 1900-2056 take a code.
        assert_eq!(outside.len(), 6 * (1 + 12 * 32));
        assert_eq!(column.heap_bytes(), dates.len() * 2 + outside.len() * 8);
        // The largest code stays below the marker of a date kept whole.
        assert!(encode(Date(20_561_231)).unwrap() < OUTSIDE);
        assert_eq!(encode(Date(20_570_101)), None);
        column.push(Date(20_240_105));
        assert_eq!(column.get(dates.len()), Date(20_240_105));
        assert!(matches!(column, Dates::Whole(_)));
    }
}
