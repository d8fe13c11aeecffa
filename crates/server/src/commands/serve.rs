//! `code-remote serve`: the API, the web app and (by default) in-process workers.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use anyhow::Context;
use code_remote_analyzer::Analyzer;
use code_remote_api::{
    ApiConfig, AppParts, AppState, RateLimits, RegistrationMode, TrustedProxies,
};
use code_remote_auth::{OidcProvider, TokenIssuer, TokenSettings, load_or_create_signing_key};
use code_remote_core::Limits;
use code_remote_sandbox::Sandbox;
use code_remote_store::QueueCaps;
use ipnet::IpNet;

use crate::http::ConnectionLimits;

use super::{
    analyzer_args::AnalyzerArgs,
    callback_args::CallbackArgs,
    node::{LimitArgs, LogArgs, PoolArgs, StoreArgs, shutdown_signal, start_pool},
    sandbox_args::SandboxArgs,
};

#[derive(Debug, clap::Args)]
#[command(args_override_self = true)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:8080 to accept other machines; port 0 picks a free one).
    #[arg(long, env = "CODE_REMOTE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// TOML file with any of these options (keys as the long flags, `_` or `-`).
    #[arg(long, env = "CODE_REMOTE_CONFIG")]
    pub config: Option<PathBuf>,
    /// File with the token signing key; created in the data directory when not given. Give every
    /// API node the same file.
    #[arg(long, env = "CODE_REMOTE_JWT_KEY_FILE")]
    pub jwt_key_file: Option<PathBuf>,
    /// Whether anyone may create an account (`false`: admins create accounts). Superseded by
    /// `--registration`, which wins when given.
    #[arg(long, env = "CODE_REMOTE_REGISTRATION_OPEN", default_value_t = true, action = clap::ArgAction::Set)]
    pub registration_open: bool,
    /// Who may register: `open` (anyone; the first account becomes the admin), `invite` (with a
    /// code from `code-remote user invite` or an admin) or `closed`.
    #[arg(long, env = "CODE_REMOTE_REGISTRATION")]
    pub registration: Option<RegistrationMode>,
    /// Accounts one IP address (IPv6: one /64) may register per hour (0: no limit).
    #[arg(
        long,
        env = "CODE_REMOTE_REGISTRATIONS_PER_HOUR_PER_IP",
        default_value_t = 5
    )]
    pub registrations_per_hour_per_ip: u32,
    /// Jobs waiting in the queue, all users together, before new ones are refused (503).
    #[arg(long, env = "CODE_REMOTE_MAX_QUEUED", default_value_t = 10_000)]
    pub max_queued: u64,
    /// Jobs one user may have waiting before new ones are refused (429).
    #[arg(long, env = "CODE_REMOTE_MAX_QUEUED_PER_USER", default_value_t = 100)]
    pub max_queued_per_user: u64,
    /// Trust bearer tokens of an OpenID Connect issuer: `ISSUER_URL=CLIENT_ID` (repeatable,
    /// or comma-separated in the environment).
    #[arg(long = "oidc-provider", env = "CODE_REMOTE_OIDC_PROVIDER", value_delimiter = ',', value_parser = parse_oidc_provider)]
    pub oidc_providers: Vec<OidcProvider>,
    /// Origins allowed to call the API from other sites' pages (CORS); none by default.
    #[arg(
        long = "cors-origin",
        env = "CODE_REMOTE_CORS_ORIGIN",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Reverse proxy (a network such as 10.0.0.0/8, or one address) whose X-Forwarded-For names
    /// the client, for the per-IP limits and the audit log (repeatable, or comma-separated in
    /// the environment); none by default: the header is ignored.
    #[arg(
        long = "trusted-proxy",
        alias = "trusted-proxies",
        env = "CODE_REMOTE_TRUSTED_PROXIES",
        value_name = "NETWORK",
        value_delimiter = ',',
        value_parser = TrustedProxies::parse_network
    )]
    pub trusted_proxies: Vec<IpNet>,
    /// Requests per second one account may make (0: no limit).
    #[arg(
        long,
        env = "CODE_REMOTE_USER_REQUESTS_PER_SECOND",
        default_value_t = 20
    )]
    pub user_requests_per_second: u32,
    /// Requests per second one IP address may make (0: no limit).
    #[arg(long, env = "CODE_REMOTE_IP_REQUESTS_PER_SECOND", default_value_t = 50)]
    pub ip_requests_per_second: u32,
    /// Sign-in attempts per minute, times three, per IP address (IPv6: one /64). Failed
    /// attempts to one account also back off exponentially, briefly (see docs/api.md).
    #[arg(
        long,
        env = "CODE_REMOTE_LOGIN_ATTEMPTS_PER_MINUTE",
        default_value_t = 10
    )]
    pub login_attempts_per_minute: u32,
    /// Seconds a client has to send a request's headers before its connection is closed.
    #[arg(long, env = "CODE_REMOTE_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Open HTTP connections, all clients together.
    #[arg(long, env = "CODE_REMOTE_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Open HTTP connections from one client address (IPv6: one /64); trusted proxies are exempt.
    #[arg(
        long,
        env = "CODE_REMOTE_MAX_CONNECTIONS_PER_IP",
        default_value_t = 128
    )]
    pub max_connections_per_ip: usize,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub pool: PoolArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
    #[command(flatten)]
    pub callbacks: CallbackArgs,
    #[command(flatten)]
    pub log: LogArgs,
}

