//! Field values: dates with their precision, ages with units, codes, ids and text.
//!
//! FDA's fields are bytes. Text is decoded as latin-1 (never fails, and FDA's files are
//! ASCII-mostly with occasional 8-bit bytes); numbers and dates that do not parse are not
//! guessed at: they become "missing" and the caller counts them.

/// A FAERS date kept with its precision, packed as `YYYYMMDD` with zeros for the parts that
/// were not given: `20170315` (day), `20170300` (month), `20170000` (year); `0` is missing.
/// Packed dates order correctly against each other within the same precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(pub u32);

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePrecision {
    /// `YYYYMMDD`.
    Day,
    /// `YYYYMM`.
    Month,
    /// `YYYY`.
    Year,
    /// Empty or unparsable.
    Missing,
}

impl Date {
    /// The missing date.
    pub const MISSING: Date = Date(0);

    /// Parses `YYYY`, `YYYYMM` or `YYYYMMDD` (surrounding blanks allowed). `Err(())` for a
    /// non-empty value that is not one of those, `Ok(MISSING)` for an empty one.
    #[allow(clippy::result_unit_err)]
    pub fn parse(field: &[u8]) -> Result<Date, ()> {
        // Most dates are eight digits with nothing around them: one word, no division.
        if let Ok(word) = <[u8; 8]>::try_from(field) {
            if let Some(n) = eight_digits(u64::from_le_bytes(word)) {
                let digit = |i: usize| u32::from(word[i] - b'0');
                let (month, day) = (10 * digit(4) + digit(5), 10 * digit(6) + digit(7));
                return Date::checked(n as u32, month, day);
            }
        }
        let f = trim(field);
        if f.is_empty() {
            return Ok(Date::MISSING);
        }
        if !matches!(f.len(), 4 | 6 | 8) {
            return Err(());
        }
        // `parse_u64` refuses any byte that is not a digit (a sign, a blank inside).
        let n = parse_u64(f).ok_or(())? as u32;
        let packed = match f.len() {
            8 => n,
            6 => n * 100,
            _ => n * 10_000,
        };
        Date::checked(packed, (packed / 100) % 100, packed % 100)
    }

    /// `YYYYMMDD` as a date, if its year is not 0 and its month and day can be one's (a day
    /// without a month cannot).
    #[inline(always)]
    fn checked(packed: u32, month: u32, day: u32) -> Result<Date, ()> {
        if packed < 10_000 || month > 12 || day > 31 || (month == 0 && day != 0) {
            return Err(());
        }
        Ok(Date(packed))
    }

    /// The precision the date was given with.
    pub fn precision(self) -> DatePrecision {
        if self.0 == 0 {
            DatePrecision::Missing
        } else if self.0 % 10_000 == 0 {
            DatePrecision::Year
        } else if self.0 % 100 == 0 {
            DatePrecision::Month
        } else {
            DatePrecision::Day
        }
    }

    /// The year, if any.
    pub fn year(self) -> Option<u32> {
        (self.0 != 0).then_some(self.0 / 10_000)
    }

