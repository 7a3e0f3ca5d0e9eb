//! Authorised use of credit information as the API sends and receives it: usage agreements, requests
//! for authorised-use records with their purpose and legal basis, and the grants a providing unit
//! gives.

use crate::FieldError;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use validator::Validate;

/// Why a user unit asks for authorised-use information (R-15.1: information is used for a stated, lawful purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Purpose {
    /// 行政审批
    AdministrativeApproval,
    /// 监管执法
    SupervisionEnforcement,
    /// 公共资源交易
    PublicResourceTrading,
    /// 表彰评优
    CommendationReview,
    /// Other, described in `purpose_text`.
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::AdministrativeApproval,
        Purpose::SupervisionEnforcement,
        Purpose::PublicResourceTrading,
        Purpose::CommendationReview,
        Purpose::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::AdministrativeApproval => "administrative_approval",
            Purpose::SupervisionEnforcement => "supervision_enforcement",
            Purpose::PublicResourceTrading => "public_resource_trading",
            Purpose::CommendationReview => "commendation_review",
            Purpose::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::AdministrativeApproval => "行政审批",
            Purpose::SupervisionEnforcement => "监管执法",
            Purpose::PublicResourceTrading => "公共资源交易",
            Purpose::CommendationReview => "表彰评优",
            Purpose::Other => "其他",
        }
    }
}

/// A usage agreement's state: only an active one within its dates is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum AgreementStatus {
    Active,
    /// Paused by the competent office; may be resumed.
    Suspended,
    /// Ended for good.
    Ended,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 3] = [AgreementStatus::Active, AgreementStatus::Suspended, AgreementStatus::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::Active => "active",
            AgreementStatus::Suspended => "suspended",
            AgreementStatus::Ended => "ended",
        }
    }

    pub fn parse(value: &str) -> Option<AgreementStatus> {
        AgreementStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgreementStatus::Active => "有效",
            AgreementStatus::Suspended => "已暂停",
            AgreementStatus::Ended => "已终止",
        }
    }
}

/// Body of `POST /api/v1/agreements`: the competent office records an agreement with a user unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAgreementRequest {
    /// The user unit (organisation id).
    #[validate(length(min = 1, max = 64, code = "required", message = "请选择使用单位"))]
    pub organisation_id: String,
    /// The agreement's document number, e.g. 九信用协〔2026〕3号.
    #[validate(length(min = 2, max = 100, code = "length", message = "协议编号为 2 至 100 个字符"))]
    pub document_no: String,
    /// Catalog item codes the agreement covers.
    #[validate(length(min = 1, max = 50, code = "required", message = "至少选择一个目录项"))]
    pub catalog_items: Vec<String>,
    /// Purposes the unit may request for.
    #[validate(length(min = 1, max = 5, code = "required", message = "至少选择一种用途"))]
    pub purposes: Vec<Purpose>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// Checks what field attributes cannot: the dates' order, and no code or purpose twice.
pub fn check_agreement(request: &NewAgreementRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if request.valid_to < request.valid_from {
        errors.push(FieldError::new("valid_to", "before_start", "截止日期不能早于起始日期"));
    }
    let mut codes = request.catalog_items.clone();
    codes.sort();
    codes.dedup();
    if codes.len() != request.catalog_items.len() {
        errors.push(FieldError::new("catalog_items", "duplicate", "目录项重复"));
    }
    let mut purposes = request.purposes.clone();
    purposes.sort();
    purposes.dedup();
    if purposes.len() != request.purposes.len() {
        errors.push(FieldError::new("purposes", "duplicate", "用途重复"));
    }
    errors
}

/// Body of the agreement state changes (suspend, resume, end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgreementChange {
    #[validate(length(min = 2, max = 500, code = "length", message = "请说明原因(2 至 500 个字)"))]
    pub reason: String,
}

