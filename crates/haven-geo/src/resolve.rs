//! Turning what a person typed into a `Place`: postcodes first (unambiguous), then
//! outward codes, then names (exact, qualified, then typo-tolerant).

use std::collections::HashSet;

use crate::error::{NotFoundReason, PlaceNotFound};
use crate::gazetteer::{Gazetteer, OutcodeInfo};
use crate::names::Target;
use crate::normalise::{MAX_QUERY_CHARS, normalise};
use crate::place::{Place, PlaceKind};
use crate::{LatLon, Outcode, Postcode, Sector};

/// How many "did you mean" suggestions and alternatives to offer: enough to catch the
/// intended place, few enough for a small phone screen.
const SUGGESTIONS: usize = 5;
const ALTERNATIVES: usize = 5;
const AUTOCOMPLETE: usize = 10;

/// Beyond this distance from every outward code centroid a point is not in the UK (or is
/// far out at sea), and "your nearest postcode district" would be misleading.
const MAX_REVERSE_KM: f64 = 40.0;

/// Words people add to a place name that are not part of it ("Leeds city centre").
const FILLER_SUFFIXES: &[&str] = &[
    " city centre",
    " town centre",
    " centre",
    " city",
    " town",
    " uk",
];

impl Gazetteer {
    /// Resolves a postcode, sector, outward code, town or city, or council area.
    ///
    /// Never panics; any input either resolves or yields [`PlaceNotFound`] carrying
    /// suggestions (which are themselves resolvable strings).
    pub fn resolve(&self, query: &str) -> Result<Place, PlaceNotFound> {
        let query = bounded(query);
        if let Ok(postcode) = Postcode::parse(&query) {
            return self.resolve_postcode(&query, &postcode);
        }
        if looks_like_sector(&query)
            && let Ok(sector) = Sector::parse(&query)
        {
            return self.resolve_sector(&query, &sector);
        }
        if let Ok(outcode) = Outcode::parse(&query) {
            return match self.outcode(&outcode) {
                Some(info) => Ok(outcode_place(info, PlaceKind::Outcode)),
                None => Err(self.unknown_outcode(&query, &outcode)),
            };
        }
        self.resolve_name(&query)
    }

    /// Completions for a search box, best first (at most 10). Each resolves with
    /// [`Gazetteer::resolve`]. Input with a digit completes outward codes.
    pub fn suggest(&self, prefix: &str) -> Vec<String> {
        let prefix = bounded(prefix);
        if prefix.is_empty() {
            return Vec::new();
        }
        if prefix.chars().any(|c| c.is_ascii_digit()) {
            if let Ok(pc) = Postcode::parse(&prefix) {
                return match self.outcode(pc.outward()) {
                    Some(_) => vec![pc.to_string()],
                    None => Vec::new(),
                };
            }
            let compact: String = prefix
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            let mut codes: Vec<&str> = self
                .outcode_index
                .keys()
                .map(String::as_str)
                .filter(|c| c.starts_with(&compact))
                .collect();
            // "LS1" before "LS10": shorter (exact) first, then alphabetical.
            codes.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
            return codes
                .into_iter()
                .take(AUTOCOMPLETE)
                .map(str::to_owned)
                .collect();
        }
        let key = normalise(&prefix);
        if key.is_empty() {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        self.names
            .prefixed(&key, AUTOCOMPLETE * 5)
            .into_iter()
            .filter_map(|e| self.names.entry(e))
            .map(|e| e.display.clone())
            .filter(|d| seen.insert(d.to_lowercase()))
            .take(AUTOCOMPLETE)
            .collect()
    }

    /// Reverse lookup for "use my location": the nearest geographic outward code, or
    /// `None` when the point is not near any (outside the UK).
    pub fn nearest_outcode(&self, point: LatLon) -> Option<Place> {
        self.outcodes
            .iter()
            .filter(|o| o.geographic)
            .map(|o| (o.point.haversine_km(point), o))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(d, _)| *d <= MAX_REVERSE_KM)
            .map(|(_, o)| outcode_place(o, PlaceKind::Outcode))
    }

