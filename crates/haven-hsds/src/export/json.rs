//! The nested JSON objects of the HSDS 3.0 API, built from a [`Dataset`]. Nested records keep
//! their own foreign keys (HSDS allows them), so a rendered object imports back to the same
//! rows. Each function scans the dataset's tables; the API layer can pass a dataset holding
//! just the records around one service.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::object;
use crate::model::*;

type Obj = Map<String, Value>;

fn list<T, F: Fn(&T) -> Obj>(rows: impl Iterator<Item = T>, render: F) -> Value {
    Value::Array(rows.map(|r| Value::Object(render(&r))).collect())
}

fn put(obj: &mut Obj, key: &str, value: Value) {
    obj.insert(key.to_owned(), value);
}

/// Attributes and metadata, which any object may carry.
fn common(ds: &Dataset, id: Uuid, obj: &mut Obj) {
    put(
        obj,
        "attributes",
        list(ds.attributes_of(id), |a| attribute(ds, a)),
    );
    put(
        obj,
        "metadata",
        list(
            ds.metadata.iter().filter(|m| m.resource_id == Some(id)),
            |m| object(*m),
        ),
    );
}

fn attribute(ds: &Dataset, a: &Attribute) -> Obj {
    let mut obj = object(a);
    if let Some(term) = a.taxonomy_term_id.and_then(|id| ds.get::<TaxonomyTerm>(id)) {
        put(
            &mut obj,
            "taxonomy_term",
            Value::Object(term_object(ds, term)),
        );
    }
    let metadata = ds.metadata.iter().filter(|m| m.resource_id == Some(a.id));
    put(&mut obj, "metadata", list(metadata, |m| object(*m)));
    obj
}

fn term_object(ds: &Dataset, term: &TaxonomyTerm) -> Obj {
    let mut obj = object(term);
    if let Some(t) = term.taxonomy_id.and_then(|id| ds.get::<Taxonomy>(id)) {
        put(&mut obj, "taxonomy_detail", Value::Object(object(t)));
    }
    obj
}

fn language(ds: &Dataset, l: &Language) -> Obj {
    let mut obj = object(l);
    common(ds, l.id, &mut obj);
    obj
}

fn phone(ds: &Dataset, p: &Phone) -> Obj {
    let mut obj = object(p);
    put(
        &mut obj,
        "languages",
        list(
            ds.language.iter().filter(|l| l.phone_id == Some(p.id)),
            |l| language(ds, l),
        ),
    );
    common(ds, p.id, &mut obj);
    obj
}

fn contact(ds: &Dataset, c: &Contact) -> Obj {
    let mut obj = object(c);
    put(
        &mut obj,
        "phones",
        list(
            ds.phone.iter().filter(|p| p.contact_id == Some(c.id)),
            |p| phone(ds, p),
        ),
    );
    common(ds, c.id, &mut obj);
    obj
}

/// A record with only attributes and metadata nested.
fn plain<T: Record>(ds: &Dataset, r: &T) -> Obj {
    let mut obj = object(r);
    common(ds, r.id(), &mut obj);
    obj
}