pub fn execute(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Dropped last: the spans of the shutdown are exported too.
    let _telemetry = args.log.init("serve")?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let store = args.store.connect().await?;
    let key_path = match &args.jwt_key_file {
        Some(path) => path.clone(),
        None => args.store.data_dir.join("jwt.key"),
    };
    if args.jwt_key_file.is_none() {
        crate::config::ensure_data_dir(&args.store.data_dir)?;
    }
    let key = load_or_create_signing_key(&key_path)?;
    let tokens = TokenIssuer::new(&key, TokenSettings::default());

    let sandbox = if args.pool.worker_count() > 0 {
        let config = super::node::sandbox_config(&args.sandbox, &args.pool);
        let sandbox = tokio::task::spawn_blocking(move || Sandbox::new(config)).await??;
        Some(Arc::new(sandbox))
    } else {
        None
    };
    let max_limits = args.limits.max_limits();
    // Found once (the environment's metadata, no code run): `GET /runtime` answers from it.
    let python = super::runtime::python_runtime(&args.sandbox).unwrap_or_else(|error| {
        tracing::warn!(%error, "the runtime's Python version and packages are unknown");
        Default::default()
    });
    if python.packages.is_empty() {
        tracing::warn!(
            "no Python environment: programs get the standard library only (scripts/install-python-env installs numpy, pandas, matplotlib, …)"
        );
    }
    let config = ApiConfig {
        python,
        artifact_limits: super::runtime::artifact_limits(&args.sandbox),
        default_limits: Limits::default(),
        max_limits,
        queue: QueueCaps {
            max_queued_total: args.max_queued,
            max_queued_per_user: args.max_queued_per_user,
        },
        registration: args.registration.unwrap_or(if args.registration_open {
            RegistrationMode::Open
        } else {
            RegistrationMode::Closed
        }),
        rate_limits: RateLimits {
            user_requests_per_second: args.user_requests_per_second,
            user_burst: args.user_requests_per_second.saturating_mul(3),
            ip_requests_per_second: args.ip_requests_per_second,
            ip_burst: args.ip_requests_per_second.saturating_mul(2),
            logins_per_minute_per_ip: args.login_attempts_per_minute.saturating_mul(3),
            registrations_per_hour_per_ip: args.registrations_per_hour_per_ip,
            cpu_seconds_per_user_per_day: args.pool.cpu_seconds_per_user_per_day,
            ..RateLimits::default()
        },
        cors_origins: args.cors_origins.clone(),
        oidc_providers: args.oidc_providers.clone(),
        trusted_proxies: TrustedProxies::new(args.trusted_proxies.iter().copied()),
        callbacks: args.callbacks.to_config(),
        ..ApiConfig::default()
    };

    let analyzer = Analyzer::new(args.analyzer.to_config()?)?;
    let state = AppState::new(AppParts {
        store: store.clone(),
        tokens,
        config,
        analyzer,
    });

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let pool = start_pool(&store, sandbox, &args.pool);
    tracing::info!("listening on http://{address}");
    println!("Code Remote is listening on http://{address}");
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(args.header_timeout_secs),
        max_connections: args.max_connections,
        max_connections_per_ip: args.max_connections_per_ip,
        trusted_proxies: TrustedProxies::new(args.trusted_proxies.iter().copied()),
    };
    crate::http::serve(
        listener,
        code_remote_api::app(state),
        limits,
        shutdown_signal(),
    )
    .await
    .context("the HTTP server failed")?;
    if let Some(pool) = pool {
        pool.shutdown().await;
    }
    Ok(())
}

fn parse_oidc_provider(text: &str) -> Result<OidcProvider, String> {
    let (issuer, audience) = text
        .split_once('=')
        .ok_or("expected ISSUER_URL=CLIENT_ID")?;
    if !(issuer.starts_with("https://") || issuer.starts_with("http://")) || audience.is_empty() {
        return Err(
            "expected ISSUER_URL=CLIENT_ID, e.g. https://accounts.example.org=code-remote".into(),
        );
    }
    // Load-bearing: keys fetched over plain HTTP can be replaced by anyone on the path, who could
    // then sign tokens for any account. Only a provider on this machine may use it.
    if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split('/').next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(host, _)| host);
        if !matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
            return Err(format!(
                "the OpenID Connect issuer {issuer} must use https:// (plain http:// is allowed only on this machine)"
            ));
        }
    }
    Ok(OidcProvider {
        issuer: issuer.to_owned(),
        audience: audience.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::commands::{Cli, Command};

    fn trusted_proxies(args: &[&str]) -> Result<Vec<String>, clap::Error> {
        let cli = Cli::try_parse_from(["code-remote", "serve"].iter().chain(args))?;
        let Command::Serve(serve) = cli.command else {
            unreachable!("parsed `serve`")
        };
        Ok(serve.trusted_proxies.iter().map(IpNet::to_string).collect())
    }

    #[test]
    fn trusted_proxies_are_repeatable_and_none_by_default() {
        assert!(trusted_proxies(&[]).unwrap().is_empty());
        let given = [
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy=192.0.2.1,fd00::/8",
        ];
        assert_eq!(
            trusted_proxies(&given).unwrap(),
            ["10.0.0.0/8", "192.0.2.1/32", "fd00::/8"]
        );
    }

    #[test]
    fn oidc_issuers_need_https_unless_they_are_on_this_machine() {
        assert!(parse_oidc_provider("https://id.example.org=app").is_ok());
        assert!(parse_oidc_provider("http://127.0.0.1:9000/realm=app").is_ok());
        assert!(parse_oidc_provider("http://localhost:9000=app").is_ok());
        let err = parse_oidc_provider("http://id.example.org=app").unwrap_err();
        assert!(err.contains("must use https://"), "{err}");
    }

    #[test]
    fn a_bad_trusted_proxy_is_an_error_naming_it() {
        let err = trusted_proxies(&["--trusted-proxy", "10.0.0.1,proxy.internal"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`proxy.internal` is not an IP address"),
            "{err}"
        );
    }
}
