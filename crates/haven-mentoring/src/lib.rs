//! Haven's mentoring service: the steps a coordinator takes, each loading what it needs from the
//! store, deciding with `haven-match` and `haven-domain`, and writing one audited change.
//!
//! - [`run`]: matching a programme, keeping agreed pairs and respecting locks and forbids.
//! - [`pairs`]: a pair picked by hand (checked against the hard rules), locks, forbids, and
//!   moving a match through its lifecycle.
//! - [`people`]: a mentor or mentee withdrawing from a programme.
//! - [`reminders`]: which DBS checks are about to lapse and who to tell.
//!
//! Time is a parameter (`now`), never read from a clock here.

mod error;
pub mod pairs;
pub mod people;
pub mod reminders;
pub mod run;

pub use error::MentoringError;

use haven_domain::accounts::{AuditEvent, AuditScope};
use haven_domain::{TenantId, UserId};
use time::OffsetDateTime;

/// Who is acting, in which organisation, and when.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub tenant: TenantId,
    pub user: Option<UserId>,
    pub now: OffsetDateTime,
}

impl Actor {
    /// An audit event in the organisation's chain; ids only.
    pub fn event(&self, action: &'static str, kind: &'static str, id: String) -> AuditEvent {
        AuditEvent {
            scope: AuditScope::Tenant(self.tenant),
            at: self.now,
            actor: self.user,
            action,
            subject: Some((kind, id)),
        }
    }
}
