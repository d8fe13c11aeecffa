//! Time and space complexity analysis of Python programs.
//!
//! Three sources answer: a static analyzer over the Python syntax tree (offline, the default),
//! language-model providers (Gemini and OpenAI-compatible) when configured, and empirical
//! measurement through a caller-supplied [`Measure`] (the sandbox, in a worker), whose result
//! [`add_measurement`] merges. The crate depends on none of Code Remote's other crates and
//! never runs Python itself.

mod analyzer;
mod cost;
pub mod empirical;
mod error;
pub mod llm;
mod model;
mod static_analysis;

pub use analyzer::{Analyzer, AnalyzerConfig, add_measurement};
pub use cost::{Complexity, Cost, Family, Monomial};
pub use empirical::{Measure, MeasureOutput};
pub use error::{Error, Result};
pub use llm::{LlmConfig, ProviderKind};
pub use model::{Analysis, FunctionAnalysis, Hotspot, MeasuredPoint, Measurements, Mode, Source};
pub use static_analysis::{MAX_SOURCE_BYTES, analyze_static, analyze_static_with_rules};
