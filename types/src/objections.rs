//! Objections to credit records (异议申诉, R-29.1) as the API sends and receives them: filing on the portal or at the
//! counter, the appellant's tracking view, the handlers' queue and decisions, and the working-day calendar.

use crate::labels::labelled_enum;
use crate::records::PublicRecord;
use crate::FieldError;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// How the appellant stands to the record's subject.
    Relation {
        /// The subject itself (the person, or the organisation through its staff).
        Subject = "subject", "信用主体本人(本单位)";
        LegalRepresentative = "legal_representative", "法定代表人";
        /// An agent holding a power of attorney.
        Agent = "agent", "委托代理人";
    }
);

labelled_enum!(
    /// What the appellant says is wrong.
    ClaimType {
        ContentWrong = "content_wrong", "信息内容有误";
        InformationMissing = "information_missing", "信息不完整";
        PastPublicationPeriod = "past_publication_period", "超过公示期限";
        NotMe = "not_me", "非本人(本单位)信息";
        Other = "other", "其他";
    }
);

labelled_enum!(
    /// An objection's state (R-29.1): `submitted → accepted | not_accepted → decided → closed`, or `withdrawn`.
    ObjectionStatus {
        Submitted = "submitted", "已提交";
        Accepted = "accepted", "已受理";
        NotAccepted = "not_accepted", "不予受理";
        Decided = "decided", "已办结";
        Closed = "closed", "已关闭";
        Withdrawn = "withdrawn", "已撤回";
    }
);

labelled_enum!(
    /// How a decided objection ended.
    Outcome {
        /// The record was wrong and has been amended (a new version linked to the objection).
        Corrected = "corrected", "已更正";
        /// The record is right; the mark is removed.
        Upheld = "upheld", "维持原记录";
        /// Neither could be established; the claim and the verification are recorded on the record.
        Undetermined = "undetermined", "存疑标注";
    }
);

labelled_enum!(
    /// One step of an objection's history, as both the appellant and the handlers read it.
    StepKind {
        Submitted = "submitted", "提交异议";
        Accepted = "accepted", "受理";
        NotAccepted = "not_accepted", "不予受理";
        DecidedCorrected = "decided:corrected", "办结(已更正)";
        DecidedUpheld = "decided:upheld", "办结(维持原记录)";
        DecidedUndetermined = "decided:undetermined", "办结(存疑标注)";
        Closed = "closed", "关闭";
        Withdrawn = "withdrawn", "撤回";
        /// Past its deadline and reported to the competent office or county lead unit.
        Escalated = "escalated", "超期督办";
    }
);

impl StepKind {
    /// The step of reaching `status` (a decision names its outcome).
    pub fn reaching(status: ObjectionStatus, outcome: Option<Outcome>) -> StepKind {
        match (status, outcome) {
            (ObjectionStatus::Submitted, _) => StepKind::Submitted,
            (ObjectionStatus::Accepted, _) => StepKind::Accepted,
            (ObjectionStatus::NotAccepted, _) => StepKind::NotAccepted,
            (ObjectionStatus::Decided, Some(Outcome::Corrected)) => StepKind::DecidedCorrected,
            (ObjectionStatus::Decided, Some(Outcome::Upheld)) => StepKind::DecidedUpheld,
            (ObjectionStatus::Decided, _) => StepKind::DecidedUndetermined,
            (ObjectionStatus::Closed, _) => StepKind::Closed,
            (ObjectionStatus::Withdrawn, _) => StepKind::Withdrawn,
        }
    }
}

impl ObjectionStatus {
    /// Whether the objection is still being handled (the record carries the mark).
    pub fn open(self) -> bool {
        matches!(self, ObjectionStatus::Submitted | ObjectionStatus::Accepted)
    }
}

/// The fields of a filing (the JSON part `objection` of the multipart form; evidence files are the parts `evidence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewObjection {
    pub record_id: String,
    #[validate(length(min = 1, max = 50, code = "length", message = "请填写申诉人姓名(50 个字以内)"))]
    pub appellant_name: String,
    /// Mobile number (11 digits); a phone or an e-mail address is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email(code = "email", message = "电子邮箱格式不正确"))]
    pub email: Option<String>,
    pub relation: Relation,
    pub claim_type: ClaimType,
    #[validate(length(min = 10, max = 2000, code = "length", message = "请说明异议内容(10 至 2000 个字)"))]
    pub description: String,
}

/// Checks what field attributes cannot: a way to reach the appellant, a plausible mobile number.
pub fn check_objection(objection: &NewObjection) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let phone = objection.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let email = objection.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if phone.is_none() && email.is_none() {
        errors.push(FieldError::new("phone", "required", "请填写手机号码或电子邮箱,用于接收处理结果"));
    }
    if let Some(phone) = phone {
        let digits = phone.len() == 11 && phone.starts_with('1') && phone.chars().all(|c| c.is_ascii_digit());
        if !digits {
            errors.push(FieldError::new("phone", "pattern", "手机号码为 11 位数字"));
        }
    }
    errors
}

