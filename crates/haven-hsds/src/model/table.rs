use std::fmt;

use serde::{Deserialize, Serialize};

/// The HSDS 3.0 tables, named as HSDS names them (`Table::name`) and with the file names of
/// the official tabular package (`Table::file_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Organization,
    Program,
    Service,
    Attribute,
    ServiceAtLocation,
    Location,
    Phone,
    Contact,
    Address,
    Schedule,
    Funding,
    ServiceArea,
    RequiredDocument,
    Language,
    Accessibility,
    TaxonomyTerm,
    Metadata,
    MetaTableDescription,
    CostOption,
    OrganizationIdentifier,
    Taxonomy,
}

impl Table {
    /// Every table, in the order of the official datapackage.json.
    pub const ALL: [Table; 21] = [
        Table::Organization,
        Table::Program,
        Table::Service,
        Table::Attribute,
        Table::ServiceAtLocation,
        Table::Location,
        Table::Phone,
        Table::Contact,
        Table::Address,
        Table::Schedule,
        Table::Funding,
        Table::ServiceArea,
        Table::RequiredDocument,
        Table::Language,
        Table::Accessibility,
        Table::TaxonomyTerm,
        Table::Metadata,
        Table::MetaTableDescription,
        Table::CostOption,
        Table::OrganizationIdentifier,
        Table::Taxonomy,
    ];

    /// HSDS's name for the table (the datapackage resource name, and `link_entity` values).
    pub fn name(self) -> &'static str {
        match self {
            Table::Organization => "organization",
            Table::Program => "program",
            Table::Service => "service",
            Table::Attribute => "attribute",
            Table::ServiceAtLocation => "service_at_location",
            Table::Location => "location",
            Table::Phone => "phone",
            Table::Contact => "contact",
            Table::Address => "address",
            Table::Schedule => "schedule",
            Table::Funding => "funding",
            Table::ServiceArea => "service_area",
            Table::RequiredDocument => "required_document",
            Table::Language => "language",
            Table::Accessibility => "accessibility",
            Table::TaxonomyTerm => "taxonomy_term",
            Table::Metadata => "metadata",
            Table::MetaTableDescription => "meta_table_description",
            Table::CostOption => "cost_option",
            Table::OrganizationIdentifier => "organization_identifier",
            Table::Taxonomy => "taxonomy",
        }
    }

    /// The CSV file name in the official example package.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Organization => "organizations.csv",
            Table::Program => "programs.csv",
            Table::Service => "services.csv",
            Table::Attribute => "attributes.csv",
            Table::ServiceAtLocation => "service_at_location.csv",
            Table::Location => "locations.csv",
            Table::Phone => "phones.csv",
            Table::Contact => "contacts.csv",
            Table::Address => "addresses.csv",
            Table::Schedule => "schedules.csv",
            Table::Funding => "funding.csv",
            Table::ServiceArea => "service_areas.csv",
            Table::RequiredDocument => "required_documents.csv",
            Table::Language => "languages.csv",
            Table::Accessibility => "accessibility.csv",
            Table::TaxonomyTerm => "taxonomy_terms.csv",
            Table::Metadata => "metadata.csv",
            Table::MetaTableDescription => "meta_table_descriptions.csv",
            Table::CostOption => "cost_options.csv",
            Table::OrganizationIdentifier => "organization_identifiers.csv",
            Table::Taxonomy => "taxonomies.csv",
        }
    }

    /// The table HSDS names `name` (e.g. a datapackage resource or a `link_entity`).
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The table whose official file name is `file_name` (no folders).
    pub fn from_file_name(file_name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.file_name() == file_name)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
