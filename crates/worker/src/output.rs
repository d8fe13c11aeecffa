//! Output of a running job: byte chunks from the sandbox become ordered, UTF-8 events, stored for
//! late subscribers and announced on the bus.

use code_remote_core::{ArtifactInfo, Execution, JobEvent, JobId, JobStatus, Stream, TestResult};
use code_remote_store::Store;

use crate::Result;

/// Turns a byte stream into text without splitting a multi-byte character between two chunks.
#[derive(Default)]
pub(crate) struct Utf8Decoder {
    carry: Vec<u8>,
}

/// Longest prefix of an incomplete UTF-8 sequence.
const MAX_UTF8_TAIL: usize = 3;

impl Utf8Decoder {
    pub(crate) fn push(&mut self, bytes: &[u8]) -> String {
        self.carry.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&self.carry) {
            Ok(_) => 0,
            // An incomplete sequence at the very end: keep it for the next chunk.
            Err(err)
                if err.error_len().is_none()
                    && self.carry.len() - err.valid_up_to() <= MAX_UTF8_TAIL =>
            {
                self.carry.len() - err.valid_up_to()
            }
            Err(_) => 0,
        };
        let tail = self.carry.split_off(self.carry.len() - keep);
        let text = String::from_utf8_lossy(&self.carry).into_owned();
        self.carry = tail;
        text
    }

    pub(crate) fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.carry).into_owned();
        self.carry.clear();
        text
    }
}

/// Delivers one job's events; the store numbers them (one gap-free sequence per job, retries
/// and other publishers included).
pub(crate) struct Emitter {
    store: Store,
    job: JobId,
}

/// Placeholder `seq` of an event before the store numbers it.
const UNNUMBERED: u64 = 0;

impl Emitter {
    pub(crate) fn new(store: Store, job: JobId) -> Self {
        Self { store, job }
    }

    pub(crate) async fn status(&mut self, status: JobStatus) -> Result<()> {
        let event = JobEvent::Status {
            job_id: self.job,
            seq: UNNUMBERED,
            status,
        };
        self.emit(vec![event]).await
    }

    pub(crate) async fn output(&mut self, chunks: Vec<(Stream, String)>) -> Result<()> {
        let events = chunks
            .into_iter()
            .filter(|(_, data)| !data.is_empty())
            .map(|(stream, data)| JobEvent::Output {
                job_id: self.job,
                seq: UNNUMBERED,
                stream,
                data,
            })
            .collect();
        self.emit(events).await
    }

    /// One test case's result (executions with tests).
    pub(crate) async fn test(&mut self, index: usize, result: &TestResult) -> Result<()> {
        let event = JobEvent::Test {
            job_id: self.job,
            seq: UNNUMBERED,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            result: Box::new(result.clone()),
        };
        self.emit(vec![event]).await
    }

    /// One `artifact` event per stored file.
    pub(crate) async fn artifacts(&mut self, stored: Vec<ArtifactInfo>) -> Result<()> {
        let events = stored
            .into_iter()
            .map(|artifact| JobEvent::Artifact {
                job_id: self.job,
                seq: UNNUMBERED,
                artifact,
            })
            .collect();
        self.emit(events).await
    }

    /// The final event of a job finished elsewhere than in [`Store::complete_and_publish`]
    /// (the reaper's): a summary of `execution`.
    pub(crate) async fn finished(&mut self, execution: &Execution) -> Result<()> {
        self.emit(vec![JobEvent::finished(execution, UNNUMBERED)])
            .await
    }

    async fn emit(&mut self, events: Vec<JobEvent>) -> Result<()> {
        self.store.publish(self.job, events).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_across_chunks_is_decoded_whole() {
        let mut decoder = Utf8Decoder::default();
        let bytes = "héllo €".as_bytes();
        let (first, second) = bytes.split_at(2); // splits 'é'
        let mut text = decoder.push(first);
        text += &decoder.push(&bytes[2..bytes.len() - 1][..0]);
        text += &decoder.push(&second[..second.len() - 1]); // splits '€'
        text += &decoder.push(&second[second.len() - 1..]);
        text += &decoder.finish();
        assert_eq!(text, "héllo €");
    }

    #[test]
    fn invalid_bytes_are_replaced_not_held_back() {
        let mut decoder = Utf8Decoder::default();
        assert_eq!(decoder.push(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(decoder.finish(), "");
    }
}
