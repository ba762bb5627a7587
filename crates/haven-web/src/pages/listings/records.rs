//! A [`Draft`] as HSDS records, the records a service's form owns, and a stored service read
//! back into the form.
//!
//! Records the form writes have ids derived from the service's (UUID v5 in Haven's namespace),
//! so saving twice replaces rather than duplicates them. Saving first removes the records the
//! form manages (tags from the needs and eligibility taxonomies, languages, phones, schedules,
//! links to locations and the locations only this listing's service used) and writes the new
//! ones, in one transaction.

use std::collections::HashSet;

use haven_domain::spoken::spoken;
use haven_hsds::model::{
    Attribute, Email, IsoDate, Language, Location, LocationType, Phone, Schedule, Service,
    ServiceAtLocation,
};
use haven_hsds::vocabulary::{ImmigrationStatus, LocationFlag, NAMESPACE, Need, Term};
use haven_hsds::{Dataset, Table};
use serde_json::json;
use uuid::Uuid;

use super::form::{DAYS, Draft, ServiceForm};
use crate::AppError;

/// Id of a record the form writes for `service`.
fn child_id(service: Uuid, what: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("listing:{service}:{what}").as_bytes())
}

/// `external_identifier_type` of the place a person typed for a location, kept so the form
/// can show it again; a confidential location's public view drops it.
const PLACE_TYPED: &str = "haven-place";

fn record<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::internal(format!("building a record: {e}")))
}

/// Who saved it and when.
pub(crate) struct Assured {
    pub date: time::Date,
    pub by: Option<Email>,
}

/// The records of a service as `draft` describes it. `existing` keeps fields the form does not
/// edit.
pub(crate) fn service_dataset(
    draft: &Draft,
    id: Uuid,
    organisation: Uuid,
    existing: Option<&Service>,
    assured: Assured,
) -> Result<Dataset, AppError> {
    let mut dataset = Dataset::new();
    let mut service: Service = match existing {
        Some(service) => service.clone(),
        None => record(json!({"id": id, "name": draft.name, "status": "active"}))?,
    };
    service.organization_id = Some(organisation);
    service.name.clone_from(&draft.name);
    service.description.clone_from(&draft.description);
    service.assured_date = Some(IsoDate(assured.date));
    service.assurer_email = assured.by;
    dataset.service.push(service);
    dataset
        .attribute
        .extend(draft.needs.iter().map(|n| n.attribute_for(id)));
    dataset
        .attribute
        .extend(draft.open_to.iter().map(|s| s.attribute_for(id)));
    for language in &draft.languages {
        dataset.language.push(Language {
            id: child_id(id, &format!("language:{}", language.code)),
            service_id: Some(id),
            location_id: None,
            phone_id: None,
            name: Some(language.english.to_owned()),
            code: Some(language.code.to_owned()),
            note: None,
            extra: Default::default(),
        });
    }
    if let Some(number) = &draft.phone {
        dataset.phone.push(record::<Phone>(json!({
            "id": child_id(id, "phone"),
            "service_id": id,
            "number": number,
        }))?);
    }
    if let Some(hours) = &draft.hours {
        let byday: Vec<&str> = hours
            .days
            .iter()
            .filter_map(|d| DAYS.get(*d).copied())
            .collect();
        dataset.schedule.push(record::<Schedule>(json!({
            "id": child_id(id, "schedule"),
            "service_id": id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": byday.join(","),
            "opens_at": hours.opens.as_str(),
            "closes_at": hours.closes.as_str(),
        }))?);
    }
    if let Some(place) = &draft.place {
        let location_id = child_id(id, "location");
        // A confidential location is named only by its area: the public view keeps the name.
        let name = if draft.confidential {
            place.area.clone()
        } else {
            place.label.clone()
        };
        let mut location: Location = record(json!({
            "id": location_id,
            "location_type": "physical",
            "organization_id": organisation,
            "name": name,
            "latitude": place.point.lat(),
            "longitude": place.point.lon(),
            "external_identifier": place.label,
            "external_identifier_type": PLACE_TYPED,
        }))?;
        location.location_type = LocationType::Physical;
        dataset.location.push(location);
        if draft.confidential {
            dataset
                .attribute
                .push(LocationFlag::Confidential.attribute_for(location_id));
        }
        dataset.service_at_location.push(ServiceAtLocation {
            id: child_id(id, "at-location"),
            service_id: Some(id),
            location_id: Some(location_id),
            description: None,
            extra: Default::default(),
        });
    }
    if draft.remote {
        let location_id = child_id(id, "remote");
        dataset.location.push(record(json!({
            "id": location_id,
            "location_type": "virtual",
            "organization_id": organisation,
            "name": "Remote",
        }))?);
        dataset.service_at_location.push(ServiceAtLocation {
            id: child_id(id, "at-remote"),
            service_id: Some(id),
            location_id: Some(location_id),
            description: None,
            extra: Default::default(),
        });
    }
    Ok(dataset)
}

