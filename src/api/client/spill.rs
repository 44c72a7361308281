//! A body on its way to the temporary file: chunks gathered (not copied) into batches of a few MiB, each written
//! with one vectored write on a blocking thread while the next batch arrives.

use std::fs::File;
use std::io::{self, IoSlice, Write as _};

use bytes::Bytes;
use tokio::task::JoinHandle;

/// Bytes gathered before a write: large enough that writes cost little next to the bytes, small enough to hold.
const BATCH: usize = 4 << 20;

pub(super) struct Spill {
    /// The file, when no write is under way.
    file: Option<File>,
    /// The write under way; it hands the file back.
    writing: Option<JoinHandle<io::Result<File>>>,
    batch: Vec<Bytes>,
    batched: usize,
}

impl Spill {
    /// An unlinked temporary file (0600).
    pub(super) fn new() -> io::Result<Spill> {
        Ok(Spill { file: Some(tempfile::tempfile()?), writing: None, batch: Vec::new(), batched: 0 })
    }

    /// Adds `chunk` to the batch, and sends the batch to be written once it is large enough.
    pub(super) async fn push(&mut self, chunk: Bytes) -> io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        self.batched += chunk.len();
        self.batch.push(chunk);
        if self.batched >= BATCH {
            self.write_batch().await?;
        }
        Ok(())
    }

    /// Writes what is left and hands the file over.
    pub(super) async fn finish(mut self) -> io::Result<File> {
        self.write_batch().await?;
        self.file_back().await
    }

    /// Waits for the write under way (if any), then starts writing the batch.
    async fn write_batch(&mut self) -> io::Result<()> {
        let mut file = self.file_back().await?;
        let batch = std::mem::take(&mut self.batch);
        self.batched = 0;
        self.writing = Some(tokio::task::spawn_blocking(move || {
            write_all(&mut file, &batch)?;
            Ok(file)
        }));
        Ok(())
    }

    async fn file_back(&mut self) -> io::Result<File> {
        if let Some(writing) = self.writing.take() {
            return writing.await.map_err(io::Error::other)?;
        }
        self.file.take().ok_or_else(|| io::Error::other("the temporary file was lost after a failed write"))
    }
}

/// Writes every chunk, in order, with as few system calls as the kernel allows.
fn write_all(file: &mut File, chunks: &[Bytes]) -> io::Result<()> {
    let mut slices: Vec<IoSlice> = chunks.iter().map(|chunk| IoSlice::new(chunk)).collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        match file.write_vectored(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Seek as _};

    use super::*;

    #[tokio::test]
    async fn chunks_reach_the_file_whole_and_in_order() {
        let mut spill = Spill::new().unwrap();
        let mut expected = Vec::new();
        for i in 0..3000u32 {
            let chunk = Bytes::from(vec![(i % 251) as u8; 1 + (i as usize * 37) % 9000]);
            expected.extend_from_slice(&chunk);
            spill.push(chunk).await.unwrap();
        }
        let mut file = spill.finish().await.unwrap();
        file.rewind().unwrap();
        let mut written = Vec::new();
        file.read_to_end(&mut written).unwrap();
        assert!(written.len() > 3 * BATCH, "several batches: {}", written.len());
        assert!(written == expected, "the file holds the chunks in order");
    }
}
