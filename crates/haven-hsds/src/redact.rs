//! The public view of a dataset. A location flagged
//! [`LocationFlag::Confidential`](crate::vocabulary::LocationFlag) (a refuge, a safe house)
//! never has its address or precise point published: render public pages and exports from
//! [`public_dataset`], never from the stored dataset.

use std::collections::HashSet;

use uuid::Uuid;

use crate::model::{Address, Dataset, Extensions, Location};
use crate::vocabulary::{LocationFlag, Term};

/// Replaces the street lines of a confidential address. HSDS requires `address_1`, so it
/// cannot simply be left out.
pub const WITHHELD: &str = "Address withheld";

/// Decimal places kept of a confidential location's coordinates: 2 places is about 1 km,
/// roughly the size of a postcode district.
const COORDINATE_PLACES: i32 = 2;

impl Location {
    /// This location as the public may see it if it is confidential: coordinates coarsened,
    /// and the fields that pin it down (description, directions, UPRN-style identifiers,
    /// extensions) removed. The name is kept; it must not contain the address.
    pub fn public_view(&self) -> Location {
        Location {
            latitude: self.latitude.map(coarsen),
            longitude: self.longitude.map(coarsen),
            description: None,
            transportation: None,
            external_identifier: None,
            external_identifier_type: None,
            extra: Extensions::new(),
            ..self.clone()
        }
    }
}

impl Address {
    /// This address as the public may see it if its location is confidential: street lines
    /// and the addressee withheld, the postcode cut to its outward code (`SW1A 1AA` → `SW1A`).
    pub fn public_view(&self) -> Address {
        Address {
            attention: None,
            address_1: WITHHELD.to_owned(),
            address_2: None,
            postal_code: outward_code(&self.postal_code),
            extra: Extensions::new(),
            ..self.clone()
        }
    }
}

fn coarsen(degrees: f64) -> f64 {
    let scale = 10f64.powi(COORDINATE_PLACES);
    (degrees * scale).round() / scale
}

/// The outward code of a UK postcode (the part before the space: `SW1A 1AA` → `SW1A`,
/// `M11AE` → `M1`). Anything else is cut to its first word, at most four characters.
pub fn outward_code(postcode: &str) -> String {
    let trimmed = postcode.trim();
    let first: String = match trimmed.split_whitespace().next() {
        Some(word) if word.len() < trimmed.len() => word.to_owned(),
        // No space: a UK inward code is always the last three characters.
        _ if (5..=7).contains(&trimmed.chars().count()) => {
            let keep = trimmed.chars().count() - 3;
            trimmed.chars().take(keep).collect()
        }
        _ => trimmed.to_owned(),
    };
    first.chars().take(4).collect()
}

/// A copy of `dataset` safe to publish: confidential locations and their addresses in their
/// public view, and change-log entries about them (which may quote the old address) dropped.
pub fn public_dataset(dataset: &Dataset) -> Dataset {
    into_public(dataset.clone())
}

/// [`public_dataset`] without the copy, for a dataset that is not needed afterwards.
pub fn into_public(mut public: Dataset) -> Dataset {
    // One pass over the attributes, not one per location: at a million services a scan per
    // location would never finish.
    let flag = LocationFlag::Confidential.term_id();
    let flagged: HashSet<Uuid> = public
        .attribute
        .iter()
        .filter(|a| a.taxonomy_term_id == Some(flag))
        .filter_map(|a| a.link_id)
        .collect();
    let confidential: HashSet<Uuid> = public
        .location
        .iter()
        .map(|l| l.id)
        .filter(|id| flagged.contains(id))
        .collect();
    let mut hidden: HashSet<Uuid> = confidential.clone();
    for location in &mut public.location {
        if confidential.contains(&location.id) {
            *location = location.public_view();
        }
    }
    for address in &mut public.address {
        if address
            .location_id
            .is_some_and(|id| confidential.contains(&id))
        {
            *address = address.public_view();
            hidden.insert(address.id);
        }
    }
    public
        .metadata
        .retain(|m| m.resource_id.is_none_or(|id| !hidden.contains(&id)));
    public
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outward_codes() {
        assert_eq!(outward_code("SW1A 1AA"), "SW1A");
        assert_eq!(outward_code("M1 1AE"), "M1");
        assert_eq!(outward_code("M11AE"), "M1");
        assert_eq!(outward_code("B338TH"), "B33");
        assert_eq!(outward_code(" EC1A  1BB "), "EC1A");
        assert_eq!(outward_code(""), "");
    }

    #[test]
    fn coordinates_are_coarsened() {
        assert_eq!(coarsen(51.507_351), 51.51);
        assert_eq!(coarsen(-0.127_758), -0.13);
    }
}
