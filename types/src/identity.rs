//! Who people and systems are on the platform: roles, organisation kinds, and the sign-in messages.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// A role a user holds (DESIGN: who uses it). Roles bound every operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Role {
    /// 市信用主管部门: the competent office at city level.
    CityCreditAdmin,
    /// 县区信用主管部门: the county lead unit.
    CountyCreditAdmin,
    /// 信用信息使用单位.
    UserUnit,
    /// 信用信息提供单位.
    DataProvider,
    /// 账号管理员 / 安全保密管理员 (account office, R-9.3).
    AccountAdmin,
    /// 系统管理员.
    SystemAdmin,
    /// 数据库管理员.
    DbAdmin,
    /// 安全审计员.
    SecurityAuditor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::CityCreditAdmin,
        Role::CountyCreditAdmin,
        Role::UserUnit,
        Role::DataProvider,
        Role::AccountAdmin,
        Role::SystemAdmin,
        Role::DbAdmin,
        Role::SecurityAuditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CityCreditAdmin => "city_credit_admin",
            Role::CountyCreditAdmin => "county_credit_admin",
            Role::UserUnit => "user_unit",
            Role::DataProvider => "data_provider",
            Role::AccountAdmin => "account_admin",
            Role::SystemAdmin => "system_admin",
            Role::DbAdmin => "db_admin",
            Role::SecurityAuditor => "security_auditor",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// Chinese name, for screens.
    pub fn label(self) -> &'static str {
        match self {
            Role::CityCreditAdmin => "市信用主管部门",
            Role::CountyCreditAdmin => "县区信用主管部门",
            Role::UserUnit => "信用信息使用单位",
            Role::DataProvider => "信用信息提供单位",
            Role::AccountAdmin => "账号管理员",
            Role::SystemAdmin => "系统管理员",
            Role::DbAdmin => "数据库管理员",
            Role::SecurityAuditor => "安全审计员",
        }
    }

    /// The three separated duties (三员分立: system, account/security, audit): no account holds two of them.
    pub fn is_separated_duty(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::AccountAdmin | Role::SecurityAuditor)
    }

    /// Roles that may read credit content beyond what the public portal shows.
    pub fn reads_credit_content(self) -> bool {
        matches!(self, Role::CityCreditAdmin | Role::CountyCreditAdmin | Role::UserUnit | Role::DataProvider)
    }
}

/// Why a set of roles cannot be held together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleConflict {
    /// Two or more of the separated duties.
    SeparatedDuties(Vec<Role>),
    /// A separated duty together with a role that reads credit content.
    DutyWithCreditContent { duty: Role, content: Role },
}

impl RoleConflict {
    pub fn message(&self) -> String {
        match self {
            RoleConflict::SeparatedDuties(roles) => {
                let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
                format!("系统管理员、账号管理员和安全审计员三员分立,不能由同一账号兼任:{}", names.join("、"))
            }
            RoleConflict::DutyWithCreditContent { duty, content } => {
                format!("{}不得查看信用信息,不能兼任{}", duty.label(), content.label())
            }
        }
    }
}

/// The separated duties are mutually exclusive, and none of them may be combined with a role that reads credit
/// content.
pub fn check_role_set(roles: &[Role]) -> Result<(), RoleConflict> {
    let duties: Vec<Role> = roles.iter().copied().filter(|r| r.is_separated_duty()).collect();
    if duties.len() > 1 {
        return Err(RoleConflict::SeparatedDuties(duties));
    }
    if let (Some(&duty), Some(&content)) = (duties.first(), roles.iter().find(|r| r.reads_credit_content())) {
        return Err(RoleConflict::DutyWithCreditContent { duty, content });
    }
    Ok(())
}

