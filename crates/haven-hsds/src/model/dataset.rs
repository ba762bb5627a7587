use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::records::*;
use super::table::Table;

/// All records of one HSDS package as flat tables, in the order they were read. Field names
/// follow HSDS (singular table names; the tabular package's file names are plural).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub organization: Vec<Organization>,
    pub program: Vec<Program>,
    pub service: Vec<Service>,
    pub attribute: Vec<Attribute>,
    pub service_at_location: Vec<ServiceAtLocation>,
    pub location: Vec<Location>,
    pub phone: Vec<Phone>,
    pub contact: Vec<Contact>,
    pub address: Vec<Address>,
    pub schedule: Vec<Schedule>,
    pub funding: Vec<Funding>,
    pub service_area: Vec<ServiceArea>,
    pub required_document: Vec<RequiredDocument>,
    pub language: Vec<Language>,
    pub accessibility: Vec<Accessibility>,
    pub taxonomy_term: Vec<TaxonomyTerm>,
    pub metadata: Vec<Metadata>,
    pub meta_table_description: Vec<MetaTableDescription>,
    pub cost_option: Vec<CostOption>,
    pub organization_identifier: Vec<OrganizationIdentifier>,
    pub taxonomy: Vec<Taxonomy>,
    /// Tables in the package that HSDS 3.0 does not define, kept as read.
    pub unknown_tables: Vec<UnknownTable>,
}

/// A table HSDS does not define (e.g. a profile's extension), kept cell for cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownTable {
    /// The datapackage resource name.
    pub name: String,
    /// The file name within the package.
    pub path: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A record type of one HSDS table.
pub trait Record: Sized + Serialize + Clone {
    const TABLE: Table;
    fn id(&self) -> Uuid;
    fn rows(dataset: &Dataset) -> &[Self];
    fn rows_mut(dataset: &mut Dataset) -> &mut Vec<Self>;
}

macro_rules! records {
    ($($ty:ident => $variant:ident, $field:ident;)*) => {
        $(impl Record for $ty {
            const TABLE: Table = Table::$variant;
            fn id(&self) -> Uuid { self.id }
            fn rows(dataset: &Dataset) -> &[Self] { &dataset.$field }
            fn rows_mut(dataset: &mut Dataset) -> &mut Vec<Self> { &mut dataset.$field }
        })*

        impl Dataset {
            /// How many records the table holds.
            pub fn len_of(&self, table: Table) -> usize {
                match table { $(Table::$variant => self.$field.len(),)* }
            }

            /// Whether `table` holds a record with `id` (a linear scan).
            pub fn contains(&self, table: Table, id: Uuid) -> bool {
                match table { $(Table::$variant => self.$field.iter().any(|r| r.id == id),)* }
            }

            /// The ids of every record in `table`, in order.
            pub fn ids_of(&self, table: Table) -> Vec<Uuid> {
                match table { $(Table::$variant => self.$field.iter().map(|r| r.id).collect(),)* }
            }

            /// Orders every table's records by id, and unknown tables by name, so that datasets
            /// read in different orders (a package, a database) compare equal.
            pub fn sort_by_id(&mut self) {
                $(self.$field.sort_by_key(|r| r.id);)*
                self.unknown_tables.sort_by(|a, b| a.name.cmp(&b.name));
            }

            /// Every record of every table, as (table, id, HSDS JSON without nesting), for storage.
            pub fn records_json(&self) -> Result<Vec<(Table, Uuid, serde_json::Value)>, serde_json::Error> {
                let mut out = Vec::with_capacity(self.record_count());
                $(for record in &self.$field {
                    out.push((Table::$variant, record.id, serde_json::to_value(record)?));
                })*
                Ok(out)
            }

            /// Calls `each` with every record of every table as HSDS JSON text (no nesting), in
            /// table then record order, reusing one buffer: writing a whole dataset out without a
            /// `serde_json::Value` per record (tables HSDS does not define are not included).
            pub fn each_record_json(
                &self,
                mut each: impl FnMut(Table, &[u8]) -> std::io::Result<()>,
            ) -> std::io::Result<()> {
                let mut buffer = Vec::new();
                $(for record in &self.$field {
                    buffer.clear();
                    serde_json::to_writer(&mut buffer, record)?;
                    each(Table::$variant, &buffer)?;
                })*
                Ok(())
            }

            /// Adds one record read back from storage.
            pub fn push_json(&mut self, table: Table, value: serde_json::Value) -> Result<(), serde_json::Error> {
                match table {
                    $(Table::$variant => self.$field.push(serde_json::from_value(value)?),)*
                }
                Ok(())
            }

            /// Adds one record read back from storage as JSON text (no intermediate `Value`).
            pub fn push_json_str(&mut self, table: Table, body: &str) -> Result<(), serde_json::Error> {
                match table {
                    $(Table::$variant => self.$field.push(serde_json::from_str(body)?),)*
                }
                Ok(())
            }

            /// Appends a copy of record number `position` of `table` in `from`.
            pub fn copy_record(&mut self, from: &Dataset, table: Table, position: usize) {
                match table {
                    $(Table::$variant => if let Some(r) = from.$field.get(position) {
                        self.$field.push(r.clone());
                    },)*
                }
            }

            /// The record with `id` in `table`, as HSDS JSON (no nesting).
            pub fn record_json(&self, table: Table, id: Uuid) -> Option<serde_json::Value> {
                match table {
                    $(Table::$variant => self.$field.iter().find(|r| r.id == id)
                        .and_then(|r| serde_json::to_value(r).ok()),)*
                }
            }
        }
    };
}

