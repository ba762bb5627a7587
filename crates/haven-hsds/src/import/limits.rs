//! A reader that refuses to deliver more than a file or row limit, so a hostile or broken
//! file cannot exhaust memory (the csv crate grows its buffer to fit any row).

use std::cell::Cell;
use std::io::{self, Read};

/// The error a [`Guarded`] reader returns when a limit is crossed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct LimitExceeded(pub String);

/// The csv crate reads ahead by at most its buffer; allow that much beyond a row's limit.
const READ_AHEAD: u64 = 64 * 1024;

#[derive(Debug)]
pub(crate) struct Guarded<R> {
    inner: R,
    delivered: u64,
    max_total: u64,
    max_row: u64,
    /// Byte offset where the current row starts, set by the CSV loop after each row.
    pub row_start: Cell<u64>,
}

impl<R: Read> Guarded<R> {
    pub fn new(inner: R, max_total: u64, max_row: u64) -> Self {
        Guarded {
            inner,
            delivered: 0,
            max_total,
            max_row,
            row_start: Cell::new(0),
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.delivered = self.delivered.saturating_add(n as u64);
        if self.delivered > self.max_total {
            return Err(io::Error::other(LimitExceeded(format!(
                "the file is larger than the limit of {} bytes",
                self.max_total
            ))));
        }
        let row_bytes = self.delivered.saturating_sub(self.row_start.get());
        if row_bytes > self.max_row.saturating_add(READ_AHEAD) {
            return Err(io::Error::other(LimitExceeded(format!(
                "a row is larger than the limit of {} bytes",
                self.max_row
            ))));
        }
        Ok(n)
    }
}

/// The limit message inside `error`, if a limit caused it.
pub(crate) fn limit_message(error: &io::Error) -> Option<String> {
    error
        .get_ref()
        .and_then(|e| e.downcast_ref::<LimitExceeded>())
        .map(|e| e.0.clone())
}