/// What an organisation does on the platform; one organisation may have several kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum OrganisationKind {
    /// 信用信息提供单位.
    DataProvider,
    /// 信用信息使用单位.
    UserUnit,
    /// 信用信息主管部门 (联席会议办公室, R-4.1).
    CompetentOffice,
    /// 县区牵头部门.
    CountyLeadUnit,
    /// 市政府信息办: registers and deactivates accounts.
    AccountOffice,
    /// 信用服务机构.
    CreditServiceAgency,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 6] = [
        OrganisationKind::DataProvider,
        OrganisationKind::UserUnit,
        OrganisationKind::CompetentOffice,
        OrganisationKind::CountyLeadUnit,
        OrganisationKind::AccountOffice,
        OrganisationKind::CreditServiceAgency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::DataProvider => "data_provider",
            OrganisationKind::UserUnit => "user_unit",
            OrganisationKind::CompetentOffice => "competent_office",
            OrganisationKind::CountyLeadUnit => "county_lead_unit",
            OrganisationKind::AccountOffice => "account_office",
            OrganisationKind::CreditServiceAgency => "credit_service_agency",
        }
    }

    pub fn parse(value: &str) -> Option<OrganisationKind> {
        OrganisationKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::DataProvider => "信用信息提供单位",
            OrganisationKind::UserUnit => "信用信息使用单位",
            OrganisationKind::CompetentOffice => "信用信息主管部门",
            OrganisationKind::CountyLeadUnit => "县区牵头部门",
            OrganisationKind::AccountOffice => "市政府信息办",
            OrganisationKind::CreditServiceAgency => "信用服务机构",
        }
    }
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 64, code = "required", message = "请输入登录名"))]
    pub login_name: String,
    #[validate(length(min = 1, max = 256, code = "required", message = "请输入密码"))]
    pub password: String,
}

/// Body of `POST /api/v1/auth/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 256, code = "required", message = "请输入当前密码"))]
    pub current_password: String,
    #[validate(length(min = 1, max = 256, code = "required", message = "请输入新密码"))]
    pub new_password: String,
}

/// The signed-in user, as `GET /api/v1/auth/me` and the sign-in answer describe them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub login_name: String,
    pub full_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub level: crate::RegionLevel,
    pub region_code: String,
    pub roles: Vec<Role>,
    /// True until the password is changed: first sign-in with a one-time password, or the password is too old.
    pub must_change_password: bool,
}

/// Answer of a successful sign-in or refresh. The refresh token travels only in an HttpOnly cookie.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// JWT for the `Authorization: Bearer` header.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: Me,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_separated_duties_exclude_each_other_and_credit_content() {
        assert!(check_role_set(&[Role::AccountAdmin]).is_ok());
        assert!(check_role_set(&[Role::DataProvider, Role::UserUnit]).is_ok());
        assert!(check_role_set(&[Role::DbAdmin, Role::SystemAdmin]).is_ok());
        assert!(matches!(
            check_role_set(&[Role::SystemAdmin, Role::SecurityAuditor]),
            Err(RoleConflict::SeparatedDuties(_))
        ));
        assert!(matches!(
            check_role_set(&[Role::SecurityAuditor, Role::CityCreditAdmin]),
            Err(RoleConflict::DutyWithCreditContent { .. })
        ));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert!(!(role.is_separated_duty() && role.reads_credit_content()));
        }
    }
}

/// A login name: 3 to 32 characters, lower-case letters, digits, `.`, `_` or `-`, starting with a letter.
pub fn is_login_name(value: &str) -> bool {
    (3..=32).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod login_name_tests {
    use super::is_login_name;

    #[test]
    fn login_names_are_plain() {
        assert!(is_login_name("zhang.san"));
        assert!(!is_login_name("Zhang"));
        assert!(!is_login_name("1abc"));
        assert!(!is_login_name("ab"));
        assert!(!is_login_name("张三"));
    }
}

/// An organisation (单位) as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// Unified social credit code (GB 32100).
    pub uscc: String,
    pub level: crate::RegionLevel,
    pub region_code: String,
    pub kinds: Vec<OrganisationKind>,
    pub active: bool,
}

