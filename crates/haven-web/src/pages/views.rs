//! Services as the pages show them: every label translated, every link made, so templates stay
//! simple.

use haven_hsds::vocabulary::{Scope, Term};
use haven_search::Reach;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::directory::ServiceCard;
use crate::directory::uk_time::week_minute;
use crate::locale::Tr;

/// A service on a page.
#[derive(Debug, Clone)]
pub(crate) struct ServiceView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub organisation_id: Option<Uuid>,
    pub organisation_name: String,
    pub reach: Option<String>,
    pub national: bool,
    pub remote: bool,
    pub hours_note: Option<String>,
    pub needs: Vec<String>,
    pub eligibility: Vec<String>,
    pub languages: Vec<(String, String)>,
    pub phones: Vec<(String, String)>,
    pub hours: Vec<String>,
    pub open_now: Option<bool>,
    pub last_verified: Option<String>,
    pub places: Vec<String>,
}

/// `tel:` form of a number: digits and a leading plus only.
fn tel(number: &str) -> String {
    number
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

fn day_names(tr: &Tr, days: &[u8]) -> String {
    days.iter()
        .map(|d| tr.get(&format!("day-{d}")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn service_view(
    tr: &Tr,
    card: &ServiceCard,
    reach: Option<Reach>,
    miles: bool,
    now: OffsetDateTime,
) -> ServiceView {
    let moment = week_minute(now);
    let open_now = if card.hours.is_empty() {
        None
    } else {
        let minute_of = |hhmm: &str| -> Option<u16> {
            let (h, m) = hhmm.split_once(':')?;
            Some(h.parse::<u16>().ok()? * 60 + m.parse::<u16>().ok()?)
        };
        Some(card.hours.iter().any(|h| {
            h.days.contains(&moment.weekday)
                && matches!((minute_of(&h.opens), minute_of(&h.closes)), (Some(o), Some(c)) if o <= moment.minute && moment.minute < c)
        }))
    };
    ServiceView {
        id: card.id,
        name: card.name.clone(),
        description: card.description.clone(),
        organisation_id: card.organisation_id,
        organisation_name: card.organisation_name.clone(),
        reach: super::search::reach_text(tr, reach, miles),
        national: card.scope == Scope::National,
        remote: card.remote,
        hours_note: card.hours_note.clone(),
        needs: card
            .needs
            .iter()
            .map(|n| tr.get(&format!("need-{}", n.code())))
            .collect(),
        eligibility: card
            .eligibility
            .iter()
            .map(|e| tr.get(&format!("eligibility-{}", e.code())))
            .collect(),
        languages: card
            .languages
            .iter()
            .map(|code| {
                let name = haven_domain::spoken::spoken(code)
                    .map_or(code.clone(), |s| s.autonym.to_owned());
                (code.clone(), name)
            })
            .collect(),
        phones: card.phones.iter().map(|p| (p.clone(), tel(p))).collect(),
        hours: card
            .hours
            .iter()
            .map(|h| {
                tr.get_with(
                    "hours-line",
                    &[
                        ("days", &day_names(tr, &h.days)),
                        ("opens", &h.opens),
                        ("closes", &h.closes),
                    ],
                )
            })
            .collect(),
        open_now,
        last_verified: card.last_verified.clone(),
        places: card
            .places
            .iter()
            .map(|p| {
                if p.confidential {
                    tr.get("place-confidential")
                } else {
                    p.name.clone()
                }
            })
            .collect(),
    }
}
