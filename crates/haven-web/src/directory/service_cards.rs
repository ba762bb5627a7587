//! The service cards, kept encoded (postcard) in one buffer and decoded one at a time when a
//! page shows them.
//!
//! Why: a page shows a few dozen cards, but a directory holds up to a million. Decoded whole,
//! they are some twenty million small allocations: two seconds to read from a snapshot at a
//! million services (and as long again to free), which is the whole start-up budget. Encoded,
//! a start reads them as one block of bytes, and each card costs a microsecond or two when
//! shown. They also take about a third of the memory.

use std::collections::HashMap;

use uuid::Uuid;

use crate::directory::cards::ServiceCard;

/// Every service card, by id.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct ServiceCards {
    /// Card ids, sorted.
    ids: Vec<Uuid>,
    /// Where each card's bytes end in `bytes` (a card starts where the one before ends).
    ends: Vec<u64>,
    bytes: Vec<u8>,
}

/// Why stored service cards were refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CardsError {
    #[error("service card ids not in order")]
    Order,
    #[error("service card positions out of range")]
    Positions,
    #[error("service card: {0}")]
    Encode(#[from] postcard::Error),
}

impl ServiceCards {
    /// Encodes `cards`.
    pub(crate) fn encode(cards: HashMap<Uuid, ServiceCard>) -> Result<Self, CardsError> {
        let cards: Vec<ServiceCard> = cards.into_values().collect();
        // Sorted by id through their positions: moving the cards themselves costs more.
        let mut order: Vec<(Uuid, usize)> = cards.iter().map(|c| c.id).zip(0..).collect();
        order.sort_unstable();
        let mut out = Self {
            ids: Vec::with_capacity(cards.len()),
            ends: Vec::with_capacity(cards.len()),
            bytes: Vec::new(),
        };
        for (id, at) in order {
            let Some(card) = cards.get(at) else {
                continue;
            };
            out.bytes = postcard::to_extend(card, std::mem::take(&mut out.bytes))?;
            out.ids.push(id);
            out.ends.push(out.bytes.len() as u64);
        }
        out.bytes.shrink_to_fit();
        Ok(out)
    }

    /// Cards as stored: ids, ends and bytes as [`ServiceCards::parts`] gave them, checked so
    /// that every look-up stays in range.
    pub(crate) fn from_parts(
        ids: Vec<Uuid>,
        ends: Vec<u64>,
        bytes: Vec<u8>,
    ) -> Result<Self, CardsError> {
        if !ids.windows(2).all(|w| w[0] < w[1]) {
            return Err(CardsError::Order);
        }
        let in_range = ids.len() == ends.len()
            && ends.windows(2).all(|w| w[0] <= w[1])
            && ends
                .last()
                .map_or(bytes.is_empty(), |&end| end == bytes.len() as u64);
        if !in_range {
            return Err(CardsError::Positions);
        }
        Ok(Self { ids, ends, bytes })
    }

    /// Ids, ends and bytes, for saving.
    pub(crate) fn parts(&self) -> (&[Uuid], &[u64], &[u8]) {
        (&self.ids, &self.ends, &self.bytes)
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn contains(&self, id: Uuid) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    /// The card of service `id`, decoded.
    pub(crate) fn get(&self, id: Uuid) -> Option<ServiceCard> {
        let at = self.ids.binary_search(&id).ok()?;
        let start = match at.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        let end = *self.ends.get(at)?;
        let bytes = self
            .bytes
            .get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)?;
        match postcard::from_bytes(bytes) {
            Ok(card) => Some(card),
            Err(error) => {
                // Checked when read, so only a defect gets here; the page then says "not found".
                tracing::warn!(%id, %error, "a service card did not decode");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cards_encoded_are_found_by_id_and_checked_when_read_back() {
        let dataset = haven_demo::dataset().unwrap();
        let built = crate::directory::cards::build(&dataset).unwrap();
        let expected: Vec<ServiceCard> = dataset
            .service
            .iter()
            .map(|s| built.cards.services.get(s.id).unwrap())
            .collect();
        assert!(expected.len() > 10);
        let cards = &built.cards.services;
        assert_eq!(cards.len(), expected.len());
        for card in &expected {
            assert!(cards.contains(card.id));
            assert_eq!(cards.get(card.id).as_ref(), Some(card));
        }
        assert_eq!(cards.get(Uuid::nil()), None);
        assert!(!cards.contains(Uuid::nil()));

        let (ids, ends, bytes) = cards.parts();
        let again = ServiceCards::from_parts(ids.to_vec(), ends.to_vec(), bytes.to_vec()).unwrap();
        assert_eq!(&again, cards);
        let mut unsorted = ids.to_vec();
        unsorted.swap(0, 1);
        assert!(ServiceCards::from_parts(unsorted, ends.to_vec(), bytes.to_vec()).is_err());
        let short = bytes[..bytes.len() - 1].to_vec();
        assert!(ServiceCards::from_parts(ids.to_vec(), ends.to_vec(), short).is_err());
        let mut backwards = ends.to_vec();
        backwards.swap(0, 1);
        assert!(ServiceCards::from_parts(ids.to_vec(), backwards, bytes.to_vec()).is_err());
        assert!(ServiceCards::from_parts(vec![], vec![], vec![]).is_ok());
    }
}