/// Query parameters of `GET /api/v1/organisations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OrganisationListQuery {
    /// Part of the name, or the exact unified social credit code.
    #[validate(length(min = 1, max = 100, code = "length", message = "q is 1 to 100 characters"))]
    pub q: Option<String>,
    pub level: Option<crate::RegionLevel>,
    pub kind: Option<OrganisationKind>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Body of `POST /api/v1/organisations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOrganisationRequest {
    #[validate(length(min = 1, max = 100, code = "length", message = "名称为 1 至 100 个字符"))]
    pub name: String,
    /// Unified social credit code (GB 32100, check character verified).
    #[validate(custom(function = "validate_uscc"))]
    pub uscc: String,
    pub level: crate::RegionLevel,
    /// Must be a region of the same level: the city for city-level organisations, a county for county-level ones.
    pub region_code: String,
    #[validate(length(min = 1, max = 6, code = "required", message = "至少选择一种单位类型"))]
    pub kinds: Vec<OrganisationKind>,
}

fn validate_uscc(value: &str) -> Result<(), validator::ValidationError> {
    crate::codes::check_uscc(value)
        .map_err(|e| validator::ValidationError::new("uscc").with_message(e.message().into()))
}

fn validate_login_name(value: &str) -> Result<(), validator::ValidationError> {
    if is_login_name(value) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("login_name")
            .with_message("登录名为 3 至 32 位小写字母、数字、点、下划线或连字符,以字母开头".into()))
    }
}

fn validate_phone(value: &str) -> Result<(), validator::ValidationError> {
    let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
    if (7..=20).contains(&digits) && value.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ')) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("phone").with_message("电话号码格式不正确".into()))
    }
}

/// Body of `POST /api/v1/users`: a personal account, registered by the account office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub organisation_id: String,
    #[validate(custom(function = "validate_login_name"))]
    pub login_name: String,
    #[validate(length(min = 1, max = 50, code = "length", message = "姓名为 1 至 50 个字符"))]
    pub full_name: String,
    #[validate(custom(function = "validate_phone"))]
    pub phone: Option<String>,
    #[validate(email(code = "email", message = "电子邮箱格式不正确"))]
    pub email: Option<String>,
    #[validate(length(min = 1, max = 8, code = "required", message = "至少分配一个角色"))]
    pub roles: Vec<Role>,
    /// Last day the account may be used; none for no end.
    pub expires_on: Option<chrono::NaiveDate>,
}

/// An account as the account office sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub login_name: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
    pub must_change_password: bool,
    pub expires_on: Option<chrono::NaiveDate>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Answer of account creation and password reset: the one-time password is shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserWithPassword {
    pub user: User,
    /// Give it to the person in confidence; it must be changed at first sign-in.
    pub one_time_password: String,
}

/// Body of `PUT /api/v1/users/{id}/roles`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetRolesRequest {
    #[validate(length(min = 1, max = 8, code = "required", message = "至少分配一个角色"))]
    pub roles: Vec<Role>,
}

/// Body of `POST /api/v1/users/{id}/deactivate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeactivateRequest {
    /// Why (transfer, departure …), as the unit's request states it.
    #[validate(length(min = 1, max = 500, code = "required", message = "请填写注销原因"))]
    pub reason: String,
    /// The colleague who takes over the person's open work.
    pub successor_id: String,
}

/// One thing a deactivated person held, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverItem {
    /// `session`, `api_client`, `authorization_request` (a pending request the person filed); later `objection`.
    pub kind: String,
    pub id: String,
    /// `revoked` (ended with the account) or `moved` (now the successor's).
    pub action: String,
}

/// The record of a deactivation with handover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handover {
    pub id: String,
    pub user_id: String,
    /// The person who left, by name.
    #[serde(default)]
    pub user_name: String,
    pub successor_id: String,
    /// The successor, by name.
    #[serde(default)]
    pub successor_name: String,
    pub reason: String,
    pub items: Vec<HandoverItem>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    /// The account office's administrator who recorded it, by name.
    #[serde(default)]
    pub created_by_name: String,
}

