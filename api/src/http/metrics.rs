//! Request metrics: the process's Prometheus recorder (installed once), the middleware that counts every
//! request by method, route template and status with its latency, the window of latencies the performance archive
//! takes its percentiles from, gauges of work in flight, and who may read `/metrics` (an allow list or a token).

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Requests answered, by `method`, `route` (the route's template, never the raw path) and `status`.
pub const REQUESTS: &str = "credit_http_requests_total";
/// Time from the request's arrival to its response's head, by `method` and `route`.
pub const REQUEST_SECONDS: &str = "credit_http_request_duration_seconds";
/// Database work handed to the blocking pool (`AppState::{read,write,maintain}`) and not yet started.
pub const BLOCKING_QUEUED: &str = "credit_blocking_work_queued";
/// Database work handed to the blocking pool and not yet finished (queued or running).
pub const BLOCKING_IN_FLIGHT: &str = "credit_blocking_work_in_flight";
/// Threads waiting for a connection from the pool.
pub const POOL_WAITING: &str = "credit_db_pool_waiting";
/// Connections of the pool by `state` (`in_use`, `idle`), and its maximum size.
pub const POOL_CONNECTIONS: &str = "credit_db_pool_connections";
pub const POOL_MAX: &str = "credit_db_pool_max_connections";
/// Time a SQLite write transaction waited for the process's writer turn (`db::write_transaction`).
pub const SQLITE_WRITER_WAIT: &str = "credit_sqlite_writer_wait_seconds";
/// Accepted batch uploads waiting for their turn, and running.
pub const INTAKE_WAITING: &str = "credit_intake_jobs_waiting";
pub const INTAKE_RUNNING: &str = "credit_intake_jobs_running";
/// Notices to appellants not yet sent (pending in the outbox).
pub const NOTICE_BACKLOG: &str = "credit_notice_outbox_backlog";
/// 1 when the database answered the scrape's query, 0 when not.
pub const DATABASE_UP: &str = "credit_database_up";

/// The label of requests no route matched (the SPA's fallback, a 404): raw paths would make a series per path.
pub const UNMATCHED: &str = "(unmatched)";

/// Histogram buckets in seconds, 1 ms to 30 s.
const SECONDS_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed as the `metrics` crate's global recorder on the first call; every later call
/// (several apps in one test process) gets the same handle. When another recorder was installed first, metrics go
/// there and this handle renders only what it was given (a warning says so).
pub fn install() -> &'static PrometheusHandle {
    RECORDER.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets(SECONDS_BUCKETS) {
            Ok(with_buckets) => with_buckets,
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: /metrics shows none of the platform's metrics");
        }
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(REQUESTS, Unit::Count, "Requests answered, by method, route template and status");
    describe_histogram!(REQUEST_SECONDS, Unit::Seconds, "Time to the response's head, by method and route template");
    describe_gauge!(BLOCKING_QUEUED, "Database work handed to the blocking pool and not yet started");
    describe_gauge!(BLOCKING_IN_FLIGHT, "Database work handed to the blocking pool and not yet finished");
    describe_gauge!(POOL_WAITING, "Threads waiting for a database connection");
    describe_gauge!(POOL_CONNECTIONS, "Database connections of the pool, by state (in_use, idle)");
    describe_gauge!(POOL_MAX, "The pool's maximum number of connections");
    describe_histogram!(SQLITE_WRITER_WAIT, Unit::Seconds, "Time SQLite writers waited for their turn in the process");
    describe_gauge!(INTAKE_WAITING, "Accepted batch uploads waiting for their turn");
    describe_gauge!(INTAKE_RUNNING, "Batch uploads being checked or written");
    describe_gauge!(NOTICE_BACKLOG, "Notices to appellants not yet sent");
    describe_gauge!(DATABASE_UP, "1 when the database answered the scrape's query");
    // Gauges moved only by work show from the first scrape on, at zero until then.
    for gauge in [BLOCKING_QUEUED, BLOCKING_IN_FLIGHT, POOL_WAITING, INTAKE_WAITING, INTAKE_RUNNING] {
        metrics::gauge!(gauge).increment(0.0);
    }
}

/// The middleware: counts the request under its route template and status, and times it; also into the app's
/// window for the performance archive.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    // The template is known from the app's routes before the request is routed (`{day}`, not `2026-11-27`).
    let route = req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned());
    let window = req.app_data::<web::Data<AppState>>().map(|state| state.request_window().clone());
    let outcome = next.call(req).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    let elapsed = started.elapsed();
    metrics::counter!(REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.as_str().to_owned())
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS, "method" => method, "route" => route).record(elapsed.as_secs_f64());
    if let Some(window) = window {
        window.record(elapsed, status.is_server_error());
    }
    outcome
}

