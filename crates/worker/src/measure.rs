//! Runs the analyzer's timing harness in the real sandbox (empirical complexity measurement).

use std::{sync::Arc, time::Duration};

use code_remote_analyzer::{Measure, MeasureOutput};
use code_remote_sandbox::{Program, Sandbox, Status};

use crate::verdict::sandbox_limits;

/// The analyzer's `Measure`, backed by the sandbox with the default limits but the given time.
pub struct SandboxMeasure {
    sandbox: Arc<Sandbox>,
    limits: code_remote_core::Limits,
}

impl SandboxMeasure {
    pub fn new(sandbox: Arc<Sandbox>, limits: code_remote_core::Limits) -> Self {
        Self { sandbox, limits }
    }
}

impl Measure for SandboxMeasure {
    fn run_python(&self, code: &str, time_limit: Duration) -> Result<MeasureOutput, String> {
        let mut limits = sandbox_limits(&self.limits);
        limits.wall_time = time_limit.min(limits.wall_time);
        let prepared = self.sandbox.prepare().map_err(|err| err.to_string())?;
        let program = Program {
            code: code.as_bytes().to_vec(),
            stdin: Vec::new(),
            interactive_stdin: false,
            limits,
        };
        let outcome = prepared
            .run(program, None, &mut |_, _| {})
            .map_err(|err| err.to_string())?;
        Ok(MeasureOutput {
            stdout: String::from_utf8_lossy(&outcome.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&outcome.stderr).into_owned(),
            succeeded: outcome.status == Status::Succeeded,
        })
    }
}
