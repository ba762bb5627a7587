//! WGS84 points, great-circle distance and bounding boxes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Mean Earth radius (IUGG). The spherical model is off by at most ~0.5%,
/// which is far below the size of a postcode district.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A latitude/longitude pair in decimal degrees (WGS84) that is known to be in range.
/// Deserialising checks the ranges as [`LatLon::new`] does (a stored point is outside input).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedLatLon")]
pub struct LatLon {
    lat: f64,
    lon: f64,
}

/// Why a latitude/longitude pair was rejected.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LatLonError {
    #[error("latitude {0} is not a number between -90 and 90")]
    Latitude(f64),
    #[error("longitude {0} is not a number between -180 and 180")]
    Longitude(f64),
}

/// A point as serialised, before its ranges are checked.
#[derive(Deserialize)]
struct UncheckedLatLon {
    lat: f64,
    lon: f64,
}

impl TryFrom<UncheckedLatLon> for LatLon {
    type Error = LatLonError;

    fn try_from(point: UncheckedLatLon) -> Result<Self, LatLonError> {
        Self::new(point.lat, point.lon)
    }
}

impl LatLon {
    /// Validates the ranges; NaN and infinities are rejected because they would poison
    /// every distance computed from them.
    pub fn new(lat: f64, lon: f64) -> Result<Self, LatLonError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(LatLonError::Latitude(lat));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(LatLonError::Longitude(lon));
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in kilometres (haversine formula).
    pub fn haversine_km(self, other: LatLon) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_phi = (other.lat - self.lat).to_radians();
        let d_lambda = (other.lon - self.lon).to_radians();
        let a =
            (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        // Clamp: rounding can push `a` a hair above 1 for antipodal points, and sqrt(1 - a)
        // of a negative number would be NaN.
        let a = a.clamp(0.0, 1.0);
        2.0 * EARTH_RADIUS_KM * a.sqrt().atan2((1.0 - a).sqrt())
    }
}

impl fmt::Display for LatLon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.5},{:.5}", self.lat, self.lon)
    }
}

/// A latitude/longitude rectangle, for a cheap `WHERE lat BETWEEN .. AND lon BETWEEN ..`
/// pre-filter before the exact haversine distance is computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    /// The smallest box (in degrees) containing every point within `radius_km` of `centre`.
    ///
    /// It is a superset of the circle, so callers must still check the real distance.
    /// Negative or non-finite radii are treated as zero. Near the poles the box widens to
    /// every longitude; the UK is nowhere near, but the helper must not produce nonsense.
    /// Boxes are not split at the antimeridian (irrelevant for the UK): longitudes are clamped.
    pub fn around(centre: LatLon, radius_km: f64) -> Self {
        let radius_km = if radius_km.is_finite() && radius_km > 0.0 {
            radius_km
        } else {
            0.0
        };
        let d_lat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let min_lat = (centre.lat - d_lat).max(-90.0);
        let max_lat = (centre.lat + d_lat).min(90.0);
        // Longitude degrees shrink with cos(latitude); use the latitude nearest the pole
        // within the box so the box stays a superset of the circle.
        let widest = min_lat.abs().max(max_lat.abs()).to_radians().cos();
        let (min_lon, max_lon) = if widest < 1e-9 || max_lat >= 90.0 || min_lat <= -90.0 {
            (-180.0, 180.0)
        } else {
            let d_lon = (radius_km / (EARTH_RADIUS_KM * widest)).to_degrees();
            (
                (centre.lon - d_lon).max(-180.0),
                (centre.lon + d_lon).min(180.0),
            )
        };
        Self {
            min_lat,
            max_lat,
            min_lon,
            max_lon,
        }
    }

    pub fn contains(&self, point: LatLon) -> bool {
        (self.min_lat..=self.max_lat).contains(&point.lat)
            && (self.min_lon..=self.max_lon).contains(&point.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_nan() {
        assert!(LatLon::new(91.0, 0.0).is_err());
        assert!(LatLon::new(0.0, -180.5).is_err());
        assert!(LatLon::new(f64::NAN, 0.0).is_err());
        assert!(LatLon::new(0.0, f64::INFINITY).is_err());
        assert!(LatLon::new(53.8, -1.5).is_ok());
    }

    #[test]
    fn a_deserialised_point_is_checked_like_a_new_one() {
        let point = LatLon::new(53.8, -1.5).unwrap();
        let text = serde_json::to_string(&point).unwrap();
        assert_eq!(serde_json::from_str::<LatLon>(&text).unwrap(), point);
        assert!(serde_json::from_str::<LatLon>(r#"{"lat":91.0,"lon":0.0}"#).is_err());
        assert!(serde_json::from_str::<LatLon>(r#"{"lat":0.0,"lon":-181.0}"#).is_err());
    }

    #[test]
    fn leeds_to_london_is_about_270_km() {
        let leeds = LatLon::new(53.7965, -1.5478).unwrap();
        let london = LatLon::new(51.5085, -0.1257).unwrap();
        let d = leeds.haversine_km(london);
        assert!((265.0..280.0).contains(&d), "{d}");
        assert!(leeds.haversine_km(leeds) < 1e-9);
    }

    #[test]
    fn bounding_box_contains_points_on_the_circle() {
        let centre = LatLon::new(53.87, -1.91).unwrap();
        let bbox = BoundingBox::around(centre, 10.0);
        for (lat, lon) in [
            (53.955, -1.91),
            (53.785, -1.91),
            (53.87, -1.77),
            (53.87, -2.05),
        ] {
            let p = LatLon::new(lat, lon).unwrap();
            assert!(centre.haversine_km(p) < 10.0);
            assert!(bbox.contains(p), "{p} not in {bbox:?}");
        }
        assert!(!bbox.contains(LatLon::new(54.1, -1.91).unwrap()));
    }

    #[test]
    fn bounding_box_survives_silly_input() {
        let pole = LatLon::new(89.99, 0.0).unwrap();
        let bbox = BoundingBox::around(pole, 100.0);
        assert_eq!((bbox.min_lon, bbox.max_lon), (-180.0, 180.0));
        let bbox = BoundingBox::around(pole, f64::NAN);
        assert!(bbox.contains(pole));
    }
}
