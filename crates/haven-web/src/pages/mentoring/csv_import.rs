//! CSV files of mentors or mentees: the header names the columns (the same names as the form's
//! fields, in any order), each later row is one person. Every problem is reported with its row
//! (as a spreadsheet numbers it: the header is row 1, a cell with line breaks stays in its row;
//! blank lines are skipped and not counted) and column, so a coordinator can fix the
//! file and upload it again; nothing is written unless every row is right.

use std::collections::HashMap;

/// Most people one file may add.
pub(crate) const MAX_ROWS: usize = 2000;

/// A data row: its number and its values by column.
pub(crate) type Row = (u64, HashMap<String, String>);

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowProblem {
    pub row: u64,
    pub column: String,
    pub message: &'static str,
}

fn problem(row: u64, column: &str, message: &'static str) -> RowProblem {
    RowProblem {
        row,
        column: column.to_owned(),
        message,
    }
}

/// The file's rows as field maps with their row numbers, or the problems with its shape
/// (columns, encoding, row lengths). `allowed` is every column this kind of file may have.
pub(crate) fn rows(bytes: &[u8], allowed: &[&str]) -> Result<Vec<Row>, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(vec![from_error(&e)]),
        None => return Err(vec![problem(1, "", "mentoring-error-csv-empty")]),
    };
    let columns: Vec<String> = header
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        if !allowed.contains(&column.as_str()) {
            problems.push(problem(1, column, "mentoring-error-csv-column"));
        } else if columns[..i].contains(column) {
            problems.push(problem(1, column, "mentoring-error-csv-duplicate"));
        }
    }
    if !columns.iter().any(|c| c == "name") {
        problems.push(problem(1, "name", "mentoring-error-csv-missing"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(from_error(&e));
                continue;
            }
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let row = record.position().map_or(0, |p| p.record() + 1);
        if out.len() == MAX_ROWS {
            problems.push(problem(row, "", "mentoring-error-csv-too-many"));
            break;
        }
        let fields = columns
            .iter()
            .cloned()
            .zip(record.iter().map(|v| v.trim().to_owned()))
            .collect();
        out.push((row, fields));
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(problem(2, "", "mentoring-error-csv-empty"));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn from_error(e: &csv::Error) -> RowProblem {
    let row = e.position().map_or(0, |p| p.record() + 1);
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => problem(row, "", "mentoring-error-csv-encoding"),
        csv::ErrorKind::UnequalLengths { .. } => problem(row, "", "mentoring-error-csv-length"),
        _ => problem(row, "", "mentoring-error-csv-unreadable"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ALLOWED: [&str; 3] = ["name", "gender", "goals"];

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_does() {
        let rows = rows(
            b"Name,Gender\nAmal,woman\n\n\"Bilal\nHaddad\",man\nCarla,woman\n",
            &ALLOWED,
        )
        .unwrap();
        let numbers: Vec<u64> = rows.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [2, 3, 4]);
        assert_eq!(rows[1].1["name"], "Bilal\nHaddad");
    }

    #[test]
    fn bad_shapes_are_named() {
        let e = rows(b"name,colour\nA,red\n", &ALLOWED).unwrap_err();
        assert_eq!(e, vec![problem(1, "colour", "mentoring-error-csv-column")]);
        let e = rows(b"gender\nwoman\n", &ALLOWED).unwrap_err();
        assert_eq!(e[0].message, "mentoring-error-csv-missing");
        let e = rows(b"name,gender\nA,woman\nB\n", &ALLOWED).unwrap_err();
        assert_eq!(e, vec![problem(3, "", "mentoring-error-csv-length")]);
        let e = rows(b"name\n\xff\xfe\n", &ALLOWED).unwrap_err();
        assert_eq!(e[0].message, "mentoring-error-csv-encoding");
        let e = rows(b"", &ALLOWED).unwrap_err();
        assert_eq!(e[0].message, "mentoring-error-csv-empty");
        let e = rows(b"name\n", &ALLOWED).unwrap_err();
        assert_eq!(e[0].message, "mentoring-error-csv-empty");
        // A byte-order mark from a spreadsheet is not part of the first column's name.
        assert!(rows("\u{feff}name\nA\n".as_bytes(), &ALLOWED).is_ok());
    }
}
