//! Handing a run's artifacts back: describe each file (media type, size, SHA-256), store them
//! under the job's lease, and announce each with an `artifact` event before `finished`.

use code_remote_core::{ArtifactInfo, JobId, media_type_for};
use code_remote_sandbox as sandbox;
use code_remote_store::NewArtifact;
use sha2::{Digest, Sha256};

use crate::{Result, output::Emitter, step::Worker};

/// What the execution object lists about a collected file.
pub fn describe(file: sandbox::Artifact) -> NewArtifact {
    let sha256 = Sha256::digest(&file.data)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    NewArtifact {
        info: ArtifactInfo {
            media_type: media_type_for(&file.name).to_string(),
            size_bytes: file.data.len() as u64,
            sha256,
            name: file.name,
        },
        data: file.data,
    }
}

impl Worker {
    /// Stores what the run handed back and announces each file. Nothing is stored (and
    /// nothing announced) when this worker no longer holds the job.
    pub(crate) async fn hand_back(
        &self,
        job: JobId,
        emitter: &mut Emitter,
        collected: sandbox::Artifacts,
    ) -> Result<()> {
        if collected.files.is_empty() && collected.skipped.is_empty() {
            return Ok(());
        }
        let files: Vec<NewArtifact> = collected.files.into_iter().map(describe).collect();
        let stored = self
            .store
            .save_artifacts(job, self.id(), &files, &collected.skipped)
            .await?;
        if stored {
            let infos: Vec<ArtifactInfo> = files.into_iter().map(|f| f.info).collect();
            metrics::counter!("code_remote_artifacts_stored_total").increment(infos.len() as u64);
            emitter.artifacts(infos).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_described_by_its_type_size_and_hash() {
        let described = describe(sandbox::Artifact {
            name: "data.csv".into(),
            data: b"abc".to_vec(),
        });
        assert_eq!(described.info.media_type, "text/csv");
        assert_eq!(described.info.size_bytes, 3);
        assert_eq!(
            described.info.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
