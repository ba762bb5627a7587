//! The cards section: the names behind the index's ids, the organisation cards, and the ids
//! and positions of the service cards, whose bytes are the next section as they are held in
//! memory (see `ServiceCards`), so a start reads them without decoding them. Organisations
//! are written in id order, so the same directory is always the same bytes.

use std::collections::HashMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::SnapshotError;
use crate::directory::cards::{Cards, CardsRef, OrganisationCard};
use crate::directory::service_cards::ServiceCards;

#[derive(Serialize)]
struct HeadRef<'a> {
    language_codes: &'a [String],
    area_names: &'a [String],
    organisations: Vec<(&'a Uuid, &'a OrganisationCard)>,
    service_ids: &'a [Uuid],
    service_ends: &'a [u64],
}

#[derive(Deserialize)]
struct Head {
    language_codes: Vec<String>,
    area_names: Vec<String>,
    organisations: Vec<(Uuid, OrganisationCard)>,
    service_ids: Vec<Uuid>,
    service_ends: Vec<u64>,
}

/// Writes the cards section of `cards`; the service cards' bytes go in the next one.
pub(crate) fn write(out: &mut impl Write, cards: CardsRef<'_>) -> Result<(), SnapshotError> {
    let mut organisations: Vec<(&Uuid, &OrganisationCard)> = cards.organisations.iter().collect();
    organisations.sort_unstable_by_key(|(id, _)| **id);
    let (service_ids, service_ends, _) = cards.services.parts();
    let head = HeadRef {
        language_codes: cards.language_codes,
        area_names: cards.area_names,
        organisations,
        service_ids,
        service_ends,
    };
    postcard::to_io(&head, out).map_err(|e| SnapshotError::Record(format!("cards: {e}")))?;
    Ok(())
}

/// The cards from the cards section's `bytes` and the service cards' bytes (both checked).
pub(crate) fn read(bytes: &[u8], service_bytes: Vec<u8>) -> Result<Cards, SnapshotError> {
    let head: Head =
        postcard::from_bytes(bytes).map_err(|e| SnapshotError::Record(format!("cards: {e}")))?;
    let services = ServiceCards::from_parts(head.service_ids, head.service_ends, service_bytes)
        .map_err(|e| SnapshotError::Record(e.to_string()))?;
    let mut organisations = HashMap::with_capacity(head.organisations.len());
    for (id, card) in head.organisations {
        if organisations.insert(id, card).is_some() {
            return Err(SnapshotError::Invalid("an organisation carded twice"));
        }
    }
    Ok(Cards {
        services,
        organisations,
        language_codes: head.language_codes,
        area_names: head.area_names,
    })
}
