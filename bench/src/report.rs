//! The figures of a run and the goals they are judged by, printed as Markdown tables.

use crate::client::Measurement;
use std::fmt::Write as _;
use std::time::Duration;

/// Portal search throughput as a share of the bare handler's.
pub const PORTAL_SHARE_OF_BARE: f64 = 0.30;
/// Portal search p99.
pub const PORTAL_P99: Duration = Duration::from_millis(25);
/// Authenticated list throughput as a share of portal search's.
pub const LIST_SHARE_OF_PORTAL: f64 = 0.50;
/// Batch intake rows/s as a share of the raw insert's.
pub const INTAKE_SHARE_OF_RAW: f64 = 0.50;
/// The server's peak resident memory, in bytes (150 MB).
pub const PEAK_RSS_BYTES: u64 = 150 * 1_000_000;
/// The web app's gzipped wasm and JavaScript, in bytes (400 KB).
pub const SPA_BYTES: u64 = 400 * 1_000;

/// Everything measured on one backend.
pub struct BackendReport {
    pub backend: &'static str,
    pub records: usize,
    pub subjects: usize,
    pub load: Duration,
    pub database_bytes: Option<u64>,
    pub connections: usize,
    pub batch_rows: usize,
    pub bare: Measurement,
    pub portal: Measurement,
    pub list: Measurement,
    pub intake: Measurement,
    pub raw_rows: usize,
    pub raw_elapsed: Duration,
    pub peak_rss: Option<u64>,
}

impl BackendReport {
    pub fn raw_rows_per_second(&self) -> f64 {
        self.raw_rows as f64 / self.raw_elapsed.as_secs_f64().max(1e-9)
    }
}

