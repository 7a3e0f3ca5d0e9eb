//! The app factory: routes, shared data, middleware and the SPA, assembled the same way for the server and
//! for tests.

use crate::config::Settings;
use crate::error::ApiError;
use crate::http::edge::{self, REQUEST_ID};
use crate::http::fallback::{self, RouteTable, WebDir};
use crate::http::metrics::MetricsGate;
use crate::http::BodyLimit;
use crate::identity::scopes::ClientScopes;
use crate::openapi;
use crate::state::AppState;
use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Compress};
use actix_web::web::Redirect;
use actix_web::{guard, web, App};
use std::sync::Arc;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// What the factory needs, built once and shared by every worker.
#[derive(Clone)]
pub struct AppContext {
    pub state: AppState,
    pub settings: Arc<Settings>,
    pub routes: Arc<RouteTable>,
    pub client_scopes: Arc<ClientScopes>,
    pub doc: Arc<utoipa::openapi::OpenApi>,
    /// Who may read `/metrics`.
    pub metrics_gate: Arc<MetricsGate>,
}

impl AppContext {
    /// The context of an app whose `/metrics` is guarded by `metrics_gate` (`PerformanceSettings::gate`, which reads
    /// the token file). Installs the process's metrics recorder, once.
    pub fn new(state: AppState, settings: Settings, metrics_gate: MetricsGate) -> Self {
        crate::http::metrics::install();
        let doc = openapi::document();
        AppContext {
            metrics_gate: Arc::new(metrics_gate),
            state,
            settings: Arc::new(settings),
            routes: Arc::new(RouteTable::from_openapi(&doc)),
            client_scopes: Arc::new(ClientScopes::from_openapi(&doc)),
            doc: Arc::new(doc),
        }
    }
}

pub fn build(
    context: &AppContext,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let settings = &context.settings;
    let (app, _) = openapi::register(App::new().into_utoipa_app()).split_for_parts();
    let mut app = app
        .app_data(web::Data::new(context.state.clone()))
        .app_data(web::Data::from(context.routes.clone()))
        .app_data(web::Data::from(context.client_scopes.clone()))
        .app_data(web::Data::new(WebDir(settings.web_dir.clone())))
        .app_data(web::Data::new(settings.daily_check.clone()))
        .app_data(web::Data::new(crate::backups::run::Environment::of(settings)))
        .app_data(web::Data::new(settings.performance.clone()))
        .app_data(web::Data::from(context.metrics_gate.clone()))
        .app_data(web::Data::new(settings.health.clone()))
        .app_data(web::Data::new(crate::ops::checks::Probes::of(settings)))
        .app_data(BodyLimit(settings.max_body_bytes))
        .app_data(web::PayloadConfig::new(settings.max_body_bytes))
        .app_data(
            web::PathConfig::default()
                .error_handler(|error, _| ApiError::invalid_parameter("path", "invalid", error.to_string()).into()),
        )
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", (*context.doc).clone()))
        // Swagger UI lives under `/api/docs/`; the bare path is the one people type.
        .route("/api/docs", web::get().to(|| async { Redirect::to("/api/docs/").permanent() }));
    if settings.web_dir.is_dir() {
        app = app.service(
            actix_files::Files::new("/", &settings.web_dir)
                .index_file("index.html")
                // Other methods fall through to `fallback`, which answers 405 with `Allow`.
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .default_handler(web::to(fallback::fallback)),
        );
    }
    app.default_service(web::to(fallback::fallback))
        .wrap(from_fn(crate::identity::scopes::guard))
        .wrap(Compress::default())
        .wrap(cors(&settings.cors_origins))
        .wrap(from_fn(crate::http::metrics::track))
        .wrap(from_fn(edge::edge))
}

/// Cross-origin calls only from the configured origins; same-origin requests (which browsers also label
/// with `Origin` on writes) are always fine.
fn cors(origins: &[String]) -> Cors {
    let origins: Vec<String> = origins.to_vec();
    Cors::default()
        .allowed_origin_fn(move |origin, head| {
            origins.iter().any(|o| o.as_bytes() == origin.as_bytes())
                || is_same_origin(origin, head.headers.get(header::HOST))
        })
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH, header::ACCEPT])
        .allowed_header("idempotency-key")
        .allowed_header(REQUEST_ID)
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION])
        .expose_headers([REQUEST_ID])
        .max_age(3600)
}

fn is_same_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(|h| h.to_str())) else { return false };
    origin.split_once("://").is_some_and(|(_, authority)| authority == host)
}
