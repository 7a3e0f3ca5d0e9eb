//! A filing's multipart body — the `objection` JSON part and up to five `evidence` files — and the evidence files'
//! storage: outside the web root, under random names, written before the database row and removed if it fails.

use crate::error::{ApiError, ApiResult};
use crate::http::upload;
use actix_multipart::Multipart;
use credit_types::objections::{check_objection, NewObjection, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES};
use credit_types::ErrorCode;
use credit_types::FieldError;
use futures_util::StreamExt;
use std::io::Write;
use std::path::{Path, PathBuf};
use validator::Validate;

/// One evidence file as received, its type judged by its content.
pub struct Upload {
    pub file_name: String,
    pub media_type: &'static str,
    pub content: Vec<u8>,
}

/// Reads the filing: the JSON part `objection` (validated) and the `evidence` parts (type and size checked), at most
/// `max_total` bytes in all: the whole request is bounded, not only each file, and a sixth file is refused before
/// it is read.
pub async fn read_filing(mut body: Multipart, max_total: usize) -> ApiResult<(NewObjection, Vec<Upload>)> {
    let mut objection: Option<NewObjection> = None;
    let mut files = Vec::new();
    let mut total = 0usize;
    while let Some(field) = body.next().await {
        let mut field = field.map_err(|e| ApiError::bad_request(ErrorCode::InvalidMultipart, e.to_string()))?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "evidence" && files.len() == MAX_EVIDENCE_FILES {
            return Err(too_many_files());
        }
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
        let limit = if name == "evidence" { MAX_EVIDENCE_BYTES } else { 64 * 1024 };
        let mut content = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::bad_request(ErrorCode::InvalidMultipart, e.to_string()))?;
            if content.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            if total + chunk.len() > max_total {
                return Err(ApiError::PayloadTooLarge { limit: max_total });
            }
            total += chunk.len();
            content.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "objection" => {
                let parsed: NewObjection = serde_json::from_slice(&content).map_err(|e| {
                    ApiError::bad_request(
                        ErrorCode::InvalidJson,
                        format!("the part `objection` is not an objection: {e}"),
                    )
                })?;
                objection = Some(parsed);
            }
            "evidence" => {
                let media_type = upload::document_type(&content)
                    .ok_or(ApiError::UnsupportedMediaType { expected: "application/pdf, image/jpeg or image/png" })?;
                let file_name = upload::file_name(file_name.as_deref(), "evidence");
                files.push(Upload { file_name, media_type, content });
            }
            other => {
                return Err(ApiError::bad_request(ErrorCode::UnknownPart, format!("unexpected part `{other}`")));
            }
        }
    }
    let objection = objection
        .ok_or_else(|| ApiError::bad_request(ErrorCode::MissingPart, "the part `objection` (JSON) is required"))?;
    let mut errors = match objection.validate() {
        Ok(()) => Vec::new(),
        Err(e) => credit_types::problem::field_errors(&e),
    };
    errors.extend(check_objection(&objection));
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    Ok((objection, files))
}

/// Files written for one filing; removed on drop unless kept (the database row committed).
pub struct Stored {
    dir: PathBuf,
    pub names: Vec<String>,
    kept: bool,
}

impl Stored {
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        if !self.kept {
            for name in &self.names {
                let _ = std::fs::remove_file(self.dir.join(name));
            }
        }
    }
}

/// Writes the files under fresh random names in `dir` (created 0700 when missing).
pub fn store(dir: &Path, files: &[Upload]) -> ApiResult<Stored> {
    create_dir(dir)?;
    let mut stored = Stored { dir: dir.to_owned(), names: Vec::new(), kept: false };
    for file in files {
        let name = uuid::Uuid::new_v4().simple().to_string();
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(&name))
            .map_err(ApiError::internal)?;
        out.write_all(&file.content).map_err(ApiError::internal)?;
        out.sync_all().map_err(ApiError::internal)?;
        stored.names.push(name);
    }
    Ok(stored)
}

fn create_dir(dir: &Path) -> ApiResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(ApiError::internal)
}

/// Reads a stored file back.
pub fn read(dir: &Path, stored_name: &str) -> ApiResult<Vec<u8>> {
    // Stored names are ours (hex); anything else never reaches the file system.
    if stored_name.is_empty() || !stored_name.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::not_found("no such evidence"));
    }
    std::fs::read(dir.join(stored_name)).map_err(|_| ApiError::not_found("the evidence file is missing"))
}

/// More evidence files than a filing takes.
fn too_many_files() -> ApiError {
    ApiError::Validation {
        errors: vec![FieldError::new("evidence", "too_many", format!("证据材料最多 {MAX_EVIDENCE_FILES} 个文件"))],
    }
}
