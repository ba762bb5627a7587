//! What the pages and the API show of each service and organisation, built once from the
//! public (redacted) dataset when the directory is loaded, and the search documents made from
//! the same records.
//!
//! Cards are kept in the start-up snapshot (postcard, fields in declaration order): changing a
//! card's fields changes the snapshot format (`FORMAT` in `snapshot/frame.rs`), which a test
//! pins.

use std::collections::HashMap;

use haven_hsds::Dataset;
use haven_hsds::model::{LocationType, Schedule};
use haven_hsds::vocabulary::{ImmigrationStatus, LocationFlag, Need, Scope, Term};
use haven_search::{IndexDoc, OpeningHours, OpeningInterval};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::directory::service_cards::{CardsError, ServiceCards};

/// A place where a service is delivered, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PlaceCard {
    pub name: String,
    pub point: Option<haven_geo::LatLon>,
    /// Shown as "address withheld" and never with a precise point.
    pub confidential: bool,
}

/// One weekly opening period, for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HoursCard {
    pub days: Vec<u8>,
    pub opens: String,
    pub closes: String,
}

/// A service as the directory shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ServiceCard {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub organisation_id: Option<Uuid>,
    pub organisation_name: String,
    #[serde(with = "stored_term")]
    pub scope: Scope,
    pub remote: bool,
    #[serde(with = "stored_terms")]
    pub needs: Vec<Need>,
    #[serde(with = "stored_terms")]
    pub eligibility: Vec<ImmigrationStatus>,
    pub languages: Vec<String>,
    pub phones: Vec<String>,
    pub hours: Vec<HoursCard>,
    pub hours_note: Option<String>,
    pub last_verified: Option<String>,
    pub places: Vec<PlaceCard>,
}

/// An organisation as the directory shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OrganisationCard {
    pub name: String,
    pub description: String,
    #[serde(with = "stored_term")]
    pub scope: Scope,
    pub website: Option<String>,
    pub services: Vec<Uuid>,
}

/// A vocabulary term as a card stores it: its position in the vocabulary (one byte). The
/// snapshot's key carries a fingerprint of every vocabulary's codes in order, so a snapshot
/// written with another order is never read.
mod stored_term {
    use haven_hsds::vocabulary::Term;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The term's index id (see `term_index`) in one byte.
    pub(super) fn position<T: Term + PartialEq>(term: T) -> u8 {
        u8::try_from(super::term_index(term)).unwrap_or(u8::MAX)
    }

    pub(super) fn at<T: Term, E: serde::de::Error>(position: u8) -> Result<T, E> {
        T::ALL
            .get(usize::from(position))
            .copied()
            .ok_or_else(|| E::custom("unknown vocabulary term"))
    }

    pub fn serialize<T: Term + PartialEq, S: Serializer>(
        term: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(position(*term))
    }

    pub fn deserialize<'de, T: Term, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        at(u8::deserialize(deserializer)?)
    }
}

/// A list of vocabulary terms, stored as [`stored_term`] stores one.
mod stored_terms {
    use haven_hsds::vocabulary::Term;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::stored_term::{at, position};

    pub fn serialize<T: Term + PartialEq, S: Serializer>(
        terms: &[T],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(terms.iter().map(|t| position(*t)))
    }

    pub fn deserialize<'de, T: Term, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        Vec::<u8>::deserialize(deserializer)?
            .into_iter()
            .map(at)
            .collect()
    }
}

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn weekly_intervals(schedule: &Schedule) -> Option<Vec<OpeningInterval>> {
    let weekly = schedule
        .freq
        .as_ref()
        .is_some_and(|f| f.as_str().eq_ignore_ascii_case("WEEKLY"));
    let (opens, closes) = (schedule.opens_at.as_ref()?, schedule.closes_at.as_ref()?);
    if !weekly {
        return None;
    }
    let minute = |(h, m): (u8, u8)| u16::from(h) * 60 + u16::from(m);
    let (open_minute, close_minute) = (minute(opens.hour_minute()), minute(closes.hour_minute()));
    let days = schedule.byday.as_deref()?;
    let intervals: Vec<OpeningInterval> = days
        .split(',')
        .filter_map(|day| {
            WEEKDAYS
                .iter()
                .position(|d| d.eq_ignore_ascii_case(day.trim()))
        })
        .filter_map(|weekday| u8::try_from(weekday).ok())
        .map(|weekday| OpeningInterval {
            weekday,
            open_minute,
            close_minute,
        })
        .collect();
    (!intervals.is_empty()).then_some(intervals)
}

/// Every card, and the names behind the index's language and area ids.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Cards {
    pub services: ServiceCards,
    pub organisations: HashMap<Uuid, OrganisationCard>,
    /// Language codes, sorted; a language's index id is its position.
    pub language_codes: Vec<String>,
    /// Names of the areas services say they cover (local authorities, regions), lower-cased
    /// and sorted; an area's index id is its position.
    pub area_names: Vec<String>,
}

