//! The one client of the platform's API: typed calls that return the body or the API's problem details.

use credit_types::identity::{ChangePasswordRequest, LoginRequest, TokenResponse};
use credit_types::{FieldError, Page, Problem, Region};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The API answered with a problem document.
    Problem(Problem),
    /// The request never got an answer (offline, server down).
    Network(String),
    /// An error status without a problem document (e.g. a proxy's own error page).
    Status(u16),
    /// The answer was not what the API promises.
    Unexpected(String),
}

impl ApiError {
    /// A message for the page, in Chinese with the API's own detail when there is one.
    pub fn message(&self) -> String {
        match self {
            ApiError::Problem(problem) => problem.detail.clone(),
            ApiError::Network(_) => "无法连接到服务器,请检查网络后重试。".to_owned(),
            ApiError::Status(status) => format!("服务器返回错误(HTTP {status}),请稍后重试。"),
            ApiError::Unexpected(detail) => format!("服务器返回了无法识别的内容:{detail}"),
        }
    }

    /// The API's stable error code, if it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => Some(&problem.code),
            _ => None,
        }
    }

    /// The HTTP status of the failed answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(problem) => Some(problem.status),
            ApiError::Status(status) => Some(*status),
            _ => None,
        }
    }

    /// A message for the page in which the statuses that mean the same everywhere read the same everywhere; the
    /// API's own detail otherwise.
    pub fn friendly(&self) -> String {
        match self.status() {
            Some(401) => "登录已失效,请重新登录。".to_owned(),
            Some(403) => "您的账号无权执行此操作。".to_owned(),
            Some(404) => "未找到相关信息,或您无权查看。".to_owned(),
            Some(412) | Some(428) => "数据已被他人修改,请刷新后重试。".to_owned(),
            Some(413) => "文件过大,请分批上传。".to_owned(),
            Some(429) => "查询过于频繁,请稍后再试".to_owned(),
            _ => self.message(),
        }
    }

    /// Per-field errors of a validation problem.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Problem(problem) => problem.errors.clone(),
            _ => Vec::new(),
        }
    }
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

fn with_token(builder: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    let builder = builder.header("Accept", "application/json");
    match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

/// GET `url`, as the signed-in user when `token` is given.
pub async fn get_json<T: DeserializeOwned>(url: &str, token: Option<&str>) -> Result<T, ApiError> {
    let response = with_token(Request::get(url), token).send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// GET a public `url`, past the browser's cache: portal pages may be cached for a minute, but a visitor who has
/// just objected to a record must see its mark at once.
pub async fn get_json_fresh<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let request = with_token(Request::get(url), None).cache(web_sys::RequestCache::NoCache);
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// POST `body` (JSON) to `url`, as the signed-in user when `token` is given.
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: Option<&B>,
    token: Option<&str>,
) -> Result<T, ApiError> {
    send_json(with_token(Request::post(url), token), body).await
}

/// POST with no body and no answer body (204), as the signed-in user.
pub async fn post_empty(url: &str, token: &str) -> Result<(), ApiError> {
    let request =
        with_token(Request::post(url), Some(token)).build().map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
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

/// PUT `body` (JSON) to `url`, as the signed-in user (a resource replaced whole, without versions).
pub async fn put_json<B: Serialize, T: DeserializeOwned>(url: &str, body: &B, token: &str) -> Result<T, ApiError> {
    send_json(with_token(Request::put(url), Some(token)), Some(body)).await
}

/// PUT `body` (JSON) to `url` with `If-Match`, as the signed-in user.
pub async fn put_json_if_match<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    if_match: &str,
    token: &str,
) -> Result<T, ApiError> {
    send_json(with_token(Request::put(url), Some(token)).header("If-Match", if_match), Some(body)).await
}

/// POST `body` (JSON) to `url` with `If-Match`, as the signed-in user.
pub async fn post_json_if_match<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    if_match: &str,
    token: &str,
) -> Result<T, ApiError> {
    send_json(with_token(Request::post(url), Some(token)).header("If-Match", if_match), Some(body)).await
}

