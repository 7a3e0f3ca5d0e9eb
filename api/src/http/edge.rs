//! What every response gets, whatever produced it: a request id (header, log span and problem body), security
//! headers, a cache policy, an access log line, and — as a last guard — a problem body for any error response
//! that some layer (actix itself, CORS) rendered as plain text.

use super::request_context::{self, RequestContext};
use crate::error::{ApiError, PROBLEM_JSON};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::ResponseError;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// The SPA: scripts and styles from our own origin only; `wasm-unsafe-eval` lets the browser compile the app.
const CSP_APP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";
/// Swagger UI styles some elements inline, so its pages alone allow inline styles.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = request_context::id_from_header(req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()));
    let path = req.path().to_owned();
    let method = req.method().clone();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let context = RequestContext { id: id.clone(), path: path.clone() };

    // Inside the scope, so that a replacement problem body still quotes the request id.
    let outcome = request_context::scope(context, async move {
        next.call(req).await.map(|response| ensure_problem_body(response.map_into_boxed_body()))
    })
    .instrument(span.clone())
    .await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    span.in_scope(|| {
        tracing::info!(status = status.as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "served");
    });
    match outcome {
        Ok(response) => {
            let mut response = response;
            finish_headers(response.headers_mut(), &id, &path);
            Ok(response)
        }
        // An error some layer gave up with is rendered by the server itself: give it our headers too.
        Err(mut error) => {
            error.add_response_mapper(move |mut response| {
                finish_headers(response.headers_mut(), &id, &path);
                response
            });
            Err(error)
        }
    }
}

fn finish_headers(headers: &mut HeaderMap, id: &str, path: &str) {
    set(headers, HeaderName::from_static(REQUEST_ID), id);
    set_security_headers(headers, path);
}

/// Error responses that are not already problems (nor HTML pages meant for people) become problems,
/// keeping the status and the headers that matter to clients (`Allow`, `Retry-After`).
fn ensure_problem_body(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html") {
        return response;
    }
    let detail = match response.response().error() {
        Some(error) if status.is_client_error() => error.to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let kept: Vec<_> = [header::ALLOW, header::RETRY_AFTER]
        .into_iter()
        .filter_map(|name| response.headers().get(&name).cloned().map(|value| (name, value)))
        .collect();
    let (request, _) = response.into_parts();
    let mut replacement = ApiError::Status { status, detail }.error_response();
    for (name, value) in kept {
        replacement.headers_mut().insert(name, value);
    }
    ServiceResponse::new(request, replacement)
}

fn set_security_headers(headers: &mut HeaderMap, path: &str) {
    let is_docs = path.starts_with("/api/docs");
    let is_api = path.starts_with("/api/") || path == "/api";
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    set_default(headers, header::REFERRER_POLICY, "no-referrer");
    set_default(headers, header::CONTENT_SECURITY_POLICY, if is_docs { CSP_DOCS } else { CSP_APP });
    set_default(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    set_default(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set_default(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set_default(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    // Credit data must not linger in shared caches; static files revalidate. Handlers may choose otherwise.
    set_default(headers, header::CACHE_CONTROL, if is_api && !is_docs { "no-store" } else { "no-cache" });
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
