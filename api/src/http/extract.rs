//! Validating extractors: `ValidJson<T>` for bodies and `ValidQuery<T>` for query strings.
//!
//! They replace actix's `Json`/`Query` so that every way a request can be wrong ends in one of our problem
//! responses: 415 for a non-JSON body, 413 past the size limit, 400 for unparseable input, and field errors
//! (with the field's path, found by `serde_path_to_error`) for input of the wrong shape or breaking a rule.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest};
use credit_types::ErrorCode;
use credit_types::FieldError;
use futures_util::future::{ready, LocalBoxFuture, Ready};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::Validate;

/// Largest JSON body accepted, in bytes (app data; 1 MiB when absent).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit(1024 * 1024)
    }
}

/// A JSON body, parsed and validated.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<BodyLimit>().copied().unwrap_or_default().0;
        let is_json = has_json_content_type(req);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType { expected: "application/json" });
            }
            if declared.is_some_and(|len| len > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::bad_request(ErrorCode::UnreadableBody, format!("{e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            let value: T = parse_json(&body)?;
            value.validate()?;
            Ok(ValidJson(value))
        })
    }
}

fn has_json_content_type(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Syntax errors are 400 (`malformed_json`); well-formed JSON of the wrong shape is 422 naming the field.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let inner = error.inner();
        if inner.is_data() {
            ApiError::Validation {
                errors: vec![FieldError::new(field_path(&error.path().to_string()), "invalid", inner.to_string())],
            }
        } else if body.iter().all(u8::is_ascii_whitespace) {
            ApiError::bad_request(ErrorCode::MalformedJson, "the request body is empty; send a JSON document")
        } else {
            ApiError::bad_request(ErrorCode::MalformedJson, format!("the body is not valid JSON: {inner}"))
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::bad_request(ErrorCode::MalformedJson, format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

/// `serde_path_to_error` names the document root `.`; field errors call it `body`.
fn field_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

/// Query parameters, parsed and validated; any problem is a 400 naming the parameter.
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned + Validate> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    let value: T = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        let field = if path == "." || path.is_empty() { unknown_field(&message).unwrap_or("query") } else { &path };
        ApiError::invalid_parameter(field, "invalid", message.clone())
    })?;
    value.validate().map_err(|errors| ApiError::BadRequest {
        code: ErrorCode::InvalidParameter,
        detail: "invalid query parameters".into(),
        errors: credit_types::problem::field_errors(&errors),
    })?;
    Ok(value)
}

/// Picks the name out of serde's "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Q {
        #[validate(range(min = 1, max = 10))]
        limit: Option<u32>,
    }

    fn first_field(error: ApiError) -> String {
        error.to_problem().errors.first().map(|e| e.field.clone()).unwrap_or_default()
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(parse_query::<Q>("limit=3").ok().and_then(|q| q.limit), Some(3));
        assert_eq!(parse_query::<Q>("limit=abc").err().map(first_field).as_deref(), Some("limit"));
        assert_eq!(parse_query::<Q>("limit=11").err().map(first_field).as_deref(), Some("limit"));
        assert_eq!(parse_query::<Q>("color=red").err().map(first_field).as_deref(), Some("color"));
    }

    #[test]
    fn json_syntax_is_400_and_shape_is_422() {
        #[derive(Debug, Deserialize)]
        struct B {
            #[allow(dead_code)]
            codes: Vec<String>,
        }
        let status = |e: ApiError| actix_web::ResponseError::status_code(&e).as_u16();
        assert_eq!(parse_json::<B>(b"{\"codes\": [").err().map(status), Some(400));
        assert_eq!(parse_json::<B>(b"  ").err().map(status), Some(400));
        assert_eq!(parse_json::<B>(b"{\"codes\": []} x").err().map(status), Some(400));
        let shape = parse_json::<B>(b"{\"codes\": [1]}").err();
        assert_eq!(shape.as_ref().map(|e| actix_web::ResponseError::status_code(e).as_u16()), Some(422));
        assert_eq!(shape.map(first_field).as_deref(), Some("codes[0]"));
    }
}
