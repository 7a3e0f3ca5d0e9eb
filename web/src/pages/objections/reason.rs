//! The steps of an objection that need a reason, for the shared reason dialog: not accepting it (the reason is told
//! to the appellant) and closing it. A step someone else took first is explained.

use crate::api::{self, ApiError};
use crate::components::{ReasonAsk, ReasonedCall};
use credit_types::objections::ObjectionReason;
use credit_types::{ErrorCode, FieldError};
use std::future::Future;
use validator::Validate;

/// What a step someone else took first means to the person who tried it.
pub const STATE_CHANGED: &str =
    "该异议的状态已经改变(可能已由本单位其他人员办理,或已被申诉人撤回),页面已刷新为最新状态。";

/// A handler's step on objection (its id) that needs a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectionChange {
    NotAccept(String),
    Close(String),
}

impl ReasonedCall for ObjectionChange {
    fn check(&self, reason: &str) -> Vec<FieldError> {
        ObjectionReason { reason: reason.to_owned() }
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| credit_types::problem::field_errors(&e))
    }

    fn send(&self, token: String, reason: String) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let change = self.clone();
        async move {
            let body = ObjectionReason { reason };
            match change {
                ObjectionChange::NotAccept(id) => api::objections::not_accept(&token, &id, &body).await.map(drop),
                ObjectionChange::Close(id) => api::objections::close(&token, &id, &body).await.map(drop),
            }
        }
    }

    fn conflict(&self, code: ErrorCode) -> bool {
        code == ErrorCode::ObjectionState
    }
}

fn ask(call: ObjectionChange, words: [&str; 6]) -> ReasonAsk<ObjectionChange> {
    let [title, intro, label, hint, confirm, done] = words.map(str::to_owned);
    ReasonAsk { call, title, intro, label, hint, confirm, done, conflict: STATE_CHANGED.to_owned() }
}

/// Not accepting a submitted objection: the reason is told to the appellant and the mark goes.
pub fn not_accept(objection_id: &str) -> ReasonAsk<ObjectionChange> {
    ask(
        ObjectionChange::NotAccept(objection_id.to_owned()),
        [
            "不予受理",
            "不予受理的,应当说明理由;理由将告知申诉人,异议标注随即解除。",
            "不予受理理由",
            "将告知申诉人,并记入审计日志",
            "确认不予受理",
            "已决定不予受理,申诉人将收到通知。",
        ],
    )
}

/// Closing a decided or not accepted objection: it is archived.
pub fn close(objection_id: &str) -> ReasonAsk<ObjectionChange> {
    ask(
        ObjectionChange::Close(objection_id.to_owned()),
        [
            "关闭异议",
            "关闭后该异议归档,不能再办理。",
            "关闭说明",
            "例如:已告知申诉人处理结果",
            "确认关闭",
            "异议已关闭归档。",
        ],
    )
}
