//! Haven's domain: plain types and the rules that keep them valid.
//!
//! Nothing here does I/O. Values from outside (HTTP, CSV, CLI) are parsed into these types once,
//! at the edge, so the rest of Haven can rely on them being valid.

pub mod accounts;
pub mod clock;
pub mod directory;
pub mod ids;
pub mod mentoring;
pub mod spoken;
pub mod text;

pub use directory::{ListingReport, Organisation, ReportReason, Scope, Service, ServiceStatus};
pub use ids::{
    MatchId, OrganisationId, ParticipantId, ProgrammeId, ReportId, ServiceId, TenantId, UserId,
};
pub use text::{Text, TextError};