/// One goal: what was measured against what was asked.
pub struct Goal {
    pub name: String,
    pub measured: String,
    pub target: String,
    pub met: bool,
    /// How far off a missed goal is.
    pub shortfall: String,
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

fn thousands(n: f64) -> String {
    let whole = n.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn ratio_goal(name: &str, value: f64, target: f64) -> Goal {
    Goal {
        name: name.to_owned(),
        measured: format!("{:.1} %", value * 100.0),
        target: format!("≥ {:.0} %", target * 100.0),
        met: value >= target,
        shortfall: format!("{:.1} percentage points short", (target - value) * 100.0),
    }
}

/// The goals of the issue, judged on one backend's figures.
pub fn goals(report: &BackendReport, spa: Option<(u64, u64)>) -> Vec<Goal> {
    let portal_share = report.portal.per_second() / report.bare.per_second().max(1e-9);
    let list_share = report.list.per_second() / report.portal.per_second().max(1e-9);
    let intake_share = report.intake.units_per_second() / report.raw_rows_per_second().max(1e-9);
    let mut out = vec![
        ratio_goal("portal search / bare handler (requests/s)", portal_share, PORTAL_SHARE_OF_BARE),
        Goal {
            name: "portal search p99".into(),
            measured: format!("{} ms", ms(report.portal.p99)),
            target: format!("≤ {} ms", PORTAL_P99.as_millis()),
            met: report.portal.p99 <= PORTAL_P99 && report.portal.steps > 0,
            shortfall: format!("{} ms over", ms(report.portal.p99.saturating_sub(PORTAL_P99))),
        },
        ratio_goal("authenticated list / portal search (requests/s)", list_share, LIST_SHARE_OF_PORTAL),
        ratio_goal("batch intake / raw insert (rows/s)", intake_share, INTAKE_SHARE_OF_RAW),
    ];
    out.push(match report.peak_rss {
        Some(peak) => Goal {
            name: "server peak resident memory (VmHWM)".into(),
            measured: mb(peak),
            target: format!("≤ {}", mb(PEAK_RSS_BYTES)),
            met: peak <= PEAK_RSS_BYTES,
            shortfall: format!("{} over", mb(peak.saturating_sub(PEAK_RSS_BYTES))),
        },
        None => Goal {
            name: "server peak resident memory (VmHWM)".into(),
            measured: "unknown".into(),
            target: format!("≤ {}", mb(PEAK_RSS_BYTES)),
            met: false,
            shortfall: "not readable from /proc".into(),
        },
    });
    out.push(spa_goal(spa));
    out
}

fn spa_goal(spa: Option<(u64, u64)>) -> Goal {
    match spa {
        Some((wasm, js)) => Goal {
            name: "web app, gzip -9 of app_bg.wasm + app.js".into(),
            measured: format!("{:.1} KB", (wasm + js) as f64 / 1_000.0),
            target: format!("≤ {} KB", SPA_BYTES / 1_000),
            met: wasm + js <= SPA_BYTES,
            shortfall: format!("{:.1} KB over", (wasm + js).saturating_sub(SPA_BYTES) as f64 / 1_000.0),
        },
        None => Goal {
            name: "web app, gzip -9 of app_bg.wasm + app.js".into(),
            measured: "not built".into(),
            target: format!("≤ {} KB", SPA_BYTES / 1_000),
            met: false,
            shortfall: "run scripts/build-web.sh".into(),
        },
    }
}

/// One backend's tables.
pub fn render(report: &BackendReport, spa: Option<(u64, u64)>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n### {}: {} records, {} subjects\n\nloaded in {:.1} s ({} records/s){}; {} connections\n",
        report.backend,
        thousands(report.records as f64),
        thousands(report.subjects as f64),
        report.load.as_secs_f64(),
        thousands(report.records as f64 / report.load.as_secs_f64().max(1e-9)),
        report.database_bytes.map(|b| format!(", database {}", mb(b))).unwrap_or_default(),
        report.connections,
    );
    let _ = writeln!(out, "| scenario | requests/s | p50 ms | p99 ms | max ms | errors |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for (name, m) in [
        ("bare actix-web JSON handler", &report.bare),
        ("portal search", &report.portal),
        ("authenticated record list", &report.list),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} |",
            thousands(m.per_second()),
            ms(m.p50),
            ms(m.p99),
            ms(m.max),
            m.errors
        );
    }
    let _ = writeln!(out, "\n| insert path | rows/s | batches/s | p50 ms | p99 ms | errors |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    let i = &report.intake;
    let _ = writeln!(
        out,
        "| batch intake, {} rows a batch, upload to final status | {} | {:.2} | {} | {} | {} |",
        thousands(report.batch_rows as f64),
        thousands(i.units_per_second()),
        i.per_second(),
        ms(i.p50),
        ms(i.p99),
        i.errors
    );
    let _ = writeln!(
        out,
        "| raw diesel multi-row insert into `records`, {} rows ({} a transaction, one connection) | {} | | | | 0 |",
        thousands(report.raw_rows as f64),
        thousands(report.batch_rows as f64),
        thousands(report.raw_rows_per_second()),
    );
    let _ = writeln!(out, "\n| goal | measured | target | result |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for goal in goals(report, spa) {
        let verdict = if goal.met { "PASS".to_owned() } else { format!("MISS ({})", goal.shortfall) };
        let _ = writeln!(out, "| {} | {} | {} | {verdict} |", goal.name, goal.measured, goal.target);
    }
    let errors: Vec<(String, u64)> = [("portal", &report.portal), ("list", &report.list), ("intake", &report.intake)]
        .iter()
        .chain([("bare", &report.bare)].iter())
        .flat_map(|(name, m)| m.error_kinds.iter().take(5).map(move |(k, v)| (format!("{name}: {k}"), *v)))
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "\nerrors (first kinds per scenario):");
        for (kind, count) in errors {
            let _ = writeln!(out, "  {count:>7} × {kind}");
        }
    }
    out
}

/// The web app's size line.
pub fn render_spa(spa: Option<(u64, u64)>) -> String {
    match spa {
        Some((wasm, js)) => format!(
            "web app (web/dist), gzip -9: app_bg.wasm {:.1} KB + app.js {:.1} KB = {:.1} KB",
            wasm as f64 / 1_000.0,
            js as f64 / 1_000.0,
            (wasm + js) as f64 / 1_000.0
        ),
        None => "web app: not built (run scripts/build-web.sh)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(0.0), "0");
    }
}
