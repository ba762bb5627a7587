//! The official HSDS 3.0 examples import without errors and keep their ids.

use haven_hsds::import::{self, ProblemKind, Severity};
use haven_hsds::model::*;
use uuid::Uuid;

use super::official;

fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap()
}

const SERVICE: &str = "ac148810-d857-441c-9679-408f346de14b";
const ORGANIZATION: &str = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
const LOCATION: &str = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";

#[test]
fn csv_package_imports_without_errors() {
    let imported = import::read_package(&official().join("csv"));
    let report = &imported.report;
    assert!(!report.has_errors(), "{report}");
    let ds = &imported.dataset;
    for table in Table::ALL {
        assert_eq!(ds.len_of(table), 1, "{table}");
    }
    assert_eq!(report.rows_read, 21);
    // Ids survive exactly.
    assert_eq!(ds.service[0].id, uuid(SERVICE));
    assert_eq!(ds.organization[0].id, uuid(ORGANIZATION));
    assert_eq!(ds.location[0].id.to_string(), LOCATION);
    // Typed values.
    let service = &ds.service[0];
    assert_eq!(service.status, ServiceStatus::Active);
    assert_eq!(service.assured_date.unwrap().to_string(), "2005-01-01");
    assert_eq!(service.minimum_age, Some(12.0));
    assert_eq!(ds.schedule[0].wkst, Some(Weekday::Tuesday));
    assert_eq!(
        ds.schedule[0].opens_at.as_ref().unwrap().as_str(),
        "10:00:00"
    );
    // Columns the datapackage has but the model keeps in the spec... and extensions: none.
    assert!(ds.organization[0].extra.is_empty());
}

#[test]
fn csv_package_warnings_are_the_expected_ones() {
    let imported = import::read_package(&official().join("csv"));
    let warnings: Vec<_> = imported.report.warnings().collect();
    // Latitude 100 and longitude 101 are outside WGS84: warned, kept, not mapped.
    let lat = warnings
        .iter()
        .find(|p| p.kind == ProblemKind::OutOfRange && p.field.as_deref() == Some("latitude"))
        .expect("latitude warning");
    assert_eq!(lat.file, "locations.csv");
    assert_eq!(lat.position, import::Position::Row(1));
    assert!(lat.reason.contains("outside -90..90"), "{}", lat.reason);
    assert_eq!(imported.dataset.location[0].latitude, Some(100.0));
    assert_eq!(imported.dataset.location[0].map_point(), None);
    // The location's organization is not in the package: optional field, so a warning.
    assert!(
        warnings
            .iter()
            .any(|p| p.kind == ProblemKind::DanglingReference
                && p.file == "locations.csv"
                && p.field.as_deref() == Some("organization_id")
                && p.severity == Severity::Warning)
    );
}

#[test]
fn csv_package_zipped_imports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("package.zip");
    let file = std::fs::File::create(&zip_path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for entry in std::fs::read_dir(official().join("csv")).unwrap() {
        let entry = entry.unwrap();
        // Wrapped in a folder, as people zip packages.
        zip.start_file(
            format!("export/{}", entry.file_name().to_string_lossy()),
            options,
        )
        .unwrap();
        std::io::copy(&mut std::fs::File::open(entry.path()).unwrap(), &mut zip).unwrap();
    }
    zip.finish().unwrap();
    let zipped = import::read_package(&zip_path);
    let folder = import::read_package(&official().join("csv"));
    assert!(!zipped.report.has_errors(), "{}", zipped.report);
    assert_eq!(zipped.dataset, folder.dataset);
}

#[test]
fn every_json_example_imports_without_errors() {
    for entry in std::fs::read_dir(official().join("json")).unwrap() {
        let path = entry.unwrap().path();
        let imported = import::read_package(&path);
        assert!(
            !imported.report.has_errors(),
            "{}:\n{}",
            path.display(),
            imported.report
        );
    }
}

