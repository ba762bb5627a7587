//! What HSDS 3.0 says about each table's fields, as data: type, whether required, and which
//! table a foreign key points at. Import validates against it and export writes
//! `datapackage.json` from it, so the two cannot drift apart. The field order is the official
//! datapackage's.

use crate::model::{Frequency, LocationType, ServiceStatus, Table, Weekday};

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A UUID (HSDS: string, format uuid).
    Id,
    Number,
    /// A number that should be within -90..90 (outside: a warning, the value is kept).
    Latitude,
    /// A number that should be within -180..180.
    Longitude,
    Date,
    Time,
    DateTime,
    Email,
    Uri,
    /// One of these exact strings.
    Enum(&'static [&'static str]),
}

impl Kind {
    /// The Frictionless (datapackage) type and format.
    pub fn datapackage_type(self) -> (&'static str, Option<&'static str>) {
        match self {
            Kind::Text | Kind::Enum(_) => ("string", None),
            Kind::Id => ("string", Some("uuid")),
            Kind::Number | Kind::Latitude | Kind::Longitude => ("number", None),
            Kind::Date => ("date", None),
            Kind::Time => ("time", None),
            Kind::DateTime => ("datetime", None),
            Kind::Email => ("string", Some("email")),
            Kind::Uri => ("string", Some("uri")),
        }
    }
}

/// When a field must have a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// In every form (HSDS JSON schema `required`).
    Always,
    /// Only in the tabular form, where nesting cannot imply it (HSDS `tabular_required`).
    Tabular,
    Optional,
}

/// The table a foreign key points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Table(Table),
    /// The table is named by another field of the same row (`attribute.link_entity`,
    /// `metadata.resource_type`).
    NamedBy(&'static str),
}

/// A foreign key. `strict` references are ones HSDS requires (a dangling one is an error);
/// the rest only warn, as the official example package has several that dangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub target: Target,
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub required: Required,
    pub reference: Option<Reference>,
}

const fn f(name: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: Required::Optional,
        reference: None,
    }
}
const fn req(name: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: Required::Always,
        reference: None,
    }
}
/// An optional foreign key: dangling is a warning.
const fn fk(name: &'static str, table: Table) -> FieldSpec {
    FieldSpec {
        name,
        kind: Kind::Id,
        required: Required::Optional,
        reference: Some(Reference {
            target: Target::Table(table),
            strict: false,
        }),
    }
}
/// A foreign key the tabular form requires: missing or dangling is an error.
const fn must_fk(name: &'static str, table: Table) -> FieldSpec {
    FieldSpec {
        name,
        kind: Kind::Id,
        required: Required::Tabular,
        reference: Some(Reference {
            target: Target::Table(table),
            strict: true,
        }),
    }
}

const ID: FieldSpec = req("id", Kind::Id);
use Kind::*;

