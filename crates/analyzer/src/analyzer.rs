//! The front door: combines the static analyzer, a configured model and measurement
//! according to the requested [`Mode`]. Failures of the optional sources never fail the
//! request: the static answer stands, with a note saying what happened.

use crate::cost::Cost;
use crate::empirical::{self, Measure};
use crate::error::Result;
use crate::llm::{LlmClient, LlmConfig};
use crate::model::{Analysis, Mode, Source};
use crate::static_analysis::analyze_static;

/// Everything the analyzer can be configured with.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerConfig {
    /// The model to ask in `llm` and `auto` modes; `None` answers statically.
    pub llm: Option<LlmConfig>,
}

pub struct Analyzer {
    llm: Option<LlmClient>,
}

impl Analyzer {
    pub fn new(config: AnalyzerConfig) -> Result<Analyzer> {
        let llm = config.llm.as_ref().map(LlmClient::new).transpose()?;
        Ok(Analyzer { llm })
    }

    /// Whether a model is configured.
    pub fn has_model(&self) -> bool {
        self.llm.is_some()
    }

    /// Analyses `code`. Errors only for bad code (syntax, size, depth); model and measurement
    /// failures fall back to the static answer with a note.
    pub async fn analyze(
        &self,
        code: &str,
        mode: Mode,
        measure: Option<&dyn Measure>,
    ) -> Result<Analysis> {
        let mut analysis = analyze_static(code)?;
        match mode {
            Mode::Static => {}
            Mode::Llm | Mode::Auto => self.add_model(&mut analysis, code, mode).await,
            Mode::Empirical => add_measurement(&mut analysis, code, measure),
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

fn add_measurement(analysis: &mut Analysis, code: &str, measure: Option<&dyn Measure>) {
    let Some(runner) = measure else {
        analysis
            .notes
            .push("measurement is not available here; this is the static answer".to_owned());
        return;
    };
    // Measurement blocks for seconds: on a multi-threaded runtime (the server's) the worker
    // thread hands its other tasks away first; a current-thread runtime simply waits.
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    let result = if multi_thread {
        tokio::task::block_in_place(|| empirical::measure(code, runner))
    } else {
        empirical::measure(code, runner)
    };
    match result {
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
