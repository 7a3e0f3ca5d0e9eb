//! Pages of the account office and of the security auditor.

mod audit;
mod clients;
mod organisations;
mod review;
mod users;

pub use audit::AuditLog;
pub use clients::Clients;
pub use organisations::Organisations;
pub use review::PermissionReviewPage;
pub use users::Users;

use credit_types::identity::OrganisationKind;

/// Chinese name of an organisation kind.
pub fn kind_label(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::DataProvider => "信用信息提供单位",
        OrganisationKind::UserUnit => "信用信息使用单位",
        OrganisationKind::CompetentOffice => "信用信息主管部门",
        OrganisationKind::CountyLeadUnit => "县区牵头部门",
        OrganisationKind::AccountOffice => "市政府信息办",
        OrganisationKind::CreditServiceAgency => "信用服务机构",
    }
}