/// Query parameters of `GET /api/v1/users`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    /// Part of the login name or personal name.
    #[validate(length(min = 1, max = 50, code = "length", message = "q is 1 to 50 characters"))]
    pub q: Option<String>,
    pub organisation_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Something in an account a reviewer should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewFlag {
    /// Created but never used.
    NeverLoggedIn,
    /// No sign-in for 30 days or more.
    Dormant,
    /// Holds an administrative role or a city-wide view.
    Privileged,
    /// Its expiry date is within 30 days.
    Expiring,
    /// Deactivated (listed so the review covers every account).
    Inactive,
}

/// One account in the permission review report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEntry {
    pub user_id: String,
    pub login_name: String,
    pub full_name: String,
    pub organisation_name: String,
    pub roles: Vec<Role>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub expires_on: Option<chrono::NaiveDate>,
    pub flags: Vec<ReviewFlag>,
}

/// The permission review report: every account, with flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewReport {
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub accounts: Vec<ReviewEntry>,
}

/// Body of `POST /api/v1/reviews/permissions`: the reviewer's sign-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewSignOff {
    /// Findings and decisions (e.g. which grants were confirmed or revoked).
    #[validate(length(min = 1, max = 2000, code = "required", message = "请填写审查意见"))]
    pub note: String,
}

/// A signed-off review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionReview {
    pub id: String,
    pub reviewed_by: String,
    /// The reviewer's name.
    #[serde(default)]
    pub reviewed_by_name: String,
    pub note: String,
    pub account_count: i32,
    pub flagged_count: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What an external system may do through the API. A client never gets more than its organisation's
/// users could: scopes narrow, they never widen.
pub const SCOPES: [&str; 8] = [
    "organisations:read",
    "records:read",
    "records:write",
    "subjects:read",
    "catalog:read",
    "authorization:read",
    "objections:read",
    "objections:write",
];

fn validate_scopes(scopes: &[String]) -> Result<(), validator::ValidationError> {
    match scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        None => Ok(()),
        Some(unknown) => {
            Err(validator::ValidationError::new("scope").with_message(format!("未知的权限范围:{unknown}").into()))
        }
    }
}

/// Body of `POST /api/v1/clients`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClientRequest {
    pub organisation_id: String,
    #[validate(length(min = 1, max = 100, code = "length", message = "名称为 1 至 100 个字符"))]
    pub name: String,
    #[validate(
        length(min = 1, max = 8, code = "required", message = "至少选择一个权限范围"),
        custom(function = "validate_scopes")
    )]
    pub scopes: Vec<String>,
    /// Requests per minute (1 to 6000).
    #[validate(range(min = 1, max = 6000, code = "range", message = "每分钟请求数为 1 至 6000"))]
    pub rate_limit_per_minute: i32,
}

/// An API client as the account office sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiClient {
    pub id: String,
    pub organisation_id: String,
    /// The organisation, by name.
    #[serde(default)]
    pub organisation_name: String,
    pub name: String,
    /// The `client_id` of the client-credentials grant.
    pub client_id: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i32,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Answer of client registration: the secret is shown this once and stored only hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiClientWithSecret {
    pub client: ApiClient,
    pub client_secret: String,
}

/// Answer of `POST /api/v1/auth/token` (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientTokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    pub scope: String,
}

/// Body of `PUT /api/v1/organisations/{id}`: the whole editable record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationRequest {
    #[validate(length(min = 1, max = 100, code = "length", message = "名称为 1 至 100 个字符"))]
    pub name: String,
    #[validate(length(min = 1, max = 6, code = "required", message = "至少选择一种单位类型"))]
    pub kinds: Vec<OrganisationKind>,
    /// False stops every account and client of the organisation at once.
    pub active: bool,
}

