//! The embedded CSV tables and their row types. Parsing only: no indexing, no policy
//! beyond "a row we cannot use is an error" (the data is fixed at build time and the
//! tests load it, so a bad row fails CI rather than a user's search).

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::GeoError;
use crate::LatLon;
use crate::place::Country;

pub(crate) const OUTCODES_GB: (&str, &str) =
    ("uk_outcodes.csv", include_str!("../data/uk_outcodes.csv"));
pub(crate) const OUTCODES_NI: (&str, &str) = (
    "uk_outcodes_ni.csv",
    include_str!("../data/uk_outcodes_ni.csv"),
);
pub(crate) const SECTORS_GB: (&str, &str) = (
    "uk_postcode_sectors.csv",
    include_str!("../data/uk_postcode_sectors.csv"),
);
pub(crate) const SECTORS_NI: (&str, &str) = (
    "uk_postcode_sectors_ni.csv",
    include_str!("../data/uk_postcode_sectors_ni.csv"),
);
pub(crate) const TOWNS: (&str, &str) = (
    "uk_towns_geonames.csv",
    include_str!("../data/uk_towns_geonames.csv"),
);
pub(crate) const LOCAL_AUTHORITIES: (&str, &str) = (
    "uk_local_authorities.csv",
    include_str!("../data/uk_local_authorities.csv"),
);
pub(crate) const REGIONS: (&str, &str) = ("uk_regions.csv", include_str!("../data/uk_regions.csv"));

#[derive(Debug, Deserialize)]
pub(crate) struct OutcodeRow {
    pub outcode: String,
    pub lat: f64,
    pub lon: f64,
    pub distinct_points: u32,
    pub radius_km_p50: f64,
    pub radius_km_p95: f64,
    pub lad24nm: String,
    pub region: String,
    pub country: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SectorRow {
    pub sector: String,
    pub lat: f64,
    pub lon: f64,
    pub lad24cd: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LocalAuthorityRow {
    pub lad24cd: String,
    pub lad24nm: String,
    pub lad24nmw: String,
    pub lat: f64,
    pub lon: f64,
    pub region: String,
    pub country: String,
    pub live_postcodes: u32,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TownRow {
    pub name: String,
    pub alt_names: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub country: String,
    pub lad24cd: String,
    pub region: String,
}

/// A statistical region (ITL1) or nation, for filters and maps.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Region {
    /// E12… for English regions; W92/S92/N92 for the other nations.
    #[serde(rename = "rgn_cd")]
    pub code: String,
    #[serde(rename = "itl1_cd")]
    pub itl1_code: String,
    #[serde(rename = "region")]
    pub name: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub local_authorities: u32,
    pub live_postcodes: u32,
}

/// Deserialises every record of an embedded table, naming the file on failure.
pub(crate) fn read<T: DeserializeOwned>(
    (file, text): (&'static str, &str),
) -> Result<Vec<T>, GeoError> {
    csv::Reader::from_reader(text.as_bytes())
        .into_deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|source| GeoError::Csv { file, source })
}

/// Validates a coordinate pair from a table, naming the record on failure.
pub(crate) fn point(
    file: &'static str,
    record: usize,
    lat: f64,
    lon: f64,
) -> Result<LatLon, GeoError> {
    LatLon::new(lat, lon).map_err(|e| GeoError::Record {
        file,
        record: record as u64 + 1,
        reason: e.to_string(),
    })
}

pub(crate) fn country(file: &'static str, record: usize, name: &str) -> Result<Country, GeoError> {
    Country::from_data(name).ok_or_else(|| GeoError::Record {
        file,
        record: record as u64 + 1,
        reason: format!("unknown country {name:?}"),
    })
}