records! {
    Organization => Organization, organization;
    Program => Program, program;
    Service => Service, service;
    Attribute => Attribute, attribute;
    ServiceAtLocation => ServiceAtLocation, service_at_location;
    Location => Location, location;
    Phone => Phone, phone;
    Contact => Contact, contact;
    Address => Address, address;
    Schedule => Schedule, schedule;
    Funding => Funding, funding;
    ServiceArea => ServiceArea, service_area;
    RequiredDocument => RequiredDocument, required_document;
    Language => Language, language;
    Accessibility => Accessibility, accessibility;
    TaxonomyTerm => TaxonomyTerm, taxonomy_term;
    Metadata => Metadata, metadata;
    MetaTableDescription => MetaTableDescription, meta_table_description;
    CostOption => CostOption, cost_option;
    OrganizationIdentifier => OrganizationIdentifier, organization_identifier;
    Taxonomy => Taxonomy, taxonomy;
}

impl Dataset {
    pub fn new() -> Self {
        Self::default()
    }

    /// The record of type `T` with `id` (a linear scan; build an [`IdIndex`] for many look-ups).
    pub fn get<T: Record>(&self, id: Uuid) -> Option<&T> {
        T::rows(self).iter().find(|r| r.id() == id)
    }

    /// Total number of HSDS records (unknown tables not counted).
    pub fn record_count(&self) -> usize {
        Table::ALL.iter().map(|t| self.len_of(*t)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.record_count() == 0 && self.unknown_tables.is_empty()
    }

    /// Appends every record of `other` (no de-duplication).
    pub fn extend(&mut self, other: Dataset) {
        macro_rules! extend_all {
            ($($field:ident),*) => {$( self.$field.extend(other.$field); )*};
        }
        extend_all!(
            organization,
            program,
            service,
            attribute,
            service_at_location,
            location,
            phone,
            contact,
            address,
            schedule,
            funding,
            service_area,
            required_document,
            language,
            accessibility,
            taxonomy_term,
            metadata,
            meta_table_description,
            cost_option,
            organization_identifier,
            taxonomy,
            unknown_tables
        );
    }

    /// Attributes linked to the record `link_id`.
    pub fn attributes_of(&self, link_id: Uuid) -> impl Iterator<Item = &Attribute> {
        self.attribute
            .iter()
            .filter(move |a| a.link_id == Some(link_id))
    }

    /// An index from `(table, id)` to position, for repeated look-ups.
    pub fn index(&self) -> IdIndex {
        let mut positions = HashMap::new();
        for table in Table::ALL {
            for (i, id) in self.ids_of(table).into_iter().enumerate() {
                positions.entry((table, id)).or_insert(i);
            }
        }
        IdIndex { positions }
    }
}

/// Positions of records by `(table, id)`; see [`Dataset::index`]. Stale once the dataset
/// changes.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    positions: HashMap<(Table, Uuid), usize>,
}

impl IdIndex {
    pub fn position(&self, table: Table, id: Uuid) -> Option<usize> {
        self.positions.get(&(table, id)).copied()
    }

    /// The record of type `T` with `id`, if `dataset` is the one this index was built from.
    pub fn get<'d, T: Record>(&self, dataset: &'d Dataset, id: Uuid) -> Option<&'d T> {
        let i = self.position(T::TABLE, id)?;
        T::rows(dataset).get(i).filter(|r| r.id() == id)
    }
}