fn location_object(ds: &Dataset, l: &Location) -> Obj {
    let id = Some(l.id);
    let mut obj = object(l);
    put(
        &mut obj,
        "languages",
        list(ds.language.iter().filter(|x| x.location_id == id), |x| {
            language(ds, x)
        }),
    );
    put(
        &mut obj,
        "addresses",
        list(ds.address.iter().filter(|x| x.location_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "contacts",
        list(ds.contact.iter().filter(|x| x.location_id == id), |x| {
            contact(ds, x)
        }),
    );
    put(
        &mut obj,
        "accessibility",
        list(
            ds.accessibility.iter().filter(|x| x.location_id == id),
            |x| plain(ds, *x),
        ),
    );
    put(
        &mut obj,
        "phones",
        list(ds.phone.iter().filter(|x| x.location_id == id), |x| {
            phone(ds, x)
        }),
    );
    put(
        &mut obj,
        "schedules",
        list(ds.schedule.iter().filter(|x| x.location_id == id), |x| {
            plain(ds, *x)
        }),
    );
    common(ds, l.id, &mut obj);
    obj
}

fn service_at_location_object(ds: &Dataset, s: &ServiceAtLocation, with_service: bool) -> Obj {
    let id = Some(s.id);
    let mut obj = object(s);
    put(
        &mut obj,
        "contacts",
        list(
            ds.contact.iter().filter(|x| x.service_at_location_id == id),
            |x| contact(ds, x),
        ),
    );
    put(
        &mut obj,
        "phones",
        list(
            ds.phone.iter().filter(|x| x.service_at_location_id == id),
            |x| phone(ds, x),
        ),
    );
    put(
        &mut obj,
        "schedules",
        list(
            ds.schedule
                .iter()
                .filter(|x| x.service_at_location_id == id),
            |x| plain(ds, *x),
        ),
    );
    if let Some(l) = s.location_id.and_then(|lid| ds.get::<Location>(lid)) {
        put(&mut obj, "location", Value::Object(location_object(ds, l)));
    }
    if with_service && let Some(svc) = s.service_id.and_then(|sid| ds.get::<Service>(sid)) {
        put(
            &mut obj,
            "service",
            Value::Object(service_object(ds, svc, true)),
        );
    }
    common(ds, s.id, &mut obj);
    obj
}

fn organization_object(ds: &Dataset, o: &Organization, with_services: bool) -> Obj {
    let id = Some(o.id);
    let mut obj = object(o);
    put(
        &mut obj,
        "funding",
        list(ds.funding.iter().filter(|x| x.organization_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "contacts",
        list(ds.contact.iter().filter(|x| x.organization_id == id), |x| {
            contact(ds, x)
        }),
    );
    put(
        &mut obj,
        "phones",
        list(ds.phone.iter().filter(|x| x.organization_id == id), |x| {
            phone(ds, x)
        }),
    );
    put(
        &mut obj,
        "locations",
        list(
            ds.location.iter().filter(|x| x.organization_id == id),
            |x| location_object(ds, x),
        ),
    );
    put(
        &mut obj,
        "programs",
        list(ds.program.iter().filter(|x| x.organization_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "organization_identifiers",
        list(
            ds.organization_identifier
                .iter()
                .filter(|x| x.organization_id == id),
            |x| plain(ds, *x),
        ),
    );
    if with_services {
        put(
            &mut obj,
            "services",
            list(ds.service.iter().filter(|x| x.organization_id == id), |x| {
                service_object(ds, x, false)
            }),
        );
    }
    common(ds, o.id, &mut obj);
    obj
}

fn service_object(ds: &Dataset, s: &Service, with_organization: bool) -> Obj {
    let id = Some(s.id);
    let mut obj = object(s);
    put(
        &mut obj,
        "phones",
        list(ds.phone.iter().filter(|x| x.service_id == id), |x| {
            phone(ds, x)
        }),
    );
    put(
        &mut obj,
        "schedules",
        list(ds.schedule.iter().filter(|x| x.service_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "service_areas",
        list(ds.service_area.iter().filter(|x| x.service_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "service_at_locations",
        list(
            ds.service_at_location.iter().filter(|x| x.service_id == id),
            |x| service_at_location_object(ds, x, false),
        ),
    );
    put(
        &mut obj,
        "languages",
        list(ds.language.iter().filter(|x| x.service_id == id), |x| {
            language(ds, x)
        }),
    );
    if with_organization
        && let Some(o) = s
            .organization_id
            .and_then(|oid| ds.get::<Organization>(oid))
    {
        put(
            &mut obj,
            "organization",
            Value::Object(organization_object(ds, o, false)),
        );
    }
    put(
        &mut obj,
        "funding",
        list(ds.funding.iter().filter(|x| x.service_id == id), |x| {
            plain(ds, *x)
        }),
    );
    put(
        &mut obj,
        "cost_options",
        list(ds.cost_option.iter().filter(|x| x.service_id == id), |x| {
            plain(ds, *x)
        }),
    );
    if let Some(p) = s.program_id.and_then(|pid| ds.get::<Program>(pid)) {
        put(&mut obj, "program", Value::Object(plain(ds, p)));
    }
    put(
        &mut obj,
        "required_documents",
        list(
            ds.required_document.iter().filter(|x| x.service_id == id),
            |x| plain(ds, *x),
        ),
    );
    put(
        &mut obj,
        "contacts",
        list(ds.contact.iter().filter(|x| x.service_id == id), |x| {
            contact(ds, x)
        }),
    );
    common(ds, s.id, &mut obj);
    obj
}

/// `GET /services/{id}`: the service with everything about it nested, its organization
/// included (without the organization's other services).
pub fn service_full(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Service>(id)
        .map(|s| Value::Object(service_object(ds, s, true)))
}

/// `GET /organizations/{id}`: the organization with its services (each without the
/// organization repeated), locations, programs and the rest.
pub fn organization_full(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Organization>(id)
        .map(|o| Value::Object(organization_object(ds, o, true)))
}

/// `GET /service_at_locations/{id}`: with its location and its service (full) nested.
pub fn service_at_location_full(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<ServiceAtLocation>(id)
        .map(|s| Value::Object(service_at_location_object(ds, s, true)))
}

/// `GET /services` without `full` (HSDS's `service_list`): the service's own fields, with its
/// organization and program (their own fields only) nested. A list is for choosing; the
/// nested `service_full` is one request away.
pub fn service_list(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Service>(id)
        .map(|s| Value::Object(service_list_object(ds, s)))
}

fn service_list_object(ds: &Dataset, s: &Service) -> Obj {
    let organization = s
        .organization_id
        .and_then(|oid| ds.get::<Organization>(oid));
    let program = s.program_id.and_then(|pid| ds.get::<Program>(pid));
    service_list_of(s, organization, program)
}

/// A `service_list` item from the service and its already found organization and program.
pub(crate) fn service_list_of(
    s: &Service,
    organization: Option<&Organization>,
    program: Option<&Program>,
) -> Obj {
    let mut obj = object(s);
    if let Some(o) = organization {
        put(&mut obj, "organization", Value::Object(object(o)));
    }
    if let Some(p) = program {
        put(&mut obj, "program", Value::Object(object(p)));
    }
    obj
}

/// `GET /organizations` without `full` (HSDS's `organization_list`): the organization's own
/// fields.
pub fn organization_list(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Organization>(id).map(|o| Value::Object(object(o)))
}

/// `GET /service_at_locations` without `full` (HSDS's `service_at_location_list`): its own
/// fields, its location's own fields and its service as in a service list.
pub fn service_at_location_list(ds: &Dataset, id: Uuid) -> Option<Value> {
    let sal = ds.get::<ServiceAtLocation>(id)?;
    let mut obj = object(sal);
    if let Some(l) = sal.location_id.and_then(|lid| ds.get::<Location>(lid)) {
        put(&mut obj, "location", Value::Object(object(l)));
    }
    if let Some(s) = sal.service_id.and_then(|sid| ds.get::<Service>(sid)) {
        put(
            &mut obj,
            "service",
            Value::Object(service_list_object(ds, s)),
        );
    }
    Some(Value::Object(obj))
}

/// HSDS's `minimal` list item: the record's id and when it last changed (`last_modified`, the
/// schema's name for what the API description calls `modified_date`).
pub fn service_minimal(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Service>(id).map(service_minimal_of)
}

/// A `minimal` item from the service itself.
pub(crate) fn service_minimal_of(s: &Service) -> Value {
    let mut obj = Obj::new();
    put(&mut obj, "id", Value::String(s.id.to_string()));
    if let Some(when) = &s.last_modified {
        put(
            &mut obj,
            "last_modified",
            serde_json::to_value(when).unwrap_or(Value::Null),
        );
    }
    Value::Object(obj)
}

/// A location with its addresses, phones, schedules and the rest nested.
pub fn location_full(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Location>(id)
        .map(|l| Value::Object(location_object(ds, l)))
}

/// `GET /taxonomies/{id}`.
pub fn taxonomy(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<Taxonomy>(id).map(|t| Value::Object(object(t)))
}

/// `GET /taxonomy_terms/{id}`, with `taxonomy_detail` when its taxonomy is known.
pub fn taxonomy_term(ds: &Dataset, id: Uuid) -> Option<Value> {
    ds.get::<TaxonomyTerm>(id)
        .map(|t| Value::Object(term_object(ds, t)))
}
