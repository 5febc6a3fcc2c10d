//! `date-time` and `date`.

use super::{GrammarError, PResult, byte, ctx, fail, sp};

/// `date-time`, as numbers; the zone in minutes east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub day: u8,
    /// 1 = January.
    pub month: u8,
    pub year: u16,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub zone_minutes: i16,
}

impl DateTime {
    /// Seconds since 1970-01-01 00:00 UTC (the zone applied): comparable across zones, as
    /// SORT ARRIVAL compares internal dates (RFC 5256).
    pub fn utc_seconds(&self) -> i64 {
        // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian.
        let (y, m) = (i64::from(self.year), i64::from(self.month));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        let local = days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.zone_minutes) * 60
    }
}

/// `date-text`, as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub day: u8,
    pub month: u8,
    pub year: u16,
}

pub(crate) const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Exactly `N` digits as a number.
fn fixed_digits<'a, const N: usize, E: GrammarError<'a>>(
    i: &'a [u8],
    label: &'static str,
) -> PResult<'a, u16, E> {
    match i.get(..N) {
        Some(d) if d.iter().all(u8::is_ascii_digit) => {
            let v = d.iter().fold(0u16, |acc, c| acc * 10 + u16::from(c - b'0'));
            Ok((&i[N..], v))
        }
        _ => fail(i, label),
    }
}

/// Two digits that must not exceed `max` (a calendar or clock field).
fn bounded2<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    max: u16,
    label: &'static str,
) -> PResult<'a, u8, E> {
    let (rest, v) = fixed_digits::<2, E>(i, label)?;
    if v > max {
        return fail(i, label);
    }
    // `max` is below 100, so the value fits.
    Ok((rest, v as u8))
}

/// `date-month = "Jan" / "Feb" / ... / "Dec"` (case-insensitive)
fn date_month<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u8, E> {
    let head = i.get(..3).unwrap_or(&[]);
    match MONTHS
        .iter()
        .position(|m| head.eq_ignore_ascii_case(&m[..]))
    {
        // position is below 12, so the cast is lossless.
        Some(m) => Ok((&i[3..], m as u8 + 1)),
        None => fail(i, "date-month (Jan ... Dec)"),
    }
}

/// `date-day-fixed = (SP DIGIT) / 2DIGIT`
fn date_day_fixed<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u8, E> {
    let (rest, day) = match i {
        [b' ', d @ b'1'..=b'9', rest @ ..] => (rest, d - b'0'),
        _ => bounded2(i, 31, "date-day-fixed (SP DIGIT / 2DIGIT, 1-31)")?,
    };
    if day == 0 {
        return fail(i, "date-day-fixed (1-31)");
    }
    Ok((rest, day))
}

/// `zone = ("+" / "-") 4DIGIT`
fn zone<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, i16, E> {
    let sign = match i.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return fail(i, "zone ((\"+\" / \"-\") 4DIGIT)"),
    };
    let (rest, hh) = bounded2(&i[1..], 99, "zone (4DIGIT)")?;
    let (rest, mm) = bounded2(rest, 59, "zone minutes (00-59)")?;
    Ok((rest, sign * (i16::from(hh) * 60 + i16::from(mm))))
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
pub fn date_time<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, DateTime, E> {
    ctx("date-time", i, date_time_inner(i))
}

fn date_time_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, DateTime, E> {
    let (r, ()) = byte(i, b'"', "DQUOTE")?;
    let (r, day) = date_day_fixed(r)?;
    let (r, ()) = byte(r, b'-', "\"-\"")?;
    let (r, month) = date_month(r)?;
    let (r, ()) = byte(r, b'-', "\"-\"")?;
    let (r, year) = fixed_digits::<4, E>(r, "date-year (4DIGIT)")?;
    let (r, ()) = sp(r)?;
    // time = 2DIGIT ":" 2DIGIT ":" 2DIGIT
    let (r, hour) = bounded2(r, 23, "time hours (00-23)")?;
    let (r, ()) = byte(r, b':', "\":\"")?;
    let (r, minute) = bounded2(r, 59, "time minutes (00-59)")?;
    let (r, ()) = byte(r, b':', "\":\"")?;
    let (r, second) = bounded2(r, 60, "time seconds (00-60)")?;
    let (r, ()) = sp(r)?;
    let (r, zone_minutes) = zone(r)?;
    let (r, ()) = byte(r, b'"', "DQUOTE")?;
    let dt = DateTime {
        day,
        month,
        year,
        hour,
        minute,
        second,
        zone_minutes,
    };
    Ok((r, dt))
}

/// `date = date-text / DQUOTE date-text DQUOTE`
pub fn date<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Date, E> {
    ctx("date", i, date_inner(i))
}

fn date_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Date, E> {
    let quoted = i.first() == Some(&b'"');
    let r = if quoted { &i[1..] } else { i };
    // date-day = 1*2DIGIT
    let digits = r.iter().take(2).take_while(|c| c.is_ascii_digit()).count();
    let day = r[..digits].iter().fold(0u8, |acc, c| acc * 10 + (c - b'0'));
    if !(1..=31).contains(&day) {
        return fail(r, "date-day (1*2DIGIT, 1-31)");
    }
    let (r, ()) = byte(&r[digits..], b'-', "\"-\"")?;
    let (r, month) = date_month(r)?;
    let (r, ()) = byte(r, b'-', "\"-\"")?;
    let (mut r, year) = fixed_digits::<4, E>(r, "date-year (4DIGIT)")?;
    if quoted {
        (r, ()) = byte(r, b'"', "DQUOTE")?;
    }
    Ok((r, Date { day, month, year }))
}

#[cfg(test)]
mod tests {
    use super::DateTime;

    fn at(year: u16, month: u8, day: u8, hms: (u8, u8, u8), zone_minutes: i16) -> i64 {
        let (hour, minute, second) = hms;
        DateTime {
            day,
            month,
            year,
            hour,
            minute,
            second,
            zone_minutes,
        }
        .utc_seconds()
    }

    #[test]
    fn utc_seconds_known_instants() {
        assert_eq!(at(1970, 1, 1, (0, 0, 0), 0), 0);
        assert_eq!(at(2000, 3, 1, (0, 0, 0), 0), 951_868_800);
        assert_eq!(at(2024, 2, 29, (23, 59, 59), 0), 1_709_251_199);
        // 14:00 at +0200 is 12:00 UTC; 07:00 at -0500 too.
        assert_eq!(
            at(2024, 1, 1, (14, 0, 0), 120),
            at(2024, 1, 1, (12, 0, 0), 0)
        );
        assert_eq!(
            at(2024, 1, 1, (7, 0, 0), -300),
            at(2024, 1, 1, (12, 0, 0), 0)
        );
        assert_eq!(at(1969, 12, 31, (23, 59, 59), 0), -1);
    }
}