/// A usage agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agreement {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub document_no: String,
    pub catalog_items: Vec<String>,
    pub purposes: Vec<Purpose>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: AgreementStatus,
    /// Active and within its dates today.
    pub current: bool,
    /// Why it was last suspended, resumed or ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    /// Who recorded it, by name.
    #[serde(default)]
    pub created_by_name: String,
    pub updated_at: NaiveDateTime,
}

/// Query parameters of `GET /api/v1/agreements`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AgreementListQuery {
    /// The user unit.
    pub organisation_id: Option<String>,
    pub status: Option<AgreementStatus>,
    /// Agreements covering this catalog item code.
    pub catalog_item: Option<String>,
    /// Only agreements in force today (true) or not (false).
    pub current: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A request's state: decided once, by the providing unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] =
        [RequestStatus::Pending, RequestStatus::Approved, RequestStatus::Rejected, RequestStatus::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Pending => "待审核",
            RequestStatus::Approved => "已同意",
            RequestStatus::Rejected => "已拒绝",
            RequestStatus::Withdrawn => "已撤回",
        }
    }
}

/// Body of `POST /api/v1/authorization/requests`: either `records` (ids) or `subject_code` + `catalog_item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAuthorizationRequest {
    /// Record ids (at most 200).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 200, code = "too_many", message = "一次最多申请 200 条记录"))]
    pub records: Vec<String>,
    /// The subject's code (USCC or resident ID), with `catalog_item`: every authorised-use record of that item
    /// about the subject that the unit may request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item: Option<String>,
    pub purpose: Purpose,
    /// What "other" means; required when the purpose is `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 200, code = "length", message = "用途说明最多 200 个字"))]
    pub purpose_text: Option<String>,
    /// The law, regulation or document the use rests on.
    #[validate(length(min = 2, max = 500, code = "length", message = "请填写法律依据(2 至 500 个字)"))]
    pub legal_basis: String,
    /// How many days the grant should last (1 to the configured maximum, 90 by default).
    #[validate(range(min = 1, max = 3650, code = "range", message = "申请期限至少 1 天"))]
    pub period_days: u32,
}

/// Checks what field attributes cannot: one way of naming the targets, and the text of an "other" purpose.
pub fn check_request(request: &NewAuthorizationRequest, max_days: u32) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let by_subject = request.subject_code.is_some() || request.catalog_item.is_some();
    match (request.records.is_empty(), by_subject) {
        (true, false) => {
            errors.push(FieldError::new("records", "required", "请选择记录,或填写主体代码和目录项"));
        }
        (false, true) => {
            errors.push(FieldError::new("records", "either", "按记录或按主体和目录项申请,二者选一"));
        }
        (true, true) => {
            if request.subject_code.as_deref().is_none_or(|c| c.trim().is_empty()) {
                errors.push(FieldError::new("subject_code", "required", "请填写主体代码"));
            }
            if request.catalog_item.as_deref().is_none_or(|c| c.trim().is_empty()) {
                errors.push(FieldError::new("catalog_item", "required", "请选择目录项"));
            }
        }
        (false, false) => {}
    }
    if request.purpose == Purpose::Other && request.purpose_text.as_deref().is_none_or(|t| t.trim().chars().count() < 2)
    {
        errors.push(FieldError::new("purpose_text", "required", "用途为“其他”时请说明用途"));
    }
    if request.period_days > max_days {
        errors.push(FieldError::new("period_days", "too_long", format!("申请期限最长 {max_days} 天")));
    }
    errors
}

/// A decision's body: the approval's optional note (and a shorter period), the rejection's required reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, code = "length", message = "意见最多 500 个字"))]
    pub note: Option<String>,
    /// Days the grant lasts, at most what was asked; absent for what was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 3650, code = "range", message = "授权期限至少 1 天"))]
    pub period_days: Option<u32>,
}

/// Body of a rejection, a withdrawal or a grant's revocation: the reason is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    #[validate(length(min = 2, max = 500, code = "length", message = "请说明原因(2 至 500 个字)"))]
    pub reason: String,
}