/// What a refused second filing by the same contact on the same record is told (R-28.1): the same words for everyone,
/// naming nothing of the open objection, since whoever filed may have typed someone else's phone number. The open
/// objection's appellant gets a reminder at the contact they registered.
pub const DUPLICATE_OBJECTION_MESSAGE: &str = "您对该记录已有正在办理的异议申诉,我们已向您登记的联系方式发送提醒";

/// The most evidence files one filing carries, and the largest file.
pub const MAX_EVIDENCE_FILES: usize = 5;
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The answer to a filing: the tracking number and the query code, shown this once (stored only hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiledObjection {
    pub tracking_number: String,
    pub query_code: String,
    /// The last working day for acceptance.
    pub accept_by: NaiveDate,
}

/// One step of an objection, as both the appellant and the handlers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionStep {
    pub step: StepKind,
    pub at: NaiveDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the appellant sees with the tracking number and query code: the steps, the deadline, the outcome with its
/// reason, and the record as the portal shows it (nothing more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionTrack {
    pub tracking_number: String,
    pub status: ObjectionStatus,
    pub claim_type: ClaimType,
    pub filed_at: NaiveDateTime,
    pub accept_by: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decide_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Why it was not accepted, or the decision's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub steps: Vec<ObjectionStep>,
    /// The record as the portal publishes it now (masked); absent when it is no longer published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<PublicRecord>,
}

/// Body of `POST /api/v1/portal/objections/track` (a POST, so the code stays out of URLs and logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrackRequest {
    #[validate(length(min = 1, max = 40, code = "required", message = "请填写受理编号"))]
    pub tracking_number: String,
    #[validate(length(min = 1, max = 40, code = "required", message = "请填写查询码"))]
    pub query_code: String,
}

/// Body of the appellant's withdrawal on the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawObjection {
    #[validate(length(min = 1, max = 40, code = "required", message = "请填写受理编号"))]
    pub tracking_number: String,
    #[validate(length(min = 1, max = 40, code = "required", message = "请填写查询码"))]
    pub query_code: String,
    #[validate(length(max = 500, code = "length", message = "撤回原因最多 500 个字"))]
    #[serde(default)]
    pub reason: String,
}

/// An evidence file (served to the objection's handlers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u32,
}

/// An objection as its handlers see it. Contact details are masked in lists and shown in full only on the detail
/// of an objection the caller handles; after the retention period they are purged (R-28.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Objection {
    pub id: String,
    pub tracking_number: String,
    pub record_id: String,
    pub subject_name: String,
    pub catalog_name: String,
    pub provider_org_id: String,
    pub provider_org_name: String,
    pub jurisdiction_region: String,
    pub appellant_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The contact details were purged after the retention period.
    pub contact_purged: bool,
    pub relation: Relation,
    pub claim_type: ClaimType,
    pub description: String,
    pub status: ObjectionStatus,
    pub filed_at: NaiveDateTime,
    /// Filed by a workbench user at the counter (their id), or on the portal (absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_by: Option<String>,
    /// The counter clerk's name, when filed at the counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_by_name: Option<String>,
    pub accept_by: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decide_by: Option<NaiveDate>,
    /// Past its current deadline and not yet handled to that step.
    pub overdue: bool,
    /// Working days left to the current deadline (negative when overdue); absent when no deadline runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i32>,
    /// When it was escalated to the competent office or county lead unit for being overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_at: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the provider found on verification (undetermined and other outcomes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
    /// The record version a correction made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_version: Option<i32>,
    pub evidence: Vec<Evidence>,
    pub steps: Vec<ObjectionStep>,
}

/// Query parameters of `GET /api/v1/objections`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ObjectionListQuery {
    pub status: Option<ObjectionStatus>,
    /// Only open objections past their deadline.
    pub overdue: Option<bool>,
    /// Only objections of this record.
    pub record_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Body of `POST /api/v1/objections/{id}/not-accept` and `/close`: the reason (or closing note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ObjectionReason {
    #[validate(length(min = 2, max = 1000, code = "length", message = "请说明理由(2 至 1000 个字)"))]
    pub reason: String,
}

/// The corrected record of a `corrected` decision: the amendment made as a new version linked to the objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub values: std::collections::BTreeMap<String, String>,
    pub decision_date: NaiveDate,
    /// The record's version the correction was made on (as `If-Match` would carry it).
    pub version: i32,
}

