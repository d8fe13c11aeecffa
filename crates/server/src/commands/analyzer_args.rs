//! The model options of the analyzer (flattened into `serve`). Without a provider the analyzer
//! answers with static analysis alone.

use std::time::Duration;

use code_remote_analyzer::{AnalyzerConfig, LlmConfig, ProviderKind};
use secrecy::SecretString;

/// Which model API to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProviderArg {
    /// Google Gemini (`generateContent`); needs an API key.
    Gemini,
    /// Any OpenAI-compatible `/v1/chat/completions` server (OpenAI, Ollama, llama.cpp, vLLM).
    Openai,
}

#[derive(Clone, clap::Args)]
pub struct AnalyzerArgs {
    /// Model provider for complexity analysis [default: none, static analysis only].
    #[arg(long = "llm-provider", env = "CODE_REMOTE_LLM_PROVIDER", value_enum)]
    pub llm_provider: Option<ProviderArg>,
    /// Base URL of the model API [default: Gemini's public endpoint for gemini,
    /// http://127.0.0.1:11434 (Ollama) for openai].
    #[arg(long = "llm-base-url", env = "CODE_REMOTE_LLM_BASE_URL")]
    pub llm_base_url: Option<String>,
    /// Model name [default: gemini-2.5-flash for gemini; required for openai].
    #[arg(long = "llm-model", env = "CODE_REMOTE_LLM_MODEL")]
    pub llm_model: Option<String>,
    /// API key (Gemini's key, or a bearer token for OpenAI-compatible servers). Prefer the
    /// environment variable; the value is never printed.
    #[arg(
        long = "llm-api-key",
        env = "CODE_REMOTE_LLM_API_KEY",
        hide_env_values = true
    )]
    pub llm_api_key: Option<SecretString>,
    /// Seconds to wait for one model request.
    #[arg(
        long = "llm-timeout",
        env = "CODE_REMOTE_LLM_TIMEOUT",
        default_value_t = 30
    )]
    pub llm_timeout: u64,
    /// Retries after a 429, a 5xx or a transport error.
    #[arg(
        long = "llm-max-retries",
        env = "CODE_REMOTE_LLM_MAX_RETRIES",
        default_value_t = 2
    )]
    pub llm_max_retries: u32,
}

const GEMINI_BASE_URL: &str = "https://generativelanguage.googleapis.com";
const GEMINI_MODEL: &str = "gemini-2.5-flash";
const OLLAMA_BASE_URL: &str = "http://127.0.0.1:11434";

impl std::fmt::Debug for AnalyzerArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalyzerArgs")
            .field("llm_provider", &self.llm_provider)
            .field("llm_base_url", &self.llm_base_url)
            .field("llm_model", &self.llm_model)
            .field(
                "llm_api_key",
                &self.llm_api_key.as_ref().map(|_| "[redacted]"),
            )
            .field("llm_timeout", &self.llm_timeout)
            .field("llm_max_retries", &self.llm_max_retries)
            .finish()
    }
}

impl AnalyzerArgs {
    pub fn to_config(&self) -> anyhow::Result<AnalyzerConfig> {
        let Some(provider) = self.llm_provider else {
            if self.llm_model.is_some() || self.llm_base_url.is_some() {
                anyhow::bail!(
                    "--llm-model and --llm-base-url need --llm-provider (gemini or openai)"
                );
            }
            return Ok(AnalyzerConfig::default());
        };
        let (kind, base_url, model) = match provider {
            ProviderArg::Gemini => {
                if self.llm_api_key.is_none() {
                    anyhow::bail!("the gemini provider needs an API key (CODE_REMOTE_LLM_API_KEY)");
                }
                (
                    ProviderKind::Gemini,
                    self.llm_base_url
                        .clone()
                        .unwrap_or_else(|| GEMINI_BASE_URL.to_owned()),
                    self.llm_model
                        .clone()
                        .unwrap_or_else(|| GEMINI_MODEL.to_owned()),
                )
            }
            ProviderArg::Openai => (
                ProviderKind::OpenAi,
                self.llm_base_url
                    .clone()
                    .unwrap_or_else(|| OLLAMA_BASE_URL.to_owned()),
                self.llm_model.clone().ok_or_else(|| {
                    anyhow::anyhow!("the openai provider needs a model name (--llm-model)")
                })?,
            ),
        };
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            anyhow::bail!("--llm-base-url must start with http:// or https://, got {base_url:?}");
        }
        Ok(AnalyzerConfig {
            llm: Some(LlmConfig {
                provider: kind,
                base_url,
                model,
                api_key: self.llm_api_key.clone(),
                timeout: Duration::from_secs(self.llm_timeout.max(1)),
                max_retries: self.llm_max_retries,
                backoff_base: LlmConfig::DEFAULT_BACKOFF,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: AnalyzerArgs,
    }

    fn parse(argv: &[&str]) -> AnalyzerArgs {
        Cli::try_parse_from(std::iter::once("t").chain(argv.iter().copied()))
            .expect("valid arguments")
            .args
    }

    #[test]
    fn no_provider_means_static_analysis_only() {
        assert!(parse(&[]).to_config().unwrap().llm.is_none());
    }

    #[test]
    fn gemini_gets_its_default_endpoint_and_model() {
        let config = parse(&["--llm-provider", "gemini", "--llm-api-key", "k"])
            .to_config()
            .unwrap();
        let llm = config.llm.unwrap();
        assert_eq!(llm.base_url, GEMINI_BASE_URL);
        assert_eq!(llm.model, GEMINI_MODEL);
    }

    #[test]
    fn gemini_without_a_key_is_refused() {
        assert!(parse(&["--llm-provider", "gemini"]).to_config().is_err());
    }

    #[test]
    fn openai_needs_a_model_name() {
        assert!(parse(&["--llm-provider", "openai"]).to_config().is_err());
        let ok = parse(&["--llm-provider", "openai", "--llm-model", "qwen"])
            .to_config()
            .unwrap();
        assert_eq!(ok.llm.unwrap().base_url, OLLAMA_BASE_URL);
    }

    #[test]
    fn the_api_key_is_redacted_in_debug_output() {
        let args = parse(&["--llm-provider", "gemini", "--llm-api-key", "very-secret"]);
        assert!(!format!("{args:?}").contains("very-secret"));
    }
}
