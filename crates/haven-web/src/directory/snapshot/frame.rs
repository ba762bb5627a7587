//! The snapshot file's frame: a header naming the format and key, then a table of the four
//! sections (length and CRC-32 each), then the sections' bytes. Each section is checked on its
//! own, so start-up can read and check the small ones and leave the records for later.
//!
//! Layout (integers little-endian):
//! `MAGIC` (8) | format (u32) | key length (u32) | key | per section: length (u64), CRC-32
//! (u32) | record row count (u64) | sections' bytes, in order.

use std::io::{Read, Write};

use super::SnapshotError;

const MAGIC: &[u8; 8] = b"HAVENDS\0";
/// Bumped whenever the layout or the meaning of anything stored changes (the frame, the cards'
/// or the index's fields, the redaction rules, the HSDS model's JSON form), so an older file is
/// rebuilt rather than misread. 1: records only; 2: cards, service cards and index before the
/// records.
pub(crate) const FORMAT: u32 = 2;
/// A key is a database id, a version and a Haven version: far below this.
const MAX_KEY: u32 = 4096;

/// The sections, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// Organisation cards, the service cards' ids and positions, the index's names
    /// (`stored_cards`).
    Cards = 0,
    /// The service cards, encoded one after another (`ServiceCards`).
    ServiceCards = 1,
    /// The search index (postcard).
    Index = 2,
    /// The public dataset, record by record (`rows`).
    Records = 3,
}

const SECTIONS: usize = 4;

/// Where a section is and what its bytes must hash to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Extent {
    pub offset: u64,
    pub len: u64,
    pub crc: u32,
}

impl Extent {
    /// `bytes` (this section's) are whole and undamaged.
    pub(crate) fn check(&self, bytes: &[u8]) -> Result<(), SnapshotError> {
        if bytes.len() as u64 != self.len {
            return Err(SnapshotError::Invalid("section length differs"));
        }
        if crc32fast::hash(bytes) != self.crc {
            return Err(SnapshotError::Invalid("checksum differs"));
        }
        Ok(())
    }
}

/// A read header: where each section is, and how many record rows the last one holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub sections: [Extent; SECTIONS],
    pub rows: u64,
}

impl Header {
    pub(crate) fn extent(&self, section: Section) -> Extent {
        self.sections[section as usize]
    }

    /// Reads and checks the header of a file of `file_len` bytes saved under `key`: the
    /// sections must exactly fill the rest of the file.
    pub(crate) fn read(
        input: &mut impl Read,
        file_len: u64,
        key: &str,
    ) -> Result<Self, SnapshotError> {
        let magic: [u8; 8] = array(input)?;
        if &magic != MAGIC {
            return Err(SnapshotError::Invalid("not a directory snapshot"));
        }
        if u32::from_le_bytes(array(input)?) != FORMAT {
            return Err(SnapshotError::Invalid("another snapshot format"));
        }
        let key_len = u32::from_le_bytes(array(input)?);
        if key_len > MAX_KEY {
            return Err(SnapshotError::Invalid("key too long"));
        }
        let mut stored_key = vec![0; key_len as usize];
        read_exact(input, &mut stored_key)?;
        if stored_key != key.as_bytes() {
            return Err(SnapshotError::Stale);
        }
        let mut lens = [(0u64, 0u32); SECTIONS];
        for (len, crc) in &mut lens {
            *len = u64::from_le_bytes(array(input)?);
            *crc = u32::from_le_bytes(array(input)?);
        }
        let rows = u64::from_le_bytes(array(input)?);
        let mut offset = header_len(key.len());
        let mut sections = [Extent::default(); SECTIONS];
        for (extent, (len, crc)) in sections.iter_mut().zip(lens) {
            *extent = Extent { offset, len, crc };
            offset = offset
                .checked_add(len)
                .ok_or(SnapshotError::Invalid("section length out of range"))?;
        }
        if offset != file_len {
            return Err(SnapshotError::Invalid("file length differs"));
        }
        Ok(Self { sections, rows })
    }

    /// Writes the header, with the section table as given (zeros before the sections are
    /// written; see [`Header::table`]).
    pub(crate) fn write(
        out: &mut impl Write,
        key: &str,
        table: &[u8],
    ) -> Result<(), SnapshotError> {
        let key_len = u32::try_from(key.len())
            .ok()
            .filter(|&n| n <= MAX_KEY)
            .ok_or(SnapshotError::Invalid("key too long"))?;
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        out.write_all(&key_len.to_le_bytes())?;
        out.write_all(key.as_bytes())?;
        out.write_all(table)?;
        Ok(())
    }

    /// Where the section table starts, for filling it in once the sections are written.
    pub(crate) fn table_offset(key: &str) -> u64 {
        (MAGIC.len() + 4 + 4 + key.len()) as u64
    }

    /// The section table's bytes.
    pub(crate) fn table(sections: &[(u64, u32); SECTIONS], rows: u64) -> Vec<u8> {
        let mut table = Vec::with_capacity(TABLE_LEN);
        for (len, crc) in sections {
            table.extend_from_slice(&len.to_le_bytes());
            table.extend_from_slice(&crc.to_le_bytes());
        }
        table.extend_from_slice(&rows.to_le_bytes());
        table
    }
}

/// Bytes of the section table.
pub(crate) const TABLE_LEN: usize = SECTIONS * (8 + 4) + 8;

fn header_len(key_len: usize) -> u64 {
    (MAGIC.len() + 4 + 4 + key_len + TABLE_LEN) as u64
}

fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<(), SnapshotError> {
    input.read_exact(buf).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            SnapshotError::Invalid("truncated")
        } else {
            SnapshotError::Io(e)
        }
    })
}

fn array<const N: usize>(input: &mut impl Read) -> Result<[u8; N], SnapshotError> {
    let mut buf = [0; N];
    read_exact(input, &mut buf)?;
    Ok(buf)
}

/// A section being written: counted and checksummed on the way, so a million-service
/// directory is streamed to disk rather than held a second time in memory. Put a buffer in
/// front of it when writing small pieces (the checksum is cheapest over large ones).
pub(crate) struct SectionWriter<W: Write> {
    pub out: W,
    pub len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> SectionWriter<W> {
    pub(crate) fn new(out: W) -> Self {
        Self {
            out,
            len: 0,
            crc: crc32fast::Hasher::new(),
        }
    }

    /// The section's length and checksum, and the writer back.
    pub(crate) fn finish(self) -> ((u64, u32), W) {
        ((self.len, self.crc.finalize()), self.out)
    }
}

impl<W: Write> Write for SectionWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        let written = bytes.get(..n).unwrap_or(bytes);
        self.crc.update(written);
        self.len += written.len() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A cursor over a section's bytes that refuses to read past the end.
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if n > self.bytes.len() {
            return Err(SnapshotError::Invalid("truncated"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        self.take(N)?
            .try_into()
            .map_err(|_| SnapshotError::Invalid("truncated"))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}
