//! One integration-test binary for the crate: the gazetteer is loaded once and shared.

// clippy.toml allows these inside #[test] functions, but not in this file's helpers;
// in a test binary a panic is a failing test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test by panicking"
)]

use std::sync::OnceLock;

use haven_geo::{
    ATTRIBUTIONS, BoundingBox, Country, Gazetteer, LatLon, NotFoundReason, Outcode, Place,
    PlaceKind, Postcode,
};
use proptest::prelude::*;

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::embedded().expect("embedded data loads"))
}

#[track_caller]
fn resolve(query: &str) -> Place {
    match gazetteer().resolve(query) {
        Ok(place) => place,
        Err(e) => panic!(
            "{query:?} did not resolve: {e} (suggestions {:?})",
            e.suggestions
        ),
    }
}

#[track_caller]
fn near(place: &Place, lat: f64, lon: f64, km: f64) {
    let expected = LatLon::new(lat, lon).unwrap();
    let d = place.point.haversine_km(expected);
    assert!(d <= km, "{} is {d:.1} km from ({lat}, {lon})", place.label);
}

#[test]
fn acceptance_strings_resolve_to_plausible_points() {
    // (query, label, kind, lat, lon, tolerance km)
    let cases = [
        ("PE1", "PE1", PlaceKind::Outcode, 52.58, -0.24, 3.0),
        ("Keighley", "Keighley", PlaceKind::Town, 53.87, -1.91, 1.0),
        ("Keighly", "Keighley", PlaceKind::Town, 53.87, -1.91, 1.0),
        ("BD21", "BD21", PlaceKind::Outcode, 53.86, -1.91, 3.0),
        ("LS1", "LS1", PlaceKind::Outcode, 53.80, -1.55, 2.0),
        ("CV1 2GT", "CV1 2GT", PlaceKind::Postcode, 52.40, -1.50, 2.0),
        ("cv12gt", "CV1 2GT", PlaceKind::Postcode, 52.40, -1.50, 2.0),
        ("Swansea", "Swansea", PlaceKind::Town, 51.62, -3.94, 2.0),
        ("SA1", "SA1", PlaceKind::Outcode, 51.62, -3.93, 3.0),
        ("BT1", "BT1", PlaceKind::Outcode, 54.60, -5.93, 2.0),
        ("Leeds", "Leeds", PlaceKind::Town, 53.80, -1.55, 2.0),
        ("Luton", "Luton", PlaceKind::Town, 51.88, -0.42, 2.0),
        ("Cardiff", "Cardiff", PlaceKind::Town, 51.48, -3.18, 2.0),
        ("Coventry", "Coventry", PlaceKind::Town, 52.41, -1.51, 2.0),
        (
            "Nottingham",
            "Nottingham",
            PlaceKind::Town,
            52.95,
            -1.15,
            2.0,
        ),
        (
            "Newcastle upon Tyne",
            "Newcastle upon Tyne",
            PlaceKind::Town,
            54.97,
            -1.61,
            2.0,
        ),
        ("Sheffield", "Sheffield", PlaceKind::Town, 53.38, -1.47, 2.0),
        (
            "Southwark",
            "Southwark",
            PlaceKind::LocalAuthority,
            51.47,
            -0.08,
            3.0,
        ),
        ("Belfast", "Belfast", PlaceKind::Town, 54.60, -5.93, 2.0),
        (
            "Birmingham",
            "Birmingham",
            PlaceKind::Town,
            52.48,
            -1.90,
            2.0,
        ),
        (
            "Peterborough",
            "Peterborough",
            PlaceKind::Town,
            52.57,
            -0.25,
            2.0,
        ),
        ("London", "London", PlaceKind::Town, 51.51, -0.13, 2.0),
    ];
    for (query, label, kind, lat, lon, km) in cases {
        let place = resolve(query);
        assert_eq!(place.label, label, "{query}");
        assert_eq!(place.kind, kind, "{query}");
        near(&place, lat, lon, km);
        assert!(place.radius_km > 0.0 && place.radius_km < 60.0, "{query}");
    }
}

#[test]
fn places_carry_their_area() {
    let keighley = resolve("Keighley");
    assert_eq!(keighley.local_authority, "Bradford");
    assert_eq!(keighley.region, "Yorkshire and The Humber");
    assert_eq!(keighley.country, Country::England);
    let bt1 = resolve("BT1");
    assert_eq!(bt1.local_authority, "Belfast");
    assert_eq!(bt1.country, Country::NorthernIreland);
    assert_eq!(resolve("SA1").country, Country::Wales);
}