    /// Days since 1970-01-01 for a full date (proleptic Gregorian), `None` otherwise.
    pub fn days(self) -> Option<i64> {
        if self.precision() != DatePrecision::Day {
            return None;
        }
        let (y, m, d) = (
            (self.0 / 10_000) as i64,
            ((self.0 / 100) % 100) as i64,
            (self.0 % 100) as i64,
        );
        if d > days_in_month(y, m) {
            return None;
        }
        Some(days_from_civil(y, m, d))
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Strips ASCII blanks (space, tab) from both ends.
pub fn trim(field: &[u8]) -> &[u8] {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    // Most fields have nothing to strip.
    if field.first().is_some_and(|b| !blank(b)) && field.last().is_some_and(|b| !blank(b)) {
        return field;
    }
    let start = field
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(field.len());
    let end = field
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |p| p + 1);
    &field[start..end]
}

/// Parses an unsigned decimal id (blanks around it allowed). `None` if empty or not digits
/// or too large for 64 bits.
pub fn parse_u64(field: &[u8]) -> Option<u64> {
    let f = trim(field);
    if f.is_empty() || f.len() > 20 {
        return None;
    }
    // No checked arithmetic (in WebAssembly a checked u64 multiply is a 128-bit library call
    // per digit, 5% of a quarter's read time), and eight digits at a time once the leading
    // ones are taken (ids have 8 to 10 digits). Digit strings of one length compare as their
    // numbers do, so the one overflow, 20 digits above u64::MAX, is a comparison.
    let (head, blocks) = f.split_at(f.len() % 8);
    let mut n = 0u64;
    for &b in head {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.wrapping_mul(10).wrapping_add(u64::from(digit));
    }
    for block in blocks.chunks_exact(8) {
        let eight = eight_digits(u64::from_le_bytes(block.try_into().expect("8 bytes")))?;
        n = n.wrapping_mul(100_000_000).wrapping_add(eight);
    }
    if f.len() == 20 && f > b"18446744073709551615".as_slice() {
        return None;
    }
    Some(n)
}

/// The number written by eight ASCII digits read as a little-endian word (the first digit in
/// the lowest byte), or `None` if any byte is not a digit. The digit test and the
/// three-multiply combination are the ones `fast_float` and Rust's float parser use.
#[inline(always)]
fn eight_digits(word: u64) -> Option<u64> {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    // A byte is a digit when its high nibble is 3 both as it is and with 6 added
    // (0x3A..=0x3F become 0x40..=0x45); a byte that could carry (0xFA..) fails the first test.
    let digits = (word & HIGH) | ((word.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4);
    if digits != 0x3333_3333_3333_3333 {
        return None;
    }
    let v = word - 0x3030_3030_3030_3030;
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064; // 100 + (1_000_000 << 32)
    const MUL2: u64 = 0x0000_2710_0000_0001; // 1 + (10_000 << 32)
    Some(
        ((v & MASK)
            .wrapping_mul(MUL1)
            .wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)))
            >> 32,
    )
}

/// Parses a decimal number such as `63`, `2.5`, `-1`. `None` if it is not one.
pub fn parse_f64(field: &[u8]) -> Option<f64> {
    let f = trim(field);
    if f.is_empty()
        || !f
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
    {
        return None;
    }
    std::str::from_utf8(f).ok()?.parse().ok()
}

/// Normalises free text for grouping and matching: latin-1 decoded, control bytes dropped,
/// inner runs of blanks collapsed, trimmed, upper-cased. FDA's PTs and drug names appear in
/// several casings (`Graft delamination`, `GRAFT DELAMINATION`): they are one term.
pub fn normalize_text(field: &[u8], out: &mut String) {
    out.clear();
    let mut pending_space = false;
    for &b in trim(field) {
        if b < 0x20 || b == 0x7F {
            continue;
        }
        if b == b' ' || b == b'\t' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        if b.is_ascii() {
            out.push(b.to_ascii_uppercase() as char);
        } else {
            out.extend((b as char).to_uppercase());
        }
    }
}

/// Converts an age to years with its unit code (FDA's `age_cod`): DEC ×10, YR ×1, MON /12,
/// WK /52.1775, DY /365.25, HR /8766. Unknown or blank units give `None`.
pub fn age_in_years(age: f64, unit: &[u8]) -> Option<f64> {
    const FACTORS: [(u64, f64); 10] = [
        (word(b"DEC"), 10.0),
        (word(b"YR"), 1.0),
        (word(b"YRS"), 1.0),
        (word(b"YEAR"), 1.0),
        (word(b"YEARS"), 1.0),
        (word(b"MON"), 1.0 / 12.0),
        (word(b"WK"), 1.0 / 52.1775),
        (word(b"DY"), 1.0 / 365.25),
        (word(b"DAY"), 1.0 / 365.25),
        (word(b"HR"), 1.0 / 8766.0),
    ];
    let factor = unit_factor(&FACTORS, unit)?;
    (age.is_finite() && age >= 0.0).then_some(age * factor)
}

