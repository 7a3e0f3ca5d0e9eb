//! The OpenAPI document, generated from the routes themselves (utoipa + utoipa-actix-web), so it cannot
//! describe an endpoint that does not exist or miss one that does. `openapi/openapi.json` is its committed copy.

use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, AppExt, UtoipaApp};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "九江市公共信用信息平台 API (Jiujiang public credit information platform)",
        description = "JSON API of the Jiujiang public credit information platform and credit portal.\n\n\
            Errors are RFC 7807 problem details (`application/problem+json`) with a stable `code`, a human \
            `detail`, the `request_id` (also in the `x-request-id` header) and, for invalid input, `errors` \
            naming each field. Lists return `{items, next_cursor}`: pass `next_cursor` back as `cursor`.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "catalog", description = "The resource catalog: information items, fields, disclosure and publication (R-23.1, R-27.1)"),
        (name = "records", description = "Credit records: submit, read through the access rule, amend, revoke (R-6.1, R-16, R-18)"),
        (name = "intake", description = "Batch intake of records in JSON or CSV (R-6.1, R-17.1)"),
        (name = "portal", description = "The public credit portal: anonymous, masked, rate-limited (R-16.2, R-17.1)"),
        (name = "agreements", description = "Usage agreements of user units with the competent office (R-23.2)"),
        (name = "authorization", description = "Requests for authorised-use records, decisions, grants and their usage log (R-15.1, R-16.1, R-18.1)"),
        (name = "objections", description = "Objections to credit records: filing with evidence, tracking, handling on working-day deadlines (R-29.1, R-28.1)"),
        (name = "calendar", description = "The working-day calendar: holidays and adjusted working days (R-29.1 deadlines)"),
        (name = "statistics", description = "Counts for the competent office (R-5.1)"),
        (name = "audit", description = "The tamper-evident audit trail (R-3.1, R-30.1)"),
        (name = "auth", description = "Signing in and out, tokens, passwords (R-9, R-10)"),
        (name = "clients", description = "API clients of external systems (R-17.1)"),
        (name = "organisations", description = "Organisations (单位): providers, user units, offices (R-7.1, R-9.3)"),
        (name = "users", description = "Personal accounts, managed by the account office (R-9, R-10)"),
        (name = "sessions", description = "Open sessions of every account, flagged when used from more than one address at once; ended by the account office (R-8.2)"),
        (name = "regions", description = "Administrative regions (GB/T 2260) of Jiujiang"),
        (name = "ops", description = "Operations: liveness and readiness probes, the operation log and the automatic health checks (R-12.1), the daily pre-work check and the dashboards' banners (R-21.1), the database's state and the database administrator's checks (R-13.1), backups with a proven restore (R-14.1, R-24.1), metrics and the performance archive (R-14.2)")
    )
)]
struct ApiDoc;

/// The `bearer` security scheme: access tokens from `POST /api/v1/auth/login`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Registers every documented route on `app`; the same call builds the served app and the document.
pub fn register<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.openapi(ApiDoc::openapi())
        .service(crate::ops::health::healthz)
        .service(crate::ops::health::readyz)
        .service(crate::performance::exporter::prometheus_metrics)
        .service(
            scope::scope("/api/v1")
                .configure(crate::identity::routes::configure)
                .configure(crate::identity::organisations::configure)
                .configure(crate::identity::accounts::configure)
                .configure(crate::identity::review::configure)
                .configure(crate::identity::clients::configure)
                .configure(crate::identity::sessions::configure)
                .configure(crate::auditor::routes::configure)
                .configure(crate::regions::routes::configure)
                .configure(crate::catalog::routes::configure)
                .configure(crate::records::routes::configure)
                .configure(crate::intake::routes::configure)
                .configure(crate::portal::routes::configure)
                .configure(crate::statistics::routes::configure)
                .configure(crate::authorization::configure)
                .configure(crate::objections::configure)
                .configure(crate::calendar::routes::configure)
                .configure(crate::oplog::routes::configure)
                .configure(crate::ops::routes::configure)
                .configure(crate::prework::routes::configure)
                .configure(crate::backups::routes::configure)
                .configure(crate::dbadmin::routes::configure)
                .configure(crate::performance::routes::configure),
        )
}

/// The OpenAPI document of this build.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = register(App::new().into_utoipa_app()).split_for_parts().1;
    ProblemResponses.modify(&mut doc);
    doc
}

/// Every error response is a problem document: handlers annotate it as `body = Problem` with their own description
/// of when it happens, and this one place gives all of them the problem's media type, `application/problem+json`
/// (RFC 7807), instead of repeating it in some 190 annotations.
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let is_problem = |schema: &RefOr<Schema>| matches!(schema, RefOr::Ref(r) if r.ref_location == "#/components/schemas/Problem");
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                for response in operation.responses.responses.values_mut() {
                    let RefOr::T(response) = response else { continue };
                    let Some(json) = response.content.get("application/json") else { continue };
                    if json.schema.as_ref().is_some_and(is_problem) {
                        if let Some(content) = response.content.shift_remove("application/json") {
                            response.content.insert(crate::error::PROBLEM_JSON.to_owned(), content);
                        }
                    }
                }
            }
        }
    }
}

/// The document as committed in `openapi/openapi.json` (pretty JSON, trailing newline).
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