const ORGANIZATION: &[FieldSpec] = &[
    ID,
    req("name", Text),
    f("alternate_name", Text),
    req("description", Text),
    f("email", Email),
    f("website", Uri),
    f("tax_status", Text),
    f("tax_id", Text),
    f("year_incorporated", Number),
    f("legal_status", Text),
    f("logo", Text),
    f("uri", Uri),
    fk("parent_organization_id", Table::Organization),
];
const PROGRAM: &[FieldSpec] = &[
    ID,
    must_fk("organization_id", Table::Organization),
    req("name", Text),
    f("alternate_name", Text),
    req("description", Text),
];
const SERVICE: &[FieldSpec] = &[
    ID,
    must_fk("organization_id", Table::Organization),
    fk("program_id", Table::Program),
    req("name", Text),
    f("alternate_name", Text),
    f("description", Text),
    f("url", Uri),
    f("email", Email),
    req("status", Enum(ServiceStatus::TEXTS)),
    f("interpretation_services", Text),
    f("application_process", Text),
    f("fees_description", Text),
    f("wait_time", Text),
    f("fees", Text),
    f("accreditations", Text),
    f("eligibility_description", Text),
    f("minimum_age", Number),
    f("maximum_age", Number),
    f("assured_date", Date),
    f("assurer_email", Email),
    f("licenses", Text),
    f("alert", Text),
    f("last_modified", DateTime),
];
const ATTRIBUTE: &[FieldSpec] = &[
    ID,
    FieldSpec {
        name: "link_id",
        kind: Id,
        required: Required::Tabular,
        reference: Some(Reference {
            target: Target::NamedBy("link_entity"),
            strict: true,
        }),
    },
    must_fk("taxonomy_term_id", Table::TaxonomyTerm),
    f("link_type", Text),
    FieldSpec {
        name: "link_entity",
        kind: Text,
        required: Required::Tabular,
        reference: None,
    },
    f("value", Text),
];
const SERVICE_AT_LOCATION: &[FieldSpec] = &[
    ID,
    must_fk("service_id", Table::Service),
    must_fk("location_id", Table::Location),
    f("description", Text),
];
const LOCATION: &[FieldSpec] = &[
    ID,
    req("location_type", Enum(LocationType::TEXTS)),
    f("url", Uri),
    fk("organization_id", Table::Organization),
    f("name", Text),
    f("alternate_name", Text),
    f("description", Text),
    f("transportation", Text),
    f("latitude", Latitude),
    f("longitude", Longitude),
    f("external_identifier", Text),
    f("external_identifier_type", Text),
];
const PHONE: &[FieldSpec] = &[
    ID,
    fk("location_id", Table::Location),
    fk("service_id", Table::Service),
    fk("organization_id", Table::Organization),
    fk("contact_id", Table::Contact),
    fk("service_at_location_id", Table::ServiceAtLocation),
    req("number", Text),
    f("extension", Number),
    f("type", Text),
    f("description", Text),
];
const CONTACT: &[FieldSpec] = &[
    ID,
    fk("organization_id", Table::Organization),
    fk("service_id", Table::Service),
    fk("service_at_location_id", Table::ServiceAtLocation),
    fk("location_id", Table::Location),
    f("name", Text),
    f("title", Text),
    f("department", Text),
    f("email", Email),
];
const ADDRESS: &[FieldSpec] = &[
    ID,
    fk("location_id", Table::Location),
    f("attention", Text),
    req("address_1", Text),
    f("address_2", Text),
    req("city", Text),
    f("region", Text),
    req("state_province", Text),
    req("postal_code", Text),
    req("country", Text),
    req("address_type", Enum(LocationType::TEXTS)),
];
const SCHEDULE: &[FieldSpec] = &[
    ID,
    fk("service_id", Table::Service),
    fk("location_id", Table::Location),
    fk("service_at_location_id", Table::ServiceAtLocation),
    f("valid_from", Date),
    f("valid_to", Date),
    f("dtstart", Date),
    f("timezone", Number),
    f("until", Date),
    f("count", Number),
    f("wkst", Enum(Weekday::TEXTS)),
    f("freq", Enum(Frequency::TEXTS)),
    f("interval", Number),
    f("byday", Text),
    f("byweekno", Text),
    f("bymonthday", Text),
    f("byyearday", Text),
    f("description", Text),
    f("opens_at", Time),
    f("closes_at", Time),
    f("schedule_link", Uri),
    f("attending_type", Text),
    f("notes", Text),
];
const FUNDING: &[FieldSpec] = &[
    ID,
    fk("organization_id", Table::Organization),
    fk("service_id", Table::Service),
    f("source", Text),
];
const SERVICE_AREA: &[FieldSpec] = &[
    ID,
    fk("service_id", Table::Service),
    f("name", Text),
    f("description", Text),
    f("extent", Text),
    f("extent_type", Text),
    f("uri", Text),
];
const REQUIRED_DOCUMENT: &[FieldSpec] = &[
    ID,
    fk("service_id", Table::Service),
    f("document", Text),
    f("uri", Uri),
];
const LANGUAGE: &[FieldSpec] = &[
    ID,
    fk("service_id", Table::Service),
    fk("location_id", Table::Location),
    fk("phone_id", Table::Phone),
    f("name", Text),
    f("code", Text),
    f("note", Text),
];
const ACCESSIBILITY: &[FieldSpec] = &[
    ID,
    fk("location_id", Table::Location),
    f("description", Text),
    f("details", Text),
    f("url", Uri),
];
const TAXONOMY_TERM: &[FieldSpec] = &[
    ID,
    f("code", Text),
    req("name", Text),
    req("description", Text),
    fk("parent_id", Table::TaxonomyTerm),
    f("taxonomy", Text),
    f("language", Text),
    fk("taxonomy_id", Table::Taxonomy),
    f("term_uri", Uri),
];
/// `resource_id` is required but only warns when it dangles: metadata is a change log, and
/// it may describe a record that has since been deleted (the official example's does).
const METADATA: &[FieldSpec] = &[
    ID,
    FieldSpec {
        name: "resource_id",
        kind: Id,
        required: Required::Tabular,
        reference: Some(Reference {
            target: Target::NamedBy("resource_type"),
            strict: false,
        }),
    },
    FieldSpec {
        name: "resource_type",
        kind: Text,
        required: Required::Tabular,
        reference: None,
    },
    req("last_action_date", Date),
    req("last_action_type", Text),
    req("field_name", Text),
    req("previous_value", Text),
    req("replacement_value", Text),
    req("updated_by", Text),
];
const META_TABLE_DESCRIPTION: &[FieldSpec] = &[
    ID,
    f("name", Text),
    f("language", Text),
    f("character_set", Text),
];
const COST_OPTION: &[FieldSpec] = &[
    ID,
    must_fk("service_id", Table::Service),
    f("valid_from", Date),
    f("valid_to", Date),
    f("option", Text),
    f("currency", Text),
    f("amount", Number),
    f("amount_description", Text),
];
const ORGANIZATION_IDENTIFIER: &[FieldSpec] = &[
    ID,
    must_fk("organization_id", Table::Organization),
    f("identifier_scheme", Text),
    req("identifier_type", Text),
    req("identifier", Text),
];
const TAXONOMY: &[FieldSpec] = &[
    ID,
    req("name", Text),
    req("description", Text),
    f("uri", Uri),
    f("version", Text),
];

