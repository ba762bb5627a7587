//! import → export → import gives the same dataset, for the official examples and for random
//! valid datasets (tabular CSV and tabular JSON).

use haven_hsds::export;
use haven_hsds::import;
use haven_hsds::model::*;
use proptest::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use super::official;

fn via_package(ds: &Dataset) -> import::Imported {
    let dir = tempfile::tempdir().unwrap();
    export::write_package(ds, dir.path()).unwrap();
    import::read_package(dir.path())
}

fn via_zip(ds: &Dataset) -> import::Imported {
    let mut bytes = std::io::Cursor::new(Vec::new());
    export::write_zip(ds, &mut bytes).unwrap();
    import::Importer::new().read_zip(std::io::Cursor::new(bytes.into_inner()), "export.zip")
}

fn via_json(ds: &Dataset) -> import::Imported {
    let text = serde_json::to_vec(&export::tabular_json(ds)).unwrap();
    import::read_json_bytes(&text, "tabular.json")
}

#[test]
fn official_csv_package_round_trips() {
    let first = import::read_package(&official().join("csv"));
    for again in [
        via_package(&first.dataset),
        via_zip(&first.dataset),
        via_json(&first.dataset),
    ] {
        assert!(!again.report.has_errors(), "{}", again.report);
        assert_eq!(again.dataset, first.dataset);
    }
}

/// Tables as JSON with rows sorted by id: nested JSON does not fix the order of rows.
fn sorted(ds: &Dataset) -> Value {
    let mut v = export::tabular_json(ds);
    for rows in v.as_object_mut().unwrap().values_mut() {
        rows.as_array_mut()
            .unwrap()
            .sort_by_key(|r| r["id"].as_str().unwrap().to_owned());
    }
    v
}

#[test]
fn official_service_full_round_trips_through_rendering() {
    let first = import::read_package(&official().join("json/service_full.json")).dataset;
    let id = first.service[0].id;
    let rendered = serde_json::to_vec(&export::service_full(&first, id).unwrap()).unwrap();
    let again = import::read_json_bytes(&rendered, "service_full.json");
    assert!(!again.report.has_errors(), "{}", again.report);
    assert_eq!(sorted(&again.dataset), sorted(&first));
}

#[test]
fn official_organization_full_round_trips_through_rendering() {
    let first = import::read_package(&official().join("csv")).dataset;
    let rendered =
        serde_json::to_vec(&export::organization_full(&first, first.organization[0].id).unwrap())
            .unwrap();
    let again = import::read_json_bytes(&rendered, "organization_full.json");
    assert!(!again.report.has_errors(), "{}", again.report);
    let again = again.dataset;
    assert_eq!(
        again.get::<Service>(first.service[0].id),
        Some(&first.service[0])
    );
    assert_eq!(again.get::<Phone>(first.phone[0].id), Some(&first.phone[0]));
}

// ---- random valid datasets ----

fn text() -> impl Strategy<Value = String> {
    // Commas, quotes, new lines, spaces and non-ASCII: what CSV quoting must survive.
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9 ,.'\"-]{0,20}",
        "[a-z]{1,5}\n[a-z]{1,5}",
        "[a-z]{1,3}\r\n\"[a-z]{1,3}\"",
        "(é|ü|ا|ر|ب|ي|中|文|🙂|£){1,6}",
    ]
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e9f64..1e9,
        (0i32..200).prop_map(f64::from),
        Just(0.1),
        Just(1e-7)
    ]
}

fn email() -> impl Strategy<Value = Email> {
    "[a-z]{1,8}@[a-z]{1,8}\\.org".prop_map(|s| Email::parse(&s).unwrap())
}

fn uri() -> impl Strategy<Value = Uri> {
    "https://[a-z]{1,8}\\.org/[a-z0-9]{0,6}".prop_map(|s| Uri::parse(&s).unwrap())
}

fn date() -> impl Strategy<Value = IsoDate> {
    (1900i32..2100, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| IsoDate::parse(&format!("{y:04}-{m:02}-{d:02}")).unwrap())
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (
        0i64..4_000_000_000,
        -12i8..=12,
        prop_oneof![Just(0u16), 0u16..1000],
    )
        .prop_map(|(secs, hours, ms)| {
            let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap()
                + time::Duration::milliseconds(i64::from(ms));
            let t = t.to_offset(time::UtcOffset::from_hms(hours, 0, 0).unwrap());
            Timestamp(t)
        })
}

fn clock() -> impl Strategy<Value = ClockTime> {
    "(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-]0[0-9]:00)?"
        .prop_map(|s| ClockTime::parse(&s).unwrap())
}

fn extra() -> impl Strategy<Value = Extensions> {
    proptest::collection::btree_map("x_[a-z]{1,6}", text().prop_map(Value::String), 0..2)
}

fn id() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(|n| uuid::Builder::from_random_bytes(n.to_le_bytes()).into_uuid())
}

prop_compose! {
    fn organization()(id in id(), name in text(), alternate_name in opt(text()), description in text(),
        email in opt(email()), website in opt(uri()), year in opt(number()), extra in extra())
        -> Organization {
        Organization { id, name, alternate_name, description, email, website, tax_status: None,
            tax_id: None, year_incorporated: year, legal_status: None, logo: None, uri: None,
            parent_organization_id: None, extra }
    }
}

