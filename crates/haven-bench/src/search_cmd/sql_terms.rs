//! How both SQL references (SQLite and PostgreSQL) translate Haven's documents and queries:
//! written once, so the two baselines cannot drift apart in meaning.

use haven_search::analysis::{Analyzer, words};
use haven_search::{IndexDoc, OpeningHours, Query, Scope, WeekMinute};

/// A scope as a small integer column.
pub fn scope_code(scope: Scope) -> i32 {
    match scope {
        Scope::Local => 0,
        Scope::Regional => 1,
        Scope::National => 2,
    }
}

/// Whether a service is found from anywhere (remote, or national).
pub fn everywhere(doc: &IndexDoc) -> bool {
    doc.remote || doc.scope == Scope::National
}

/// A moment of the week as minutes since Monday 00:00.
pub fn minute_of_week(at: WeekMinute) -> i32 {
    i32::from(at.weekday) * 1440 + i32::from(at.minute)
}

/// A service's weekly opening periods as (start minute of the week, length in minutes); a
/// period closing at or before its opening runs past midnight.
pub fn opening_periods(doc: &IndexDoc) -> Vec<(i32, i32)> {
    let OpeningHours::Weekly(intervals) = &doc.hours else {
        return Vec::new();
    };
    intervals
        .iter()
        .map(|interval| {
            let (open, close) = (
                i32::from(interval.open_minute),
                i32::from(interval.close_minute),
            );
            let start = i32::from(interval.weekday) * 1440 + open;
            let len = if close > open {
                close - open
            } else {
                close + 1440 - open
            };
            (start, len)
        })
        .collect()
}

/// The words of `text` Haven searches for (its stop words dropped).
pub fn kept_words<'t>(analyzer: &Analyzer, text: &'t str) -> Vec<&'t str> {
    words(text).filter(|w| analyzer.term(w).is_some()).collect()
}

/// The eligibility ids a query accepts: those asked for, plus "open to anyone" when any are.
pub fn eligibility_with_anyone(q: &Query) -> Vec<u16> {
    let mut eligibility = q.eligibility.clone();
    if !eligibility.is_empty() {
        eligibility.extend(q.anyone_eligibility);
    }
    eligibility
}