/// Converts a weight to kilograms with its unit code (`wt_cod`): KG (and KGS) ×1,
/// LBS (and LB, IB) ×0.453592, GMS (and GM, G) ×0.001. Unknown units give `None`.
pub fn weight_in_kg(weight: f64, unit: &[u8]) -> Option<f64> {
    const FACTORS: [(u64, f64); 8] = [
        (word(b"KG"), 1.0),
        (word(b"KGS"), 1.0),
        (word(b"LBS"), 0.453_592),
        (word(b"LB"), 0.453_592),
        (word(b"IB"), 0.453_592),
        (word(b"GMS"), 0.001),
        (word(b"GM"), 0.001),
        (word(b"G"), 0.001),
    ];
    let factor = unit_factor(&FACTORS, unit)?;
    (weight.is_finite() && weight >= 0.0).then_some(weight * factor)
}

/// Up to seven bytes packed into a word, the first in the low byte, and their number in the
/// top byte (so that a zero byte is not mistaken for the end).
const fn word(text: &[u8]) -> u64 {
    assert!(text.len() <= 7, "a unit of at most seven bytes");
    let mut w = 0u64;
    let mut i = text.len();
    while i > 0 {
        i -= 1;
        w = w << 8 | text[i] as u64;
    }
    w | (text.len() as u64) << 56
}

/// The factor of a unit code, trimmed and in any case. The code is compared as one word:
/// matching it as a slice calls `memcmp`, and upper-casing it into a new `Vec` allocates,
/// on every DEMO row.
fn unit_factor(factors: &[(u64, f64)], unit: &[u8]) -> Option<f64> {
    let unit = trim(unit);
    if unit.is_empty() || unit.len() > 7 {
        return None;
    }
    let mut upper = [0u8; 8];
    for (dst, src) in upper.iter_mut().zip(unit) {
        *dst = src.to_ascii_uppercase();
    }
    upper[7] = unit.len() as u8;
    let key = u64::from_le_bytes(upper);
    factors.iter().find(|(w, _)| *w == key).map(|&(_, f)| f)
}

/// Sex as reported (`sex`, legacy and 2012Q4–2014Q2 `gndr_cod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// Blank, `UNK`, `NS` or anything else.
    #[default]
    Unknown,
}

impl Sex {
    /// Reads FDA's code.
    pub fn parse(field: &[u8]) -> Sex {
        match trim(field) {
            b"M" | b"m" => Sex::Male,
            b"F" | b"f" => Sex::Female,
            _ => Sex::Unknown,
        }
    }
}

/// A short upper-case code (`occp_cod`, `role_cod`, `outc_cod`) packed into 4 bytes so that
/// rows stay small; longer values keep their first 4 bytes and are flagged as such by the
/// caller's code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Code(pub [u8; 4]);

impl Code {
    /// The empty code.
    pub const EMPTY: Code = Code([0; 4]);

    /// Packs a trimmed, upper-cased code; `None` if longer than 4 bytes.
    pub fn parse(field: &[u8]) -> Option<Code> {
        let f = trim(field);
        if f.len() > 4 {
            return None;
        }
        let mut c = [0u8; 4];
        for (dst, src) in c.iter_mut().zip(f) {
            *dst = src.to_ascii_uppercase();
        }
        Some(Code(c))
    }

    /// The code of `text` (at most four bytes, upper case), for constants.
    pub const fn of(text: &str) -> Code {
        let b = text.as_bytes();
        assert!(b.len() <= 4, "a code of at most four bytes");
        let mut c = [0u8; 4];
        let mut i = 0;
        while i < b.len() {
            c[i] = b[i];
            i += 1;
        }
        Code(c)
    }

