//! Files and uploads: downloads handed to the browser, images as `data:` URLs, multipart uploads with their
//! progress (through `XMLHttpRequest`, which reports it where fetch cannot), and the keys that make uploads safe to
//! retry.

use super::ApiError;
use credit_types::Problem;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

/// GETs a file that needs the signed-in user's token and hands it to the browser as a download named `file_name`.
pub(super) async fn download(url: &str, file_name: &str, token: &str) -> Result<(), ApiError> {
    use web_sys::js_sys::{Array, Uint8Array};
    let (bytes, media_type) = super::http::get_bytes(url, token).await?;
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
pub(super) fn post_multipart<T: DeserializeOwned + 'static>(
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
