//! The audit trail as the API shows it to auditors: what each action, outcome, kind of actor and kind of
//! target is called, the events with the names of who and what they concern, and the auditor's filters.

use crate::labels::labelled_enum;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// What was done. The code is stored in each event (and hashed with it), so codes never change.
    AuditAction {
        AuthLogin = "auth.login", "登录";
        AuthLogout = "auth.logout", "退出登录";
        AuthRefresh = "auth.refresh", "续期会话";
        AuthRefreshReuse = "auth.refresh_reuse", "重复使用续期令牌";
        AuthSessionIdle = "auth.session_idle", "会话超时";
        AuthLockout = "auth.lockout", "登录锁定";
        AuthPasswordChange = "auth.password_change", "修改密码";
        AuthToken = "auth.token", "接口客户端取令牌";
        AccountCreate = "account.create", "新建账号";
        AccountUpdate = "account.update", "修改账号";
        AccountRoles = "account.roles", "调整角色";
        AccountDeactivate = "account.deactivate", "注销账号";
        AccountReactivate = "account.reactivate", "恢复账号";
        AccountDisable = "account.disable", "停用账号";
        AccountUnlock = "account.unlock", "解除锁定";
        AccountResetPassword = "account.reset_password", "重置密码";
        OrganisationCreate = "organisation.create", "登记单位";
        OrganisationUpdate = "organisation.update", "修改单位";
        ClientCreate = "client.create", "登记接口客户端";
        ClientRevoke = "client.revoke", "吊销接口客户端";
        ReviewPermissions = "review.permissions", "权限复核";
        AuditList = "audit.list", "查阅审计日志";
        AuditVerify = "audit.verify", "校验审计链";
        CatalogCreate = "catalog.create", "新建目录项";
        CatalogUpdate = "catalog.update", "修改目录项";
        CalendarUpdate = "calendar.update", "维护工作日历";
        RecordCreate = "record.create", "报送记录";
        RecordBatchCreate = "record.batch_create", "批量报送记录";
        RecordAmend = "record.amend", "修改记录";
        RecordRevoke = "record.revoke", "撤销记录";
        RecordExpire = "record.expire", "记录到期";
        RecordRead = "record.read", "查看非公开记录";
        RecordList = "record.list", "查询非公开记录";
        RecordExport = "record.export", "导出记录";
        AgreementCreate = "agreement.create", "登记使用协议";
        AgreementResume = "agreement.active", "恢复使用协议";
        AgreementSuspend = "agreement.suspended", "暂停使用协议";
        AgreementEnd = "agreement.ended", "终止使用协议";
        AuthorizationPreview = "authorization.preview", "预览可申请记录";
        AuthorizationRequest = "authorization.request", "提交授权申请";
        AuthorizationAttach = "authorization.attach", "上传申请附件";
        AuthorizationApprove = "authorization.approve", "同意授权";
        AuthorizationReject = "authorization.reject", "拒绝授权";
        AuthorizationWithdraw = "authorization.withdraw", "撤回授权申请";
        AuthorizationRevoke = "authorization.revoke", "撤销授权";
        ObjectionFile = "objection.file", "提出异议";
        ObjectionRead = "objection.read", "查看异议联系方式";
        ObjectionEvidence = "objection.evidence", "查看异议证据";
        ObjectionAccept = "objection.accept", "受理异议";
        ObjectionNotAccept = "objection.not_accept", "不予受理异议";
        ObjectionDecide = "objection.decide", "办结异议";
        ObjectionClose = "objection.close", "关闭异议";
        ObjectionWithdraw = "objection.withdraw", "撤回异议";
        ObjectionEscalate = "objection.escalate", "异议超期督办";
        ObjectionPurgeContacts = "objection.purge_contacts", "清除申诉人联系方式";
        ObjectionRekeyContacts = "objection.rekey_contacts", "重算申诉人联系键";
        DemoSeed = "demo.seed", "生成演示数据";
        DailyCheckConfirm = "daily_check.confirm", "确认上班前检查";
        OpLogWrite = "oplog.write", "填写运行日志";
        OpLogExport = "oplog.export", "导出运行日志";
        DbSnapshotTake = "db.snapshot", "采集数据库状态";
        DbCheckRecord = "db.check_record", "记录数据库检查";
        SessionEnd = "session.end", "结束会话";
    }
);

