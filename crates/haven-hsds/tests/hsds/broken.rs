//! A broken package gives a report naming each file, row and field.

use haven_hsds::import::{self, Position, ProblemKind, Severity};

use super::fixtures;

#[test]
fn broken_package_report_names_file_row_and_field() {
    let imported = import::read_package(&fixtures().join("broken"));
    let report = &imported.report;
    assert!(report.has_errors());
    let find = |file: &str, row: u64, field: &str| {
        report
            .errors()
            .find(|p| {
                p.file == file
                    && p.position == Position::Row(row)
                    && p.field.as_deref() == Some(field)
            })
            .unwrap_or_else(|| panic!("no error for {file} row {row} field {field}:\n{report}"))
    };
    assert_eq!(
        find("services.csv", 2, "name").kind,
        ProblemKind::MissingRequired
    );
    assert_eq!(
        find("locations.csv", 1, "latitude").kind,
        ProblemKind::WrongType
    );
    let dangling = find("service_at_location.csv", 1, "service_id");
    assert_eq!(dangling.kind, ProblemKind::DanglingReference);
    assert!(
        dangling
            .reason
            .contains("99999999-9999-4999-8999-999999999999")
    );
    assert_eq!(report.errors().count(), 3, "{report}");
    // Rows with errors are left out; the rest are read.
    assert_eq!(imported.dataset.service.len(), 1);
    assert!(imported.dataset.location.is_empty());
    let text = report.to_string();
    assert!(
        text.contains("error: services.csv, row 2, field name: "),
        "{text}"
    );
}

#[test]
fn known_ids_satisfy_references() {
    let existing = uuid::Uuid::parse_str("99999999-9999-4999-8999-999999999999").unwrap();
    let known = move |table: haven_hsds::Table, id: uuid::Uuid| {
        table == haven_hsds::Table::Service && id == existing
    };
    let imported = import::Importer::new()
        .known_ids(&known)
        .read_package(&fixtures().join("broken"));
    assert!(
        !imported
            .report
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::DanglingReference)
    );
}

fn csv(table: haven_hsds::Table, text: &str) -> import::Imported {
    import::Importer::new().read_csv(table, text.as_bytes(), table.file_name())
}

#[test]
fn wrong_types_are_errors_naming_the_field() {
    use haven_hsds::Table;
    let r = csv(
        Table::Service,
        "id,organization_id,name,status,email,url,assured_date,last_modified,minimum_age\n\
         not-a-uuid,11111111-1111-4111-8111-111111111111,S,open,nobody,example.com,2024-13-01,yesterday,twelve\n",
    );
    let fields: Vec<_> = r.report.errors().filter_map(|p| p.field.clone()).collect();
    for field in [
        "id",
        "status",
        "email",
        "url",
        "assured_date",
        "last_modified",
        "minimum_age",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let id_error = r
        .report
        .errors()
        .find(|p| p.field.as_deref() == Some("id"))
        .unwrap();
    assert!(id_error.reason.contains("not a UUID"));
}

#[test]
fn duplicate_ids_are_errors() {
    let r = csv(
        haven_hsds::Table::Taxonomy,
        "id,name,description\n\
         11111111-1111-4111-8111-111111111111,A,a\n\
         11111111-1111-4111-8111-111111111111,B,b\n",
    );
    let dup = r.report.errors().next().unwrap();
    assert_eq!(
        (dup.kind, &dup.position),
        (ProblemKind::DuplicateId, &Position::Row(2))
    );
}

#[test]
fn missing_required_column_is_reported_once() {
    let r = csv(
        haven_hsds::Table::Taxonomy,
        "id,name\n11111111-1111-4111-8111-111111111111,A\n22222222-2222-4222-8222-222222222222,B\n",
    );
    let missing: Vec<_> = r.report.errors().collect();
    assert_eq!(missing.len(), 1, "{}", r.report);
    assert_eq!(missing[0].position, Position::Header);
    assert_eq!(missing[0].field.as_deref(), Some("description"));
}

#[test]
fn unknown_columns_are_kept_with_a_warning() {
    let r = csv(
        haven_hsds::Table::Taxonomy,
        "id,name,description,haven_note\n11111111-1111-4111-8111-111111111111,A,a,kept\n",
    );
    assert!(!r.report.has_errors());
    let w = r.report.warnings().next().unwrap();
    assert_eq!(
        (w.kind, w.severity),
        (ProblemKind::UnknownField, Severity::Warning)
    );
    assert_eq!(r.dataset.taxonomy[0].extra["haven_note"], "kept");
}

#[test]
fn json_problems_are_located_by_pointer() {
    let doc = br#"{"total_items":1,"contents":[{"id":"ac148810-d857-441c-9679-408f346de14b","name":"S","status":"active",
        "service_at_locations":[{"id":"e94c9f38-1e8f-4564-91d4-d53501ab1765","location":{"id":"3a19ff88-4620-4d17-9830-ac1d859eb5d5","location_type":"physical","latitude":"north"}}]}]}"#;
    let r = import::read_json_bytes(doc, "page.json");
    let e = r
        .report
        .errors()
        .find(|p| p.field.as_deref() == Some("latitude"))
        .unwrap();
    assert_eq!(
        e.position,
        Position::Pointer("/contents/0/service_at_locations/0/location".into())
    );
}

#[test]
fn progress_is_reported() {
    let mut calls = Vec::new();
    let mut on_progress = |p: import::Progress<'_>| calls.push((p.rows_read, p.rows_total));
    let imported = import::Importer::new()
        .on_progress(&mut on_progress)
        .read_package(&super::official().join("csv"));
    assert!(!imported.report.has_errors());
    assert_eq!(calls.len(), 21);
    assert_eq!(calls.last(), Some(&(21, Some(21))));
}

#[test]
fn ambiguous_json_needs_a_hint() {
    let doc = br#"{"id":"11111111-1111-4111-8111-111111111111","name":"Org","description":"d"}"#;
    assert!(import::read_json_bytes(doc, "org.json").report.has_errors());
    let r =
        import::Importer::new().read_json_as(haven_hsds::Table::Organization, &doc[..], "org.json");
    assert!(!r.report.has_errors(), "{}", r.report);
    assert_eq!(r.dataset.organization.len(), 1);
}
