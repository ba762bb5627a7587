//! Any bytes as tabular input: a zip package when they start like a zip, otherwise one CSV
//! table (the table whose fields include every header name, so the official CSVs work as
//! seeds). Import must not panic; an accepted dataset must export and re-import unchanged.
#![no_main]

use std::io::Cursor;

use haven_hsds::{Table, export, import, schema};
use libfuzzer_sys::fuzz_target;

fn table_for(data: &[u8]) -> Table {
    let header = data.split(|b| *b == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(header);
    let names: Vec<&str> = header.trim_end().split(',').collect();
    Table::ALL
        .into_iter()
        .find(|t| names.iter().all(|n| schema::field(*t, n).is_some()))
        .unwrap_or(Table::ALL[data.len() % Table::ALL.len()])
}

fuzz_target!(|data: &[u8]| {
    let imported = if data.starts_with(b"PK") {
        import::Importer::new().read_zip(Cursor::new(data), "fuzz.zip")
    } else {
        let table = table_for(data);
        import::Importer::new().read_csv(table, data, table.file_name())
    };
    let _ = imported.report.to_string();
    if imported.report.has_errors() {
        return;
    }
    // What import accepts, export writes and import reads back the same.
    let mut zipped = Cursor::new(Vec::new());
    if export::write_zip(&imported.dataset, &mut zipped).is_ok() {
        let again = import::Importer::new().read_zip(Cursor::new(zipped.into_inner()), "again.zip");
        assert!(!again.report.has_errors(), "{}", again.report);
        assert_eq!(again.dataset, imported.dataset);
    }
});
