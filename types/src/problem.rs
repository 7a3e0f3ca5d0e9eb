//! RFC 7807 problem details: the one shape every API error takes.

use crate::ErrorCode;
use serde::{Deserialize, Serialize};

/// An error response (`application/problem+json`, RFC 7807).
///
/// `code` is stable and meant for programs; `title` and `detail` are for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` is never used: every kind has its own).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code, repeated for convenience.
    pub status: u16,
    /// Human-readable explanation of this occurrence.
    pub detail: String,
    /// Stable machine-readable error code, e.g. `validation_failed`.
    pub code: ErrorCode,
    /// The request path this problem answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The request id, also sent as the `x-request-id` header; quote it when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// On the OAuth token endpoint: the RFC 6749 §5.2 error code (`invalid_client`, `invalid_grant` …), for OAuth
    /// client libraries; it equals `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Per-field errors, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name or path, e.g. `codes[2]` or `level`.
    pub field: String,
    /// Stable code of the broken rule, e.g. `required`, `length`, `pattern`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// Flattens `validator` errors into field errors with dotted / indexed paths.
pub fn field_errors(errors: &validator::ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field).then(a.code.cmp(&b.code)));
    out
}

fn collect(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            Kind::Field(list) => out.extend(list.iter().map(|e| {
                let message = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| e.code.to_string());
                FieldError::new(path.clone(), e.code.to_string(), message)
            })),
            Kind::Struct(inner) => collect(inner, &path, out),
            Kind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}