/// A target record of a request as both sides see it: what it is, never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetRecord {
    pub id: String,
    pub subject_name: String,
    pub subject_code: String,
    pub catalog_code: String,
    pub catalog_name: String,
    pub decision_date: NaiveDate,
}

/// A request for authorised-use records of one providing unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorizationRequest {
    pub id: String,
    /// Requests filed together (split by providing unit) share this.
    pub group_id: String,
    pub requester_id: String,
    pub requester_name: String,
    pub requester_org_id: String,
    pub requester_org_name: String,
    pub provider_org_id: String,
    pub provider_org_name: String,
    /// The usage agreement that covers it.
    pub agreement_id: String,
    pub agreement_document_no: String,
    pub purpose: Purpose,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_text: Option<String>,
    pub legal_basis: String,
    pub period_days: u32,
    pub record_count: u32,
    pub status: RequestStatus,
    pub created_at: NaiveDateTime,
    /// Last working day for a decision (5 working days after filing).
    pub decide_by: NaiveDate,
    /// Still pending after `decide_by`.
    pub overdue: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_name: Option<String>,
    /// The approval's note, or the rejection's or withdrawal's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// The grant an approval made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_id: Option<String>,
}

/// A file attached to a request (a letter, an approval document): PDF, JPEG or PNG, judged by content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u32,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
    /// Who uploaded it, by name.
    #[serde(default)]
    pub uploaded_by_name: String,
}

/// The most files one request carries, and the largest file.
pub const MAX_ATTACHMENTS: usize = 5;
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// A request with its target records and attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorizationRequestDetail {
    pub request: AuthorizationRequest,
    pub records: Vec<TargetRecord>,
    pub attachments: Vec<Attachment>,
}

/// Answer of filing: one request per providing unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiledRequests {
    pub group_id: String,
    pub requests: Vec<AuthorizationRequest>,
}

/// Which side of the workflow a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestBox {
    /// Requests to the caller's organisation, to decide (data providers).
    Inbox,
    /// Requests the caller's organisation made (user units).
    Outbox,
}

/// Query parameters of `GET /api/v1/authorization/requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RequestListQuery {
    #[serde(rename = "box")]
    #[cfg_attr(feature = "openapi", param(rename = "box"))]
    pub side: RequestBox,
    pub status: Option<RequestStatus>,
    /// Only pending requests past their decision deadline.
    pub overdue: Option<bool>,
    pub purpose: Option<Purpose>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A grant's state, as of now: an active grant past its expiry is `expired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    Active,
    Expired,
    Revoked,
}

impl GrantStatus {
    pub const ALL: [GrantStatus; 3] = [GrantStatus::Active, GrantStatus::Expired, GrantStatus::Revoked];

    pub fn parse(value: &str) -> Option<GrantStatus> {
        GrantStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GrantStatus::Active => "active",
            GrantStatus::Expired => "expired",
            GrantStatus::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GrantStatus::Active => "有效",
            GrantStatus::Expired => "已到期",
            GrantStatus::Revoked => "已撤销",
        }
    }
}

/// A grant: the records of an approved request, readable in full by the requesting unit until it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub id: String,
    pub request_id: String,
    pub grantee_org_id: String,
    pub grantee_org_name: String,
    pub provider_org_id: String,
    pub provider_org_name: String,
    pub purpose: Purpose,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_text: Option<String>,
    pub legal_basis: String,
    pub record_ids: Vec<String>,
    /// What the granted records are (subject, catalog item, date), in `record_ids` order.
    pub records: Vec<TargetRecord>,
    pub granted_at: NaiveDateTime,
    pub granted_by: String,
    pub granted_by_name: String,
    pub expires_at: NaiveDateTime,
    pub status: GrantStatus,
    /// Ends within the next 7 days.
    pub expiring_soon: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    /// Reads made through it so far.
    pub use_count: u32,
}

/// Which grants a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantBox {
    /// Grants the caller's organisation gave (data providers).
    Given,
    /// Grants the caller's organisation holds (user units).
    Held,
}

