//! Where the records of a listing write may point. The importer fills a nested record's parent
//! link only when the body leaves it empty, so a body can name any parent it likes: a new phone
//! whose `service_id` is another organisation's service would put a number of the writer's
//! choosing on someone else's public listing. Every reference of every record written is
//! therefore checked here, not only the records' own ids.

use std::collections::HashSet;

use haven_hsds::model::Program;
use haven_hsds::{Dataset, Table};
use uuid::Uuid;

/// Why a record of the body may not be written.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LinkProblem {
    /// It points at a record of someone else: answered 404, as if it did not exist.
    Foreign,
    /// It points at nothing Haven holds nor the body brings: which record, which field.
    Dangling {
        table: &'static str,
        id: Uuid,
        field: String,
    },
    /// It would add to the shared vocabulary, which only a site admin changes.
    NewVocabulary { table: &'static str, id: Uuid },
}

/// What the records of one write may refer to.
pub(crate) struct Allowed<'a> {
    pub stored: &'a Dataset,
    pub listing: Uuid,
    pub service: Uuid,
    /// Records this service already has, and this organisation's locations.
    pub owned: &'a HashSet<(Table, Uuid)>,
    /// Every record the write brings, by id.
    pub written: HashSet<Uuid>,
}

impl Allowed<'_> {
    fn may_point_at(&self, target: Uuid) -> bool {
        target == self.listing
            || target == self.service
            || self.written.contains(&target)
            || self.owned.iter().any(|(_, id)| *id == target)
            || self.stored.contains(Table::Taxonomy, target)
            || self.stored.contains(Table::TaxonomyTerm, target)
            || self
                .stored
                .get::<Program>(target)
                .is_some_and(|p| p.organization_id == Some(self.listing))
    }

    fn stored_anywhere(&self, target: Uuid) -> bool {
        Table::ALL
            .iter()
            .any(|table| self.stored.contains(*table, target))
    }

    /// Checks one record (as HSDS JSON) about to be written: every `…_id` field must point at
    /// the listing, the service, a record of this write, one this service or organisation owns,
    /// or the shared vocabulary.
    pub(crate) fn check(
        &self,
        table: Table,
        id: Uuid,
        record: &serde_json::Value,
    ) -> Result<(), LinkProblem> {
        if matches!(table, Table::Taxonomy | Table::TaxonomyTerm)
            && !self.stored.contains(table, id)
        {
            return Err(LinkProblem::NewVocabulary {
                table: table.name(),
                id,
            });
        }
        let Some(fields) = record.as_object() else {
            return Ok(());
        };
        for (field, value) in fields {
            if field == "id" || !field.ends_with("_id") {
                continue;
            }
            let Some(target) = value.as_str().and_then(|s| s.parse::<Uuid>().ok()) else {
                continue;
            };
            if self.may_point_at(target) {
                continue;
            }
            return Err(if self.stored_anywhere(target) {
                LinkProblem::Foreign
            } else {
                LinkProblem::Dangling {
                    table: table.name(),
                    id,
                    field: field.clone(),
                }
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    fn org(id: Uuid) -> serde_json::Value {
        json!({"id": id, "name": "Org", "description": "An organisation"})
    }

    #[test]
    fn links_outside_the_listing_are_refused() {
        let (ours, theirs, our_service, their_service) = (
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        );
        let mut stored = Dataset::new();
        stored.push_json(Table::Organization, org(ours)).unwrap();
        stored.push_json(Table::Organization, org(theirs)).unwrap();
        for (service, organisation) in [(our_service, ours), (their_service, theirs)] {
            let value = json!({
                "id": service, "organization_id": organisation, "name": "S", "status": "active"
            });
            stored.push_json(Table::Service, value).unwrap();
        }
        let owned = HashSet::from([(Table::Service, our_service)]);
        let new_phone = Uuid::new_v4();
        let allowed = Allowed {
            stored: &stored,
            listing: ours,
            service: our_service,
            owned: &owned,
            written: HashSet::from([new_phone]),
        };
        let phone = |service: Uuid| json!({"id": new_phone, "service_id": service});
        assert_eq!(
            allowed.check(Table::Phone, new_phone, &phone(our_service)),
            Ok(())
        );
        assert_eq!(
            allowed.check(Table::Phone, new_phone, &phone(their_service)),
            Err(LinkProblem::Foreign)
        );
        let nowhere = Uuid::new_v4();
        assert_eq!(
            allowed.check(Table::Phone, new_phone, &phone(nowhere)),
            Err(LinkProblem::Dangling {
                table: Table::Phone.name(),
                id: new_phone,
                field: "service_id".into()
            })
        );
        let term = Uuid::new_v4();
        assert!(matches!(
            allowed.check(Table::TaxonomyTerm, term, &json!({"id": term})),
            Err(LinkProblem::NewVocabulary { .. })
        ));
    }
}