/// The fields of `table`, in the official datapackage's order.
pub fn fields(table: Table) -> &'static [FieldSpec] {
    match table {
        Table::Organization => ORGANIZATION,
        Table::Program => PROGRAM,
        Table::Service => SERVICE,
        Table::Attribute => ATTRIBUTE,
        Table::ServiceAtLocation => SERVICE_AT_LOCATION,
        Table::Location => LOCATION,
        Table::Phone => PHONE,
        Table::Contact => CONTACT,
        Table::Address => ADDRESS,
        Table::Schedule => SCHEDULE,
        Table::Funding => FUNDING,
        Table::ServiceArea => SERVICE_AREA,
        Table::RequiredDocument => REQUIRED_DOCUMENT,
        Table::Language => LANGUAGE,
        Table::Accessibility => ACCESSIBILITY,
        Table::TaxonomyTerm => TAXONOMY_TERM,
        Table::Metadata => METADATA,
        Table::MetaTableDescription => META_TABLE_DESCRIPTION,
        Table::CostOption => COST_OPTION,
        Table::OrganizationIdentifier => ORGANIZATION_IDENTIFIER,
        Table::Taxonomy => TAXONOMY,
    }
}

/// The spec of `table.name`, if HSDS defines that field.
pub fn field(table: Table, name: &str) -> Option<&'static FieldSpec> {
    fields(table).iter().find(|f| f.name == name)
}
