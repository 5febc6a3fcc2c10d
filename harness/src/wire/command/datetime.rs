//! Calendar values: `date` (SEARCH) and `date-time` (APPEND) of RFC 3501 §9, checked against
//! the Gregorian calendar so `30-Feb-2000` cannot be built.

use std::fmt;

use super::error::ValueError;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `date-text = date-day "-" date-month "-" date-year`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// `month` is 1-based; `year` has four digits (`date-year = 4DIGIT`).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ValueError> {
        if year > 9999 {
            return Err(ValueError::Date {
                reason: "year has more than four digits",
            });
        }
        if !(1..=12).contains(&month) {
            return Err(ValueError::Date {
                reason: "month outside 1..=12",
            });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(ValueError::Date {
                reason: "day outside the month",
            });
        }
        Ok(Self { year, month, day })
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    /// The three-letter month name of `date-month`.
    pub fn month_name(&self) -> &'static str {
        MONTHS[usize::from(self.month - 1)]
    }
}

/// The month number (1-based) of a `date-month` name, compared case-insensitively.
pub fn month_from_name(name: &[u8]) -> Option<u8> {
    let index = MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(name))?;
    u8::try_from(index + 1).ok()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// `zone = ("+" / "-") 4DIGIT`. The sign is kept apart so `-0000` ("local time unknown",
/// RFC 5322) survives a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    west: bool,
    hours: u8,
    minutes: u8,
}

impl Zone {
    pub fn new(west: bool, hours: u8, minutes: u8) -> Result<Self, ValueError> {
        if hours > 23 || minutes > 59 {
            return Err(ValueError::Time {
                reason: "zone offset outside -2359..=+2359",
            });
        }
        Ok(Self {
            west,
            hours,
            minutes,
        })
    }

    pub const UTC: Self = Self {
        west: false,
        hours: 0,
        minutes: 0,
    };
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.west { '-' } else { '+' };
        write!(f, "{sign}{:02}{:02}", self.hours, self.minutes)
    }
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    zone: Zone,
}

impl DateTime {
    /// Seconds up to 60 are accepted: a leap second is a legal `time`.
    pub fn new(date: Date, hms: (u8, u8, u8), zone: Zone) -> Result<Self, ValueError> {
        let (hour, minute, second) = hms;
        if hour > 23 || minute > 59 || second > 60 {
            return Err(ValueError::Time {
                reason: "time outside 00:00:00..=23:59:60",
            });
        }
        Ok(Self {
            date,
            hour,
            minute,
            second,
            zone,
        })
    }

    pub fn date(&self) -> Date {
        self.date
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.day, self.month_name(), self.year)
    }
}

/// The quoted wire form, with the fixed-width day (`" 5-May-2015 …"`).
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        write!(
            f,
            "\"{:>2}-{}-{:04} {:02}:{:02}:{:02} {}\"",
            d.day,
            d.month_name(),
            d.year,
            self.hour,
            self.minute,
            self.second,
            self.zone
        )
    }
}