prop_compose! {
    fn service(org: Uuid)(id in id(), name in text(), description in opt(text()),
        status in prop::sample::select(ServiceStatus::ALL), assured in opt(date()),
        assurer in opt(email()), modified in opt(timestamp()), min_age in opt(number()),
        extra in extra()) -> Service {
        let mut s: Service = serde_json::from_value(serde_json::json!({
            "id": id, "organization_id": org, "name": name, "status": status
        })).unwrap();
        s.description = description;
        s.assured_date = assured;
        s.assurer_email = assurer;
        s.last_modified = modified;
        s.minimum_age = min_age;
        s.extra = extra;
        s
    }
}

prop_compose! {
    fn location(org: Uuid)(id in id(), kind in prop::sample::select(LocationType::ALL),
        name in opt(text()), lat in opt(-90.0f64..90.0), lon in opt(-180.0f64..180.0))
        -> Location {
        Location { id, location_type: kind, url: None, organization_id: Some(org), name,
            alternate_name: None, description: None, transportation: None, latitude: lat,
            longitude: lon, external_identifier: None, external_identifier_type: None,
            extra: Extensions::new() }
    }
}

prop_compose! {
    fn schedule(service: Uuid)(id in id(), opens in opt(clock()), closes in opt(clock()),
        wkst in opt(prop::sample::select(Weekday::ALL)), freq in opt(prop::sample::select(Frequency::ALL)),
        from in opt(date()), interval in opt(number()), link in opt(uri())) -> Schedule {
        let mut s: Schedule = serde_json::from_value(serde_json::json!({"id": id, "service_id": service})).unwrap();
        s.opens_at = opens;
        s.closes_at = closes;
        s.wkst = wkst;
        s.freq = freq;
        s.valid_from = from;
        s.interval = interval;
        s.schedule_link = link;
        s
    }
}

fn dataset() -> impl Strategy<Value = Dataset> {
    organization()
        .prop_flat_map(|org| {
            let org_id = org.id;
            (
                Just(org),
                proptest::collection::vec(service(org_id), 0..3),
                proptest::collection::vec(location(org_id), 0..3),
                text(),
                proptest::collection::vec(id(), 3),
            )
        })
        .prop_flat_map(|(org, services, locations, phone, ids)| {
            let schedules: Vec<_> = services.iter().map(|s| schedule(s.id)).collect();
            (Just((org, services, locations, phone, ids)), schedules)
        })
        .prop_map(
            |((org, services, locations, phone_number, ids), schedules)| {
                let mut ds = haven_hsds::vocabulary::vocabulary_dataset();
                use haven_hsds::vocabulary::{Need, Term};
                for (i, s) in services.iter().enumerate() {
                    ds.attribute
                        .push(Need::ALL[i % Need::ALL.len()].attribute_for(s.id));
                    ds.phone.push(Phone {
                        id: Uuid::new_v5(&s.id, b"phone"),
                        location_id: None,
                        service_id: Some(s.id),
                        organization_id: Some(org.id),
                        contact_id: None,
                        service_at_location_id: None,
                        number: phone_number.clone(),
                        extension: Some(12.0),
                        r#type: Some("voice".into()),
                        description: None,
                        extra: Extensions::new(),
                    });
                    if let Some(l) = locations.first() {
                        ds.service_at_location.push(ServiceAtLocation {
                            id: Uuid::new_v5(&s.id, l.id.as_bytes()),
                            service_id: Some(s.id),
                            location_id: Some(l.id),
                            description: None,
                            extra: Extensions::new(),
                        });
                    }
                }
                if let Some(l) = locations.first() {
                    ds.address.push(Address {
                        id: ids[0],
                        location_id: Some(l.id),
                        attention: None,
                        address_1: "1 High St".into(),
                        address_2: None,
                        city: "Leeds".into(),
                        region: None,
                        state_province: "West Yorkshire".into(),
                        postal_code: "LS1 1AA".into(),
                        country: "GB".into(),
                        address_type: LocationType::Physical,
                        extra: Extensions::new(),
                    });
                }
                ds.organization.push(org);
                ds.service = services;
                ds.location = locations;
                ds.schedule = schedules;
                ds
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_datasets_round_trip_tabular(ds in dataset()) {
        let again = via_package(&ds);
        prop_assert!(!again.report.has_errors(), "{}", again.report);
        prop_assert_eq!(again.dataset, ds);
    }

    #[test]
    fn random_datasets_round_trip_json(ds in dataset()) {
        let again = via_json(&ds);
        prop_assert!(!again.report.has_errors(), "{}", again.report);
        prop_assert_eq!(again.dataset, ds);
    }

    #[test]
    fn random_services_round_trip_service_full(ds in dataset()) {
        for service in &ds.service {
            let rendered = serde_json::to_vec(&export::service_full(&ds, service.id).unwrap()).unwrap();
            let again = import::read_json_bytes(&rendered, "service.json");
            prop_assert!(!again.report.has_errors(), "{}", again.report);
            prop_assert_eq!(again.dataset.get::<Service>(service.id), Some(service));
        }
    }
}
