//! Executions with test cases: the program runs once per test case, each time in a fresh
//! sandbox under the job's limits, its output is compared with the expected output, and each
//! result is published as a `test` event as soon as it is known. The results are stored as the
//! job's result (JSON); the job's CPU time is the sum of its runs', so it counts against its
//! owner's quota (which reserved one time limit per test).
//!
//! Every test runs even after one fails (the user wants to see each); a cancel or a lost lease
//! stops the remaining ones.

use code_remote_core::{
    JobId, JobStatus, Outcome, TestResult, TestSuite, Verdict,
    judging::{TEST_OUTPUT_KEEP_BYTES, keep_prefix},
};
use code_remote_sandbox::{self as sandbox, Program};
use code_remote_store::{Claimed, Lease};

use crate::{Result, Worker, output::Emitter, verdict};

/// Why the remaining tests were not run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Cancelled,
    LeaseLost,
}

/// What the tests of one job added up to.
#[derive(Default)]
struct Tally {
    results: Vec<TestResult>,
    outcome: Outcome,
    /// The program status of the first run that did not exit 0, with its exit code and signal.
    first_failure: Option<(JobStatus, Option<i32>, Option<i32>)>,
}

impl Tally {
    fn add(&mut self, status: JobStatus, run: &sandbox::Outcome, result: TestResult) {
        let total = &mut self.outcome;
        total.wall_time_ms += result.time_ms;
        total.cpu_time_ms += result.cpu_time_ms;
        total.peak_memory_kib = total.peak_memory_kib.max(result.peak_memory_kib);
        if status != JobStatus::Succeeded && self.first_failure.is_none() {
            self.first_failure = Some((status, run.exit_code, run.signal));
        }
        self.results.push(result);
    }

    /// The job's status and outcome once the tests have run (or were stopped).
    fn finish(mut self, cases: usize, stop: Option<Stop>) -> (JobStatus, Outcome, Vec<TestResult>) {
        let passed = self
            .results
            .iter()
            .filter(|result| result.verdict == Verdict::Accepted)
            .count();
        let (status, exit_code, signal) = match (stop, self.first_failure) {
            (Some(_), _) => (JobStatus::Cancelled, None, None),
            (None, Some(failure)) => failure,
            (None, None) => (JobStatus::Succeeded, Some(0), None),
        };
        let ran = self.results.len();
        self.outcome.exit_code = exit_code;
        self.outcome.signal = signal;
        self.outcome.message = Some(match stop {
            Some(_) => format!("cancelled after {ran} of {cases} tests ({passed} passed)"),
            None => format!("{passed} of {cases} tests passed"),
        });
        (status, self.outcome, self.results)
    }
}

impl Worker {
    /// Runs a claimed execution's tests to the end: status, one `test` event per test, result.
    pub(crate) async fn judge(&self, claimed: Claimed, suite: TestSuite) -> Result<()> {
        let job = claimed.execution.id;
        let mut emitter = Emitter::new(self.store.clone(), job);
        emitter.status(JobStatus::Running).await?;
        let mut tally = Tally::default();
        let mut stop = None;
        for (index, case) in suite.cases.iter().enumerate() {
            // A cancel that came between two runs (no sandbox to stop) is seen here.
            if index > 0 {
                stop = match self
                    .store
                    .heartbeat(job, self.id(), self.config.lease)
                    .await?
                {
                    Lease::Lost => Some(Stop::LeaseLost),
                    Lease::Held { cancel_requested } => cancel_requested.then_some(Stop::Cancelled),
                };
                if stop.is_some() {
                    break;
                }
            }
            let program = Program {
                code: claimed.spec.code.clone().into_bytes(),
                stdin: case.stdin.clone().into_bytes(),
                interactive_stdin: false,
                limits: verdict::sandbox_limits(&claimed.spec.limits),
            };
            let (run, stopped) = self.run_test(job, program).await?;
            let status = verdict::job_status(run.status);
            if status == JobStatus::Cancelled {
                stop = Some(stopped.unwrap_or(Stop::Cancelled));
                break;
            }
            let stdout = String::from_utf8_lossy(&run.stdout);
            let stderr = String::from_utf8_lossy(&run.stderr);
            let verdict = Verdict::of_run(status, &case.expected_output, &stdout, suite.compare);
            let (stdout, stdout_cut) = keep_prefix(&stdout, TEST_OUTPUT_KEEP_BYTES);
            let (stderr, stderr_cut) = keep_prefix(&stderr, TEST_OUTPUT_KEEP_BYTES);
            let result = TestResult {
                name: suite.name_of(index),
                verdict,
                stdout,
                stderr,
                stdout_truncated: stdout_cut || run.stdout_truncated,
                stderr_truncated: stderr_cut || run.stderr_truncated,
                exit_code: run.exit_code,
                signal: run.signal,
                time_ms: run.wall_time.as_millis() as u64,
                cpu_time_ms: run.cpu_time.as_millis() as u64,
                peak_memory_kib: run.peak_memory_bytes / 1024,
            };
            emitter.test(index, &result).await?;
            tally.add(status, &run, result);
            if stopped.is_some() {
                stop = stopped;
                break;
            }
        }
        let lease_lost = stop == Some(Stop::LeaseLost);
        let (status, outcome, results) = tally.finish(suite.cases.len(), stop);
        let json = serde_json::to_string(&results).map_err(crate::Error::Encode)?;
        metrics::counter!("code_remote_runs_total", "status" => status.as_str()).increment(1);
        let stored = self
            .store
            .complete_and_publish(job, self.id(), status, &outcome, Some(&json))
            .await?;
        match stored {
            Some(_) => tracing::info!(%status, tests = results.len(), "judged"),
            None if lease_lost => {
                tracing::warn!("the job was taken over by another worker; results dropped")
            }
            None => tracing::warn!("the job was finished elsewhere; results dropped"),
        }
        Ok(())
    }

    /// One test's run in a fresh sandbox, with heartbeats; also says whether a cancel or a lost
    /// lease stopped it (or came while it ran).
    async fn run_test(
        &self,
        job: JobId,
        program: Program,
    ) -> Result<(sandbox::Outcome, Option<Stop>)> {
        let (controller, control_rx) = sandbox::controller();
        // Each test has its own controller: a cancel over the bus reaches the one running now.
        self.controls.insert(job, self.id(), controller.clone());
        let sandbox = self.sandbox.clone();
        let mut run = tokio::task::spawn_blocking(move || {
            let prepared = sandbox.prepare()?;
            prepared.run(program, Some(control_rx), &mut |_, _| {})
        });
        let mut heartbeat = tokio::time::interval(self.config.heartbeat);
        heartbeat.tick().await;
        let mut stop = None;
        loop {
            tokio::select! {
                done = &mut run => return Ok((done??, stop)),
                _ = heartbeat.tick() => {
                    stop = match self.beat(job, &controller).await? {
                        Lease::Lost => Some(Stop::LeaseLost),
                        Lease::Held { cancel_requested: true } => stop.or(Some(Stop::Cancelled)),
                        Lease::Held { cancel_requested: false } => stop,
                    };
                }
            }
        }
    }
}
