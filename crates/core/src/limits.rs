//! Per-run resource limits: the defaults of DESIGN.md, what a request may ask for, and how a
//! request is checked against the server's configured maximum.
//!
//! A request can only choose values inside the server's bounds; it never widens them.

use serde::{Deserialize, Serialize};

/// Largest program accepted, in bytes.
pub const MAX_CODE_BYTES: usize = 256 * 1024;
/// Largest stdin given up front, in bytes.
pub const MAX_STDIN_BYTES: usize = 1024 * 1024;

/// The limits one run executes under. Every field is enforced by the kernel or the supervisor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Limits {
    /// Wall-clock time limit in milliseconds.
    pub time_limit_ms: u64,
    /// CPU share in cores (CFS quota).
    pub cpu_cores: f64,
    /// Memory (including tmpfs pages) in MiB.
    pub memory_limit_mib: u64,
    /// Processes and threads, together.
    pub max_processes: u32,
    pub max_open_files: u32,
    /// Largest file the program may write, in MiB.
    pub max_file_size_mib: u64,
    /// Size of the writable working directory, in MiB.
    pub disk_limit_mib: u64,
    /// Bytes kept per output stream (stdout, stderr), in KiB.
    pub output_limit_kib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            time_limit_ms: 30_000,
            cpu_cores: 1.0,
            memory_limit_mib: 256,
            max_processes: 64,
            max_open_files: 256,
            max_file_size_mib: 32,
            disk_limit_mib: 64,
            output_limit_kib: 1024,
        }
    }
}

/// Limits as a request may give them: any field left out takes the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsRequest {
    pub time_limit_ms: Option<u64>,
    pub cpu_cores: Option<f64>,
    pub memory_limit_mib: Option<u64>,
    pub max_processes: Option<u32>,
    pub max_open_files: Option<u32>,
    pub max_file_size_mib: Option<u64>,
    pub disk_limit_mib: Option<u64>,
    pub output_limit_kib: Option<u64>,
}

/// A requested limit outside what the server allows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    #[error("limits.{field} must be at most {max} (the server's maximum)")]
    AboveMaximum { field: &'static str, max: String },
    #[error("limits.{field} must be at least {min}")]
    BelowMinimum { field: &'static str, min: String },
}

/// Smallest values that still let a Python interpreter start; below these a run cannot succeed.
const MIN: Limits = Limits {
    time_limit_ms: 100,
    cpu_cores: 0.1,
    memory_limit_mib: 16,
    max_processes: 4,
    max_open_files: 16,
    max_file_size_mib: 1,
    disk_limit_mib: 1,
    output_limit_kib: 1,
};

fn pick<T: PartialOrd + Copy + ToString>(
    field: &'static str,
    requested: Option<T>,
    default: T,
    min: T,
    max: T,
) -> Result<T, LimitError> {
    let Some(value) = requested else {
        // The default never exceeds what the operator configured as the maximum.
        return Ok(if default > max { max } else { default });
    };
    if value > max {
        return Err(LimitError::AboveMaximum {
            field,
            max: max.to_string(),
        });
    }
    // An incomparable value (NaN) is rejected too.
    if value
        .partial_cmp(&min)
        .is_none_or(|order| order == std::cmp::Ordering::Less)
    {
        return Err(LimitError::BelowMinimum {
            field,
            min: min.to_string(),
        });
    }
    Ok(value)
}

impl LimitsRequest {
    /// The limits to run under: requested values checked against `max`, the rest defaulted.
    pub fn resolve(&self, defaults: &Limits, max: &Limits) -> Result<Limits, LimitError> {
        Ok(Limits {
            time_limit_ms: pick(
                "time_limit_ms",
                self.time_limit_ms,
                defaults.time_limit_ms,
                MIN.time_limit_ms,
                max.time_limit_ms,
            )?,
            cpu_cores: pick(
                "cpu_cores",
                self.cpu_cores,
                defaults.cpu_cores,
                MIN.cpu_cores,
                max.cpu_cores,
            )?,
            memory_limit_mib: pick(
                "memory_limit_mib",
                self.memory_limit_mib,
                defaults.memory_limit_mib,
                MIN.memory_limit_mib,
                max.memory_limit_mib,
            )?,
            max_processes: pick(
                "max_processes",
                self.max_processes,
                defaults.max_processes,
                MIN.max_processes,
                max.max_processes,
            )?,
            max_open_files: pick(
                "max_open_files",
                self.max_open_files,
                defaults.max_open_files,
                MIN.max_open_files,
                max.max_open_files,
            )?,
            max_file_size_mib: pick(
                "max_file_size_mib",
                self.max_file_size_mib,
                defaults.max_file_size_mib,
                MIN.max_file_size_mib,
                max.max_file_size_mib,
            )?,
            disk_limit_mib: pick(
                "disk_limit_mib",
                self.disk_limit_mib,
                defaults.disk_limit_mib,
                MIN.disk_limit_mib,
                max.disk_limit_mib,
            )?,
            output_limit_kib: pick(
                "output_limit_kib",
                self.output_limit_kib,
                defaults.output_limit_kib,
                MIN.output_limit_kib,
                max.output_limit_kib,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_request_gets_the_defaults() {
        let limits = LimitsRequest::default()
            .resolve(&Limits::default(), &Limits::default())
            .unwrap();
        assert_eq!(limits, Limits::default());
    }

    #[test]
    fn a_request_above_the_server_maximum_is_refused() {
        let request = LimitsRequest {
            memory_limit_mib: Some(512),
            ..Default::default()
        };
        let err = request
            .resolve(&Limits::default(), &Limits::default())
            .unwrap_err();
        assert_eq!(
            err,
            LimitError::AboveMaximum {
                field: "memory_limit_mib",
                max: "256".into()
            }
        );
    }

    #[test]
    fn a_request_below_the_minimum_or_nan_is_refused() {
        let zero = LimitsRequest {
            time_limit_ms: Some(0),
            ..Default::default()
        };
        assert!(matches!(
            zero.resolve(&Limits::default(), &Limits::default()),
            Err(LimitError::BelowMinimum { .. })
        ));
        let nan = LimitsRequest {
            cpu_cores: Some(f64::NAN),
            ..Default::default()
        };
        assert!(nan.resolve(&Limits::default(), &Limits::default()).is_err());
    }

    #[test]
    fn defaults_are_capped_by_a_smaller_maximum() {
        let max = Limits {
            time_limit_ms: 5_000,
            ..Limits::default()
        };
        let limits = LimitsRequest::default()
            .resolve(&Limits::default(), &max)
            .unwrap();
        assert_eq!(limits.time_limit_ms, 5_000);
    }

    #[test]
    fn unknown_limit_fields_are_rejected() {
        let parsed: Result<LimitsRequest, _> = serde_json::from_str(r#"{"network": true}"#);
        assert!(parsed.is_err());
    }
}
