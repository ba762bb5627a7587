//! Typed identifiers, so an organisation's id can never be passed where a service's is expected.
//!
//! HSDS identifiers are UUIDs; keeping them as UUIDs lets imported ids survive a round trip.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new_random() -> Self {
                Self(Uuid::new_v4())
            }

            /// Wraps an existing UUID (from the store or an import).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies an organisation (HSDS `organization.id`).
    OrganisationId
);
id_type!(
    /// Identifies a service (HSDS `service.id`).
    ServiceId
);
id_type!(
    /// Identifies a "report a problem with this listing" message.
    ReportId
);
id_type!(
    /// Identifies a person who signs in.
    UserId
);
id_type!(
    /// Identifies an organisation using Haven (a tenant), as distinct from its public listing.
    TenantId
);
id_type!(
    /// Identifies a mentoring programme.
    ProgrammeId
);
id_type!(
    /// Identifies a mentor's or a mentee's profile in a programme.
    ParticipantId
);
id_type!(
    /// Identifies a mentor–mentee match.
    MatchId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_strings() {
        let id = ServiceId::new_random();
        let parsed: ServiceId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("not-a-uuid".parse::<OrganisationId>().is_err());
        assert!("".parse::<OrganisationId>().is_err());
    }
}
