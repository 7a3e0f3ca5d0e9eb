//! The servers under test: the real `credit-api serve` binary as a child process (so its peak resident memory can
//! be read from /proc), and a bare actix-web JSON handler inside the benchmark process as the yardstick.

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpResponse, HttpServer};
use credit_api::db::DbTarget;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The release server binary, built when missing.
pub fn server_binary(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    let root = workspace_root();
    let binary = root.join("target/release/credit-api");
    if !binary.is_file() {
        eprintln!("building the release server: cargo build --release -p credit-api");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "-p", "credit-api"])
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build --release -p credit-api failed".into());
        }
    }
    Ok(binary)
}

/// A free port on loopback.
fn free_address() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map_err(|e| e.to_string())
}

/// The platform's server, running as a child process.
pub struct ApiServer {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

/// How the server is started.
pub struct ServerOptions<'a> {
    pub binary: &'a Path,
    pub database: &'a DbTarget,
    pub data_dir: &'a Path,
    pub workers: Option<usize>,
    pub log_filter: &'a str,
}

impl ApiServer {
    /// Starts `credit-api serve` and waits until `/readyz` answers 200.
    pub fn start(options: &ServerOptions<'_>) -> Result<ApiServer, String> {
        let addr = free_address()?;
        let log = options.data_dir.join("server.log");
        let out = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let url = match options.database {
            DbTarget::Sqlite(path) => format!("sqlite://{}", path.display()),
            DbTarget::Postgres(url) => url.clone(),
        };
        let mut command = Command::new(options.binary);
        command
            .arg("serve")
            .args(["--bind", &addr.to_string()])
            .args(["--database-url", &url])
            .arg("--data-dir")
            .arg(options.data_dir)
            .arg("--web-dir")
            .arg(workspace_root().join("web/dist"))
            // Every request of the benchmark comes from 127.0.0.1: the per-address portal limit must not bite.
            .args(["--portal-requests-per-minute", "1000000000"])
            .env("RUST_LOG", options.log_filter)
            .env_remove("CREDIT_TOKEN_KEY")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        if let Some(workers) = options.workers {
            command.args(["--workers", &workers.to_string()]);
        }
        let child = command.spawn().map_err(|e| format!("cannot start {}: {e}", options.binary.display()))?;
        let mut server = ApiServer { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = server.child.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("the server exited ({status}); see {}", server.log.display()));
            }
            if http_status(addr, "/readyz") == Some(200) {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!("the server did not become ready; see {}", server.log.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory so far (VmHWM), in bytes.
    pub fn peak_rss(&self) -> Option<u64> {
        proc_status_kb(self.pid(), "VmHWM:").map(|kb| kb * 1024)
    }

    /// Current resident memory (VmRSS), in bytes.
    pub fn rss(&self) -> Option<u64> {
        proc_status_kb(self.pid(), "VmRSS:").map(|kb| kb * 1024)
    }

    /// Stops the server with SIGTERM (graceful), killing it if it lingers.
    pub fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// The status code of a plain GET, with a blocking one-shot HTTP/1.0 request (for readiness only).
fn http_status(addr: SocketAddr, path: &str) -> Option<u16> {
    use std::io::Write;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    let text = std::str::from_utf8(&head[..n]).ok()?;
    text.split_whitespace().nth(1)?.parse().ok()
}

/// The yardstick: actix-web answering a small JSON object, nothing else in the way.
pub struct BareServer {
    pub addr: SocketAddr,
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BareServer {
    pub fn start(workers: usize) -> Result<BareServer, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let outcome = actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(|| App::new().route("/", web::get().to(bare_handler)))
                    .workers(workers)
                    .listen(listener)?
                    .run();
                let _ = sender.send(server.handle());
                server.await
            });
            if let Err(error) = outcome {
                eprintln!("bare server: {error}");
            }
        });
        let handle = receiver.recv_timeout(Duration::from_secs(10)).map_err(|_| "the bare server did not start")?;
        Ok(BareServer { addr, handle, thread: Some(thread) })
    }

    pub fn stop(mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn bare_handler() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok", "service": "bench"}))
}

/// Gzipped (level 9) sizes of the built web app's `app_bg.wasm` and `app.js`, or `None` when it is not built.
pub fn spa_gzipped() -> Option<(u64, u64)> {
    let dist = workspace_root().join("web/dist");
    let gz = |name: &str| -> Option<u64> {
        use std::io::Write;
        let bytes = std::fs::read(dist.join(name)).ok()?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes).ok()?;
        Some(encoder.finish().ok()?.len() as u64)
    };
    Some((gz("app_bg.wasm")?, gz("app.js")?))
}
