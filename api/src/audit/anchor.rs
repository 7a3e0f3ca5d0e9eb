//! Anchors of the chain's head: at start and daily the head's sequence number and MAC are appended, with
//! the time and the audit key's fingerprint, to a file outside the database (`--audit-anchor-file`) and to the
//! log. Whoever rewrites the history in the database, even consistently, cannot rewrite these: the event at an
//! anchored position no longer carries the anchored MAC. One line per anchor:
//!
//! `2026-11-28T16:00:00.123456Z seq=1234 mac=<64 hex> key=<16 hex>`

use crate::db::Db;
use crate::keys::AuditKey;
use crate::schema::{audit_events, audit_head};
use chrono::{DateTime, SecondsFormat, Utc};
use credit_types::audit::{Anchor, AnchorReport, AnchorStatus};
use diesel::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the anchor file holds, oldest first.
#[derive(Debug, Default)]
pub struct AnchorLog {
    pub anchors: Vec<AnchorLine>,
    /// Lines that read as no anchor.
    pub unreadable: i64,
}

impl AnchorLog {
    /// The key fingerprint of the newest anchor: the key the server last ran with.
    pub fn latest_key_id(&self) -> Option<&str> {
        self.anchors.last().map(|a| a.key_id.as_str())
    }
}

/// One line of the anchor file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLine {
    pub at: DateTime<Utc>,
    pub seq: i64,
    pub mac: String,
    pub key_id: String,
}

impl AnchorLine {
    fn to_line(&self) -> String {
        let at = self.at.to_rfc3339_opts(SecondsFormat::Micros, true);
        format!("{at} seq={} mac={} key={}\n", self.seq, self.mac, self.key_id)
    }

    fn parse(line: &str) -> Option<AnchorLine> {
        let mut parts = line.split(' ');
        let at = DateTime::parse_from_rfc3339(parts.next()?).ok()?.with_timezone(&Utc);
        let seq = parts.next()?.strip_prefix("seq=")?.parse().ok()?;
        let mac = parts.next()?.strip_prefix("mac=")?;
        let key_id = parts.next()?.strip_prefix("key=")?;
        let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
        if parts.next().is_some() || !hex(mac, 64) || !hex(key_id, 16) || seq < 0 {
            return None;
        }
        Some(AnchorLine { at, seq, mac: mac.to_owned(), key_id: key_id.to_owned() })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("audit anchor file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("reading the audit chain's head: {0}")]
    Query(#[from] diesel::result::Error),
}

impl From<AnchorError> for crate::error::ApiError {
    fn from(error: AnchorError) -> Self {
        crate::error::ApiError::internal(error)
    }
}

/// Reads the anchor file; a file not there yet holds no anchors.
pub fn read(path: &Path) -> Result<AnchorLog, AnchorError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(AnchorLog::default()),
        Err(source) => return Err(AnchorError::Io { path: path.to_owned(), source }),
    };
    let mut log = AnchorLog::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match AnchorLine::parse(line.trim()) {
            Some(anchor) => log.anchors.push(anchor),
            None => log.unreadable += 1,
        }
    }
    Ok(log)
}

/// Appends the chain's current head to the anchor file (created mode 0600) and to the log, and returns it.
/// Run in a read transaction: the head row's sequence number and MAC are read together.
pub fn write_head(conn: &mut Db, key: &AuditKey, path: &Path, now: DateTime<Utc>) -> Result<AnchorLine, AnchorError> {
    let (seq, mac): (i64, String) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    let anchor = AnchorLine { at: now, seq, mac, key_id: key.id() };
    let io = |source| AnchorError::Io { path: path.to_owned(), source };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = crate::keys::file::owner_only().create(true).append(true).open(path).map_err(io)?;
    file.write_all(anchor.to_line().as_bytes()).and_then(|()| file.sync_data()).map_err(io)?;
    // The log is a second copy outside the database (log collectors keep it elsewhere); a MAC is no secret.
    tracing::info!(seq = anchor.seq, mac = %anchor.mac, key = %anchor.key_id, "anchored the audit chain's head");
    Ok(anchor)
}

/// Anchors compared per batch, so a long file never makes one huge `IN` list.
const BATCH: usize = 500;

/// Compares every anchor with the stored chain: the oldest that no longer matches, and the newest `latest`.
pub fn check(conn: &mut Db, log: &AnchorLog, latest: usize) -> QueryResult<AnchorReport> {
    let mut stored: HashMap<i64, String> = HashMap::new();
    let seqs: Vec<i64> = log.anchors.iter().map(|a| a.seq).filter(|seq| *seq > 0).collect();
    for chunk in seqs.chunks(BATCH) {
        let rows: Vec<(i64, String)> = audit_events::table
            .filter(audit_events::seq.eq_any(chunk))
            .select((audit_events::seq, audit_events::hash))
            .load(conn)?;
        stored.extend(rows);
    }
    let compared = |line: &AnchorLine| {
        let status = match line.seq {
            0 if line.mac == super::chain::GENESIS_HASH => AnchorStatus::Matches,
            0 => AnchorStatus::Differs,
            seq => match stored.get(&seq) {
                Some(mac) if *mac == line.mac => AnchorStatus::Matches,
                Some(_) => AnchorStatus::Differs,
                None => AnchorStatus::Missing,
            },
        };
        Anchor { anchored_at: line.at, seq: line.seq, mac: line.mac.clone(), key_id: line.key_id.clone(), status }
    };
    Ok(AnchorReport {
        total: log.anchors.len() as i64,
        unreadable: log.unreadable,
        first_mismatch: log.anchors.iter().map(compared).find(|a| a.status != AnchorStatus::Matches),
        latest: log.anchors.iter().rev().take(latest).map(compared).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r30_anchor_lines_read_back_and_anything_else_is_unreadable() {
        let at = DateTime::from_timestamp(1_764_000_000, 123_456_000).unwrap_or_default();
        let anchor = AnchorLine { at, seq: 42, mac: "ab".repeat(32), key_id: "0123456789abcdef".into() };
        let line = anchor.to_line();
        assert_eq!(line, format!("2025-11-24T16:00:00.123456Z seq=42 mac={} key=0123456789abcdef\n", "ab".repeat(32)));
        assert_eq!(AnchorLine::parse(line.trim()), Some(anchor));
        for bad in [
            "2025-11-24T16:00:00Z seq=42 mac=ab key=0123456789abcdef",
            &line.trim().replace("seq=42", "seq=-1"),
            "yesterday seq=1",
            &line.trim().replace("seq=42", "seq=x"),
            &format!("{} extra", line.trim()),
        ] {
            assert_eq!(AnchorLine::parse(bad), None, "{bad}");
        }
    }
}