#[test]
fn service_full_json_keeps_ids_and_links() {
    let imported = import::read_package(&official().join("json/service_full.json"));
    let ds = &imported.dataset;
    let service = ds.get::<Service>(uuid(SERVICE)).unwrap();
    // Nesting implies the links the JSON leaves out.
    assert_eq!(service.organization_id, Some(uuid(ORGANIZATION)));
    assert_eq!(
        ds.location.len(),
        1,
        "the location appears twice and is merged"
    );
    assert_eq!(ds.phone.len(), 1);
    let phone = &ds.phone[0];
    assert_eq!(phone.service_id, Some(uuid(SERVICE)));
    assert_eq!(phone.organization_id, Some(uuid(ORGANIZATION)));
    assert_eq!(phone.location_id, Some(uuid(LOCATION)));
    assert!(phone.contact_id.is_some() && phone.service_at_location_id.is_some());
    assert_eq!(ds.taxonomy.len(), 1);
    assert_eq!(ds.taxonomy_term[0].taxonomy_id, Some(ds.taxonomy[0].id));
    assert_eq!(
        ds.attribute[0].taxonomy_term_id,
        Some(ds.taxonomy_term[0].id)
    );
}

#[test]
fn json_and_csv_examples_agree_on_ids() {
    let csv = import::read_package(&official().join("csv")).dataset;
    let json = import::read_package(&official().join("json/service_full.json")).dataset;
    for table in [
        Table::Service,
        Table::Organization,
        Table::Location,
        Table::Phone,
        Table::Schedule,
    ] {
        assert_eq!(csv.ids_of(table), json.ids_of(table), "{table}");
    }
}

#[test]
fn tabular_json_imports_like_the_csv_package() {
    let imported = import::read_package(&official().join("json/tabular.json"));
    assert!(!imported.report.has_errors(), "{}", imported.report);
    assert_eq!(imported.dataset.record_count(), 21);
}

#[test]
fn list_pages_are_detected() {
    let imported = import::read_package(&official().join("json/service_list.json"));
    assert_eq!(imported.dataset.service.len(), 1);
    let imported = import::read_package(&official().join("json/taxonomy_term_list.json"));
    assert_eq!(imported.dataset.taxonomy_term.len(), 1);
    assert_eq!(imported.dataset.taxonomy.len(), 1);
    let imported = import::read_package(&official().join("json/organization_list.json"));
    assert_eq!(imported.dataset.organization.len(), 1);
}

#[test]
fn zipped_fixture_imports_without_errors() {
    let imported = import::read_package(&official().join("package.zip"));
    assert!(!imported.report.has_errors(), "{}", imported.report);
    assert_eq!(imported.dataset.record_count(), 21);
}

#[test]
fn a_service_renders_the_same_from_its_neighbourhood() {
    use haven_hsds::export::{Neighbourhoods, service_full, service_list, service_minimal};
    let ds = import::read_package(&official().join("csv")).dataset;
    // Add an unrelated service and organisation, which the neighbourhood must leave out.
    let mut bigger = ds.clone();
    let mut other = bigger.service[0].clone();
    other.id = Uuid::from_u128(7);
    other.organization_id = Some(Uuid::from_u128(8));
    bigger.service.push(other);
    let index = Neighbourhoods::new(&bigger);
    for service in &ds.service {
        let small = index.service(&bigger, service.id).unwrap();
        assert!(small.record_count() < bigger.record_count());
        assert_eq!(
            service_full(&small, service.id),
            service_full(&bigger, service.id)
        );
        // The list shapes found by binary search equal the scanning renderers'.
        let listed = index.service_list(&bigger, service.id).unwrap();
        assert_eq!(Some(&listed), service_list(&bigger, service.id).as_ref());
        assert!(listed["organization"]["name"].is_string(), "{listed}");
        assert_eq!(
            index.service_minimal(&bigger, service.id),
            service_minimal(&bigger, service.id)
        );
    }
    assert!(index.service(&bigger, Uuid::from_u128(9)).is_none());
    assert!(index.service_list(&bigger, Uuid::from_u128(9)).is_none());
}