/// Every card, borrowed (from a directory, whose fields hold them apart), for saving.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardsRef<'a> {
    pub services: &'a ServiceCards,
    pub organisations: &'a HashMap<Uuid, OrganisationCard>,
    pub language_codes: &'a [String],
    pub area_names: &'a [String],
}

#[cfg(test)]
impl Cards {
    pub(crate) fn borrow(&self) -> CardsRef<'_> {
        CardsRef {
            services: &self.services,
            organisations: &self.organisations,
            language_codes: &self.language_codes,
            area_names: &self.area_names,
        }
    }
}

/// The cards and the search documents made from one public dataset.
pub(crate) struct Built {
    pub cards: Cards,
    pub documents: Vec<IndexDoc>,
}

/// How an area name is compared: case and surrounding space ignored.
pub(crate) fn area_key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn term_index<T: Term + PartialEq>(term: T) -> u16 {
    T::ALL
        .iter()
        .position(|t| *t == term)
        .and_then(|p| u16::try_from(p).ok())
        .unwrap_or(u16::MAX)
}

/// Builds every card and search document from a public dataset.
pub(crate) fn build(dataset: &Dataset) -> Result<Built, CardsError> {
    // Only locations are looked up by id; indexing every table (`Dataset::index`) costs
    // seconds at a million services. The first record with an id wins, as `get` would find.
    let mut locations: HashMap<Uuid, &haven_hsds::model::Location> =
        HashMap::with_capacity(dataset.location.len());
    for location in &dataset.location {
        locations.entry(location.id).or_insert(location);
    }
    // Every look-up below is through maps built in one pass per table: a scan per record
    // (as `scope_of` and `is_confidential` do) is quadratic and never finishes at scale.
    let mut attributes: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for attribute in &dataset.attribute {
        if let (Some(link), Some(term)) = (attribute.link_id, attribute.taxonomy_term_id) {
            attributes.entry(link).or_default().push(term);
        }
    }
    let tagged = |id: Uuid| attributes.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let confidential_flag = LocationFlag::Confidential.term_id();
    // A term id is a UUID v5 (a SHA-1): work each out once, not once per record.
    let scope_ids: Vec<(Scope, Uuid)> = Scope::ALL.iter().map(|t| (*t, t.term_id())).collect();
    let need_ids: Vec<(Need, Uuid)> = Need::ALL.iter().map(|t| (*t, t.term_id())).collect();
    let status_ids: Vec<(ImmigrationStatus, Uuid)> = ImmigrationStatus::ALL
        .iter()
        .map(|t| (*t, t.term_id()))
        .collect();
    let mut organisations: HashMap<Uuid, OrganisationCard> = dataset
        .organization
        .iter()
        .map(|o| {
            let card = OrganisationCard {
                name: o.name.clone(),
                description: o.description.clone(),
                scope: scope_ids
                    .iter()
                    .find(|(_, id)| tagged(o.id).contains(id))
                    .map_or(Scope::Local, |(s, _)| *s),
                website: o.website.as_ref().map(|w| w.as_str().to_owned()),
                services: Vec::new(),
            };
            (o.id, card)
        })
        .collect();

    // One pass over each child table, grouped by service, instead of a scan per service.
    let mut languages: HashMap<Uuid, Vec<String>> = HashMap::new();
    for language in &dataset.language {
        if let (Some(service), Some(code)) = (language.service_id, language.code.as_ref()) {
            languages
                .entry(service)
                .or_default()
                .push(code.to_lowercase());
        }
    }
    let mut phones: HashMap<Uuid, Vec<String>> = HashMap::new();
    for phone in &dataset.phone {
        if let Some(service) = phone.service_id {
            phones
                .entry(service)
                .or_default()
                .push(phone.number.clone());
        }
    }
    let mut schedules: HashMap<Uuid, Vec<&Schedule>> = HashMap::new();
    for schedule in &dataset.schedule {
        if let Some(service) = schedule.service_id {
            schedules.entry(service).or_default().push(schedule);
        }
    }
    let mut places: HashMap<Uuid, Vec<PlaceCard>> = HashMap::new();
    let mut virtual_only: HashMap<Uuid, bool> = HashMap::new();
    for at in &dataset.service_at_location {
        let (Some(service), Some(location_id)) = (at.service_id, at.location_id) else {
            continue;
        };
        let Some(location) = locations.get(&location_id).copied() else {
            continue;
        };
        let is_virtual = matches!(location.location_type, LocationType::Virtual);
        let entry = virtual_only.entry(service).or_insert(true);
        *entry &= is_virtual;
        if is_virtual {
            continue;
        }
        let point = location
            .map_point()
            .and_then(|(lat, lon)| haven_geo::LatLon::new(lat, lon).ok());
        places.entry(service).or_default().push(PlaceCard {
            name: location.name.clone().unwrap_or_default(),
            point,
            confidential: tagged(location.id).contains(&confidential_flag),
        });
    }

    let mut areas: HashMap<Uuid, Vec<String>> = HashMap::new();
    for area in &dataset.service_area {
        if let (Some(service), Some(name)) = (area.service_id, area.name.as_deref()) {
            areas.entry(service).or_default().push(area_key(name));
        }
    }
    let mut area_names: Vec<String> = areas.values().flatten().cloned().collect();
    area_names.sort();
    area_names.dedup();
    let area_id = |name: &str| {
        area_names
            .binary_search_by(|a| a.as_str().cmp(name))
            .ok()
            .and_then(|p| u32::try_from(p).ok())
    };

    let mut language_codes: Vec<String> = languages.values().flatten().cloned().collect();
    language_codes.sort();
    language_codes.dedup();
    let language_id = |code: &str| {
        language_codes
            .binary_search_by(|c| c.as_str().cmp(code))
            .ok()
            .and_then(|p| u16::try_from(p).ok())
    };

    let mut services = HashMap::new();
    let mut documents = Vec::with_capacity(dataset.service.len());
    for service in &dataset.service {
        let terms = tagged(service.id);
        let needs: Vec<Need> = need_ids
            .iter()
            .filter(|(_, id)| terms.contains(id))
            .map(|(n, _)| *n)
            .collect();
        let eligibility: Vec<ImmigrationStatus> = status_ids
            .iter()
            .filter(|(_, id)| terms.contains(id))
            .map(|(e, _)| *e)
            .collect();
        let organisation = service
            .organization_id
            .and_then(|id| organisations.get_mut(&id));
        let (organisation_name, scope) = match organisation {
            Some(card) => {
                card.services.push(service.id);
                (card.name.clone(), card.scope)
            }
            None => (String::new(), Scope::Local),
        };
        let service_places = places.remove(&service.id).unwrap_or_default();
        let remote = service_places.is_empty();
        let service_schedules = schedules.get(&service.id).map(Vec::as_slice).unwrap_or(&[]);
        let intervals: Vec<OpeningInterval> = service_schedules
            .iter()
            .filter_map(|s| weekly_intervals(s))
            .flatten()
            .collect();
        let hours = service_schedules
            .iter()
            .filter_map(|s| {
                let days = weekly_intervals(s)?.iter().map(|i| i.weekday).collect();
                Some(HoursCard {
                    days,
                    opens: s.opens_at.as_ref()?.as_str().chars().take(5).collect(),
                    closes: s.closes_at.as_ref()?.as_str().chars().take(5).collect(),
                })
            })
            .collect();
        let codes = languages.remove(&service.id).unwrap_or_default();
        documents.push(IndexDoc {
            id: service.id,
            name: service.name.clone(),
            organisation_name: organisation_name.clone(),
            description: service.description.clone().unwrap_or_default(),
            need_labels: needs.iter().map(|n| n.label().to_owned()).collect(),
            needs: needs.iter().map(|n| term_index(*n)).collect(),
            languages: codes.iter().filter_map(|c| language_id(c)).collect(),
            eligibility: eligibility.iter().map(|e| term_index(*e)).collect(),
            scope: match scope {
                Scope::Local => haven_search::Scope::Local,
                Scope::Regional => haven_search::Scope::Regional,
                Scope::National => haven_search::Scope::National,
            },
            remote,
            // Confidential places are already coarsened to about a kilometre by the redaction.
            locations: service_places.iter().filter_map(|p| p.point).collect(),
            service_area: areas
                .get(&service.id)
                .map(|names| names.iter().filter_map(|n| area_id(n)).collect())
                .unwrap_or_default(),
            hours: if intervals.is_empty() {
                OpeningHours::Unknown
            } else {
                OpeningHours::Weekly(intervals)
            },
        });
        services.insert(
            service.id,
            ServiceCard {
                id: service.id,
                name: service.name.clone(),
                description: service.description.clone().unwrap_or_default(),
                organisation_id: service.organization_id,
                organisation_name,
                scope,
                remote,
                needs,
                eligibility,
                languages: codes,
                phones: phones.remove(&service.id).unwrap_or_default(),
                hours,
                hours_note: service_schedules.iter().find_map(|s| s.description.clone()),
                last_verified: service.assured_date.as_ref().map(|d| d.0.to_string()),
                places: service_places,
            },
        );
    }
    Ok(Built {
        cards: Cards {
            services: ServiceCards::encode(services)?,
            organisations,
            language_codes,
            area_names,
        },
        documents,
    })
}

/// A fingerprint of the vocabularies' codes in order: cards store a term by its position, so
/// a snapshot is only read by a Haven whose vocabularies are the same.
pub(crate) fn vocabulary_fingerprint() -> String {
    fn codes<T: Term>(hasher: &mut crc32fast::Hasher) {
        for term in T::ALL {
            hasher.update(term.code().as_bytes());
            hasher.update(b",");
        }
        hasher.update(b";");
    }
    let mut hasher = crc32fast::Hasher::new();
    codes::<Scope>(&mut hasher);
    codes::<Need>(&mut hasher);
    codes::<ImmigrationStatus>(&mut hasher);
    format!("{:08x}", hasher.finalize())
}

/// The search index's id for a need.
pub(crate) fn need_id(need: Need) -> u16 {
    term_index(need)
}

/// The search index's id for an immigration status.
pub(crate) fn eligibility_id(status: ImmigrationStatus) -> u16 {
    term_index(status)
}
