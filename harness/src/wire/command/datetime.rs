//! Calendar values: `date` (SEARCH) and `date-time` (APPEND) of RFC 3501 §9, checked against
//! the Gregorian calendar so `30-Feb-2000` cannot be built.

use super::error::ValueError;

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
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
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

impl Zone {
    /// True for `-hhmm`, west of UTC (or `-0000`, local time unknown).
    pub fn is_west(&self) -> bool {
        self.west
    }

    pub fn hours(&self) -> u8 {
        self.hours
    }

    pub fn minutes(&self) -> u8 {
        self.minutes
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

    /// Hour, minute and second.
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }
}
