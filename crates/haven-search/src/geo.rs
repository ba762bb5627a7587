//! Geometry for "near me": a fixed grid of cells for finding candidates, and unit vectors
//! for comparing distances cheaply.
//!
//! Each location is also stored as a point on the unit sphere. The straight-line (chord)
//! distance between two such points orders them exactly as the great-circle distance does,
//! and costs three subtractions and three multiplications instead of four trigonometric
//! calls. Only a location whose chord lies within a hair of the radius is decided with
//! `haven_geo`'s haversine, so the radius boundary is exactly haversine's; the distance a hit
//! reports is always haversine's.

use haven_geo::{BoundingBox, LatLon};

/// Cell height in degrees of latitude (~8.9 km).
const CELL_LAT_DEG: f64 = 0.08;
/// Cell width in degrees of longitude (~8.5 km at 54°N, the UK's middle).
const CELL_LON_DEG: f64 = 0.13;
/// Past this radius the cell range is not worth computing: walk every occupied cell.
const WHOLE_GRID_RADIUS_KM: f64 = 1500.0;

pub(crate) type Cell = u32;

fn row(lat: f64) -> u32 {
    // Latitudes are validated, so this is 0..=2250; `as` saturates anyway.
    ((lat + 90.0) / CELL_LAT_DEG).floor() as u32
}

fn col(lon: f64) -> u32 {
    ((lon + 180.0) / CELL_LON_DEG).floor() as u32
}

pub(crate) fn cell_of(point: LatLon) -> Cell {
    (row(point.lat()) << 16) | col(point.lon())
}

/// Which cells a search must visit.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CellRange {
    Every,
    Rows { rows: (u32, u32), cols: (u32, u32) },
}

impl CellRange {
    pub fn around(centre: LatLon, radius_km: f64) -> Self {
        if radius_km > WHOLE_GRID_RADIUS_KM {
            return CellRange::Every;
        }
        let bbox = BoundingBox::around(centre, radius_km);
        // One spare cell each side: the box is computed on a sphere, the cells in degrees.
        CellRange::Rows {
            rows: (row(bbox.min_lat).saturating_sub(1), row(bbox.max_lat) + 1),
            cols: (col(bbox.min_lon).saturating_sub(1), col(bbox.max_lon) + 1),
        }
    }

    pub fn count(self) -> u64 {
        match self {
            CellRange::Every => u64::MAX,
            CellRange::Rows { rows, cols } => {
                u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1)
            }
        }
    }

    pub fn contains(self, cell: Cell) -> bool {
        match self {
            CellRange::Every => true,
            CellRange::Rows { rows, cols } => {
                let (r, c) = (cell >> 16, cell & 0xFFFF);
                (rows.0..=rows.1).contains(&r) && (cols.0..=cols.1).contains(&c)
            }
        }
    }

    pub fn cells(self) -> impl Iterator<Item = Cell> {
        let (rows, cols) = match self {
            CellRange::Every => ((1, 0), (1, 0)),
            CellRange::Rows { rows, cols } => (rows, cols),
        };
        (rows.0..=rows.1).flat_map(move |r| (cols.0..=cols.1).map(move |c| (r << 16) | c))
    }
}

pub(crate) type Unit = [f64; 3];

pub(crate) fn unit(point: LatLon) -> Unit {
    let (lat, lon) = (point.lat().to_radians(), point.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

pub(crate) fn chord2(a: &Unit, b: &Unit) -> f64 {
    let (x, y, z) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    x * x + y * y + z * z
}

/// A search circle: the centre as a unit vector and the radius as a squared chord.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Circle {
    pub centre: LatLon,
    pub centre_unit: Unit,
    pub radius_km: f64,
    earth_radius_km: f64,
    chord2: f64,
    /// Chords within this of `chord2` are decided by haversine.
    band: f64,
}

impl Circle {
    pub fn new(centre: LatLon, radius_km: f64, earth_radius_km: f64) -> Self {
        let angle = (radius_km / earth_radius_km).min(std::f64::consts::PI);
        let chord = 2.0 * (angle / 2.0).sin();
        let chord2 = chord * chord;
        Self {
            centre,
            centre_unit: unit(centre),
            radius_km,
            earth_radius_km,
            chord2,
            band: chord2 * 1e-6 + 1e-20,
        }
    }

    /// Whether a location at squared chord `c2` (to `point`) is within the radius.
    pub fn contains(&self, c2: f64, point: LatLon) -> bool {
        if c2 < self.chord2 - self.band {
            true
        } else if c2 > self.chord2 + self.band {
            false
        } else {
            self.centre.haversine_km(point) <= self.radius_km
        }
    }

    /// Kilometres for a squared chord (for ranking; hits report haversine).
    pub fn km(&self, c2: f64) -> f64 {
        2.0 * self.earth_radius_km * (c2.sqrt() / 2.0).clamp(0.0, 1.0).asin()
    }
}

/// The Earth radius `haven_geo` uses, recovered from its own haversine (one degree of a
/// meridian) so chord thresholds and haversine agree to rounding.
pub(crate) fn earth_radius_km() -> f64 {
    match (LatLon::new(0.0, 0.0), LatLon::new(1.0, 0.0)) {
        (Ok(a), Ok(b)) => a.haversine_km(b).to_degrees(),
        _ => 6371.0088,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).unwrap()
    }

    #[test]
    fn earth_radius_matches_haven_geo() {
        assert!((earth_radius_km() - 6371.0088).abs() < 1e-6);
    }

    #[test]
    fn chord_decision_agrees_with_haversine() {
        let r = earth_radius_km();
        let centre = p(53.8, -1.55);
        for (lat, lon) in [(53.9, -1.5), (54.5, -2.0), (51.5, -0.12), (53.8, -1.55)] {
            let q = p(lat, lon);
            let d = centre.haversine_km(q);
            for radius in [d, d - 1e-9, d + 1e-9, d * 0.5, d * 2.0, 0.0] {
                let c = Circle::new(centre, radius.max(0.0), r);
                let c2 = chord2(&c.centre_unit, &unit(q));
                assert_eq!(
                    c.contains(c2, q),
                    d <= radius.max(0.0),
                    "{lat} {lon} {radius}"
                );
                assert!((c.km(c2) - d).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn range_covers_the_circle_cells() {
        let centre = p(51.5, -0.12);
        let range = CellRange::around(centre, 10.0);
        assert!(range.contains(cell_of(centre)));
        assert!(range.contains(cell_of(p(51.59, -0.12))));
        assert!(range.contains(cell_of(p(51.5, -0.26))));
        assert!(!range.contains(cell_of(p(52.5, -0.12))));
        assert!(range.count() < 30);
        assert_eq!(range.cells().count() as u64, range.count());
    }
}