fn is_form_tag(attribute: &Attribute) -> bool {
    attribute.taxonomy_term_id.is_some_and(|term| {
        Need::from_term_id(term).is_some() || ImmigrationStatus::from_term_id(term).is_some()
    })
}

/// The records the form manages for `service` (owned by `organisation`), to remove before
/// writing new ones. With `whole`, everything that hangs off the service, and the service.
pub(crate) fn owned_records(
    dataset: &Dataset,
    service: Uuid,
    organisation: Uuid,
    whole: bool,
) -> Vec<(Table, Uuid)> {
    let mut out = Vec::new();
    for a in dataset.attributes_of(service) {
        if whole || is_form_tag(a) {
            out.push((Table::Attribute, a.id));
        }
    }
    let of = |s: Option<Uuid>| s == Some(service);
    // Only what the form shows is replaced: languages it can name, its phone, its schedule, and
    // links to its physical location and to remote delivery. Anything else an import brought
    // (a second phone, another schedule) stays, unless the whole service goes.
    out.extend(
        dataset
            .language
            .iter()
            .filter(|r| of(r.service_id))
            .filter(|r| whole || r.code.as_deref().and_then(spoken).is_some())
            .map(|r| (Table::Language, r.id)),
    );
    let phones = dataset.phone.iter().filter(|r| of(r.service_id));
    if whole {
        out.extend(phones.map(|r| (Table::Phone, r.id)));
    } else if let Some(phone) = shown_phone(dataset, service) {
        out.push((Table::Phone, phone.id));
    }
    let schedules = dataset.schedule.iter().filter(|r| of(r.service_id));
    if whole {
        out.extend(schedules.map(|r| (Table::Schedule, r.id)));
    } else if let Some(schedule) = shown_schedule(dataset, service) {
        out.push((Table::Schedule, schedule.id));
    }
    let shown_location = shown_physical(dataset, service).map(|l| l.id);
    let links: Vec<&ServiceAtLocation> = dataset
        .service_at_location
        .iter()
        .filter(|r| of(r.service_id))
        .filter(|r| {
            whole
                || (shown_location.is_some() && r.location_id == shown_location)
                || r.location_id
                    .and_then(|l| dataset.get::<Location>(l))
                    .is_some_and(|l| matches!(l.location_type, LocationType::Virtual))
        })
        .collect();
    let linked: HashSet<Uuid> = links.iter().filter_map(|l| l.location_id).collect();
    out.extend(links.iter().map(|l| (Table::ServiceAtLocation, l.id)));
    for location in dataset.location.iter().filter(|l| linked.contains(&l.id)) {
        let shared = dataset
            .service_at_location
            .iter()
            .any(|l| l.location_id == Some(location.id) && !of(l.service_id));
        if shared || location.organization_id != Some(organisation) {
            continue;
        }
        out.push((Table::Location, location.id));
        out.extend(
            dataset
                .attributes_of(location.id)
                .map(|a| (Table::Attribute, a.id)),
        );
        out.extend(
            dataset
                .address
                .iter()
                .filter(|a| a.location_id == Some(location.id))
                .map(|a| (Table::Address, a.id)),
        );
    }
    if whole {
        out.extend(
            dataset
                .contact
                .iter()
                .filter(|r| of(r.service_id))
                .map(|r| (Table::Contact, r.id)),
        );
        out.extend(
            dataset
                .funding
                .iter()
                .filter(|r| of(r.service_id))
                .map(|r| (Table::Funding, r.id)),
        );
        out.extend(
            dataset
                .service_area
                .iter()
                .filter(|r| of(r.service_id))
                .map(|r| (Table::ServiceArea, r.id)),
        );
        out.extend(
            dataset
                .required_document
                .iter()
                .filter(|r| of(r.service_id))
                .map(|r| (Table::RequiredDocument, r.id)),
        );
        out.extend(
            dataset
                .cost_option
                .iter()
                .filter(|r| of(r.service_id))
                .map(|r| (Table::CostOption, r.id)),
        );
        out.push((Table::Service, service));
    }
    out
}

