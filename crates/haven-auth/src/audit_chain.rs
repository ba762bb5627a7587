//! The audit log's hash chain. Each entry's hash covers its own fields and the previous entry's
//! hash, per scope (one chain per organisation, and one for the site), so editing, deleting or
//! reordering any entry breaks every hash after it. Chain heads printed by
//! `haven audit checkpoint` and kept elsewhere also catch a rewrite of the whole tail.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an entry's hash covers. Ids only: the audit log never holds personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    /// Which chain: an organisation id, or "site".
    pub scope: &'a str,
    /// Position in the chain, from 1.
    pub seq: u64,
    /// When, in Unix nanoseconds.
    pub at_unix_nanos: i128,
    /// Who acted (a user id), if anyone.
    pub actor: Option<&'a str>,
    /// What happened, e.g. "sign_in", "role_change".
    pub action: &'a str,
    /// The kind of record acted on, e.g. "user".
    pub subject_kind: Option<&'a str>,
    /// Its id.
    pub subject_id: Option<&'a str>,
    /// The previous entry's hash, or [`GENESIS`].
    pub prev_hash: &'a str,
}

/// The entry's hash, hex. Fields are length-prefixed so no two entries serialise alike.
pub fn entry_hash(fields: &EntryFields<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut put = |value: &[u8]| {
        hasher.update((value.len() as u64).to_be_bytes());
        hasher.update(value);
    };
    put(fields.scope.as_bytes());
    put(&fields.seq.to_be_bytes());
    put(&fields.at_unix_nanos.to_be_bytes());
    put(fields.actor.unwrap_or("").as_bytes());
    put(fields.action.as_bytes());
    put(fields.subject_kind.unwrap_or("").as_bytes());
    put(fields.subject_id.unwrap_or("").as_bytes());
    put(fields.prev_hash.as_bytes());
    hex::encode(hasher.finalize())
}

/// Where and how a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry's stored hash does not match its fields: it was edited.
    #[error("entry {seq} of chain {scope} was altered: its hash does not match its contents")]
    Altered {
        /// Chain.
        scope: String,
        /// Entry.
        seq: u64,
    },
    /// An entry does not follow the one before it: one was deleted or they were reordered.
    #[error(
        "entry {seq} of chain {scope} does not follow entry {expected_seq}: entries were deleted or reordered"
    )]
    Gap {
        /// Chain.
        scope: String,
        /// Entry found.
        seq: u64,
        /// The entry expected next.
        expected_seq: u64,
    },
    /// An entry's `prev_hash` is not the previous entry's hash.
    #[error("entry {seq} of chain {scope} does not link to the entry before it")]
    Unlinked {
        /// Chain.
        scope: String,
        /// Entry.
        seq: u64,
    },
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// Chain.
    pub scope: String,
    /// Position.
    pub seq: u64,
    /// Unix nanoseconds.
    pub at_unix_nanos: i128,
    /// Actor id.
    pub actor: Option<String>,
    /// Action.
    pub action: String,
    /// Subject kind.
    pub subject_kind: Option<String>,
    /// Subject id.
    pub subject_id: Option<String>,
    /// Stored previous hash.
    pub prev_hash: String,
    /// Stored hash.
    pub hash: String,
}

impl StoredEntry {
    fn fields(&self) -> EntryFields<'_> {
        EntryFields {
            scope: &self.scope,
            seq: self.seq,
            at_unix_nanos: self.at_unix_nanos,
            actor: self.actor.as_deref(),
            action: &self.action,
            subject_kind: self.subject_kind.as_deref(),
            subject_id: self.subject_id.as_deref(),
            prev_hash: &self.prev_hash,
        }
    }
}

/// Verifies one chain, given its entries in stored order. Returns the head hash.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a StoredEntry>,
) -> Result<Option<String>, ChainBreak> {
    let mut previous = GENESIS.to_owned();
    let mut head = None;
    for (expected_seq, entry) in (1..).zip(entries) {
        if entry.seq != expected_seq {
            return Err(ChainBreak::Gap {
                scope: entry.scope.clone(),
                seq: entry.seq,
                expected_seq,
            });
        }
        if entry.prev_hash != previous {
            return Err(ChainBreak::Unlinked {
                scope: entry.scope.clone(),
                seq: entry.seq,
            });
        }
        if entry_hash(&entry.fields()) != entry.hash {
            return Err(ChainBreak::Altered {
                scope: entry.scope.clone(),
                seq: entry.seq,
            });
        }
        previous = entry.hash.clone();
        head = Some(entry.hash.clone());
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<StoredEntry> {
        let mut previous = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut entry = StoredEntry {
                    scope: "org-1".to_owned(),
                    seq,
                    at_unix_nanos: i128::from(seq) * 1_000,
                    actor: Some("user-1".to_owned()),
                    action: "view_case".to_owned(),
                    subject_kind: Some("case".to_owned()),
                    subject_id: Some(format!("case-{seq}")),
                    prev_hash: previous.clone(),
                    hash: String::new(),
                };
                entry.hash = entry_hash(&entry.fields());
                previous = entry.hash.clone();
                entry
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let entries = chain(5);
        assert_eq!(
            verify_chain(&entries).unwrap(),
            Some(entries[4].hash.clone())
        );
        assert_eq!(verify_chain(&[]).unwrap(), None);
    }

    #[test]
    fn edits_deletions_and_reorders_are_named() {
        let mut edited = chain(5);
        edited[2].action = "export_case".to_owned();
        assert_eq!(
            verify_chain(&edited),
            Err(ChainBreak::Altered {
                scope: "org-1".to_owned(),
                seq: 3
            })
        );
        let mut deleted = chain(5);
        deleted.remove(1);
        assert!(matches!(
            verify_chain(&deleted),
            Err(ChainBreak::Gap { seq: 3, .. })
        ));
        let mut reordered = chain(5);
        reordered.swap(1, 2);
        assert!(matches!(
            verify_chain(&reordered),
            Err(ChainBreak::Gap { seq: 3, .. })
        ));
        // Renumbering after a deletion still breaks the links.
        let mut renumbered = chain(5);
        renumbered.remove(1);
        for (i, e) in renumbered.iter_mut().enumerate() {
            e.seq = i as u64 + 1;
        }
        assert!(matches!(
            verify_chain(&renumbered),
            Err(ChainBreak::Unlinked { seq: 2, .. })
        ));
    }
}