    /// The code as text (`""` when empty).
    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(4);
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }

    /// True for the empty code.
    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(Date::parse(b"20170315"), Ok(Date(20170315)));
        assert_eq!(Date::parse(b"201703"), Ok(Date(20170300)));
        assert_eq!(Date::parse(b" 2017 "), Ok(Date(20170000)));
        assert_eq!(Date::parse(b""), Ok(Date::MISSING));
        assert_eq!(Date(20170315).precision(), DatePrecision::Day);
        assert_eq!(Date(20170300).precision(), DatePrecision::Month);
        assert_eq!(Date(20170000).precision(), DatePrecision::Year);
        assert_eq!(Date::MISSING.precision(), DatePrecision::Missing);
        for bad in [
            &b"2017031"[..],
            b"2017-03-15",
            b"20171301",
            b"abcd",
            b"00000000",
            b"2017 315",
            b"+2017031",
            b"20x70315",
            b"2017\t3",
        ] {
            assert_eq!(
                Date::parse(bad),
                Err(()),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn day_counts_are_calendar_exact() {
        assert_eq!(Date(19700101).days(), Some(0));
        assert_eq!(
            Date(20000301).days().unwrap() - Date(20000228).days().unwrap(),
            2
        );
        assert_eq!(
            Date(20240101).days().unwrap() - Date(20230101).days().unwrap(),
            365
        );
        assert_eq!(Date(20230229).days(), None);
        assert_eq!(Date(20230200).days(), None);
    }

    #[test]
    fn ages_convert_with_decades_as_ten_years() {
        assert_eq!(age_in_years(6.0, b"DEC"), Some(60.0));
        assert_eq!(age_in_years(18.0, b"MON"), Some(1.5));
        assert_eq!(age_in_years(40.0, b"YR"), Some(40.0));
        assert!((age_in_years(365.25, b"DY").unwrap() - 1.0).abs() < 1e-12);
        assert!((age_in_years(52.1775, b"WK").unwrap() - 1.0).abs() < 1e-12);
        assert!((age_in_years(8766.0, b"HR").unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(age_in_years(40.0, b""), None);
        assert_eq!(age_in_years(-1.0, b"YR"), None);
    }

    #[test]
    fn weights_convert_to_kilograms() {
        assert_eq!(weight_in_kg(70.0, b"KG"), Some(70.0));
        assert!((weight_in_kg(195.0, b"LBS").unwrap() - 88.450_44).abs() < 1e-9);
        assert_eq!(weight_in_kg(3500.0, b"GMS"), Some(3.5));
        assert_eq!(weight_in_kg(70.0, b""), None);
    }

    /// Units are read trimmed and in any case, and only as whole codes: the word they are
    /// compared as holds their length, so a code with a zero byte or a prefix is no unit.
    #[test]
    fn units_match_whole_codes_in_any_case() {
        for unit in [&b"yr"[..], b" Yrs ", b"year", b"YEARS", b"\tyr"] {
            assert_eq!(age_in_years(2.0, unit), Some(2.0), "{unit:?}");
        }
        for unit in [
            &b"Y"[..],
            b"YR\0",
            b"YEARSS",
            b"YEARS AGO",
            b"\0",
            b"MONTHS",
        ] {
            assert_eq!(age_in_years(2.0, unit), None, "{unit:?}");
        }
        for unit in [&b"kg"[..], b"Kgs", b" lb", b"ib", b"g", b"GM "] {
            assert!(weight_in_kg(2.0, unit).is_some(), "{unit:?}");
        }
        for unit in [&b"K"[..], b"KG\0", b"\0G", b"GRAMS", b"POUNDS"] {
            assert_eq!(weight_in_kg(2.0, unit), None, "{unit:?}");
        }
    }

    #[test]
    fn text_is_normalised_for_grouping() {
        let mut s = String::new();
        normalize_text(b"  Graft  delamination\x08 ", &mut s);
        assert_eq!(s, "GRAFT DELAMINATION");
        normalize_text(b"SOLUCI\xd3N", &mut s);
        assert_eq!(s, "SOLUCI\u{d3}N");
        normalize_text(b"\"VITAMINS\" (NOS)", &mut s);
        assert_eq!(s, "\"VITAMINS\" (NOS)");
    }

    #[test]
    fn ids_and_numbers() {
        assert_eq!(parse_u64(b" 1542517719 "), Some(1_542_517_719));
        assert_eq!(parse_u64(b"12a"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"99999999999999999999"), None);
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"00000000000000000001"), Some(1));
        assert_eq!(parse_u64(b"100000000000000000000"), None);
        assert_eq!(parse_u64(b"1 2"), None);
        assert_eq!(parse_f64(b"2.5"), Some(2.5));
        assert_eq!(parse_f64(b"163/6"), None);
        assert_eq!(Code::parse(b" ps ").unwrap().as_str(), "PS");
        assert_eq!(Code::parse(b"SALES"), None);
    }

    proptest::proptest! {
        #[test]
        fn ids_parse_as_the_standard_library_does(digits in "[0-9]{1,20}", pad in 0usize..3) {
            let field = format!("{}{digits}{}", " ".repeat(pad), " ".repeat(2 - pad));
            proptest::prop_assert_eq!(parse_u64(field.as_bytes()), digits.parse::<u64>().ok());
        }

        #[test]
        fn a_non_digit_anywhere_is_refused(
            mut bytes in proptest::collection::vec(
                proptest::sample::select(b"0123456789".to_vec()), 1..21),
            at in 0usize..20,
            bad in proptest::sample::select(
                b"/:;?@AZ+-.\x00\x7f\x80\xaa\xf9\xfa\xfb\xff".to_vec()),
        ) {
            let at = at % bytes.len();
            bytes[at] = bad;
            // Digits with a non-digit among them (a blank at either end is trimmed).
            let trimmed = trim(&bytes);
            let all_digits = !trimmed.is_empty() && trimmed.iter().all(u8::is_ascii_digit);
            let expected = all_digits
                .then(|| std::str::from_utf8(trimmed).unwrap().parse::<u64>().ok())
                .flatten();
            proptest::prop_assert_eq!(parse_u64(&bytes), expected);
        }

        #[test]
        fn dates_parse_as_their_definition_says(
            bytes in proptest::prop_oneof![
                // Eight digits (the fast path), of which many are no date.
                proptest::strategy::Strategy::prop_map("[0-9]{4}[0-1][0-9][0-3][0-9]", String::into_bytes),
                proptest::collection::vec(
                    proptest::sample::select(b"0000123456789 \t/+-a\x80\xff".to_vec()), 0..11),
            ],
        ) {
            // YYYY, YYYYMM or YYYYMMDD (blanks around allowed), year not 0, month 0-12, day
            // 0-31, no day without a month; empty is missing.
            let f = std::str::from_utf8(trim(&bytes)).unwrap_or("x");
            let expected = if f.is_empty() {
                Ok(Date::MISSING)
            } else if matches!(f.len(), 4 | 6 | 8) && f.bytes().all(|b| b.is_ascii_digit()) {
                let padded = format!("{f:0<8}");
                let (y, m, d): (u32, u32, u32) = (
                    padded[..4].parse().unwrap(),
                    padded[4..6].parse().unwrap(),
                    padded[6..].parse().unwrap(),
                );
                if y == 0 || m > 12 || d > 31 || (m == 0 && d != 0) {
                    Err(())
                } else {
                    Ok(Date(y * 10_000 + m * 100 + d))
                }
            } else {
                Err(())
            };
            proptest::prop_assert_eq!(Date::parse(&bytes), expected);
        }
    }
}