/// The phone the form shows: its own, else the service's first.
fn shown_phone(dataset: &Dataset, service: Uuid) -> Option<&Phone> {
    let own = child_id(service, "phone");
    let mut phones = dataset
        .phone
        .iter()
        .filter(|p| p.service_id == Some(service));
    dataset
        .phone
        .iter()
        .find(|p| p.id == own)
        .or_else(|| phones.next())
}

/// The schedule the form shows: its own, else the service's first weekly one.
fn shown_schedule(dataset: &Dataset, service: Uuid) -> Option<&Schedule> {
    let own = child_id(service, "schedule");
    dataset.schedule.iter().find(|s| s.id == own).or_else(|| {
        dataset.schedule.iter().find(|s| {
            s.service_id == Some(service)
                && s.freq.as_ref().is_some_and(|f| f.as_str() == "WEEKLY")
                && s.byday.is_some()
        })
    })
}

/// The physical location the form shows: its own, else the service's first.
fn shown_physical(dataset: &Dataset, service: Uuid) -> Option<&Location> {
    let own = child_id(service, "location");
    dataset
        .service_at_location
        .iter()
        .filter(|l| l.service_id == Some(service))
        .filter_map(|l| l.location_id)
        .filter_map(|l| dataset.get::<Location>(l))
        .filter(|l| !matches!(l.location_type, LocationType::Virtual))
        .min_by_key(|l| l.id != own)
}

/// A stored service as the form shows it.
pub(crate) fn form_of(dataset: &Dataset, service: &Service) -> ServiceForm {
    let id = service.id;
    let of = |s: Option<Uuid>| s == Some(id);
    let schedule = shown_schedule(dataset, id);
    let locations: Vec<&Location> = dataset
        .service_at_location
        .iter()
        .filter(|l| of(l.service_id))
        .filter_map(|l| l.location_id)
        .filter_map(|l| dataset.get::<Location>(l))
        .collect();
    let physical = shown_physical(dataset, id);
    let hhmm = |t: Option<&haven_hsds::model::ClockTime>| {
        t.map(|t| t.as_str().chars().take(5).collect())
            .unwrap_or_default()
    };
    ServiceForm {
        csrf: None,
        name: service.name.clone(),
        description: service.description.clone().unwrap_or_default(),
        need: Need::of(dataset, id)
            .iter()
            .map(|n| n.code().to_owned())
            .collect(),
        open_to: ImmigrationStatus::of(dataset, id)
            .iter()
            .map(|s| s.code().to_owned())
            .collect(),
        language: dataset
            .language
            .iter()
            .filter(|l| of(l.service_id))
            .filter_map(|l| l.code.as_deref().and_then(spoken))
            .map(|s| s.code.to_owned())
            .collect(),
        phone: shown_phone(dataset, id)
            .map(|p| p.number.clone())
            .unwrap_or_default(),
        day: schedule
            .and_then(|s| s.byday.as_deref())
            .map(|d| d.split(',').map(|d| d.trim().to_uppercase()).collect())
            .unwrap_or_default(),
        opens: hhmm(schedule.and_then(|s| s.opens_at.as_ref())),
        closes: hhmm(schedule.and_then(|s| s.closes_at.as_ref())),
        place: physical
            .and_then(|l| {
                if l.external_identifier_type.as_deref() == Some(PLACE_TYPED) {
                    l.external_identifier.clone()
                } else {
                    l.name.clone()
                }
            })
            .unwrap_or_default(),
        confidential: physical
            .filter(|l| haven_hsds::vocabulary::is_confidential(dataset, l.id))
            .map(|_| "1".to_owned()),
        remote: locations
            .iter()
            .any(|l| matches!(l.location_type, LocationType::Virtual))
            .then(|| "1".to_owned()),
    }
}
