//! UK local time for "open now". Hand-written because the rule is small and fixed (GMT, and BST
//! from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October) and a
//! time-zone database would be a large dependency for it.

use haven_search::WeekMinute;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let mut day = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day()?;
    }
    Some(day)
}

/// Whether British Summer Time is in force at `at`.
pub(crate) fn is_bst(at: OffsetDateTime) -> bool {
    let utc = at.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let one_am = Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT);
    let (Some(start), Some(end)) = (
        last_sunday(year, Month::March),
        last_sunday(year, Month::October),
    ) else {
        return false;
    };
    let start = PrimitiveDateTime::new(start, one_am).assume_utc();
    let end = PrimitiveDateTime::new(end, one_am).assume_utc();
    utc >= start && utc < end
}

/// `at` as UK wall-clock time.
pub(crate) fn uk_local(at: OffsetDateTime) -> OffsetDateTime {
    let offset = if is_bst(at) {
        UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC)
    } else {
        UtcOffset::UTC
    };
    at.to_offset(offset)
}

/// The moment of the week in UK local time.
pub(crate) fn week_minute(at: OffsetDateTime) -> WeekMinute {
    let local = uk_local(at);
    WeekMinute {
        weekday: local.weekday().number_days_from_monday(),
        minute: u16::from(local.hour()) * 60 + u16::from(local.minute()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn summer_and_winter() {
        // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert!(!is_bst(datetime!(2026-03-29 00:59 UTC)));
        assert!(is_bst(datetime!(2026-03-29 01:00 UTC)));
        assert!(is_bst(datetime!(2026-10-25 00:59 UTC)));
        assert!(!is_bst(datetime!(2026-10-25 01:00 UTC)));
        let july = week_minute(datetime!(2026-07-06 08:30 UTC));
        assert_eq!(
            (july.weekday, july.minute),
            (0, 9 * 60 + 30),
            "Monday 09:30 BST"
        );
        let november = week_minute(datetime!(2026-11-22 12:00 UTC));
        assert_eq!(
            (november.weekday, november.minute),
            (6, 12 * 60),
            "Sunday 12:00 GMT"
        );
    }
}