/// Query parameters of `GET /api/v1/authorization/grants`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct GrantListQuery {
    #[serde(rename = "box")]
    #[cfg_attr(feature = "openapi", param(rename = "box"))]
    pub side: GrantBox,
    pub status: Option<GrantStatus>,
    /// Only active grants ending within 7 days.
    pub expiring_soon: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// One read through a grant: who read which record, when, how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantUse {
    pub id: String,
    pub grant_id: String,
    /// The unit holding the grant.
    pub grantee_org_name: String,
    pub record_id: String,
    /// What the record is: subject name and catalog item.
    pub record_label: String,
    /// The user or API client that read.
    pub actor_id: String,
    pub actor_name: String,
    /// `read`, `versions`, `list` or `export`.
    pub action: String,
    pub used_at: NaiveDateTime,
}

/// Query parameters of `GET /api/v1/authorization/grants/{id}/uses` and of the usage log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UseListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Query parameters of `GET /api/v1/authorization/targets`: what a request by subject and item would cover.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TargetQuery {
    #[validate(length(min = 15, max = 18, code = "length", message = "请填写完整的主体代码"))]
    pub subject_code: String,
    pub catalog_item: String,
    /// With a purpose, the answer says whether an agreement covers it.
    pub purpose: Option<Purpose>,
}

/// What a request by subject and item would cover, and the agreement that would cover it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetPreview {
    /// Records by providing unit (a request is split into one per unit).
    pub providers: Vec<ProviderTargets>,
    /// The caller's current agreement covering the item (and purpose, when given); absent when none does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// The longest period a request may ask for, in days.
    pub max_period_days: u32,
}

/// The records of one providing unit in a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderTargets {
    pub provider_org_id: String,
    pub provider_org_name: String,
    pub records: Vec<TargetRecord>,
}

/// The limits a request must keep, as this platform is configured; the request form checks them as it is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestLimits {
    /// The longest period a request may ask for, in days.
    pub max_period_days: u32,
}

/// Counts for the dashboard and the menu badges, for the caller's organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorizationCounts {
    /// Requests waiting for the caller's organisation's decision (data providers).
    pub inbox_pending: u32,
    /// Of those, past their decision deadline.
    pub inbox_overdue: u32,
    /// Active grants the organisation gave.
    pub given_active: u32,
    /// Requests the organisation made that wait for a decision (user units).
    pub outbox_pending: u32,
    /// Active grants the organisation holds.
    pub held_active: u32,
    /// Of those, ending within 7 days.
    pub held_expiring_soon: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> NewAuthorizationRequest {
        NewAuthorizationRequest {
            records: vec!["r1".into()],
            subject_code: None,
            catalog_item: None,
            purpose: Purpose::AdministrativeApproval,
            purpose_text: None,
            legal_basis: "《九江市公共信用信息管理办法》第十八条".into(),
            period_days: 30,
        }
    }

    #[test]
    fn r15_1_a_request_names_its_targets_one_way_and_explains_other_purposes() {
        assert!(check_request(&request(), 90).is_empty());
        let both = NewAuthorizationRequest { subject_code: Some("x".into()), ..request() };
        assert_eq!(check_request(&both, 90)[0].code, "either");
        let neither = NewAuthorizationRequest { records: vec![], ..request() };
        assert_eq!(check_request(&neither, 90)[0].code, "required");
        let other = NewAuthorizationRequest { purpose: Purpose::Other, ..request() };
        assert_eq!(check_request(&other, 90)[0].field, "purpose_text");
        let long = NewAuthorizationRequest { period_days: 91, ..request() };
        assert_eq!(check_request(&long, 90)[0].field, "period_days");
    }
}

crate::labels::text_column!(Purpose);

crate::labels::text_column!(AgreementStatus);

crate::labels::text_column!(RequestStatus);
crate::labels::labelled!(Purpose, AgreementStatus, RequestStatus, GrantStatus);
