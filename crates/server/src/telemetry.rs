//! Optional export of the tracing spans (requests, jobs) to an OpenTelemetry collector, over
//! OTLP/HTTP with protobuf bodies. Off unless `--otlp-endpoint` is given.

use std::time::Duration;

use anyhow::{Context, bail};
use opentelemetry::{KeyValue, trace::TracerProvider as _};
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::{Resource, trace::SdkTracerProvider};

/// How long one export may take before it is abandoned (the collector is down or slow).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(5);

/// Keeps the exporter alive; dropping it sends what is still buffered and stops the exporter.
#[must_use = "dropping the guard stops the trace export"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    pub const fn disabled() -> Self {
        Self { provider: None }
    }

    /// Exports to the collector at `endpoint` (its base URL, e.g. `http://collector:4318`, or
    /// the full `…/v1/traces` URL). `role` says which kind of node this is (`serve`, `worker`).
    pub fn otlp(endpoint: &str, role: &'static str) -> anyhow::Result<Self> {
        let exporter = SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(traces_url(endpoint)?)
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .context("cannot set up the OTLP exporter")?;
        let resource = Resource::builder()
            .with_service_name("code-remote")
            .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
            .with_attribute(KeyValue::new("code_remote.role", role))
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build();
        Ok(Self {
            provider: Some(provider),
        })
    }

    /// The tracer spans are exported through, when export is on.
    pub fn tracer(&self) -> Option<opentelemetry_sdk::trace::SdkTracer> {
        self.provider
            .as_ref()
            .map(|provider| provider.tracer("code-remote"))
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(err) = provider.shutdown()
        {
            // The logger may be gone by now; stderr is what is left.
            eprintln!("code-remote: the last traces were not exported: {err}");
        }
    }
}

/// The collector's trace URL: `…/v1/traces` is added to a base URL, as the OTLP spec says
/// clients do with `OTEL_EXPORTER_OTLP_ENDPOINT`.
fn traces_url(endpoint: &str) -> anyhow::Result<String> {
    let endpoint = endpoint.trim();
    let Some(rest) = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
    else {
        bail!("--otlp-endpoint must be an http:// or https:// URL, not {endpoint:?}");
    };
    if rest.is_empty() || rest.starts_with('/') {
        bail!("--otlp-endpoint has no host: {endpoint:?}");
    }
    if endpoint.ends_with("/v1/traces") {
        return Ok(endpoint.to_owned());
    }
    Ok(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::traces_url;

    #[test]
    fn the_trace_path_is_added_to_a_base_url_once() {
        assert_eq!(
            traces_url("http://collector:4318").unwrap(),
            "http://collector:4318/v1/traces"
        );
        assert_eq!(
            traces_url("https://collector/otlp/").unwrap(),
            "https://collector/otlp/v1/traces"
        );
        assert_eq!(
            traces_url("http://collector:4318/v1/traces").unwrap(),
            "http://collector:4318/v1/traces"
        );
    }

    #[test]
    fn other_schemes_and_missing_hosts_are_refused() {
        for bad in [
            "collector:4318",
            "grpc://collector:4317",
            "http://",
            "http:///v1",
        ] {
            assert!(traces_url(bad).is_err(), "{bad} was accepted");
        }
    }
}