    pub(crate) fn outcode(&self, code: &Outcode) -> Option<&OutcodeInfo> {
        self.outcode_index
            .get(code.as_str())
            .and_then(|&i| self.outcodes.get(i))
    }

    fn resolve_postcode(&self, query: &str, postcode: &Postcode) -> Result<Place, PlaceNotFound> {
        let Some(info) = self.outcode(postcode.outward()) else {
            return Err(self.unknown_outcode(query, postcode.outward()));
        };
        let mut place = self.sector_or_outcode(info, &postcode.sector());
        place.kind = PlaceKind::Postcode;
        place.label = postcode.to_string();
        Ok(place)
    }

    fn resolve_sector(&self, query: &str, sector: &Sector) -> Result<Place, PlaceNotFound> {
        let Some(info) = self.outcode(sector.outcode()) else {
            return Err(self.unknown_outcode(query, sector.outcode()));
        };
        let mut place = self.sector_or_outcode(info, sector);
        place.kind = PlaceKind::Sector;
        place.label = sector.to_string();
        Ok(place)
    }

    /// The sector centroid if we know the sector; otherwise the district's, with the
    /// district's wider radius (a new or unlisted sector is still in that district).
    fn sector_or_outcode(&self, info: &OutcodeInfo, sector: &Sector) -> Place {
        let mut place = outcode_place(info, PlaceKind::Outcode);
        if let Some(s) = self.sectors.get(&sector.to_string()) {
            place.resolved_to = PlaceKind::Sector;
            place.point = s.point;
            // We hold no per-sector spread; a sector is a slice of its district, so the
            // district's median distance is a fair, slightly generous hint.
            place.radius_km = info.radius_p50;
            if let Some(la) = s
                .local_authority
                .and_then(|i| self.local_authorities.get(i))
            {
                place.local_authority.clone_from(&la.name);
            }
        }
        place
    }

    fn unknown_outcode(&self, query: &str, code: &Outcode) -> PlaceNotFound {
        let mut scored: Vec<(usize, bool, &str)> = self
            .outcodes
            .iter()
            .map(|o| {
                let candidate = o.code.as_str();
                (
                    strsim::osa_distance(code.as_str(), candidate),
                    o.code.area() != code.area(),
                    candidate,
                )
            })
            .collect();
        scored.sort();
        PlaceNotFound {
            query: query.to_owned(),
            reason: NotFoundReason::UnknownOutcode,
            suggestions: scored
                .into_iter()
                .take(SUGGESTIONS)
                .map(|(_, _, c)| c.to_owned())
                .collect(),
        }
    }

