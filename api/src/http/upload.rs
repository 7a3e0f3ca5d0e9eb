//! File uploads: the body read up to a limit, and its type judged by its content (magic bytes), never by the
//! name or the declared type a client sends.

use crate::error::{ApiError, ApiResult};
use actix_web::web;
use credit_types::ErrorCode;
use futures_util::StreamExt;

/// Reads the whole body, refusing it (413) as soon as it passes `limit` bytes.
pub async fn read_limited(mut payload: web::Payload, limit: usize) -> ApiResult<Vec<u8>> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(ErrorCode::UnreadableBody, e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.to_vec())
}

/// The media type of a document by its first bytes: PDF, JPEG or PNG; `None` for anything else.
pub fn document_type(content: &[u8]) -> Option<&'static str> {
    if content.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A file name from the `X-File-Name` header (percent-encoded UTF-8), reduced to its last path part and to at
/// most 200 characters; `fallback` when absent or empty.
pub fn file_name(header: Option<&str>, fallback: &str) -> String {
    let decoded = header
        .map(|raw| percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned())
        .unwrap_or_default();
    let base = decoded.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        fallback.to_owned()
    } else {
        clean.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_judged_by_content() {
        assert_eq!(document_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(document_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(document_type(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some("image/png"));
        assert_eq!(document_type(b"MZ\x90\x00"), None, "an executable named letter.pdf is still refused");
        assert_eq!(document_type(b""), None);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(file_name(Some("..%2F..%2Fetc%2Fpasswd"), "f"), "passwd");
        assert_eq!(file_name(Some("%E5%87%BD.pdf"), "f"), "函.pdf");
        assert_eq!(file_name(None, "attachment"), "attachment");
    }
}
