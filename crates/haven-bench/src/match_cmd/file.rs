//! The instance file shared by Haven and the Python reference script.
//!
//! Little-endian binary, readable with a few `numpy.frombuffer` calls:
//! `b"HAVNMTC1"`, then `u64` mentees, `u64` mentors, `u64` edges, then `u32` capacity per mentor,
//! `u64` row offset per mentee plus one, `u32` mentor per edge, `i64` score per edge.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, bail, ensure};

use super::generate::Instance;

const MAGIC: &[u8; 8] = b"HAVNMTC1";

/// Writes `instance` to `path`.
pub fn write(path: &Path, instance: &Instance) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    out.write_all(MAGIC)?;
    for count in [
        instance.num_left,
        instance.capacities.len(),
        instance.cols.len(),
    ] {
        out.write_all(&(count as u64).to_le_bytes())?;
    }
    for &c in &instance.capacities {
        out.write_all(&c.to_le_bytes())?;
    }
    for &r in &instance.row_start {
        out.write_all(&(r as u64).to_le_bytes())?;
    }
    for &c in &instance.cols {
        out.write_all(&c.to_le_bytes())?;
    }
    for &w in &instance.weights {
        out.write_all(&w.to_le_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// Reads an instance written by [`write`], checking sizes (contents are checked by the solver).
pub fn read(path: &Path) -> anyhow::Result<Instance> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut reader = Reader {
        bytes: &bytes,
        at: 0,
    };
    if reader.take(8)? != MAGIC {
        bail!("{} is not a Haven matching instance", path.display());
    }
    let num_left = reader.u64()? as usize;
    let num_right = reader.u64()? as usize;
    let num_edges = reader.u64()? as usize;
    let expected = 32 + 4 * num_right + 8 * (num_left + 1) + 12 * num_edges;
    ensure!(
        bytes.len() == expected,
        "{}: {} bytes, expected {expected}",
        path.display(),
        bytes.len()
    );
    let capacities = (0..num_right)
        .map(|_| reader.u32())
        .collect::<Result<_, _>>()?;
    let row_start = (0..=num_left)
        .map(|_| Ok(reader.u64()? as usize))
        .collect::<anyhow::Result<_>>()?;
    let cols = (0..num_edges)
        .map(|_| reader.u32())
        .collect::<Result<_, _>>()?;
    let weights = (0..num_edges)
        .map(|_| Ok(reader.u64()? as i64))
        .collect::<anyhow::Result<_>>()?;
    Ok(Instance {
        num_left,
        capacities,
        row_start,
        cols,
        weights,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> anyhow::Result<&[u8]> {
        let slice = self
            .bytes
            .get(self.at..self.at + n)
            .context("instance file is truncated")?;
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self) -> anyhow::Result<u32> {
        let mut buf = [0u8; 4];
        buf.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(buf))
    }

    fn u64(&mut self) -> anyhow::Result<u64> {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(buf))
    }
}