labelled_enum!(
    /// How an attempt ended.
    AuditOutcome {
        Success = "success", "成功";
        Failure = "failure", "失败";
        /// Refused by a permission rule.
        Denied = "denied", "拒绝";
    }
);

labelled_enum!(
    /// Who acted.
    ActorKind {
        User = "user", "用户";
        Client = "client", "接口客户端";
        Anonymous = "anonymous", "匿名访问者";
        /// The platform itself (scheduled jobs, command-line tools).
        System = "system", "系统";
    }
);

labelled_enum!(
    /// What an event concerns.
    TargetKind {
        Record = "record", "信用记录";
        Subject = "subject", "信用主体";
        User = "user", "账号";
        LoginName = "login_name", "登录名";
        Session = "session", "会话";
        Organisation = "organisation", "单位";
        Client = "client", "接口客户端";
        ClientId = "client_id", "接口客户端编号";
        Review = "review", "权限复核";
        AuditEvents = "audit_events", "审计日志";
        CatalogItem = "catalog_item", "目录项";
        Calendar = "calendar", "工作日历";
        IntakeBatch = "intake_batch", "批量报送";
        Agreement = "agreement", "使用协议";
        AuthorizationRequest = "authorization_request", "授权申请";
        Grant = "grant", "授权";
        Objection = "objection", "异议";
        DailyCheck = "daily_check", "上班前检查";
        OpLogEntry = "oplog_entry", "运行日志";
        DbSnapshot = "db_snapshot", "数据库状态快照";
        DbCheckRecord = "db_check_record", "数据库检查记录";
    }
);

/// One audit event, with the names of who and what it concerns for people to read (the ids stay alongside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When it happened (UTC).
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    /// The user's or API client's id.
    pub actor_id: Option<String>,
    /// The user's full name, or the API client's name.
    #[serde(default)]
    pub actor_name: Option<String>,
    /// The actor's organisation.
    #[serde(default)]
    pub organisation_id: Option<String>,
    #[serde(default)]
    pub organisation_name: Option<String>,
    pub actor_ip: Option<String>,
    pub action: AuditAction,
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<String>,
    /// What the target is called, when it still exists and has a name: a person's or unit's name, a record's
    /// catalog item and providing unit (never its subject: auditors read no credit content), a tracking number.
    #[serde(default)]
    pub target_name: Option<String>,
    /// Purpose or grant the action relied on.
    pub purpose: Option<String>,
    pub outcome: AuditOutcome,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    /// Hash of the previous event; `hash` covers this event and `prev_hash`.
    pub prev_hash: String,
    pub hash: String,
}

/// The result of checking the whole chain and its anchors (`GET /api/v1/audit/verify`, `credit-api audit verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// Events checked: their hash or MAC recomputed and their link to the event before followed.
    pub checked: i64,
    /// The first event that does not fit the chain; absent when every event checked fits.
    pub first_broken: Option<BrokenLink>,
    /// Why the events written with the audit key could not be checked (the key is missing, or it is not the key
    /// they were written with); absent when the key checked them. Checking stops at the first such event.
    #[serde(default)]
    pub key_problem: Option<KeyProblem>,
    /// The chain's head as anchored outside the database, compared with the chain as stored now.
    #[serde(default)]
    pub anchors: AnchorReport,
}