#[test]
fn postcode_resolves_to_sector_centroid() {
    let place = resolve("CV1 2GT");
    assert_eq!(place.resolved_to, PlaceKind::Sector);
    let sector = resolve("CV1 2");
    assert_eq!(sector.kind, PlaceKind::Sector);
    assert_eq!(sector.point, place.point);
    // Without the space "CV12" is its own district, not the sector.
    assert_eq!(resolve("CV12").kind, PlaceKind::Outcode);
    assert_eq!(resolve("CV12").label, "CV12");
}

#[test]
fn postcode_in_unknown_sector_falls_back_to_outcode() {
    // CV1 7 is not a sector in the data, but CV1 is a district.
    let place = resolve("CV1 7ZZ");
    assert_eq!(place.kind, PlaceKind::Postcode);
    assert_eq!(place.resolved_to, PlaceKind::Outcode);
    assert_eq!(place.point, resolve("CV1").point);
    assert_eq!(resolve("CV1 7").resolved_to, PlaceKind::Outcode);
}

#[test]
fn unknown_district_suggests_neighbours() {
    let err = gazetteer().resolve("LS50 1AA").unwrap_err();
    assert_eq!(err.reason, NotFoundReason::UnknownOutcode);
    assert!(!err.suggestions.is_empty());
    assert!(
        err.suggestions.iter().all(|s| s.starts_with("LS")),
        "{:?}",
        err.suggestions
    );
}

#[test]
fn unknown_place_suggests_spellings() {
    for query in ["Xyzzyborough", "Qqqq", "Zz", "Manchesterfordshire"] {
        let err = gazetteer().resolve(query).unwrap_err();
        assert_eq!(err.reason, NotFoundReason::UnknownPlaceName, "{query}");
        assert!(!err.suggestions.is_empty(), "{query}");
        for s in &err.suggestions {
            assert!(
                gazetteer().resolve(s).is_ok(),
                "suggestion {s:?} does not resolve"
            );
        }
    }
    let err = gazetteer().resolve("  ,, ").unwrap_err();
    assert_eq!(err.reason, NotFoundReason::EmptyQuery);
}

#[test]
fn typos_and_spelling_variants() {
    for (query, label) in [
        ("keighly", "Keighley"),
        ("Peterbrough", "Peterborough"),
        ("Birmingam", "Birmingham"),
        ("Nottingham ", "Nottingham"),
        ("Newcastle-upon-Tyne", "Newcastle upon Tyne"),
        ("Newcastle", "Newcastle upon Tyne"),
        ("St. Albans", "St Albans"),
        ("saint albans", "St Albans"),
        ("Kings Lynn", "King's Lynn"),
        ("Leeds city centre", "Leeds"),
        ("Hull", "Kingston upon Hull"),
    ] {
        assert_eq!(resolve(query).label, label, "{query}");
    }
}

#[test]
fn welsh_and_alternative_names() {
    assert_eq!(resolve("Abertawe").label, "Swansea");
    assert_eq!(resolve("Caerdydd").label, "Cardiff");
    assert_eq!(resolve("Casnewydd").label, "Newport");
    assert_eq!(resolve("Ynys Môn").kind, PlaceKind::LocalAuthority);
}

#[test]
fn local_authorities() {
    let southwark = resolve("southwark");
    assert_eq!(southwark.kind, PlaceKind::LocalAuthority);
    assert_eq!(southwark.region, "London");
    assert_eq!(resolve("Bristol").label, "Bristol");
    assert_eq!(resolve("City of Edinburgh").kind, PlaceKind::LocalAuthority);
    // A principal town beats its council area, which is offered instead.
    let leeds = resolve("Leeds");
    assert_eq!(leeds.kind, PlaceKind::Town);
    let council = leeds
        .alternatives
        .iter()
        .find(|a| a.kind == PlaceKind::LocalAuthority)
        .expect("Leeds council area is an alternative");
    assert_eq!(council.qualified_label(), "Leeds council");
    assert_eq!(resolve("Leeds council").kind, PlaceKind::LocalAuthority);
    assert_eq!(
        resolve("Bristol, City of council").kind,
        PlaceKind::LocalAuthority
    );
    // Every alternative's qualified label leads back to that alternative.
    for query in [
        "Newport",
        "Leeds",
        "Manchester",
        "Stoke",
        "Richmond",
        "Lndon",
    ] {
        for alt in resolve(query).alternatives {
            let again = resolve(&alt.qualified_label());
            assert_eq!(
                (again.kind, again.point),
                (alt.kind, alt.point),
                "{}",
                alt.qualified_label()
            );
        }
    }
}

#[test]
fn ambiguous_names_prefer_the_most_populous_and_offer_the_rest() {
    let newport = resolve("Newport");
    assert_eq!(newport.country, Country::Wales);
    assert!(newport.alternatives.len() >= 3);
    let iow = newport
        .alternatives
        .iter()
        .find(|a| a.local_authority == "Isle of Wight")
        .expect("Newport, Isle of Wight is an alternative");
    assert!(iow.alternatives.is_empty());
    // The qualified label picks that one back out.
    let picked = resolve(&iow.qualified_label());
    assert_eq!(picked.local_authority, "Isle of Wight");
    assert_eq!(picked.point, iow.point);
}

