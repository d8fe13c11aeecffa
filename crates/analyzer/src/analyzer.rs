//! The front door: combines the static analyzer, a configured model and measurement
//! according to the requested [`Mode`]. Failures of the optional sources never fail the
//! request: the static answer stands, with a note saying what happened.
//!
//! Measurement runs Python, so it is not done here: the caller runs [`crate::empirical::measure`]
//! where its sandboxes, queue and quotas are (Code Remote's workers, as a queued job) and hands
//! the result to [`add_measurement`].

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::cost::Cost;
use crate::error::{Error, Result};
use crate::llm::{LlmClient, LlmConfig};
use crate::model::{Analysis, Measurements, Mode, Source};
use crate::static_analysis::analyze_static;

/// Everything the analyzer can be configured with.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerConfig {
    /// The model to ask in `llm` and `auto` modes; `None` answers statically.
    pub llm: Option<LlmConfig>,
}

pub struct Analyzer {
    llm: Option<LlmClient>,
    /// Static analyses running at once: one per CPU, the rest wait their turn, so a burst of
    /// costly programs cannot take every core (each may use its whole time budget).
    static_slots: Arc<Semaphore>,
}

impl Analyzer {
    pub fn new(config: AnalyzerConfig) -> Result<Analyzer> {
        let llm = config.llm.as_ref().map(LlmClient::new).transpose()?;
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        Ok(Analyzer {
            llm,
            static_slots: Arc::new(Semaphore::new(cpus)),
        })
    }

    /// Whether a model is configured.
    pub fn has_model(&self) -> bool {
        self.llm.is_some()
    }

    /// Analyses `code`. Errors only for bad code (syntax, size, depth); model failures fall
    /// back to the static answer with a note. In `empirical` mode this is the static answer,
    /// which [`add_measurement`] then checks against the measured one.
    pub async fn analyze(&self, code: &str, mode: Mode) -> Result<Analysis> {
        let owned = code.to_owned();
        let slot = self
            .static_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Aborted)?;
        // Static analysis is CPU-bound (a budget of up to seconds): keep it off the async
        // workers, which also run lease heartbeats and every other request. The slot is held
        // until the analysis ends, even if the caller stops waiting.
        let mut analysis = tokio::task::spawn_blocking(move || {
            let analysis = analyze_static(&owned);
            drop(slot);
            analysis
        })
        .await
        .map_err(|_| Error::Aborted)??;
        match mode {
            Mode::Static | Mode::Empirical => {}
            Mode::Llm | Mode::Auto => self.add_model(&mut analysis, code, mode).await,
        }
        Ok(analysis)
    }

    async fn add_model(&self, analysis: &mut Analysis, code: &str, mode: Mode) {
        let Some(client) = &self.llm else {
            if mode == Mode::Llm {
                analysis.notes.push(
                    "no model is configured; this is the static analyzer's answer".to_owned(),
                );
            }
            return;
        };
        match client.ask(code).await {
            Ok(answer) => {
                let model_time = answer.time.to_string();
                let model_space = answer.space.to_string();
                let static_time = analysis.time_complexity.clone();
                if Cost::parse_class(&static_time) != Some(answer.time) {
                    analysis.disagreement = Some(format!(
                        "the static analyzer says {static_time}, the model says {model_time}"
                    ));
                }
                if mode == Mode::Llm {
                    analysis.notes.push(format!(
                        "static analysis said time {static_time}, space {}",
                        analysis.space_complexity
                    ));
                    analysis.time_complexity = model_time;
                    analysis.space_complexity = model_space;
                    // The model's classes are in one size `n`, not the static analyzer's.
                    analysis.variables.clear();
                    analysis.explanation = answer.explanation;
                    analysis.source = Source::Llm;
                } else {
                    analysis.notes.push(format!(
                        "the model says time {model_time}, space {model_space}: {}",
                        answer.explanation
                    ));
                    analysis.source = Source::Combined;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "model analysis failed; using the static answer");
                analysis.notes.push(format!(
                    "the model gave no answer ({e}); this is the static answer"
                ));
            }
        }
    }
}

/// Adds the outcome of measuring the program (see [`crate::empirical::measure`]) to its
/// static `analysis`: the measured class, the points for a chart, and a disagreement when the
/// two differ. `Err` holds why no verdict came out; the static answer then stands, with a note.
pub fn add_measurement(
    analysis: &mut Analysis,
    measured: std::result::Result<Measurements, String>,
) {
    match measured {
        Ok(m) => {
            if Cost::parse_class(&m.verdict) != Cost::parse_class(&analysis.time_complexity) {
                analysis.disagreement = Some(format!(
                    "the static analyzer says {}, measurement of `{}` fits {}",
                    analysis.time_complexity, m.function, m.verdict
                ));
            }
            analysis.notes.push(format!(
                "measured `{}` at {} sizes: best fit {} (confidence {:.2})",
                m.function,
                m.points.len(),
                m.verdict,
                m.confidence
            ));
            analysis.source = Source::Combined;
            analysis.measurements = Some(m);
        }
        Err(e) => analysis.notes.push(format!(
            "measurement gave no verdict ({e}); this is the static answer"
        )),
    }
}
