//! Options of signed callbacks (`callback_url`): where they may go and how they are retried.

use std::time::Duration;

use code_remote_api::CallbackConfig;

#[derive(Debug, Clone, clap::Args)]
pub struct CallbackArgs {
    /// Let callbacks reach private, loopback, link-local, unique-local, CGNAT and other internal
    /// addresses (off: only public addresses are called; see docs/security.md).
    #[arg(long, env = "CODE_REMOTE_CALLBACK_ALLOW_PRIVATE")]
    pub callback_allow_private: bool,
    /// Attempts of one callback delivery before it is given up.
    #[arg(long, env = "CODE_REMOTE_CALLBACK_MAX_ATTEMPTS", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub callback_max_attempts: u32,
    /// Milliseconds before the second attempt; each later wait doubles (at most an hour).
    #[arg(long, env = "CODE_REMOTE_CALLBACK_RETRY_BASE_MS", default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(10..))]
    pub callback_retry_base_ms: u64,
}

impl CallbackArgs {
    pub fn to_config(&self) -> CallbackConfig {
        CallbackConfig {
            allow_private: self.callback_allow_private,
            max_attempts: self.callback_max_attempts,
            retry_base: Duration::from_millis(self.callback_retry_base_ms),
            ..CallbackConfig::default()
        }
    }
}
