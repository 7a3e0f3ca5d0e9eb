//! What an API client may call: each operation's scopes are declared once, in its OpenAPI annotation
//! (`security(("bearer" = ["records:read"]))`), and checked here for every client request before anything else
//! runs (a middleware: extractors run side by side, so a check inside one could lose the race to a body error).
//! A secured operation that declares no scope is for people's accounts only, so a handler that forgets to think
//! about clients refuses them rather than serving them. The token's scopes are checked here; the principal's (the
//! token's within what the client holds now) bound what the handler then does.

use super::tokens;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;
use credit_types::ErrorCode;
use std::collections::HashMap;
use utoipa::openapi::path::Operation;
use utoipa::openapi::OpenApi;

/// The scopes each operation accepts, by method and path template (as routes are matched); `None` for a public
/// operation (no security requirement).
#[derive(Debug, Default)]
pub struct ClientScopes {
    operations: HashMap<(String, String), Option<Vec<String>>>,
}

impl ClientScopes {
    /// Reads the scopes of every operation from the OpenAPI document, which is generated from the routes.
    pub fn from_openapi(doc: &OpenApi) -> ClientScopes {
        let mut operations = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let methods: [(&str, &Option<Operation>); 7] = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
                ("HEAD", &item.head),
                ("OPTIONS", &item.options),
            ];
            for (method, operation) in methods {
                if let Some(operation) = operation {
                    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                    let scopes = secured.then(|| bearer_scopes(operation));
                    operations.insert((method.to_owned(), path.clone()), scopes);
                }
            }
        }
        ClientScopes { operations }
    }

    /// Whether a client holding `held` may call `method` on the route matched as `pattern`: it must hold one of the
    /// operation's scopes; a secured operation without scopes is refused to every client. Public operations, and
    /// paths that are no operation (the fallback answers those), pass.
    pub fn check(&self, method: &str, pattern: Option<&str>, held: &[String]) -> ApiResult<()> {
        let wanted =
            pattern.and_then(|p| self.operations.get(&(method.to_owned(), p.to_owned()))).and_then(Option::as_ref);
        match wanted {
            None => Ok(()),
            Some(wanted) if wanted.is_empty() => Err(ApiError::forbidden(
                ErrorCode::PersonRequired,
                "this operation is for people's accounts, not API clients",
            )),
            Some(wanted) if !wanted.iter().any(|scope| held.contains(scope)) => Err(ApiError::forbidden(
                ErrorCode::InsufficientScope,
                format!("this client lacks the scope {}", wanted.join(" or ")),
            )),
            Some(_) => Ok(()),
        }
    }
}

/// The middleware: a request with a valid client token is checked against its operation's scopes before routing to
/// the handler; anything else (people's tokens, invalid tokens, no token) is left to the principal's extractor.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(refusal) = refusal(&req) {
        // Rendered here, within the request's context, so the problem quotes the request id.
        let response = actix_web::ResponseError::error_response(&refusal);
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

fn refusal(req: &ServiceRequest) -> Option<ApiError> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?;
    let claims = tokens::verify(token.trim(), state.token_key().bytes()).ok()?;
    if !claims.is_client() {
        return None;
    }
    let Some(table) = req.app_data::<web::Data<ClientScopes>>() else {
        return Some(ApiError::internal("ClientScopes missing"));
    };
    let held: Vec<String> = claims.scope.as_deref().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    table.check(req.method().as_str(), req.match_pattern().as_deref(), &held).err()
}

/// The scopes an operation's `bearer` requirement lists.
fn bearer_scopes(operation: &Operation) -> Vec<String> {
    let Ok(requirements) = serde_json::to_value(&operation.security) else { return Vec::new() };
    requirements
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|requirement| requirement.get("bearer"))
        .filter_map(|scopes| scopes.as_array())
        .flatten()
        .filter_map(|scope| scope.as_str().map(str::to_owned))
        .collect()
}