/// Body of `POST /api/v1/objections/{id}/decide`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideObjection {
    pub outcome: Outcome,
    /// The decision's reason, told to the appellant.
    #[validate(length(min = 2, max = 1000, code = "length", message = "请说明处理理由(2 至 1000 个字)"))]
    pub reason: String,
    /// What verification found; required for `undetermined`, recorded on the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 2000, code = "length", message = "核查情况最多 2000 个字"))]
    pub verification: Option<String>,
    /// The appellant's claim as it is published with the record, summarised by the handler; required for
    /// `undetermined`. The appellant's own words are not published: they may name people or hold contact details
    /// (R-28.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, code = "length", message = "异议摘要最多 500 个字"))]
    pub claim_summary: Option<String>,
    /// Required for `corrected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

/// Checks what field attributes cannot: a correction exactly when corrected, a verification when undetermined.
pub fn check_decision(decision: &DecideObjection) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match (decision.outcome, &decision.correction) {
        (Outcome::Corrected, None) => {
            errors.push(FieldError::new("correction", "required", "更正时须提交更正后的记录内容"))
        }
        (Outcome::Upheld | Outcome::Undetermined, Some(_)) => {
            errors.push(FieldError::new("correction", "not_allowed", "只有“已更正”才修改记录"))
        }
        _ => {}
    }
    let verification = decision.verification.as_deref().map(str::trim).unwrap_or_default();
    if decision.outcome == Outcome::Undetermined && verification.chars().count() < 2 {
        errors.push(FieldError::new("verification", "required", "存疑时须写明核查情况,将标注在记录上"));
    }
    let summary = decision.claim_summary.as_deref().map(str::trim).unwrap_or_default();
    if decision.outcome == Outcome::Undetermined && summary.chars().count() < 2 {
        errors.push(FieldError::new(
            "claim_summary",
            "required",
            "存疑时须概括异议内容,将与记录一并公示(请勿写入姓名、电话等个人信息)",
        ));
    }
    errors
}

/// Counts for the competent office's overview and the handlers' badges, over the objections the caller sees.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionCounts {
    pub submitted: u32,
    pub accepted: u32,
    /// Open and past their deadline.
    pub overdue: u32,
    /// Open with a deadline within two working days.
    pub due_soon: u32,
    pub escalated: u32,
    pub decided: u32,
    pub closed: u32,
    pub not_accepted: u32,
    pub withdrawn: u32,
}

/// A note an undetermined objection leaves on the record: the claim and what verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordNote {
    pub tracking_number: String,
    pub claim: String,
    pub verification: String,
    pub noted_at: NaiveDateTime,
}

/// A day of the working-day calendar that departs from the weekly rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// `holiday` (a weekday off) or `workday` (a weekend day worked, 调休).
    pub kind: DayKind,
    #[validate(length(min = 1, max = 50, code = "length", message = "请填写名称(50 个字以内)"))]
    pub name: String,
}

labelled_enum!(
    /// Whether a listed day is a holiday or a weekend day worked in exchange.
    DayKind {
        Holiday = "holiday", "节假日";
        Workday = "workday", "调休上班";
    }
);

/// Body of `PUT /api/v1/calendar/{year}`: the year's listed days, replacing what was listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    #[validate(length(max = 120, code = "too_many", message = "一年最多 120 个特殊日期"), nested)]
    pub days: Vec<CalendarDay>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filing() -> NewObjection {
        NewObjection {
            record_id: "r".into(),
            appellant_name: "张三".into(),
            phone: Some("13907920000".into()),
            email: None,
            relation: Relation::Subject,
            claim_type: ClaimType::ContentWrong,
            description: "处罚金额记载有误,实际为三千元".into(),
        }
    }

    #[test]
    fn r29_1_an_appellant_can_be_reached() {
        assert!(check_objection(&filing()).is_empty());
        let unreachable = NewObjection { phone: None, ..filing() };
        assert_eq!(check_objection(&unreachable)[0].code, "required");
        let bad = NewObjection { phone: Some("0792-1234".into()), ..filing() };
        assert_eq!(check_objection(&bad)[0].code, "pattern");
        let by_mail = NewObjection { phone: None, email: Some("a@example.cn".into()), ..filing() };
        assert!(check_objection(&by_mail).is_empty());
    }

    #[test]
    fn r29_1_decisions_carry_what_their_outcome_needs() {
        let upheld = DecideObjection {
            outcome: Outcome::Upheld,
            reason: "经核查记录无误".into(),
            verification: None,
            claim_summary: None,
            correction: None,
        };
        assert!(check_decision(&upheld).is_empty());
        let corrected = DecideObjection { outcome: Outcome::Corrected, ..upheld.clone() };
        assert_eq!(check_decision(&corrected)[0].field, "correction");
        let undetermined = DecideObjection { outcome: Outcome::Undetermined, ..upheld };
        assert_eq!(check_decision(&undetermined)[0].field, "verification");
    }
}
