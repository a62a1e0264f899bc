//! Civil-calendar arithmetic on day numbers (days since 1970-01-01), integer only, and the
//! quarter boundaries FAERS extracts use.

/// Day number (days since 1970-01-01) of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// The date `(year, month, day)` of a day number.
pub(crate) const fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// First and last day numbers of a calendar quarter (`quarter` in 1..=4).
pub(crate) const fn quarter_bounds(year: u16, quarter: u8) -> (i32, i32) {
    let first_month = 3 * (quarter as u32 - 1) + 1;
    let start = days_from_civil(year as i32, first_month, 1);
    let end = if quarter == 4 {
        days_from_civil(year as i32 + 1, 1, 1) - 1
    } else {
        days_from_civil(year as i32, first_month + 3, 1) - 1
    };
    (start, end)
}

/// A running quarter number (`year * 4 + quarter - 1`), handy for ordering and distances.
pub(crate) const fn quarter_index(year: u16, quarter: u8) -> i64 {
    year as i64 * 4 + quarter as i64 - 1
}

/// How many digits of a date a FAERS field carries: full, year-month or year only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    /// `YYYYMMDD`
    Day,
    /// `YYYYMM`
    Month,
    /// `YYYY`
    Year,
}

/// Appends a day number as `YYYYMMDD`, `YYYYMM` or `YYYY`.
pub(crate) fn push_date(out: &mut Vec<u8>, day: i32, precision: Precision) {
    let (y, m, d) = civil_from_days(day);
    let y = y.clamp(0, 9999) as u32;
    out.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]);
    if precision == Precision::Year {
        return;
    }
    out.extend_from_slice(&[b'0' + (m / 10) as u8, b'0' + (m % 10) as u8]);
    if precision == Precision::Month {
        return;
    }
    out.extend_from_slice(&[b'0' + (d / 10) as u8, b'0' + (d % 10) as u8]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        for z in -1000..40_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn quarters_have_the_right_lengths() {
        let (s, e) = quarter_bounds(2024, 1);
        assert_eq!(e - s + 1, 91); // leap year Q1
        let (s, e) = quarter_bounds(2023, 4);
        assert_eq!(civil_from_days(s), (2023, 10, 1));
        assert_eq!(civil_from_days(e), (2023, 12, 31));
    }

    #[test]
    fn dates_format_with_each_precision() {
        let day = days_from_civil(2024, 3, 7);
        let mut v = Vec::new();
        push_date(&mut v, day, Precision::Day);
        v.push(b'|');
        push_date(&mut v, day, Precision::Month);
        v.push(b'|');
        push_date(&mut v, day, Precision::Year);
        assert_eq!(v, b"20240307|202403|2024");
    }
}