/// A gauge raised while this value lives: work in a queue or in flight.
#[must_use = "the gauge falls again when this is dropped"]
pub struct Tracked(&'static str);

impl Tracked {
    pub fn enter(gauge: &'static str) -> Tracked {
        metrics::gauge!(gauge).increment(1.0);
        Tracked(gauge)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        metrics::gauge!(self.0).decrement(1.0);
    }
}

/// Upper bounds of the window's latency buckets: 0.1 ms growing by a fifth each step, past two minutes; one more
/// bucket holds anything slower. A percentile read from them is off by at most a tenth.
const WINDOW_FIRST_MS: f64 = 0.1;
const WINDOW_GROWTH: f64 = 1.2;
const WINDOW_BUCKETS: usize = 80;

/// The latencies of this app's requests since the last snapshot (`take`): counts per bucket, so memory stays the same
/// however many requests come.
pub struct RequestWindow {
    counts: Mutex<WindowCounts>,
}

struct WindowCounts {
    since: Instant,
    requests: u64,
    server_errors: u64,
    buckets: [u64; WINDOW_BUCKETS + 1],
}

impl WindowCounts {
    fn new() -> WindowCounts {
        WindowCounts { since: Instant::now(), requests: 0, server_errors: 0, buckets: [0; WINDOW_BUCKETS + 1] }
    }
}

/// What a window held when it was taken.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowFigures {
    pub seconds: f64,
    pub requests: u64,
    /// Requests answered with a 5xx status.
    pub server_errors: u64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

impl Default for RequestWindow {
    fn default() -> Self {
        RequestWindow { counts: Mutex::new(WindowCounts::new()) }
    }
}

impl RequestWindow {
    pub fn record(&self, elapsed: Duration, server_error: bool) {
        let bucket = bucket_of(elapsed.as_secs_f64() * 1000.0);
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        counts.requests += 1;
        counts.server_errors += u64::from(server_error);
        counts.buckets[bucket] += 1;
    }

    /// The figures since the last call (or the start), and a new window from now.
    pub fn take(&self) -> WindowFigures {
        let counts = {
            let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            std::mem::replace(&mut *counts, WindowCounts::new())
        };
        WindowFigures {
            seconds: counts.since.elapsed().as_secs_f64(),
            requests: counts.requests,
            server_errors: counts.server_errors,
            p50_ms: percentile(&counts.buckets, 0.50),
            p95_ms: percentile(&counts.buckets, 0.95),
            p99_ms: percentile(&counts.buckets, 0.99),
        }
    }
}

fn upper_bound(bucket: usize) -> f64 {
    WINDOW_FIRST_MS * WINDOW_GROWTH.powi(bucket as i32)
}

fn bucket_of(ms: f64) -> usize {
    (0..WINDOW_BUCKETS).find(|&i| ms <= upper_bound(i)).unwrap_or(WINDOW_BUCKETS)
}

/// The `q`-quantile (0.95 for p95) of the latencies counted in `buckets`, in milliseconds: the geometric middle of
/// the bucket holding the request of that rank; `None` without requests.
fn percentile(buckets: &[u64], q: f64) -> Option<f64> {
    let total: u64 = buckets.iter().sum();
    if total == 0 {
        return None;
    }
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut seen = 0;
    for (i, count) in buckets.iter().enumerate() {
        seen += count;
        if seen >= rank {
            let upper = upper_bound(i.min(WINDOW_BUCKETS - 1));
            let lower = if i == 0 { 0.0 } else { upper_bound(i - 1) };
            return Some(if i == 0 { upper / 2.0 } else { (lower * upper).sqrt() });
        }
    }
    None
}

/// An address or a network (`10.0.0.0/8`, `::1`) allowed to read `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for AddressRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let wrong = || format!("{text:?} is neither an address nor a network like 10.0.0.0/8 or fd00::/8");
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().map_err(|_| wrong())?)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| wrong())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(wrong());
        }
        Ok(AddressRange { network: address, prefix })
    }
}

impl std::fmt::Display for AddressRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl AddressRange {
    /// Whether `address` lies in the range; an IPv4-mapped IPv6 address counts as its IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, address) {
            (IpAddr::V4(net), IpAddr::V4(addr)) => {
                same_prefix(u32::from(net).into(), u32::from(addr).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(addr)) => same_prefix(u128::from(net), u128::from(addr), 128, self.prefix),
            _ => false,
        }
    }
}

fn same_prefix(network: u128, address: u128, bits: u8, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = u32::from(bits - prefix);
    (network >> shift) == (address >> shift)
}

/// Who may read `/metrics`: addresses of the allow list, and callers sending the metrics token as
/// `Authorization: Bearer …`. With neither configured, `/metrics` is off (404).
#[derive(Clone, Default)]
pub struct MetricsGate {
    allow: Vec<AddressRange>,
    /// SHA-256 of the token: compared with the presented token's digest in constant time.
    token_digest: Option<[u8; 32]>,
}

