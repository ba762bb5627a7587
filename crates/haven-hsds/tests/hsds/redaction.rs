//! A confidential location's address and precise point never reach a public export.

use haven_hsds::export;
use haven_hsds::model::*;
use haven_hsds::redact::{WITHHELD, public_dataset};
use haven_hsds::vocabulary::{LocationFlag, Term, vocabulary_dataset};
use uuid::Uuid;

fn refuge() -> (Dataset, Uuid) {
    let org = Uuid::new_v4();
    let service = Uuid::new_v4();
    let location = Uuid::new_v4();
    let mut ds = vocabulary_dataset();
    ds.organization.push(Organization {
        id: org,
        name: "Safe Homes".into(),
        alternate_name: None,
        description: "Refuge".into(),
        email: None,
        website: None,
        tax_status: None,
        tax_id: None,
        year_incorporated: None,
        legal_status: None,
        logo: None,
        uri: None,
        parent_organization_id: None,
        extra: Default::default(),
    });
    let mut svc: Service = serde_json::from_value(serde_json::json!({
        "id": service, "organization_id": org, "name": "Women's refuge", "status": "active"
    }))
    .unwrap();
    svc.description = Some("Safe housing".into());
    ds.service.push(svc);
    ds.location.push(serde_json::from_value(serde_json::json!({
        "id": location, "organization_id": org, "location_type": "physical", "name": "Refuge",
        "description": "Blue door behind 14 Secret Lane", "transportation": "Bus 7 to Secret Lane",
        "latitude": 52.486_243, "longitude": -1.890_401,
        "external_identifier": "100070333444", "external_identifier_type": "UPRN",
        "haven_private_note": "key under the mat"
    })).unwrap());
    ds.address.push(
        serde_json::from_value(serde_json::json!({
            "id": Uuid::new_v4(), "location_id": location, "attention": "Ms Hidden",
            "address_1": "14 Secret Lane", "address_2": "Flat 3", "city": "Birmingham",
            "state_province": "West Midlands", "postal_code": "B33 8TH", "country": "GB",
            "address_type": "physical"
        }))
        .unwrap(),
    );
    ds.service_at_location.push(ServiceAtLocation {
        id: Uuid::new_v4(),
        service_id: Some(service),
        location_id: Some(location),
        description: None,
        extra: Default::default(),
    });
    ds.attribute
        .push(LocationFlag::Confidential.attribute_for(location));
    (ds, service)
}

const SECRETS: &[&str] = &[
    "Secret Lane",
    "Flat 3",
    "Ms Hidden",
    "8TH",
    "52.486",
    "-1.890",
    "100070333444",
    "key under the mat",
    "Blue door",
];

fn assert_no_secrets(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}

#[test]
fn public_json_pages_never_contain_the_address() {
    let (ds, service) = refuge();
    // The stored data does hold them (so the test can fail).
    assert!(
        export::service_full(&ds, service)
            .unwrap()
            .to_string()
            .contains("Secret Lane")
    );
    let public = public_dataset(&ds);
    let page = export::service_full(&public, service).unwrap().to_string();
    assert_no_secrets(&page);
    assert!(page.contains(WITHHELD) && page.contains("B33") && page.contains("52.49"));
    assert_no_secrets(
        &export::organization_full(&public, public.organization[0].id)
            .unwrap()
            .to_string(),
    );
    assert_no_secrets(&export::tabular_json(&public).to_string());
}

#[test]
fn public_tabular_export_never_contains_the_address() {
    let (ds, _) = refuge();
    let public = public_dataset(&ds);
    let dir = tempfile::tempdir().unwrap();
    export::write_package(&public, dir.path()).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert_no_secrets(&text);
    }
    // And the public package is still valid HSDS.
    let back = haven_hsds::import::read_package(dir.path());
    assert!(!back.report.has_errors(), "{}", back.report);
}

#[test]
fn other_locations_are_untouched() {
    let (mut ds, _) = refuge();
    ds.attribute.clear();
    assert_eq!(public_dataset(&ds), ds);
}