/// GET `url` as JSON together with its `ETag` (the version to send back in `If-Match`).
pub async fn get_tagged<T: DeserializeOwned>(url: &str, token: &str) -> Result<(T, Option<String>), ApiError> {
    let response =
        with_token(Request::get(url), Some(token)).send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    let etag = response.headers().get("etag");
    read(response).await.map(|body| (body, etag))
}

/// GET `url` as text (e.g. a CSV template), as the signed-in user.
pub async fn get_text(url: &str, token: &str) -> Result<String, ApiError> {
    let response = Request::get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(problem(response).await);
    }
    response.text().await.map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// POST a CSV file (sent as it is, from the user's disk) to `url`, with an `Idempotency-Key` so that a retried
/// upload cannot make a second batch.
pub async fn post_csv<T: DeserializeOwned>(
    url: &str,
    file: &web_sys::File,
    idempotency_key: &str,
    token: &str,
) -> Result<T, ApiError> {
    let request = with_token(Request::post(url), Some(token))
        .header("Content-Type", "text/csv; charset=utf-8")
        .header("Idempotency-Key", idempotency_key)
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// POST a file (a PDF or an image, sent as it is from the user's disk) to `url`, its name percent-encoded in
/// `X-File-Name`, as the signed-in user.
pub async fn post_file<T: DeserializeOwned>(url: &str, file: &web_sys::File, token: &str) -> Result<T, ApiError> {
    let media_type = if file.type_().is_empty() { "application/octet-stream".to_owned() } else { file.type_() };
    let request = with_token(Request::post(url), Some(token))
        .header("Content-Type", &media_type)
        .header("X-File-Name", &urlencode(&file.name()))
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// GETs a file that needs the signed-in user's token: its bytes and media type (a plain link could not carry the
/// token).
pub async fn fetch_bytes(url: &str, token: &str) -> Result<(Vec<u8>, String), ApiError> {
    let response = Request::get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(problem(response).await);
    }
    let media_type = response.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
    let bytes = response.binary().await.map_err(|e| ApiError::Unexpected(e.to_string()))?;
    Ok((bytes, media_type))
}

/// GETs a file that needs the signed-in user's token and hands it to the browser as a download named `file_name`.
pub async fn download(url: &str, file_name: &str, token: &str) -> Result<(), ApiError> {
    use web_sys::js_sys::{Array, Uint8Array};
    let (bytes, media_type) = fetch_bytes(url, token).await?;
    let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&media_type);
    let failed = |_| ApiError::Unexpected("浏览器无法保存文件".to_owned());
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    let href = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| failed(wasm_bindgen::JsValue::NULL))?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(failed)?.dyn_into().map_err(|_| failed(wasm_bindgen::JsValue::NULL))?;
    link.set_href(&href);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&href);
    Ok(())
}

/// A `data:` URL holding `bytes`: images shown inline from bytes fetched with the token (the app's content security
/// policy admits `data:` images, not `blob:` ones).
pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", base64(bytes))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The progress of an upload: bytes sent of the total (0 when the browser cannot tell).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub sent: f64,
    pub total: f64,
}

impl Progress {
    /// Whole percent, 0 to 100.
    pub fn percent(self) -> u32 {
        if self.total > 0.0 {
            ((self.sent / self.total) * 100.0).clamp(0.0, 100.0).round() as u32
        } else {
            0
        }
    }
}

/// How long a 429 asks the client to wait, in seconds (from `Retry-After`).
pub type RetryAfter = Option<u32>;

