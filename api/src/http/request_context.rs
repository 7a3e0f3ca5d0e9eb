//! The current request's id and path, reachable from anywhere on the request's task (e.g. when rendering an
//! error), without threading them through every function.

use std::future::Future;

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub id: String,
    pub path: String,
}

tokio::task_local! {
    static CURRENT: RequestContext;
}

/// Runs `future` with `context` as the current request.
pub async fn scope<F: Future>(context: RequestContext, future: F) -> F::Output {
    CURRENT.scope(context, future).await
}

/// Runs blocking `work` (on another thread) with `context` as the current request, so what it records (audit
/// events, problems) names the request it serves; task-locals do not follow work onto the blocking pool.
pub fn sync_scope<T>(context: Option<RequestContext>, work: impl FnOnce() -> T) -> T {
    match context {
        Some(context) => CURRENT.sync_scope(context, work),
        None => work(),
    }
}

/// The request being served on this task, if any.
pub fn current() -> Option<RequestContext> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Keeps a caller-supplied `X-Request-Id` when it is short and plain; otherwise makes a new one (UUIDv7,
/// so ids sort by time in the logs).
pub fn id_from_header(header: Option<&str>) -> String {
    match header {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) =>
        {
            id.to_owned()
        }
        _ => uuid::Uuid::now_v7().simple().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_ids_and_replaces_the_rest() {
        assert_eq!(id_from_header(Some("abc-123")), "abc-123");
        assert_eq!(id_from_header(None).len(), 32);
        assert_ne!(id_from_header(Some("evil\nlog line")), "evil\nlog line");
        assert_eq!(id_from_header(Some(&"x".repeat(65))).len(), 32);
    }
}
