//! The steps of authorised use that need a reason, for the shared reason dialog: rejecting or withdrawing a
//! request, revoking a grant, suspending, resuming or ending an agreement. Each knows its call, its rule on the
//! reason and which refusal means that someone else acted first.

use crate::api::url::AgreementStep;
use crate::api::{self, ApiError};
use crate::components::{ReasonAsk, ReasonedCall};
use credit_types::authorization::{Agreement, AgreementChange, AuthorizationRequest, Grant, ReasonBody};
use credit_types::{ErrorCode, FieldError};
use std::future::Future;
use validator::Validate;

/// What a request's decision someone else made first means to the person who tried to make it.
pub const ALREADY_DECIDED: &str =
    "该申请已经处理(可能已由本单位其他人员审核,或已被申请单位撤回),不能重复处理;页面已刷新为最新状态。";

/// The hint under every reason of authorised use.
const HINT: &str = "将记入审计日志";

/// A step of authorised use that needs a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthorizationChange {
    Reject(String),
    Withdraw(String),
    RevokeGrant(String),
    Agreement(String, AgreementStep),
}

impl ReasonedCall for AuthorizationChange {
    fn check(&self, reason: &str) -> Vec<FieldError> {
        let checked = match self {
            AuthorizationChange::Agreement(..) => AgreementChange { reason: reason.to_owned() }.validate(),
            _ => ReasonBody { reason: reason.to_owned() }.validate(),
        };
        checked.map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e))
    }

    fn send(&self, token: String, reason: String) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let change = self.clone();
        async move {
            let body = ReasonBody { reason: reason.clone() };
            match change {
                AuthorizationChange::Reject(id) => api::authorization::reject(&token, &id, &body).await.map(drop),
                AuthorizationChange::Withdraw(id) => api::authorization::withdraw(&token, &id, &body).await.map(drop),
                AuthorizationChange::RevokeGrant(id) => {
                    api::authorization::revoke_grant(&token, &id, &body).await.map(drop)
                }
                AuthorizationChange::Agreement(id, step) => {
                    let body = AgreementChange { reason };
                    api::authorization::change_agreement(&token, &id, step, &body).await.map(drop)
                }
            }
        }
    }

    fn conflict(&self, code: ErrorCode) -> bool {
        let expected = match self {
            AuthorizationChange::Reject(_) | AuthorizationChange::Withdraw(_) => ErrorCode::AlreadyDecided,
            AuthorizationChange::RevokeGrant(_) => ErrorCode::AlreadyRevoked,
            AuthorizationChange::Agreement(..) => ErrorCode::AgreementState,
        };
        code == expected
    }
}

fn ask(call: AuthorizationChange, label: &str, words: [&str; 4], conflict: &str) -> ReasonAsk<AuthorizationChange> {
    let [title, intro, confirm, done] = words;
    ReasonAsk {
        call,
        title: title.to_owned(),
        intro: intro.to_owned(),
        label: label.to_owned(),
        hint: HINT.to_owned(),
        confirm: confirm.to_owned(),
        done: done.to_owned(),
        conflict: conflict.to_owned(),
    }
}

/// The provider rejects a request.
pub fn reject(request: &AuthorizationRequest) -> ReasonAsk<AuthorizationChange> {
    let intro = format!("拒绝后,{} 不能查看这些记录;原因将告知申请单位。", request.requester_org_name);
    let words = ["拒绝申请", &intro, "确认拒绝", "已拒绝该申请。"];
    ask(AuthorizationChange::Reject(request.id.clone()), "拒绝原因", words, ALREADY_DECIDED)
}

/// The requester withdraws a pending request; `conflict` says what the page shows after someone decided first.
pub fn withdraw(request: &AuthorizationRequest, conflict: &str) -> ReasonAsk<AuthorizationChange> {
    let intro = format!("撤回后,{} 不再审核这份申请;如仍需使用,请重新提交。", request.provider_org_name);
    let words = ["撤回申请", &intro, "确认撤回", "申请已撤回。"];
    ask(AuthorizationChange::Withdraw(request.id.clone()), "撤回原因", words, conflict)
}

/// The provider revokes a grant: the grantee loses access at once.
pub fn revoke(grant: &Grant) -> ReasonAsk<AuthorizationChange> {
    let intro = format!(
        "撤销后,{} 立即不能再查看这 {} 条记录;原因将告知该单位。",
        grant.grantee_org_name,
        grant.record_ids.len()
    );
    let words = ["撤销授权", &intro, "确认撤销", "授权已撤销。"];
    ask(AuthorizationChange::RevokeGrant(grant.id.clone()), "撤销原因", words, "该授权已经撤销或到期;列表已刷新。")
}

/// The competent office suspends, resumes or ends an agreement.
pub fn change_agreement(agreement: &Agreement, step: AgreementStep) -> ReasonAsk<AuthorizationChange> {
    let (title, intro, confirm, done) = match step {
        AgreementStep::Suspend => {
            ("暂停协议", "暂停期间,该单位不能依据本协议提交新的授权申请;可随时恢复。", "确认暂停", "协议已暂停。")
        }
        AgreementStep::Resume => {
            ("恢复协议", "恢复后,该单位可在协议有效期内依据本协议提交授权申请。", "确认恢复", "协议已恢复。")
        }
        AgreementStep::End => {
            ("终止协议", "终止后协议不能恢复;该单位须签订新协议才能再申请。", "确认终止", "协议已终止。")
        }
    };
    let title = format!("{title}:{}", agreement.document_no);
    let call = AuthorizationChange::Agreement(agreement.id.clone(), step);
    ask(call, "原因", [&title, intro, confirm, done], "协议状态已经改变,不能执行此操作;列表已刷新。")
}
