//! Great-circle distance, just enough for travel limits (no geocoding here: that is
//! `haven-geo`'s job; profiles arrive with coordinates).

use crate::profile::GeoPoint;

const EARTH_RADIUS_KM: f64 = 6371.0;

/// Haversine distance in kilometres. Accurate to well under 1% at UK scales, which is far finer
/// than anyone's stated travel limit.
pub fn distance_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_to_manchester_is_about_260_km() {
        let london = GeoPoint {
            latitude: 51.5074,
            longitude: -0.1278,
        };
        let manchester = GeoPoint {
            latitude: 53.4808,
            longitude: -2.2426,
        };
        let d = distance_km(london, manchester);
        assert!((255.0..265.0).contains(&d), "{d}");
    }
}
