//! The audit log's rows and statements, shared by both backends: what an appended entry holds
//! and how its hash is made belongs in one place, so the two chains can never be built
//! differently. The backends only run these statements inside their own transactions.

use haven_auth::audit_chain::{EntryFields, StoredEntry, entry_hash};
use haven_domain::accounts::AuditEvent;

use crate::StoreError;

/// Creates a chain's head row if it has none. It is the append's first statement, so the
/// transaction takes the write lock (SQLite) or the row (PostgreSQL) before reading the head.
pub const INSERT_HEAD: &str =
    "INSERT INTO audit_heads (scope, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (scope) DO NOTHING";
/// Appends an entry.
pub const INSERT_ENTRY: &str = "INSERT INTO audit_log \
     (scope, seq, at_nanos, actor, action, subject_kind, subject_id, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Moves a chain's head to the entry just appended.
pub const UPDATE_HEAD: &str = "UPDATE audit_heads SET seq = $1, hash = $2 WHERE scope = $3";
/// Every chain's name.
pub const SELECT_SCOPES: &str = "SELECT DISTINCT scope FROM audit_log ORDER BY scope";
/// One chain's entries in order.
pub const SELECT_ENTRIES: &str = "SELECT scope, seq, at_nanos, actor, action, subject_kind, \
     subject_id, prev_hash, hash FROM audit_log WHERE scope = $1 ORDER BY seq";

/// One `audit_log` row, as both backends store it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub scope: String,
    pub seq: i64,
    pub at_nanos: i64,
    pub actor: Option<String>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The entry recording `event` after the chain's head (`head_seq`, `head_hash`).
    pub fn next(event: &AuditEvent, head_seq: i64, head_hash: String) -> Result<Self, StoreError> {
        let seq = head_seq + 1;
        let at_nanos = i64::try_from(event.at.unix_timestamp_nanos())
            .map_err(|_| StoreError::Other("audit time out of range".to_owned()))?;
        let (subject_kind, subject_id) = match &event.subject {
            Some((kind, id)) => (Some((*kind).to_owned()), Some(id.clone())),
            None => (None, None),
        };
        let mut row = Self {
            scope: event.scope.key(),
            seq,
            at_nanos,
            actor: event.actor.map(|a| a.to_string()),
            action: event.action.to_owned(),
            subject_kind,
            subject_id,
            prev_hash: head_hash,
            hash: String::new(),
        };
        row.hash = entry_hash(&row.fields()?);
        Ok(row)
    }

    fn fields(&self) -> Result<EntryFields<'_>, StoreError> {
        Ok(EntryFields {
            scope: &self.scope,
            seq: u64::try_from(self.seq).map_err(|e| StoreError::corrupt("audit seq", e))?,
            at_unix_nanos: i128::from(self.at_nanos),
            actor: self.actor.as_deref(),
            action: &self.action,
            subject_kind: self.subject_kind.as_deref(),
            subject_id: self.subject_id.as_deref(),
            prev_hash: &self.prev_hash,
        })
    }

    /// The row as the chain verifier reads it.
    pub fn into_stored(self) -> Result<StoredEntry, StoreError> {
        Ok(StoredEntry {
            seq: u64::try_from(self.seq).map_err(|e| StoreError::corrupt("audit seq", e))?,
            at_unix_nanos: i128::from(self.at_nanos),
            scope: self.scope,
            actor: self.actor,
            action: self.action,
            subject_kind: self.subject_kind,
            subject_id: self.subject_id,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}
