//! The loaded gazetteer: embedded tables turned into lookup structures, once, at start-up.

use std::collections::HashMap;
use std::fmt;

use crate::data::{self, LocalAuthorityRow, OutcodeRow, Region, SectorRow, TownRow};
use crate::names::{Entry, NameIndex, Target};
use crate::normalise::normalise;
use crate::place::Country;
use crate::{GeoError, LatLon, Outcode};

/// Alternative names from GeoNames are noisy (transliterations, historic and foreign
/// exonyms), so a match on one counts for a tenth of a match on the primary name. That
/// still lets "Newcastle" (an alt name of Newcastle upon Tyne, 192k people) beat the
/// village called Newcastle in County Down (7k), and "Abertawe" find Swansea.
const ALT_NAME_WEIGHT: f64 = 0.1;

/// A council area is scored as if it were a town of 2.5 people per live postcode (about a
/// tenth of its population): a principal town with the same name ("Leeds") should win and
/// the council area be offered as the alternative, while a council name with no such town
/// ("Southwark") still resolves.
const LOCAL_AUTHORITY_WEIGHT_PER_POSTCODE: f64 = 2.5;

/// Outward codes with fewer distinct postcode locations than this are PO boxes and
/// large-user codes placed at a sorting office (README: "1–3 usually marks a
/// non-geographic district"). They resolve if typed, but are never the answer to
/// "where am I".
const MIN_GEOGRAPHIC_POINTS: u32 = 4;

#[derive(Debug)]
pub(crate) struct OutcodeInfo {
    pub code: Outcode,
    pub point: LatLon,
    pub radius_p50: f64,
    pub radius_p95: f64,
    pub geographic: bool,
    pub local_authority: String,
    pub region: String,
    pub country: Country,
}

#[derive(Debug)]
pub(crate) struct SectorInfo {
    pub point: LatLon,
    pub local_authority: Option<usize>,
}

#[derive(Debug)]
pub(crate) struct Town {
    pub name: String,
    pub point: LatLon,
    pub population: u64,
    pub local_authority: usize,
    pub region: String,
    pub country: Country,
}

#[derive(Debug)]
pub(crate) struct LocalAuthority {
    pub name: String,
    pub point: LatLon,
    pub region: String,
    pub country: Country,
    pub radius_km: f64,
}

/// Every place Haven can find, held in memory (a few MB). Build it once with
/// [`Gazetteer::embedded`] and share it (`Arc<Gazetteer>`); it is immutable and `Sync`.
pub struct Gazetteer {
    pub(crate) outcodes: Vec<OutcodeInfo>,
    pub(crate) outcode_index: HashMap<String, usize>,
    pub(crate) sectors: HashMap<String, SectorInfo>,
    pub(crate) towns: Vec<Town>,
    pub(crate) local_authorities: Vec<LocalAuthority>,
    pub(crate) names: NameIndex,
    pub(crate) regions: Vec<Region>,
}

impl fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer")
            .field("outcodes", &self.outcodes.len())
            .field("sectors", &self.sectors.len())
            .field("towns", &self.towns.len())
            .field("local_authorities", &self.local_authorities.len())
            .finish_non_exhaustive()
    }
}

