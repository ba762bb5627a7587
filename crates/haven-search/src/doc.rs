//! The index's own input type: what it needs to know about one service, and nothing more.
//!
//! It is deliberately independent of `haven-domain`'s storage model: the caller maps each
//! service record (with its organisation, needs and locations) into an [`IndexDoc`], and
//! keeps the records themselves; the index returns ids only.

use haven_geo::LatLon;
use uuid::Uuid;

use crate::error::DocError;

/// How far a service's work reaches, as recorded by the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Local,
    Regional,
    National,
}

impl Scope {
    pub(crate) const ALL: [Scope; 3] = [Scope::Local, Scope::Regional, Scope::National];

    pub(crate) fn index(self) -> usize {
        match self {
            Scope::Local => 0,
            Scope::Regional => 1,
            Scope::National => 2,
        }
    }
}

/// Minutes in a day; a closing minute may equal it ("until midnight").
pub const MINUTES_PER_DAY: u16 = 1440;

/// One weekly opening period in UK local time.
///
/// `weekday` is 0 = Monday … 6 = Sunday. The period runs from `open_minute` (inclusive) to
/// `close_minute` (exclusive), minutes after midnight. A `close_minute` at or before
/// `open_minute` means the period runs past midnight into the next day (a Sunday night shelter
/// open 20:00–08:00 is `(6, 1200, 480)` and is open at 07:00 on Monday); equal minutes mean a
/// full 24 hours starting at `open_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningInterval {
    pub weekday: u8,
    pub open_minute: u16,
    pub close_minute: u16,
}

/// When a service is open, if anyone has said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OpeningHours {
    /// No hours recorded: such a service never matches an "open now" filter, because we
    /// cannot tell a person it is open.
    #[default]
    Unknown,
    /// Weekly periods; an empty list means "known to have no regular opening times".
    Weekly(Vec<OpeningInterval>),
}

/// One service as the index sees it.
///
/// Integer ids (needs, languages, eligibility, areas) are the caller's own; the index only
/// compares them. Text fields may be in any language and script.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    /// The caller's service id; hits return it.
    pub id: Uuid,
    pub name: String,
    pub organisation_name: String,
    pub description: String,
    /// Display labels of the service's needs (any languages), searched as text.
    pub need_labels: Vec<String>,
    pub needs: Vec<u16>,
    pub languages: Vec<u16>,
    /// Who may use the service. A service open to anyone carries the caller's "anyone" id
    /// here, and queries name that id in [`crate::Query::anyone_eligibility`].
    pub eligibility: Vec<u16>,
    pub scope: Scope,
    /// Delivered by phone or online, so reachable from anywhere.
    pub remote: bool,
    /// Where the service is delivered; a "near me" search uses the nearest.
    pub locations: Vec<LatLon>,
    /// Areas (local authority, region, … as the caller's integer ids) the service covers
    /// wherever its offices are.
    pub service_area: Vec<u32>,
    pub hours: OpeningHours,
}

/// Most locations one service may have; more is almost certainly a data error, and the
/// bound keeps one document's cost on every nearby query small.
pub const MAX_LOCATIONS: usize = 256;

impl IndexDoc {
    /// Checks what the type system cannot: minute and weekday ranges, and sizes.
    pub(crate) fn validate(&self) -> Result<(), DocError> {
        let id = self.id;
        if self.locations.len() > MAX_LOCATIONS {
            return Err(DocError::TooManyLocations {
                id,
                max: MAX_LOCATIONS,
            });
        }
        if let OpeningHours::Weekly(intervals) = &self.hours {
            for interval in intervals {
                if interval.weekday > 6 {
                    return Err(DocError::Weekday {
                        id,
                        value: interval.weekday,
                    });
                }
                if interval.open_minute >= MINUTES_PER_DAY {
                    return Err(DocError::Minute {
                        id,
                        field: "open_minute",
                        value: interval.open_minute,
                    });
                }
                if interval.close_minute > MINUTES_PER_DAY {
                    return Err(DocError::Minute {
                        id,
                        field: "close_minute",
                        value: interval.close_minute,
                    });
                }
            }
        }
        Ok(())
    }
}
