//! Objections to credit records (异议申诉, R-29.1): filing with evidence on the portal or at the counter, the
//! objection mark, deadlines on the working-day calendar, acceptance and decision by the providing unit with
//! correction as a new record version, the appellant's tracking, escalation of overdue objections, and the
//! privacy of appellants.

pub mod contacts;
pub mod evidence;
pub mod filing;
pub mod handling;
pub mod jobs;
pub mod rules;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    filing::configure(config);
    handling::configure(config);
}
