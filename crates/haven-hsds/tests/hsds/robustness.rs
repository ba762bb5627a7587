//! No panic on hostile input; limits hold.

use haven_hsds::Table;
use haven_hsds::import::{self, Limits, ProblemKind};

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    let r = import::read_json_bytes(deep.as_bytes(), "deep.json");
    assert!(r.report.has_errors());
}

#[test]
fn garbage_is_reported() {
    for bytes in [
        &b"\xff\xfe\x00garbage"[..],
        b"",
        b"{}",
        b"[1,2]",
        b"null",
        b"{\"contents\":[{\"x\":1}]}",
    ] {
        let r = import::read_json_bytes(bytes, "x.json");
        let _ = r.report.to_string();
        let r = import::Importer::new().read_csv(Table::Service, bytes, "services.csv");
        let _ = r.report.to_string();
        let r = import::Importer::new().read_zip(std::io::Cursor::new(bytes), "x.zip");
        assert!(r.report.has_errors());
    }
}

#[test]
fn huge_rows_stop_at_the_limit() {
    let mut text = String::from("id,name,description\n");
    text.push_str(&"x".repeat(3 << 20));
    let limits = Limits {
        max_row_bytes: 1 << 20,
        ..Limits::default()
    };
    let r = import::Importer::new().limits(limits).read_csv(
        Table::Taxonomy,
        text.as_bytes(),
        "taxonomies.csv",
    );
    assert!(
        r.report.errors().any(|p| p.kind == ProblemKind::TooLarge),
        "{}",
        r.report
    );
}

#[test]
fn invalid_utf8_row_is_reported_and_reading_goes_on() {
    let mut bytes = b"id,name,description\n".to_vec();
    bytes.extend_from_slice(b"11111111-1111-4111-8111-111111111111,\xff,x\n");
    bytes.extend_from_slice(b"22222222-2222-4222-8222-222222222222,B,b\n");
    let r = import::Importer::new().read_csv(Table::Taxonomy, &bytes[..], "taxonomies.csv");
    assert_eq!(r.report.errors().count(), 1, "{}", r.report);
    assert_eq!(r.dataset.taxonomy.len(), 1);
}

#[test]
fn unsafe_resource_paths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("datapackage.json"),
        r#"{"resources":[{"name":"service","path":"../../etc/passwd"}]}"#,
    )
    .unwrap();
    let r = import::read_package(dir.path());
    assert!(
        r.report.errors().any(|p| p.kind == ProblemKind::Structure),
        "{}",
        r.report
    );
}