impl Verification {
    /// Whether nothing is wrong: every event fits its chain, the key checked the keyed ones, and every anchor
    /// matches the stored chain.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none() && self.key_problem.is_none() && self.anchors.all_match()
    }
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLink {
    /// Sequence number of the first event that fails (or, for a missing tail, of the last event the head names).
    pub seq: i64,
    /// What is wrong there.
    pub reason: String,
}

labelled_enum!(
    /// What keeps the audit key from checking the events written with it.
    KeyProblemKind {
        /// The key file is not there.
        Missing = "missing", "缺少审计密钥";
        /// The key is not the one the trail (and its anchors) were written with.
        Mismatch = "mismatch", "审计密钥不符";
    }
);

/// A problem with the audit key given to a verification (not a break in the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyProblem {
    pub kind: KeyProblemKind,
    /// What is wrong and what to do about it.
    pub detail: String,
}

labelled_enum!(
    /// How the stored chain compares with an anchor.
    AnchorStatus {
        /// The anchored event is stored with the anchored MAC.
        Matches = "matches", "一致";
        /// The anchored event is stored with another MAC: history up to it was rewritten.
        Differs = "differs", "不一致";
        /// No event is stored at the anchored position: events were removed.
        Missing = "missing", "事件缺失";
    }
);

/// One anchor: the chain's head as it was written outside the database (at start and daily), compared with the
/// chain as stored now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Anchor {
    /// When it was written (UTC).
    pub anchored_at: DateTime<Utc>,
    /// The head's sequence number then (0: the chain was still empty).
    pub seq: i64,
    /// The head event's MAC then (its SHA-256, for an event written before the audit key).
    pub mac: String,
    /// The fingerprint of the audit key the server ran with (never the key itself).
    pub key_id: String,
    pub status: AnchorStatus,
}

/// The anchors of the chain's head (`GET /api/v1/audit/anchors`, and part of every verification).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnchorReport {
    /// Anchors in the anchor file.
    pub total: i64,
    /// Lines of the anchor file that read as no anchor (changed, or cut short).
    pub unreadable: i64,
    /// The oldest anchor the stored chain no longer matches; absent when all match.
    pub first_mismatch: Option<Anchor>,
    /// The newest anchors, newest first.
    pub latest: Vec<Anchor>,
}

impl AnchorReport {
    /// Whether every line is an anchor and every anchor matches the stored chain.
    pub fn all_match(&self) -> bool {
        self.first_mismatch.is_none() && self.unreadable == 0
    }
}

/// Query parameters of `GET /api/v1/audit/events`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AuditEventQuery {
    /// Exact action, e.g. `auth.login`.
    pub action: Option<AuditAction>,
    /// Actor id (a user's or client's id).
    #[validate(length(min = 1, max = 64, code = "length", message = "actor_id is 1 to 64 characters"))]
    pub actor_id: Option<String>,
    /// Events by the users and API clients of this organisation (its id).
    #[validate(length(min = 1, max = 64, code = "length", message = "organisation_id is 1 to 64 characters"))]
    pub organisation_id: Option<String>,
    /// Events about targets of this kind.
    pub target_kind: Option<TargetKind>,
    /// Events about this target (its id).
    #[validate(length(min = 1, max = 128, code = "length", message = "target_id is 1 to 128 characters"))]
    pub target_id: Option<String>,
    pub outcome: Option<AuditOutcome>,
    /// Events at or after this UTC time (`2026-11-25T08:00:00`).
    pub from: Option<NaiveDateTime>,
    /// Events before this UTC time.
    pub to: Option<NaiveDateTime>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from newest to oldest).
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_distinct_code_and_a_label() {
        let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
        assert!(AuditAction::ALL.iter().all(|a| !a.label().is_empty() && a.label() != a.as_str()));
        assert_eq!(AuditAction::parse("record.read"), Some(AuditAction::RecordRead));
        assert_eq!(
            serde_json::to_string(&AuditAction::AgreementSuspend).ok().as_deref(),
            Some("\"agreement.suspended\"")
        );
    }
}
