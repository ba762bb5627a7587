//! The records around one service, found through an index instead of table scans, so the API
//! can render a service of a million-service directory without reading every table.
//!
//! [`service_full`](super::service_full) scans whole tables for each nested list: fine for a
//! small dataset, O(records) per service otherwise. [`Neighbourhoods::service`] gathers a small
//! dataset holding every record `service_full` would read for that service (and, harmlessly,
//! a few more), each table in its original order, so rendering it gives the same object.

use std::collections::HashSet;

use uuid::Uuid;

use crate::model::{Dataset, Table};

/// Every record, by each id it points to (its "owner" links), sorted for binary search.
#[derive(Debug, Default)]
pub struct Neighbourhoods {
    /// (referenced id, table, position), sorted.
    links: Vec<(Uuid, Table, u32)>,
    /// Position of each record by (table, id), sorted.
    positions: Vec<(Table, Uuid, u32)>,
}

fn position(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Neighbourhoods {
    /// Indexes `ds` (one pass per table, then two sorts).
    pub fn new(ds: &Dataset) -> Self {
        let mut links: Vec<(Uuid, Table, u32)> = Vec::with_capacity(ds.record_count() * 2);
        let mut link = |target: Option<Uuid>, table: Table, i: usize| {
            if let Some(target) = target {
                links.push((target, table, position(i)));
            }
        };
        for (i, r) in ds.program.iter().enumerate() {
            link(r.organization_id, Table::Program, i);
        }
        for (i, r) in ds.attribute.iter().enumerate() {
            link(r.link_id, Table::Attribute, i);
        }
        for (i, r) in ds.service_at_location.iter().enumerate() {
            link(r.service_id, Table::ServiceAtLocation, i);
        }
        for (i, r) in ds.location.iter().enumerate() {
            link(r.organization_id, Table::Location, i);
        }
        for (i, r) in ds.phone.iter().enumerate() {
            for target in [
                r.location_id,
                r.service_id,
                r.organization_id,
                r.contact_id,
                r.service_at_location_id,
            ] {
                link(target, Table::Phone, i);
            }
        }
        for (i, r) in ds.contact.iter().enumerate() {
            for target in [
                r.organization_id,
                r.service_id,
                r.service_at_location_id,
                r.location_id,
            ] {
                link(target, Table::Contact, i);
            }
        }
        for (i, r) in ds.address.iter().enumerate() {
            link(r.location_id, Table::Address, i);
        }
        for (i, r) in ds.schedule.iter().enumerate() {
            for target in [r.service_id, r.location_id, r.service_at_location_id] {
                link(target, Table::Schedule, i);
            }
        }
        for (i, r) in ds.funding.iter().enumerate() {
            for target in [r.organization_id, r.service_id] {
                link(target, Table::Funding, i);
            }
        }
        for (i, r) in ds.service_area.iter().enumerate() {
            link(r.service_id, Table::ServiceArea, i);
        }
        for (i, r) in ds.required_document.iter().enumerate() {
            link(r.service_id, Table::RequiredDocument, i);
        }
        for (i, r) in ds.language.iter().enumerate() {
            for target in [r.service_id, r.location_id, r.phone_id] {
                link(target, Table::Language, i);
            }
        }
        for (i, r) in ds.accessibility.iter().enumerate() {
            link(r.location_id, Table::Accessibility, i);
        }
        for (i, r) in ds.metadata.iter().enumerate() {
            link(r.resource_id, Table::Metadata, i);
        }
        for (i, r) in ds.cost_option.iter().enumerate() {
            link(r.service_id, Table::CostOption, i);
        }
        for (i, r) in ds.organization_identifier.iter().enumerate() {
            link(r.organization_id, Table::OrganizationIdentifier, i);
        }
        links.sort_unstable();
        links.dedup();
        let mut positions = Vec::new();
        for table in Table::ALL {
            for (i, id) in ds.ids_of(table).into_iter().enumerate() {
                positions.push((table, id, position(i)));
            }
        }
        // Stable: the first record with an id wins, as `Dataset::get` finds it.
        positions.sort_by_key(|(table, id, _)| (*table, *id));
        positions.dedup_by(|b, a| (a.0, a.1) == (b.0, b.1));
        Self { links, positions }
    }

    fn find(&self, table: Table, id: Uuid) -> Option<usize> {
        self.positions
            .binary_search_by(|(t, i, _)| (*t, *i).cmp(&(table, id)))
            .ok()
            .and_then(|k| self.positions.get(k))
            .map(|(_, _, p)| *p as usize)
    }

    fn linked(&self, id: Uuid) -> &[(Uuid, Table, u32)] {
        let start = self.links.partition_point(|(t, _, _)| *t < id);
        let end = self.links.partition_point(|(t, _, _)| *t <= id);
        self.links.get(start..end).unwrap_or(&[])
    }

    /// `service_list(ds, id)`, with the three records found by binary search instead of
    /// scans (and nothing gathered): what a search API page renders twenty times.
    pub fn service_list(&self, ds: &Dataset, id: Uuid) -> Option<serde_json::Value> {
        let service = ds.service.get(self.find(Table::Service, id)?)?;
        let organization = service
            .organization_id
            .and_then(|o| self.find(Table::Organization, o))
            .and_then(|p| ds.organization.get(p));
        let program = service
            .program_id
            .and_then(|p| self.find(Table::Program, p))
            .and_then(|p| ds.program.get(p));
        Some(serde_json::Value::Object(super::json::service_list_of(
            service,
            organization,
            program,
        )))
    }

    /// `service_minimal(ds, id)` by binary search.
    pub fn service_minimal(&self, ds: &Dataset, id: Uuid) -> Option<serde_json::Value> {
        let service = ds.service.get(self.find(Table::Service, id)?)?;
        Some(super::json::service_minimal_of(service))
    }

    /// A dataset holding everything `service_full(ds, id)` reads, or `None` if there is no
    /// such service.
    pub fn service(&self, ds: &Dataset, id: Uuid) -> Option<Dataset> {
        let service = ds.service.get(self.find(Table::Service, id)?)?;
        let mut picked: HashSet<(Table, u32)> = HashSet::new();
        let mut frontier: Vec<Uuid> = Vec::new();
        fn take(
            picked: &mut HashSet<(Table, u32)>,
            table: Table,
            p: usize,
            frontier: &mut Vec<Uuid>,
            id: Uuid,
        ) {
            if picked.insert((table, position(p))) {
                frontier.push(id);
            }
        }
        take(
            &mut picked,
            Table::Service,
            self.find(Table::Service, id)?,
            &mut frontier,
            id,
        );
        let parents = [
            (Table::Organization, service.organization_id),
            (Table::Program, service.program_id),
        ];
        for (table, parent) in parents {
            if let Some(parent) = parent
                && let Some(p) = self.find(table, parent)
            {
                take(&mut picked, table, p, &mut frontier, parent);
            }
        }
        // Everything hanging below them; a location reached from a service at location brings
        // its own records, but never other services.
        while let Some(owner) = frontier.pop() {
            for &(_, table, p) in self.linked(owner) {
                let p = p as usize;
                let child = match table {
                    Table::ServiceAtLocation => {
                        let Some(at) = ds.service_at_location.get(p) else {
                            continue;
                        };
                        if at.service_id != Some(id) {
                            continue;
                        }
                        if let Some(location) = at.location_id
                            && let Some(lp) = self.find(Table::Location, location)
                        {
                            take(&mut picked, Table::Location, lp, &mut frontier, location);
                        }
                        at.id
                    }
                    Table::Attribute => {
                        let Some(a) = ds.attribute.get(p) else {
                            continue;
                        };
                        if let Some(term) = a.taxonomy_term_id
                            && let Some(tp) = self.find(Table::TaxonomyTerm, term)
                        {
                            picked.insert((Table::TaxonomyTerm, position(tp)));
                            if let Some(taxonomy) =
                                ds.taxonomy_term.get(tp).and_then(|t| t.taxonomy_id)
                                && let Some(xp) = self.find(Table::Taxonomy, taxonomy)
                            {
                                picked.insert((Table::Taxonomy, position(xp)));
                            }
                        }
                        a.id
                    }
                    _ => match record_id(ds, table, p) {
                        Some(child) => child,
                        None => continue,
                    },
                };
                take(&mut picked, table, p, &mut frontier, child);
            }
        }
        let mut picked: Vec<(Table, u32)> = picked.into_iter().collect();
        picked.sort_unstable();
        let mut out = Dataset::new();
        for (table, p) in picked {
            out.copy_record(ds, table, p as usize);
        }
        Some(out)
    }
}

fn record_id(ds: &Dataset, table: Table, p: usize) -> Option<Uuid> {
    match table {
        Table::Program => ds.program.get(p).map(|r| r.id),
        Table::Location => ds.location.get(p).map(|r| r.id),
        Table::Phone => ds.phone.get(p).map(|r| r.id),
        Table::Contact => ds.contact.get(p).map(|r| r.id),
        Table::Address => ds.address.get(p).map(|r| r.id),
        Table::Schedule => ds.schedule.get(p).map(|r| r.id),
        Table::Funding => ds.funding.get(p).map(|r| r.id),
        Table::ServiceArea => ds.service_area.get(p).map(|r| r.id),
        Table::RequiredDocument => ds.required_document.get(p).map(|r| r.id),
        Table::Language => ds.language.get(p).map(|r| r.id),
        Table::Accessibility => ds.accessibility.get(p).map(|r| r.id),
        Table::Metadata => ds.metadata.get(p).map(|r| r.id),
        Table::CostOption => ds.cost_option.get(p).map(|r| r.id),
        Table::OrganizationIdentifier => ds.organization_identifier.get(p).map(|r| r.id),
        _ => None,
    }
}
