//! The performance archive: snapshots of latency, throughput, errors and resource use taken every few
//! minutes, and the tuning actions of the operation log shown beside them.

use crate::labels::labelled_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// The period a performance chart covers.
    PerformanceRange {
        /// The last 24 hours, one point per snapshot (every 5 minutes by default).
        Day = "24h", "最近 24 小时";
        /// The last 30 days, one point per hour.
        Month = "30d", "最近 30 天";
    }
);

impl PerformanceRange {
    /// The period's length in hours.
    pub fn hours(self) -> i64 {
        match self {
            PerformanceRange::Day => 24,
            PerformanceRange::Month => 30 * 24,
        }
    }
}

/// Query parameters of `GET /api/v1/ops/performance`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PerformanceQuery {
    /// `24h` (default) or `30d`.
    pub range: Option<PerformanceRange>,
}

/// One point of the series: a snapshot (24 hours) or the snapshots of one hour taken together (30 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformancePoint {
    /// The end of the period the point covers.
    pub at: DateTime<Utc>,
    /// Seconds the point covers.
    pub seconds: f64,
    /// Requests answered in the period.
    pub requests: i64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Share of requests answered with a 5xx status, 0 to 1.
    pub error_rate: f64,
    /// Latency percentiles in milliseconds; absent when no request was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p50_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p95_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p99_ms: Option<f64>,
    /// The server process's resident memory, in bytes.
    pub memory_bytes: i64,
    /// The database's size on disk, in bytes, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_bytes: Option<i64>,
}

/// A tuning action of the operation log (kind `tuning`), drawn as a vertical line on the charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TuningMarker {
    /// The operation-log entry's id.
    pub id: String,
    pub at: DateTime<Utc>,
    /// What was tuned, as written in the operation log.
    pub text: String,
    /// Who wrote it, by name; absent for the platform's own entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
}

/// The answer of `GET /api/v1/ops/performance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceSeries {
    pub range: PerformanceRange,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Seconds between two snapshots as configured (300 by default).
    pub interval_seconds: u64,
    /// Oldest first.
    pub points: Vec<PerformancePoint>,
    /// Tuning actions within the range, oldest first.
    pub markers: Vec<TuningMarker>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r14_2_ranges_travel_as_their_codes() {
        assert_eq!(serde_json::to_string(&PerformanceRange::Day).ok().as_deref(), Some("\"24h\""));
        assert_eq!(PerformanceRange::parse("30d"), Some(PerformanceRange::Month));
        assert_eq!(PerformanceRange::Month.hours(), 720);
        let query: PerformanceQuery = serde_urlencoded_like("30d");
        assert_eq!(query.range, Some(PerformanceRange::Month));
    }

    fn serde_urlencoded_like(range: &str) -> PerformanceQuery {
        serde_json::from_value(serde_json::json!({ "range": range })).unwrap_or_default()
    }
}