    fn resolve_name(&self, query: &str) -> Result<Place, PlaceNotFound> {
        let key = normalise(query);
        if key.is_empty() {
            return Err(PlaceNotFound {
                query: query.to_owned(),
                reason: NotFoundReason::EmptyQuery,
                suggestions: Vec::new(),
            });
        }
        let mut hits = self.names.exact(&key).to_vec();
        if hits.is_empty()
            && let Some(council) = key.strip_suffix(" council")
        {
            // "Leeds council": the council area, not the city (see `Place::qualified_label`).
            hits = self.names.exact(council).to_vec();
            hits.retain(|&e| {
                self.names
                    .entry(e)
                    .is_some_and(|e| matches!(e.target, Target::LocalAuthority(_)))
            });
        }
        if hits.is_empty() {
            hits = self.qualified(query);
        }
        if hits.is_empty()
            && let Some(stripped) = FILLER_SUFFIXES.iter().find_map(|s| key.strip_suffix(s))
        {
            hits = self.names.exact(stripped).to_vec();
        }
        if hits.is_empty() {
            hits = self.names.fuzzy(&key);
        }
        let mut targets = Vec::new();
        for target in hits
            .iter()
            .filter_map(|&e| self.names.entry(e))
            .map(|e| e.target)
        {
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        let mut places = targets
            .into_iter()
            .take(ALTERNATIVES + 1)
            .filter_map(|t| self.target_place(t));
        let Some(mut best) = places.next() else {
            return Err(PlaceNotFound {
                query: query.to_owned(),
                reason: NotFoundReason::UnknownPlaceName,
                suggestions: self.spelling_suggestions(&key),
            });
        };
        best.alternatives = places.collect();
        Ok(best)
    }

    /// "Newport, Isle of Wight": the part after the comma picks among namesakes by council
    /// area, region or country. An unrecognised qualifier is ignored rather than fatal.
    fn qualified(&self, query: &str) -> Vec<usize> {
        let Some((name, qualifier)) = query.split_once(',') else {
            return Vec::new();
        };
        let name = normalise(name);
        let qualifier = normalise(qualifier);
        if name.is_empty() {
            return Vec::new();
        }
        let mut hits = self.names.exact(&name).to_vec();
        if hits.is_empty() {
            hits = self.names.fuzzy(&name);
        }
        if qualifier.is_empty() {
            return hits;
        }
        let matching: Vec<usize> = hits
            .iter()
            .copied()
            .filter(|&e| {
                let Some(place) = self
                    .names
                    .entry(e)
                    .and_then(|e| self.target_place(e.target))
                else {
                    return false;
                };
                [
                    place.local_authority.as_str(),
                    place.region.as_str(),
                    place.country.name(),
                ]
                .iter()
                .any(|field| normalise(field).contains(&qualifier))
            })
            .collect();
        if matching.is_empty() { hits } else { matching }
    }

    /// Canonical names of the places spelled most like `key`, for "did you mean".
    fn spelling_suggestions(&self, key: &str) -> Vec<String> {
        let mut seen = HashSet::new();
        self.names
            .nearest(key, SUGGESTIONS * 2)
            .into_iter()
            .filter_map(|e| self.names.entry(e))
            .filter_map(|e| self.target_place(e.target))
            .map(|p| p.label)
            .filter(|label| seen.insert(label.clone()))
            .take(SUGGESTIONS)
            .collect()
    }

    fn target_place(&self, target: Target) -> Option<Place> {
        match target {
            Target::Town(i) => {
                let town = self.towns.get(i)?;
                let la = self.local_authorities.get(town.local_authority)?;
                Some(Place {
                    label: town.name.clone(),
                    kind: PlaceKind::Town,
                    resolved_to: PlaceKind::Town,
                    point: town.point,
                    radius_km: town_radius_km(town.population),
                    local_authority: la.name.clone(),
                    region: town.region.clone(),
                    country: town.country,
                    alternatives: Vec::new(),
                })
            }
            Target::LocalAuthority(i) => {
                let la = self.local_authorities.get(i)?;
                Some(Place {
                    label: la.name.clone(),
                    kind: PlaceKind::LocalAuthority,
                    resolved_to: PlaceKind::LocalAuthority,
                    point: la.point,
                    radius_km: la.radius_km,
                    local_authority: la.name.clone(),
                    region: la.region.clone(),
                    country: la.country,
                    alternatives: Vec::new(),
                })
            }
        }
    }
}

fn outcode_place(info: &OutcodeInfo, kind: PlaceKind) -> Place {
    Place {
        label: info.code.to_string(),
        kind,
        resolved_to: PlaceKind::Outcode,
        point: info.point,
        radius_km: info.radius_p95,
        local_authority: info.local_authority.clone(),
        region: info.region.clone(),
        country: info.country,
        alternatives: Vec::new(),
    }
}

/// GeoNames has points, not areas, so the radius comes from population: a town of
/// population p covers very roughly sqrt(p)/100 km (Keighley ≈ 2 km, Leeds ≈ 7 km,
/// Birmingham ≈ 11 km), kept between a walkable 1.5 km and Greater London's ~25 km.
fn town_radius_km(population: u64) -> f64 {
    ((population as f64).sqrt() / 100.0).clamp(1.5, 25.0)
}

/// Trims and bounds the query (in characters, so multi-byte input cannot be split).
fn bounded(query: &str) -> String {
    query
        .trim()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// "CV1 2": an outward code, whitespace, one digit. Required because "CV12" without the
/// space is a different, real outward code.
fn looks_like_sector(query: &str) -> bool {
    let mut parts = query.split_whitespace();
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(_), Some(d), None) if d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit())
    )
}