impl std::fmt::Debug for MetricsGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsGate").field("allow", &self.allow).field("token", &self.token_digest.is_some()).finish()
    }
}

/// Why `/metrics` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateRefusal {
    /// Neither an allow list nor a token is configured: the endpoint is off.
    Off,
    /// Neither from an allowed address nor with the token.
    Refused,
}

impl MetricsGate {
    /// A gate for `allow` and `token` (a blank token is none).
    pub fn new(allow: Vec<AddressRange>, token: Option<&str>) -> MetricsGate {
        let token_digest = token.map(str::trim).filter(|t| !t.is_empty()).map(|t| Sha256::digest(t.as_bytes()).into());
        MetricsGate { allow, token_digest }
    }

    pub fn is_off(&self) -> bool {
        self.allow.is_empty() && self.token_digest.is_none()
    }

    /// Whether a caller at `address` presenting `authorization` (the header's value) may read the metrics.
    pub fn admits(&self, address: Option<IpAddr>, authorization: Option<&str>) -> Result<(), GateRefusal> {
        if self.is_off() {
            return Err(GateRefusal::Off);
        }
        if let (Some(expected), Some(presented)) = (&self.token_digest, authorization.and_then(bearer)) {
            if constant_time_eq(expected, &Sha256::digest(presented.as_bytes()).into()) {
                return Ok(());
            }
        }
        match address {
            Some(address) if self.allow.iter().any(|range| range.contains(address)) => Ok(()),
            _ => Err(GateRefusal::Refused),
        }
    }
}

fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares two digests without stopping at the first difference, so the time taken tells nothing of the token.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> AddressRange {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn r14_2_allow_lists_hold_addresses_and_networks() {
        assert!(range("10.0.0.0/8").contains(ip("10.20.30.40")));
        assert!(!range("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(range("127.0.0.1").contains(ip("127.0.0.1")));
        assert!(!range("127.0.0.1").contains(ip("127.0.0.2")));
        assert!(range("127.0.0.1").contains(ip("::ffff:127.0.0.1")), "IPv4-mapped counts as IPv4");
        assert!(range("fd00::/8").contains(ip("fd12:3456::1")));
        assert!(!range("fd00::/8").contains(ip("fe80::1")));
        assert!(range("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(!range("::/0").contains(ip("203.0.113.9")), "an IPv6 range holds no IPv4 address");
        for bad in ["10.0.0.0/33", "example.org", "10.0.0.0/x", "::1/129", ""] {
            assert!(bad.parse::<AddressRange>().is_err(), "{bad}");
        }
        assert_eq!(range("10.1.0.0/16").to_string(), "10.1.0.0/16");
    }

    #[test]
    fn r14_2_the_gate_admits_allowed_addresses_and_the_token() {
        let off = MetricsGate::new(Vec::new(), Some("  "));
        assert_eq!(off.admits(Some(ip("127.0.0.1")), None), Err(GateRefusal::Off), "a blank token is none");
        let gate = MetricsGate::new(vec![range("127.0.0.1")], Some("s3cret-token"));
        assert_eq!(gate.admits(Some(ip("127.0.0.1")), None), Ok(()));
        assert_eq!(gate.admits(Some(ip("192.0.2.1")), None), Err(GateRefusal::Refused));
        assert_eq!(gate.admits(Some(ip("192.0.2.1")), Some("Bearer s3cret-token")), Ok(()));
        assert_eq!(gate.admits(Some(ip("192.0.2.1")), Some("bearer s3cret-token")), Ok(()));
        assert_eq!(gate.admits(Some(ip("192.0.2.1")), Some("Bearer s3cret-tokem")), Err(GateRefusal::Refused));
        assert_eq!(gate.admits(None, Some("Basic s3cret-token")), Err(GateRefusal::Refused));
        assert!(!format!("{gate:?}").contains("s3cret"));
    }

    #[test]
    fn r14_2_window_percentiles_are_within_a_tenth() {
        let window = RequestWindow::default();
        assert_eq!(window.take().p50_ms, None, "no requests, no percentiles");
        for ms in 1..=100u64 {
            window.record(Duration::from_millis(ms), ms > 98);
        }
        let figures = window.take();
        assert_eq!((figures.requests, figures.server_errors), (100, 2));
        let near = |value: Option<f64>, expected: f64| value.is_some_and(|v| (v - expected).abs() <= expected * 0.1);
        assert!(near(figures.p50_ms, 50.0), "{figures:?}");
        assert!(near(figures.p95_ms, 95.0), "{figures:?}");
        assert!(near(figures.p99_ms, 99.0), "{figures:?}");
        assert_eq!(window.take().requests, 0, "taking starts a new window");
        window.record(Duration::from_secs(600), false);
        assert!(window.take().p99_ms.is_some_and(|v| v > 100_000.0), "slower than the last bucket still counts");
    }
}
