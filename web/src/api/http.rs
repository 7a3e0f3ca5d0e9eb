//! The transport under the typed calls: one request builder, JSON in and out, the `ETag` of versioned resources,
//! and problem documents read into [`ApiError`]. Pages never call these with a URL of their own: they use the
//! typed calls beside this module, which build their URLs with [`super::url`].

use super::ApiError;
use credit_types::{Page, Problem};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Who a request is sent as: a signed-in user (their access token) or nobody (the public portal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As<'a> {
    User(&'a str),
    Public,
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    Err(problem(response).await)
}

/// The error of a non-2xx answer: its `application/problem+json` body when it has one, else its status.
async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let is_json = response.headers().get("content-type").is_some_and(|t| t.contains("json"));
    if !is_json {
        return ApiError::Status(status);
    }
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem(problem),
        Err(_) => ApiError::Status(status),
    }
}

/// Accepts JSON and, for a user with a token, carries it (signed out the token is empty: no header, the API 401s).
fn with_token(builder: RequestBuilder, caller: As<'_>) -> RequestBuilder {
    let builder = builder.header("Accept", "application/json");
    match caller {
        As::User(token) if !token.is_empty() => builder.header("Authorization", &format!("Bearer {token}")),
        _ => builder,
    }
}

/// Carries the user's token only: for files, whose answers are not JSON.
fn with_token_only(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

async fn send(builder: RequestBuilder) -> Result<Response, ApiError> {
    builder.send().await.map_err(|e| ApiError::Network(e.to_string()))
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let request = match body {
        Some(body) => builder.json(body).map_err(|e| ApiError::Unexpected(e.to_string()))?,
        None => builder.build().map_err(|e| ApiError::Unexpected(e.to_string()))?,
    };
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// GET `url` as JSON.
pub async fn get<T: DeserializeOwned>(url: &str, caller: As<'_>) -> Result<T, ApiError> {
    read(send(with_token(Request::get(url), caller)).await?).await
}

/// One page of a list: the first, or the one after `cursor`. The pager's one way in.
pub async fn page<T: DeserializeOwned>(url: &str, cursor: Option<&str>, caller: As<'_>) -> Result<Page<T>, ApiError> {
    let url = match cursor {
        Some(cursor) => super::url::with_cursor(url, cursor),
        None => url.to_owned(),
    };
    get(&url, caller).await
}

/// GET a public `url`, past the browser's cache: portal pages may be cached for a minute, but a visitor who has
/// just objected to a record must see its mark at once.
pub async fn get_fresh<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(send(with_token(Request::get(url), As::Public).cache(web_sys::RequestCache::NoCache)).await?).await
}

/// GET `url` as JSON together with its `ETag` (the version to send back in `If-Match`); without one, the version
/// `fallback` gives from the body.
pub async fn get_tagged<T: DeserializeOwned>(
    url: &str,
    token: &str,
    fallback: impl FnOnce(&T) -> i32,
) -> Result<(T, String), ApiError> {
    let response = send(with_token(Request::get(url), As::User(token))).await?;
    let etag = response.headers().get("etag");
    let body: T = read(response).await?;
    let etag = etag.unwrap_or_else(|| format!("\"{}\"", fallback(&body)));
    Ok((body, etag))
}

/// POST `body` (JSON, or none) to `url`.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: Option<&B>,
    caller: As<'_>,
) -> Result<T, ApiError> {
    send_json(with_token(Request::post(url), caller), body).await
}

/// POST with no body and no answer body (204), as the signed-in user.
pub async fn post_empty(url: &str, token: &str) -> Result<(), ApiError> {
    let request =
        with_token(Request::post(url), As::User(token)).build().map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// DELETE `url` as the signed-in user, expecting no answer body (204).
pub async fn delete(url: &str, token: &str) -> Result<(), ApiError> {
    let request =
        with_token(Request::delete(url), As::User(token)).build().map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// PUT `body` (JSON) to `url`, as the signed-in user (a resource replaced whole, without versions).
pub async fn put<B: Serialize, T: DeserializeOwned>(url: &str, body: &B, token: &str) -> Result<T, ApiError> {
    send_json(with_token(Request::put(url), As::User(token)), Some(body)).await
}

/// PUT `body` (JSON) to `url` with `If-Match`, as the signed-in user.
pub async fn put_if_match<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    if_match: &str,
    token: &str,
) -> Result<T, ApiError> {
    send_json(with_token(Request::put(url), As::User(token)).header("If-Match", if_match), Some(body)).await
}

/// POST `body` (JSON) to `url` with `If-Match`, as the signed-in user.
pub async fn post_if_match<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    if_match: &str,
    token: &str,
) -> Result<T, ApiError> {
    send_json(with_token(Request::post(url), As::User(token)).header("If-Match", if_match), Some(body)).await
}

/// GET `url` as text (e.g. a CSV template), as the signed-in user.
pub async fn get_text(url: &str, token: &str) -> Result<String, ApiError> {
    let response = send(with_token_only(Request::get(url), token)).await?;
    if !response.ok() {
        return Err(problem(response).await);
    }
    response.text().await.map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// GETs a file that needs the signed-in user's token: its bytes and media type (a plain link could not carry the
/// token).
pub async fn get_bytes(url: &str, token: &str) -> Result<(Vec<u8>, String), ApiError> {
    let response = send(with_token_only(Request::get(url), token)).await?;
    if !response.ok() {
        return Err(problem(response).await);
    }
    let media_type = response.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
    let bytes = response.binary().await.map_err(|e| ApiError::Unexpected(e.to_string()))?;
    Ok((bytes, media_type))
}

/// POST a file from the user's disk, sent as it is with `media_type` and the extra `headers`, as the signed-in user.
pub async fn post_file<T: DeserializeOwned>(
    url: &str,
    file: &web_sys::File,
    media_type: &str,
    headers: &[(&str, &str)],
    token: &str,
) -> Result<T, ApiError> {
    let builder = headers.iter().fold(
        with_token(Request::post(url), As::User(token)).header("Content-Type", media_type),
        |b, (name, value)| b.header(name, value),
    );
    let request =
        builder.body(wasm_bindgen::JsValue::from(file.clone())).map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}
