//! CSV files of mentors or mentees: the header names the columns (the same names as the form's
//! fields, in any order), each later row is one person. Every problem is reported with its row
//! as a spreadsheet shows it (a blank line is an empty row and counts; a quoted cell with line
//! breaks stays in its one row) and column, so a coordinator can fix the file and upload it
//! again; nothing is written unless every row is right.

use std::collections::HashMap;

/// Most people one file (or one API request) may add.
pub(crate) const MAX_ROWS: usize = 2000;
/// Most problems reported for one file: past this the file is plainly not the right one, and
/// listing every broken row would only make a huge page.
const MAX_PROBLEMS: usize = 100;

/// A data row: its number and its values by column.
pub(crate) type Row = (u64, HashMap<String, String>);

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowProblem {
    pub row: u64,
    pub column: String,
    pub message: &'static str,
}

/// Spreadsheet row numbers. The reader skips blank lines, which a spreadsheet shows as empty
/// rows, and keeps a quoted cell's line breaks inside one record, as a spreadsheet keeps them in
/// one row. So a record's row is the previous record's plus one, plus the blank lines the reader
/// skipped before it: those are the line ends between where it started reading (the record's
/// position) and the record's first character.
struct Rows<'a> {
    input: &'a [u8],
    last: Option<u64>,
}

impl Rows<'_> {
    fn row(&mut self, position: Option<&csv::Position>) -> u64 {
        let mut from = position
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0);
        // After a CRLF line end the reader may stop between the CR and the LF.
        if from > 0 && self.input.get(from - 1..=from) == Some(b"\r\n".as_slice()) {
            from += 1;
        }
        let blank = self
            .input
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
            .count() as u64;
        let row = self.last.map_or(1, |r| r + 1) + blank;
        self.last = Some(row);
        row
    }
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
    let mut numbering = Rows {
        input: bytes,
        last: None,
    };
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(vec![from_error(&e, &mut numbering)]),
        None => return Err(vec![problem(1, "", "mentoring-error-csv-empty")]),
    };
    let header_row = numbering.row(header.position());
    let columns: Vec<String> = header
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut problems = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        if !allowed.contains(&column.as_str()) {
            problems.push(problem(header_row, column, "mentoring-error-csv-column"));
        } else if columns[..i].contains(column) {
            problems.push(problem(header_row, column, "mentoring-error-csv-duplicate"));
        }
    }
    if !columns.iter().any(|c| c == "name") {
        problems.push(problem(header_row, "name", "mentoring-error-csv-missing"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(from_error(&e, &mut numbering));
                if problems.len() == MAX_PROBLEMS {
                    break;
                }
                continue;
            }
        };
        let row = numbering.row(record.position());
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
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
        problems.push(problem(header_row + 1, "", "mentoring-error-csv-empty"));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn from_error(e: &csv::Error, numbering: &mut Rows<'_>) -> RowProblem {
    let row = numbering.row(e.position());
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
    fn problems_stop_at_a_readable_number() {
        let mut file = String::from("name,email\n");
        for i in 0..5000 {
            file.push_str(&format!("Person {i},a@example.org,extra\n"));
        }
        let problems = rows(file.as_bytes(), &["name", "email"]).unwrap_err();
        assert_eq!(problems.len(), MAX_PROBLEMS);
        assert_eq!(problems[0].row, 2);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_does() {
        let rows = rows(
            b"Name,Gender\nAmal,woman\n\n\"Bilal\nHaddad\",man\nCarla,woman\n",
            &ALLOWED,
        )
        .unwrap();
        let numbers: Vec<u64> = rows.iter().map(|(n, _)| *n).collect();
        // Row 3 is the blank line; Bilal's two-line name stays in row 4.
        assert_eq!(numbers, [2, 4, 5]);
        assert_eq!(rows[1].1["name"], "Bilal\nHaddad");
        // Blank lines before the header, several in a row, Windows line ends, a cell of three
        // lines, and a row of empty cells: all rows as a spreadsheet shows them.
        let more = super::rows(
            b"\r\nname,gender\r\n\r\n\r\n\"A\r\nB\r\nC\",woman\r\n , \r\nD,man\r\n",
            &ALLOWED,
        )
        .unwrap();
        let numbers: Vec<u64> = more.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [5, 7]);
    }

    #[test]
    fn problems_name_the_row_a_spreadsheet_shows() {
        // Header row 1, blank row 2, a two-line cell in row 3, a short row 4 after it.
        let e = rows(b"name,gender\n\n\"A\nB\",woman\nC\n", &ALLOWED).unwrap_err();
        assert_eq!(e, vec![problem(4, "", "mentoring-error-csv-length")]);
        let e = rows(b"\n\nname,colour\nA,red\n", &ALLOWED).unwrap_err();
        assert_eq!(e, vec![problem(3, "colour", "mentoring-error-csv-column")]);
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
