//! Attribution the data licences require us to show (the web "About / data sources" page).
//!
//! The wording is copied from `data/LICENSES.md`, which is embedded alongside so the full
//! provenance ships with the binary.

use serde::Serialize;

/// One data source, its licence and the attribution text that must be displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// What we use it for, in plain words.
    pub source: &'static str,
    /// The attribution statement to display verbatim. Lines are separated by `\n`.
    pub text: &'static str,
    pub licence: &'static str,
    pub licence_url: &'static str,
}

/// GB postcode centroids (outcodes, sectors).
pub const ONS_POSTCODES: Attribution = Attribution {
    source: "Postcode district and sector locations (Great Britain): ONS National Statistics Postcode Lookup, May 2025",
    text: "Contains OS data © Crown copyright and database right 2025\n\
           Contains Royal Mail data © Royal Mail copyright and database right 2025\n\
           Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
    licence: "Open Government Licence v3.0",
    licence_url: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
};

/// Northern Ireland (BT) postcode centroids.
///
/// LICENCE CONDITION: these are Land & Property Services data, NOT covered by the OGL.
/// The LPS End User Licence (supplied with the ONSPD/NSPL) permits internal business use
/// and non-commercial use only. Haven is non-commercial charity software, which is why it
/// may ship them; anyone using Haven commercially needs their own licence from LPS
/// (or must build without the NI files).
pub const LPS_NORTHERN_IRELAND: Attribution = Attribution {
    source: "Postcode district and sector locations (Northern Ireland): Land & Property Services via the ONS National Statistics Postcode Lookup, May 2025. Used for non-commercial purposes only; commercial use requires a licence from LPS",
    text: "Contains LPS Intellectual Property © Crown copyright and database right 2025. \
           Source: Office for National Statistics, under the LPS End User Licence.",
    licence: "LPS End User Licence (non-commercial use)",
    licence_url: "https://www.ons.gov.uk/methodology/geography/licences",
};

/// Local authority names, codes and points; region tables.
pub const ONS_LOCAL_AUTHORITIES: Attribution = Attribution {
    source: "Local authority districts (May 2024) and regions: Office for National Statistics",
    text: "Source: Office for National Statistics licensed under the Open Government Licence v.3.0\n\
           Contains OS data © Crown copyright and database right 2024",
    licence: "Open Government Licence v3.0",
    licence_url: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
};

/// Town and city names and coordinates.
pub const GEONAMES: Attribution = Attribution {
    source: "Town and city names and coordinates: GeoNames (cities500)",
    text: "Place names and coordinates © GeoNames (https://www.geonames.org), CC BY 4.0",
    licence: "Creative Commons Attribution 4.0 International",
    licence_url: "https://creativecommons.org/licenses/by/4.0/",
};

/// Every source embedded in this crate, in the order an About page should list them.
pub const ATTRIBUTIONS: [Attribution; 4] = [
    ONS_POSTCODES,
    LPS_NORTHERN_IRELAND,
    ONS_LOCAL_AUTHORITIES,
    GEONAMES,
];

/// The full provenance document shipped with the data (Markdown).
pub const LICENSES_MD: &str = include_str!("../data/LICENSES.md");

/// Column descriptions for the embedded tables (Markdown).
pub const DATA_README_MD: &str = include_str!("../data/README.md");
