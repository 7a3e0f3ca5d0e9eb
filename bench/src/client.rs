//! The load generator: keep-alive HTTP/1.1 connections on loopback, each driving one scenario step after another
//! for a fixed time, with every step's latency recorded.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One keep-alive connection to a server; reconnects when the server closes it.
pub struct Conn {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> Result<Conn, BoxError> {
        let mut conn = Conn { addr, host: addr.to_string(), sender: None };
        conn.connect().await?;
        Ok(conn)
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, BoxError> {
        let stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(self.sender.insert(sender))
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        json: Option<Bytes>,
    ) -> Result<(StatusCode, Bytes), BoxError> {
        let mut builder = Request::builder().method(method).uri(path).header(hyper::header::HOST, &self.host);
        if let Some(token) = bearer {
            builder = builder.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match json {
            Some(bytes) => {
                builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
                bytes
            }
            None => Bytes::new(),
        };
        let request = builder.body(Full::new(body))?;
        let usable = match self.sender.as_mut() {
            Some(sender) => sender.ready().await.is_ok(),
            None => false,
        };
        let sender = if usable { self.sender.as_mut().ok_or("no connection")? } else { self.connect().await? };
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }

    pub async fn get(&mut self, path: &str, bearer: Option<&str>) -> Result<(StatusCode, Bytes), BoxError> {
        self.send(Method::GET, path, bearer, None).await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        bearer: Option<&str>,
        body: &serde_json::Value,
    ) -> Result<(StatusCode, Bytes), BoxError> {
        self.send(Method::POST, path, bearer, Some(Bytes::from(serde_json::to_vec(body)?))).await
    }
}

/// What one step of a scenario achieved: `units` counted on success (1 for a request, rows for a batch).
pub enum Step {
    Done { units: u64 },
    Failed(String),
}

impl Step {
    /// A request that must answer 2xx.
    pub fn from_answer(answer: Result<(StatusCode, Bytes), BoxError>) -> Step {
        match answer {
            Ok((status, _)) if status.is_success() => Step::Done { units: 1 },
            Ok((status, body)) => Step::Failed(format!("{status}: {}", short(&body))),
            Err(error) => Step::Failed(format!("transport: {error}")),
        }
    }
}

/// The start of a response body, for error reports.
pub fn short(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(160).collect()
}

pub type StepFuture<'a> = Pin<Box<dyn Future<Output = Step> + Send + 'a>>;

/// A workload: what one connection does next.
pub trait Scenario: Send + Sync + 'static {
    fn step<'a>(&'a self, conn: &'a mut Conn, worker: usize, seq: u64) -> StepFuture<'a>;
}

/// Figures of one measured scenario.
#[derive(Debug, Clone, Default)]
pub struct Measurement {
    /// Steps completed successfully within the window.
    pub steps: u64,
    /// Units (requests or rows) of those steps.
    pub units: u64,
    pub errors: u64,
    /// Error messages and how often each occurred.
    pub error_kinds: BTreeMap<String, u64>,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Measurement {
    pub fn per_second(&self) -> f64 {
        self.steps as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn units_per_second(&self) -> f64 {
        self.units as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `scenario` on `connections` connections: `warmup` unmeasured, then the steps that finish within the next
/// `duration` are counted (a closed loop: each connection starts its next step when the last one is done).
pub async fn measure<S: Scenario>(
    addr: SocketAddr,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    scenario: Arc<S>,
) -> Result<Measurement, BoxError> {
    let start = Instant::now();
    let window_start = start + warmup;
    let window_end = window_start + duration;
    let mut tasks = Vec::with_capacity(connections);
    for worker in 0..connections {
        let scenario = scenario.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await?;
            let mut latencies: Vec<u32> = Vec::new();
            let mut units = 0u64;
            let mut errors: BTreeMap<String, u64> = BTreeMap::new();
            let mut seq = 0u64;
            loop {
                let began = Instant::now();
                if began >= window_end {
                    break;
                }
                let step = scenario.step(&mut conn, worker, seq).await;
                seq += 1;
                let finished = Instant::now();
                if finished < window_start || finished > window_end {
                    continue;
                }
                match step {
                    Step::Done { units: n } => {
                        units += n;
                        latencies.push(u32::try_from((finished - began).as_micros()).unwrap_or(u32::MAX));
                    }
                    Step::Failed(message) => *errors.entry(message).or_default() += 1,
                }
            }
            Ok::<_, BoxError>((latencies, units, errors))
        }));
    }
    let mut all: Vec<u32> = Vec::new();
    let mut measurement = Measurement::default();
    for task in tasks {
        let (latencies, units, errors) = task.await??;
        all.extend(latencies);
        measurement.units += units;
        for (message, count) in errors {
            measurement.errors += count;
            *measurement.error_kinds.entry(message).or_default() += count;
        }
    }
    all.sort_unstable();
    measurement.steps = all.len() as u64;
    measurement.elapsed = duration;
    measurement.p50 = percentile(&all, 0.50);
    measurement.p99 = percentile(&all, 0.99);
    measurement.max = all.last().map_or(Duration::ZERO, |m| Duration::from_micros(u64::from(*m)));
    Ok(measurement)
}

/// The `q` quantile of sorted microsecond latencies (nearest rank).
fn percentile(sorted: &[u32], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Duration::from_micros(u64::from(sorted[rank - 1]))
}

#[cfg(test)]
mod tests {
    use super::percentile;
    use std::time::Duration;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 0.50), Duration::from_micros(50));
        assert_eq!(percentile(&sorted, 0.99), Duration::from_micros(99));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
    }
}