/// Body of `PUT /api/v1/users/{id}`: the person's details (roles and status have their own endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[validate(length(min = 1, max = 50, code = "length", message = "姓名为 1 至 50 个字符"))]
    pub full_name: String,
    #[validate(custom(function = "validate_phone"))]
    pub phone: Option<String>,
    #[validate(email(code = "email", message = "电子邮箱格式不正确"))]
    pub email: Option<String>,
    /// Last day the account may be used; none for no end.
    pub expires_on: Option<chrono::NaiveDate>,
}

/// One open session (a refresh-token family) in the sessions overview: whose it is, since when, when last
/// used, from which addresses and with which browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenSession {
    /// The session's id (the one access tokens carry as `sid`).
    pub id: String,
    pub user_id: String,
    pub login_name: String,
    pub full_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// The last sign-in, refresh or request of the session (kept to the minute).
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    /// The address the session was opened from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The address it was last used from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_address: Option<String>,
    /// The browser's own description (`User-Agent`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The browser and system for people to read, e.g. "Chrome 120 · Windows".
    pub browser: String,
    /// The account uses open sessions from more than one address at once (R-8.2: a concurrent-session anomaly).
    pub flagged: bool,
}

/// Query parameters of `GET /api/v1/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    /// Only sessions of accounts flagged for using more than one address at once.
    pub flagged: Option<bool>,
    /// Only the sessions of this account.
    pub user_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the newest session back).
    pub cursor: Option<String>,
}

/// A `User-Agent` summarised for people: the browser with its major version, and the operating system
/// ("Chrome 120 · Windows", "Firefox 121 · Linux"); "未知浏览器" when none is recognised.
pub fn summarise_user_agent(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.map(str::trim).filter(|u| !u.is_empty()) else {
        return "未知浏览器".to_owned();
    };
    // The order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("OPR/", "Opera"),
        ("QQBrowser/", "QQ 浏览器"),
        ("MicroMessenger/", "微信"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Version/", "Safari"),
        ("curl/", "curl"),
        ("reqwest/", "reqwest"),
        ("python-requests/", "Python requests"),
    ];
    let browser = BROWSERS.iter().find_map(|(marker, name)| {
        let at = ua.find(marker)?;
        let version: String = ua[at + marker.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
        Some(if version.is_empty() { (*name).to_owned() } else { format!("{name} {version}") })
    });
    const SYSTEMS: &[(&str, &str)] = &[
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let system = SYSTEMS.iter().find(|(marker, _)| ua.contains(marker)).map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} · {system}"),
        (Some(browser), None) => browser,
        (None, Some(system)) => format!("其他浏览器 · {system}"),
        (None, None) => {
            let short: String = ua.chars().take(40).collect();
            format!("其他客户端({short})")
        }
    }
}

#[cfg(test)]
mod session_tests {
    use super::summarise_user_agent;

    #[test]
    fn r8_2_user_agents_are_summarised_readably() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36";
        assert_eq!(summarise_user_agent(Some(chrome)), "Chrome 120 · Windows");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
        assert_eq!(summarise_user_agent(Some(edge)), "Edge 120 · Windows");
        let firefox = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(summarise_user_agent(Some(firefox)), "Firefox 121 · Linux");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
        assert_eq!(summarise_user_agent(Some(safari)), "Safari 17 · iOS");
        assert_eq!(summarise_user_agent(Some("curl/8.5.0")), "curl 8");
        assert_eq!(summarise_user_agent(None), "未知浏览器");
        assert_eq!(summarise_user_agent(Some("  ")), "未知浏览器");
        assert!(summarise_user_agent(Some("SomethingElse")).starts_with("其他客户端"));
    }
}

crate::labels::text_column!(Role);

crate::labels::text_column!(OrganisationKind);
crate::labels::labelled!(Role, OrganisationKind);
