//! Authorised use of credit information: usage agreements with user units,
//! requests routed to the providing unit, its decision, purpose-bound grants that end, and the log of every read
//! made through a grant. Whether a grant lets someone read a record is decided in `access`, not here.

pub mod agreements;
pub mod filing;
pub mod grants;
pub mod requests;
pub mod rules;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    agreements::configure(config);
    requests::configure(config);
    grants::configure(config);
}
