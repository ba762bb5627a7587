//! The public directory: organisations, the services they offer, and reports about listings.
//!
//! Field names follow Open Referral HSDS 3.0 where HSDS has a name for the thing.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{OrganisationId, ReportId, ServiceId};
use crate::text::Text;

/// How far an organisation's work reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One town or borough.
    Local,
    /// A region or nation of the UK.
    Regional,
    /// The whole UK.
    National,
}

impl Scope {
    /// Every scope, narrowest first.
    pub const ALL: [Scope; 3] = [Scope::Local, Scope::Regional, Scope::National];

    /// The stable code stored in databases and shown in HSDS attributes.
    pub const fn code(self) -> &'static str {
        match self {
            Scope::Local => "local",
            Scope::Regional => "regional",
            Scope::National => "national",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.code() == code)
    }
}

/// HSDS `service.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    /// Running.
    Active,
    /// Not running at present.
    Inactive,
    /// Stopped for good.
    Defunct,
    /// Closed for a while.
    #[serde(rename = "temporarily closed")]
    TemporarilyClosed,
}

impl ServiceStatus {
    /// Every status.
    pub const ALL: [ServiceStatus; 4] = [
        ServiceStatus::Active,
        ServiceStatus::Inactive,
        ServiceStatus::Defunct,
        ServiceStatus::TemporarilyClosed,
    ];

    /// The HSDS code.
    pub const fn code(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Defunct => "defunct",
            ServiceStatus::TemporarilyClosed => "temporarily closed",
        }
    }

    /// Parses an HSDS code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }
}

/// A group that helps people (HSDS `organization`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable id.
    pub id: OrganisationId,
    /// The name people know it by.
    pub name: Text,
    /// What it does, in a few sentences.
    pub description: Text,
    /// How far its work reaches.
    pub scope: Scope,
    /// The town it is based in, when it says so.
    pub town: Option<Text>,
    /// Its website.
    pub website: Option<Text>,
}

/// Something an organisation offers (HSDS `service`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Stable id.
    pub id: ServiceId,
    /// The organisation that runs it.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub name: Text,
    /// What it offers.
    pub description: Text,
    /// Whether it is running.
    pub status: ServiceStatus,
}

/// Why somebody reported a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    /// Phone, address, hours or other details are wrong.
    WrongDetails,
    /// The service has closed.
    Closed,
    /// Anything else.
    Other,
}

impl ReportReason {
    /// Every reason, in the order a form shows them.
    pub const ALL: [ReportReason; 3] = [
        ReportReason::WrongDetails,
        ReportReason::Closed,
        ReportReason::Other,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            ReportReason::WrongDetails => "wrong_details",
            ReportReason::Closed => "closed",
            ReportReason::Other => "other",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// "Report a problem with this listing": feeds the moderation queue.
///
/// It carries no contact details of the person reporting: the queue needs none, and holding
/// none means it can leak none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingReport {
    /// Stable id.
    pub id: ReportId,
    /// The listing concerned.
    pub service_id: ServiceId,
    /// Why.
    pub reason: ReportReason,
    /// What is wrong, in the reporter's words.
    pub details: Option<Text>,
    /// When it arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// When a site admin marked it dealt with; open until then.
    #[serde(with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
}

/// Longest organisation or service name Haven accepts.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest description Haven accepts.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Longest report details Haven accepts.
pub const MAX_REPORT_CHARS: usize = 2_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::from_code(scope.code()), Some(scope));
        }
        for status in ServiceStatus::ALL {
            assert_eq!(ServiceStatus::from_code(status.code()), Some(status));
        }
        for reason in ReportReason::ALL {
            assert_eq!(ReportReason::from_code(reason.code()), Some(reason));
        }
        assert_eq!(Scope::from_code("galactic"), None);
    }
}
