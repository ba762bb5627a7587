//! "Open now": weekly periods folded onto one 7-day ring of minutes.
//!
//! Each period becomes `(start, length)` in minutes from Monday 00:00, so a period that runs
//! past midnight, or from Sunday night into Monday, needs no special case: a moment `t` is
//! inside when `(t - start) mod WEEK < length`.

use crate::doc::{MINUTES_PER_DAY, OpeningInterval};

pub(crate) const MINUTES_PER_WEEK: u32 = 7 * MINUTES_PER_DAY as u32;

/// A period packed as `start << 16 | length`, both below 2^14.
pub(crate) type PackedPeriod = u32;

pub(crate) fn pack(interval: &OpeningInterval) -> PackedPeriod {
    let start =
        u32::from(interval.weekday) * u32::from(MINUTES_PER_DAY) + u32::from(interval.open_minute);
    let open = u32::from(interval.open_minute);
    let close = u32::from(interval.close_minute);
    let length = if close > open {
        close - open
    } else {
        // Runs past midnight; equal minutes mean a full day.
        close + u32::from(MINUTES_PER_DAY) - open
    };
    (start << 16) | length
}

/// Whether minute-of-week `at` falls inside any of the periods.
pub(crate) fn is_open(periods: &[PackedPeriod], at: u32) -> bool {
    periods.iter().any(|&p| {
        let start = p >> 16;
        let length = p & 0xFFFF;
        (at + MINUTES_PER_WEEK - start) % MINUTES_PER_WEEK < length
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(weekday: u8, open_minute: u16, close_minute: u16) -> PackedPeriod {
        pack(&OpeningInterval {
            weekday,
            open_minute,
            close_minute,
        })
    }

    fn at(weekday: u32, minute: u32) -> u32 {
        weekday * 1440 + minute
    }

    #[test]
    fn same_day_period_is_half_open() {
        let p = [period(0, 540, 1020)];
        assert!(!is_open(&p, at(0, 539)));
        assert!(is_open(&p, at(0, 540)));
        assert!(is_open(&p, at(0, 1019)));
        assert!(!is_open(&p, at(0, 1020)));
        assert!(!is_open(&p, at(1, 600)));
    }

    #[test]
    fn period_past_midnight_continues_next_day() {
        let p = [period(2, 1200, 480)];
        assert!(is_open(&p, at(2, 1439)));
        assert!(is_open(&p, at(3, 0)));
        assert!(is_open(&p, at(3, 479)));
        assert!(!is_open(&p, at(3, 480)));
        assert!(!is_open(&p, at(2, 1199)));
    }

    #[test]
    fn sunday_night_wraps_to_monday() {
        let p = [period(6, 1320, 120)];
        assert!(is_open(&p, at(6, 1330)));
        assert!(is_open(&p, at(0, 60)));
        assert!(!is_open(&p, at(0, 120)));
    }

    #[test]
    fn until_midnight_and_full_day() {
        let p = [period(4, 600, 1440)];
        assert!(is_open(&p, at(4, 1439)));
        assert!(!is_open(&p, at(5, 0)));
        let all_day = [period(5, 0, 0)];
        assert!(is_open(&all_day, at(5, 0)));
        assert!(is_open(&all_day, at(5, 1439)));
        assert!(!is_open(&all_day, at(6, 0)));
    }
}