impl Gazetteer {
    /// Parses the tables compiled into the binary. Nothing is read from disk or network.
    pub fn embedded() -> Result<Self, GeoError> {
        let mut lad_index = HashMap::new();
        let mut local_authorities = Vec::new();
        let mut names = NameIndex::default();
        let lad_rows: Vec<LocalAuthorityRow> = data::read(data::LOCAL_AUTHORITIES)?;
        for (i, row) in lad_rows.into_iter().enumerate() {
            let file = data::LOCAL_AUTHORITIES.0;
            let score = f64::from(row.live_postcodes) * LOCAL_AUTHORITY_WEIGHT_PER_POSTCODE;
            let idx = local_authorities.len();
            for name in [&row.lad24nm, &row.lad24nmw] {
                for key in local_authority_keys(name) {
                    names.add(
                        key,
                        Entry {
                            display: name.clone(),
                            target: Target::LocalAuthority(idx),
                            score,
                        },
                    );
                }
            }
            lad_index.insert(row.lad24cd, idx);
            local_authorities.push(LocalAuthority {
                point: data::point(file, i, row.lat, row.lon)?,
                country: data::country(file, i, &row.country)?,
                name: row.lad24nm,
                region: row.region,
                radius_km: 0.0,
            });
        }

        let mut outcodes = Vec::new();
        let mut outcode_index = HashMap::new();
        for table in [data::OUTCODES_GB, data::OUTCODES_NI] {
            let rows: Vec<OutcodeRow> = data::read(table)?;
            for (i, row) in rows.into_iter().enumerate() {
                let code = Outcode::parse(&row.outcode).map_err(|e| GeoError::Record {
                    file: table.0,
                    record: i as u64 + 1,
                    reason: e.to_string(),
                })?;
                outcode_index.insert(code.as_str().to_owned(), outcodes.len());
                outcodes.push(OutcodeInfo {
                    code,
                    point: data::point(table.0, i, row.lat, row.lon)?,
                    radius_p50: row.radius_km_p50,
                    radius_p95: row.radius_km_p95,
                    geographic: row.distinct_points >= MIN_GEOGRAPHIC_POINTS,
                    local_authority: row.lad24nm,
                    region: row.region,
                    country: data::country(table.0, i, &row.country)?,
                });
            }
        }

        let mut sectors = HashMap::new();
        let mut lad_distances: Vec<Vec<f64>> = vec![Vec::new(); local_authorities.len()];
        for table in [data::SECTORS_GB, data::SECTORS_NI] {
            let rows: Vec<SectorRow> = data::read(table)?;
            for (i, row) in rows.into_iter().enumerate() {
                let point = data::point(table.0, i, row.lat, row.lon)?;
                let lad = lad_index.get(&row.lad24cd).copied();
                if let Some((la, distances)) =
                    lad.and_then(|l| Some((local_authorities.get(l)?, lad_distances.get_mut(l)?)))
                {
                    distances.push(la.point.haversine_km(point));
                }
                sectors.insert(
                    row.sector,
                    SectorInfo {
                        point,
                        local_authority: lad,
                    },
                );
            }
        }
        for (la, mut distances) in local_authorities.iter_mut().zip(lad_distances) {
            la.radius_km = percentile_95(&mut distances).unwrap_or(10.0).max(2.0);
        }

        let mut towns = Vec::new();
        let town_rows: Vec<TownRow> = data::read(data::TOWNS)?;
        let file = data::TOWNS.0;
        for (i, row) in town_rows.into_iter().enumerate() {
            // Two GeoNames "GB" rows are Akrotiri and Dhekelia (the Sovereign Base Areas on
            // Cyprus); they have no country and no postcodes, and are not in Haven's area.
            if row.country.is_empty() {
                continue;
            }
            let Some(&local_authority) = lad_index.get(&row.lad24cd) else {
                return Err(GeoError::Record {
                    file,
                    record: i as u64 + 1,
                    reason: format!("unknown local authority {:?}", row.lad24cd),
                });
            };
            let idx = towns.len();
            // `max(1)`: a population of 0 means "unknown", not "nobody lives here".
            let score = row.population.max(1) as f64;
            names.add(
                normalise(&row.name),
                Entry {
                    display: row.name.clone(),
                    target: Target::Town(idx),
                    score,
                },
            );
            for alt in row.alt_names.split('|').filter(|a| !a.trim().is_empty()) {
                names.add(
                    normalise(alt),
                    Entry {
                        display: alt.trim().to_owned(),
                        target: Target::Town(idx),
                        score: score * ALT_NAME_WEIGHT,
                    },
                );
            }
            towns.push(Town {
                point: data::point(file, i, row.lat, row.lon)?,
                country: data::country(file, i, &row.country)?,
                name: row.name,
                population: row.population,
                local_authority,
                region: row.region,
            });
        }
        names.finish();

        Ok(Self {
            outcodes,
            outcode_index,
            sectors,
            towns,
            local_authorities,
            names,
            regions: data::read(data::REGIONS)?,
        })
    }

    /// The 12 ITL1 regions and nations, e.g. for a filter or the region map.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Every local authority name (English form), in ONS code order, e.g. for a filter.
    pub fn local_authority_names(&self) -> impl Iterator<Item = &str> {
        self.local_authorities.iter().map(|la| la.name.as_str())
    }
}

/// Index keys for a council name: the full name, plus the form people actually say for
/// the ONS "X, City of" / "City of X" styles ("Bristol", "Edinburgh").
fn local_authority_keys(name: &str) -> Vec<String> {
    let mut keys = vec![normalise(name)];
    if let Some((head, _)) = name
        .split_once(", City of")
        .or(name.split_once(", County of"))
    {
        keys.push(normalise(head));
    }
    if let Some(rest) = name.strip_prefix("City of ") {
        keys.push(normalise(rest));
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

fn percentile_95(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let idx = (values.len().checked_sub(1)? as f64 * 0.95).round() as usize;
    values.get(idx).copied()
}