#[test]
fn autocomplete() {
    let g = gazetteer();
    let s = g.suggest("Keig");
    assert_eq!(s.first().map(String::as_str), Some("Keighley"), "{s:?}");
    let s = g.suggest("bir");
    assert_eq!(s.first().map(String::as_str), Some("Birmingham"), "{s:?}");
    assert!(s.len() <= 10);
    let s = g.suggest("ls1");
    assert_eq!(s.first().map(String::as_str), Some("LS1"), "{s:?}");
    assert!(s.iter().all(|c| c.starts_with("LS1")));
    assert_eq!(g.suggest("cv1 2gt"), vec!["CV1 2GT".to_owned()]);
    assert!(g.suggest("").is_empty());
    for s in g.suggest("new") {
        assert!(g.resolve(&s).is_ok(), "{s}");
    }
}

#[test]
fn reverse_lookup() {
    let g = gazetteer();
    let keighley = LatLon::new(53.868, -1.907).unwrap();
    assert_eq!(g.nearest_outcode(keighley).unwrap().label, "BD21");
    let belfast = LatLon::new(54.5997, -5.9285).unwrap();
    assert_eq!(g.nearest_outcode(belfast).unwrap().label, "BT1");
    let paris = LatLon::new(48.857, 2.352).unwrap();
    assert!(g.nearest_outcode(paris).is_none());
}

#[test]
fn bounding_box_covers_the_radius() {
    let place = resolve("Keighley");
    let bbox = BoundingBox::around(place.point, place.radius_km);
    assert!(bbox.contains(place.point));
    assert!(bbox.contains(resolve("BD21").point));
}

#[test]
fn every_embedded_code_passes_the_parser() {
    // The format rules must never reject a real district or sector.
    let g = gazetteer();
    let data = include_str!("../data/uk_outcodes.csv").lines().skip(1);
    let ni = include_str!("../data/uk_outcodes_ni.csv").lines().skip(1);
    for line in data.chain(ni) {
        let code = line.split(',').next().unwrap();
        assert!(Outcode::parse(code).is_ok(), "{code}");
        assert!(Postcode::parse(&format!("{code} 1AB")).is_ok(), "{code}");
        assert!(g.resolve(code).is_ok(), "{code}");
    }
}

#[test]
fn attributions_name_every_licence() {
    assert!(
        ATTRIBUTIONS
            .iter()
            .all(|a| a.licence_url.starts_with("https://"))
    );
    assert!(
        ATTRIBUTIONS
            .iter()
            .any(|a| a.text.contains("LPS Intellectual Property"))
    );
    assert!(ATTRIBUTIONS.iter().any(|a| a.text.contains("GeoNames")));
    assert!(haven_geo::attribution::LICENSES_MD.contains("Open Government Licence"));
}

/// Every outward shape (A9, A99, AA9, AA99, A9A, AA9A) from the permitted letters, then a
/// valid inward code.
const POSTCODE_REGEX: &str = "([A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9][0-9]|[A-PR-UWYZ][A-HK-Y][0-9]\
|[A-PR-UWYZ][A-HK-Y][0-9][0-9]|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]\
|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn postcode_round_trips(pc in POSTCODE_REGEX, lower in any::<bool>(), spaced in any::<bool>()) {
        let mut input = if lower { pc.to_lowercase() } else { pc.clone() };
        if !spaced {
            input.retain(|c| c != ' ');
        }
        let parsed = Postcode::parse(&input).unwrap();
        prop_assert_eq!(parsed.to_string(), pc.clone());
        prop_assert_eq!(Postcode::parse(&parsed.to_string()).unwrap(), parsed);
    }

    #[test]
    fn postcode_parse_never_panics(s in "\\PC{0,40}") {
        let _ = Postcode::parse(&s);
        let _ = Outcode::parse(&s);
        let _ = haven_geo::Sector::parse(&s);
    }

}

proptest! {
    // Fewer cases: each unmatched query runs the typo search, which is slow in debug builds.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn resolve_never_panics(s in "\\PC{0,40}") {
        if let Err(e) = gazetteer().resolve(&s) {
            // Only an empty query may come back without suggestions.
            prop_assert!(e.reason == NotFoundReason::EmptyQuery || !e.suggestions.is_empty());
        }
        let _ = gazetteer().suggest(&s);
    }

    #[test]
    fn resolve_handles_postcode_like_noise(s in "[A-Za-z0-9 ]{0,10}") {
        let _ = gazetteer().resolve(&s);
    }
}
