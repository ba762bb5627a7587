//! The closed set of storage failures. Each backend maps its driver's errors into these once,
//! so the web layer can map them once more to HTTP statuses without knowing the backend.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist (or a record it refers to does not).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. "organisation".
        what: &'static str,
    },
    /// The write would break a uniqueness rule.
    #[error("{what} already exists")]
    Conflict {
        /// What clashed.
        what: &'static str,
    },
    /// The write is not allowed from the record's current state (for example a match moving
    /// backwards in its lifecycle). The reason is safe to show: it names states, not people.
    #[error("{what}: {reason}")]
    Refused {
        /// What refused.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// A stored value could not be read back into a domain type: the database was edited by
    /// hand or by a newer Haven.
    #[error("stored {what} is not valid: {reason}")]
    Corrupt {
        /// Which value.
        what: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The change would leave an organisation without an admin (demoting or removing its last
    /// one); refused inside the transaction, so two concurrent changes cannot both pass.
    #[error("an organisation must keep at least one admin")]
    LastAdmin,
    /// The database could not be reached in time (pool exhausted, server down).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else the driver reported.
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    /// Shorthand for `NotFound`.
    pub const fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    /// Shorthand for `Refused`.
    pub fn refused(what: &'static str, reason: impl std::fmt::Display) -> Self {
        Self::Refused {
            what,
            reason: reason.to_string(),
        }
    }

    /// Shorthand for `Corrupt`.
    pub fn corrupt(what: &'static str, reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            what,
            reason: reason.to_string(),
        }
    }
}
