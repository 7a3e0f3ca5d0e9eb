//! Requests no route took: 405 where the path exists with other methods, a 404 problem under `/api`, and
//! otherwise the SPA's `index.html`, so deep links like `/workbench` load the app (history-mode routing).
//!
//! Which paths and methods exist is read from the OpenAPI document, which is generated from the routes
//! themselves: the 405 answers can never drift from what is really served.

use crate::error::ApiError;
use actix_files::NamedFile;
use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse, Responder};
use std::path::PathBuf;
use utoipa::openapi::OpenApi;

/// Every documented path, as segments (`{param}` matches any one segment), with its methods.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments(path).map(str::to_owned).collect(), methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods served at `path`, or `None` when no route has that shape.
    pub fn methods_at(&self, path: &str) -> Option<Vec<String>> {
        let wanted: Vec<&str> = segments(path).collect();
        let mut found: Vec<String> = Vec::new();
        for (pattern, methods) in &self.routes {
            let matches = pattern.len() == wanted.len()
                && pattern.iter().zip(&wanted).all(|(p, w)| (p.starts_with('{') && p.ends_with('}')) || p == w);
            if matches {
                found.extend(methods.iter().cloned());
            }
        }
        (!found.is_empty()).then(|| {
            found.sort();
            found.dedup();
            found
        })
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Where the built SPA lives (`CREDIT_WEB_DIR`).
#[derive(Debug, Clone)]
pub struct WebDir(pub PathBuf);

pub async fn fallback(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
    web_dir: web::Data<WebDir>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(allowed) = routes.methods_at(path) {
        // The method is served at this shape of path but the request missed it (e.g. a trailing slash).
        if !allowed.iter().any(|m| m == req.method().as_str()) {
            return Err(ApiError::MethodNotAllowed { allowed });
        }
    }
    if path == "/api" || path.starts_with("/api/") {
        return Err(ApiError::not_found(format!("no API endpoint at {path}; see /api/docs")));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::MethodNotAllowed { allowed: vec!["GET".into(), "HEAD".into()] });
    }
    Ok(spa_index(&req, &web_dir.0).await)
}

async fn spa_index(req: &HttpRequest, dir: &std::path::Path) -> HttpResponse {
    match NamedFile::open_async(dir.join("index.html")).await {
        Ok(file) => {
            let mut response = file.use_last_modified(true).respond_to(req).map_into_boxed_body();
            response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => HttpResponse::ServiceUnavailable().content_type("text/html; charset=utf-8").body(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>九江市公共信用信息平台</title>\
             <h1>网页应用尚未构建</h1><p>The web app has not been built: run <code>scripts/build-web.sh</code>. \
             The API is available at <a href=\"/api/docs\">/api/docs</a>.</p></html>",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::OpenApiBuilder;

    #[test]
    fn templated_segments_match_any_value() {
        let paths = PathsBuilder::new()
            .path("/api/v1/regions", PathItem::new(HttpMethod::Get, OperationBuilder::new()))
            .path("/api/v1/regions/{code}", PathItem::new(HttpMethod::Get, OperationBuilder::new()))
            .path("/api/v1/regions/lookup", PathItem::new(HttpMethod::Post, OperationBuilder::new()));
        let table = RouteTable::from_openapi(&OpenApiBuilder::new().paths(paths).build());
        assert_eq!(table.methods_at("/api/v1/regions"), Some(vec!["GET".to_owned()]));
        assert_eq!(table.methods_at("/api/v1/regions/lookup"), Some(vec!["GET".to_owned(), "POST".to_owned()]));
        assert_eq!(table.methods_at("/api/v1/regions/360402/"), Some(vec!["GET".to_owned()]));
        assert_eq!(table.methods_at("/api/v1/nothing"), None);
    }
}