/// POSTs `form` (multipart/form-data, the browser writes the boundary) to `url` through `XMLHttpRequest`, whose
/// upload reports its progress to `on_progress` (fetch cannot); `on_done` gets the answer once, with the
/// `Retry-After` of a refusal for too many requests. As the signed-in user when `token` is given.
pub fn post_multipart<T: DeserializeOwned + 'static>(
    url: &str,
    form: &web_sys::FormData,
    token: Option<&str>,
    on_progress: impl Fn(Progress) + 'static,
    on_done: impl FnOnce(Result<T, ApiError>, RetryAfter) + 'static,
) {
    use wasm_bindgen::closure::Closure;
    let unexpected = |e: wasm_bindgen::JsValue| ApiError::Unexpected(format!("{e:?}"));
    let xhr = match web_sys::XmlHttpRequest::new() {
        Ok(xhr) => xhr,
        Err(e) => return on_done(Err(unexpected(e)), None),
    };
    if let Err(e) = xhr.open_with_async("POST", url, true) {
        return on_done(Err(unexpected(e)), None);
    }
    let _ = xhr.set_request_header("Accept", "application/json");
    if let Some(token) = token {
        let _ = xhr.set_request_header("Authorization", &format!("Bearer {token}"));
    }
    if let Ok(upload) = xhr.upload() {
        let progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            let total = if ev.length_computable() { ev.total() } else { 0.0 };
            on_progress(Progress { sent: ev.loaded(), total });
        });
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        // The closure lives as long as the request (the browser drops the request, and its handlers, when done).
        progress.forget();
    }
    // Called once: by `loadend` (which comes exactly once, after success, failure or abort), or when sending fails.
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(on_done)));
    let answer = done.clone();
    let answered = xhr.clone();
    let finished = Closure::once_into_js(move || {
        let Some(on_done) = answer.borrow_mut().take() else { return };
        let status = answered.status().unwrap_or(0);
        let text = answered.response_text().ok().flatten().unwrap_or_default();
        let header = |name: &str| answered.get_response_header(name).ok().flatten();
        let retry_after = header("retry-after").and_then(|v| v.trim().parse().ok());
        let result = if status == 0 {
            Err(ApiError::Network("上传中断".to_owned()))
        } else if (200..300).contains(&status) {
            serde_json::from_str::<T>(&text).map_err(|e| ApiError::Unexpected(e.to_string()))
        } else if header("content-type").is_some_and(|t| t.contains("json")) {
            Err(serde_json::from_str::<Problem>(&text).map(ApiError::Problem).unwrap_or(ApiError::Status(status)))
        } else {
            Err(ApiError::Status(status))
        };
        on_done(result, retry_after);
    });
    xhr.set_onloadend(Some(finished.unchecked_ref()));
    if let Err(e) = xhr.send_with_opt_form_data(Some(form)) {
        if let Some(on_done) = done.borrow_mut().take() {
            on_done(Err(unexpected(e)), None);
        }
    }
}

/// Percent-encodes a query parameter value (UTF-8).
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `path?name=value&…` with the non-empty values, encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", urlencode(value.trim())))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A random UUID (version 4) from the browser's cryptographic generator, e.g. for `Idempotency-Key`.
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Every region: the city and its county-level divisions (fewer than one page).
pub async fn regions() -> Result<Vec<Region>, ApiError> {
    get_json::<Page<Region>>("/api/v1/regions?limit=500", None).await.map(|page| page.items)
}

/// Signs in; the refresh token arrives as an HttpOnly cookie the page never sees.
pub async fn login(request: &LoginRequest) -> Result<TokenResponse, ApiError> {
    post_json("/api/v1/auth/login", Some(request), None).await
}

/// New tokens from the refresh-token cookie, if a session is open.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    post_json::<(), _>("/api/v1/auth/refresh", None, None).await
}

pub async fn change_password(token: &str, request: &ChangePasswordRequest) -> Result<TokenResponse, ApiError> {
    post_json("/api/v1/auth/password", Some(request), Some(token)).await
}

pub async fn logout(token: &str) -> Result<(), ApiError> {
    post_empty("/api/v1/auth/logout", token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe]), "//4=");
        assert_eq!(data_url("image/png", b"ab"), "data:image/png;base64,YWI=");
    }

    #[test]
    fn progress_in_whole_percent() {
        assert_eq!(Progress { sent: 50.0, total: 200.0 }.percent(), 25);
        assert_eq!(Progress { sent: 1.0, total: 0.0 }.percent(), 0);
        assert_eq!(Progress { sent: 300.0, total: 200.0 }.percent(), 100);
    }
}
