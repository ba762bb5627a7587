//! What a resolved query looks like to the rest of Haven.

use std::fmt;

use serde::Serialize;

use crate::LatLon;

/// The four nations covered by the embedded data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Country {
    England,
    Scotland,
    Wales,
    NorthernIreland,
}

impl Country {
    pub(crate) fn from_data(s: &str) -> Option<Self> {
        match s {
            "England" => Some(Self::England),
            "Scotland" => Some(Self::Scotland),
            "Wales" => Some(Self::Wales),
            "Northern Ireland" => Some(Self::NorthernIreland),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::England => "England",
            Self::Scotland => "Scotland",
            Self::Wales => "Wales",
            Self::NorthernIreland => "Northern Ireland",
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of thing a query (or the centroid behind it) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PlaceKind {
    /// A full postcode such as `CV1 2GT`.
    Postcode,
    /// A postcode sector such as `CV1 2`.
    Sector,
    /// An outward code (postcode district) such as `LS1`.
    Outcode,
    /// A town, city or village (GeoNames).
    Town,
    /// A local authority district, e.g. Southwark.
    LocalAuthority,
}

/// A resolved place: where to centre a "near me" search and how far to look.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Canonical name to show back to the person: `CV1 2GT`, `LS1`, `Keighley`.
    pub label: String,
    /// What the query was recognised as.
    pub kind: PlaceKind,
    /// Whose centroid `point` is. Usually equal to `kind`; a full postcode resolves to its
    /// `Sector` (we hold no per-postcode data), or to its `Outcode` when the sector is unknown.
    pub resolved_to: PlaceKind,
    pub point: LatLon,
    /// A hint for "how near is near": roughly the distance from `point` that covers the
    /// place (outcode: 95th-percentile distance to its postcodes; town: from population;
    /// local authority: 95th percentile distance to its postcode sectors).
    pub radius_km: f64,
    pub local_authority: String,
    pub region: String,
    pub country: Country,
    /// Other places the same words could mean, best first (e.g. the other Newports).
    /// Always empty inside an alternative.
    pub alternatives: Vec<Place>,
}

impl Place {
    /// The label with enough context to tell namesakes apart, e.g. "Newport, Isle of Wight",
    /// "Leeds, Yorkshire and The Humber", or "Leeds council" for the council area.
    /// `Gazetteer::resolve` understands this form, so it is the link target for an
    /// alternative. It is a query, not UI text: pages should describe a place in the
    /// reader's language from `kind`, `local_authority` and `region`.
    pub fn qualified_label(&self) -> String {
        if self.kind == PlaceKind::LocalAuthority {
            return format!("{} council", self.label);
        }
        let context = if self.local_authority == self.label {
            &self.region
        } else {
            &self.local_authority
        };
        if context == &self.label {
            self.label.clone()
        } else {
            format!("{}, {}", self.label, context)
        }
    }
}
