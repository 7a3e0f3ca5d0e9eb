//! The check of the audit chain on the audit page: the button that verifies the whole chain and what it
//! found, in words (a changed event, a key that is not the trail's, an anchor the stored chain no longer matches),
//! and the newest anchors of the chain's head — written outside the database at start and daily — each marked as
//! still matching the stored chain or not.

use crate::api;
use crate::components::{time, token, ListTable};
use credit_types::audit::{Anchor, AnchorReport, AnchorStatus, Verification};
use leptos::prelude::*;

/// The verify button, its result, and the newest anchors (loaded when the page opens, again after each check).
#[component]
pub fn VerifyChain() -> impl IntoView {
    let verification = RwSignal::new(None::<(String, bool)>);
    let anchors = RwSignal::new(None::<Result<AnchorReport, String>>);
    let load_anchors = move || {
        leptos::task::spawn_local(async move {
            anchors.set(Some(api::audit::anchors(&token()).await.map_err(|error| error.friendly())));
        });
    };
    load_anchors();
    let verify = move |_| {
        leptos::task::spawn_local(async move {
            let result = match api::audit::verify(&token()).await {
                Ok(verification) => (words(&verification), verification.intact()),
                Err(error) => (error.friendly(), false),
            };
            verification.set(Some(result));
            load_anchors();
        });
    };
    let failed = move || verification.with(|v| v.as_ref().is_some_and(|(_, intact)| !intact));
    view! {
        <div class="toolbar">
            <button class="button" type="button" on:click=verify>"校验审计链"</button>
            <p class="status" class:status--error=failed role="status" data-testid="verification">
                {move || verification.get().map(|(text, _)| text)}
            </p>
        </div>
        <AnchorList anchors />
    }
}

/// What a check found, for people: all well, or each problem with where it is.
pub fn words(verification: &Verification) -> String {
    let Verification { checked, anchors, .. } = verification;
    if verification.intact() {
        return format!("审计链完整:已校验 {checked} 条记录,{} 个锚点均与之相符。", anchors.total);
    }
    let mut found = Vec::new();
    if let Some(problem) = &verification.key_problem {
        found.push(format!("{}:{}(此前 {checked} 条记录完好)", problem.kind.label(), problem.detail));
    }
    if let Some(broken) = &verification.first_broken {
        found.push(format!("审计链在第 {} 条记录处断裂:{}(此前 {checked} 条完好)", broken.seq, broken.reason));
    }
    if let Some(anchor) = &anchors.first_mismatch {
        found.push(format!(
            "{} 写下的锚点与数据库中的审计链不符:第 {} 条记录{}",
            time::seconds(anchor.anchored_at),
            anchor.seq,
            anchor.status.label()
        ));
    }
    if anchors.unreadable > 0 {
        found.push(format!("锚点文件中有 {} 行无法识别", anchors.unreadable));
    }
    found.join(";")
}

/// The newest anchors, newest first, with how the stored chain compares with each.
#[component]
fn AnchorList(anchors: RwSignal<Option<Result<AnchorReport, String>>>) -> impl IntoView {
    view! {
        <h2>"审计链锚点"</h2>
        <p class="panel__hint">"每次启动及每天,链头的序号和校验值写入数据库之外的锚点文件;数据库中被改写的历史与锚点不符。"</p>
        {move || match anchors.get() {
            None => view! { <p class="status" role="status">"正在读取锚点…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="status status--error" role="alert">{message}</p> }.into_any(),
            Some(Ok(report)) => view! { <AnchorTable report /> }.into_any(),
        }}
    }
}

#[component]
fn AnchorTable(report: AnchorReport) -> impl IntoView {
    let summary = match (&report.first_mismatch, report.unreadable) {
        (None, 0) => format!("共 {} 个锚点,均与数据库中的审计链相符。", report.total),
        (Some(anchor), _) => format!("共 {} 个锚点;最早不符的是第 {} 条记录的锚点。", report.total, anchor.seq),
        (None, unreadable) => format!("共 {} 个锚点;另有 {unreadable} 行无法识别。", report.total),
    };
    view! {
        <p data-testid="audit-anchors-summary">{summary}</p>
        <ListTable caption="最近的审计链锚点,最新的在前" columns=["锚定时间", "链头序号", "校验值", "密钥指纹", "比对"] testid="audit-anchors">
            {report.latest.into_iter().map(|anchor| view! { <AnchorRow anchor /> }).collect_view()}
        </ListTable>
    }
}

#[component]
fn AnchorRow(anchor: Anchor) -> impl IntoView {
    let modifier = if anchor.status == AnchorStatus::Matches { "badge--ok" } else { "badge--danger" };
    let short_mac = format!("{}…", anchor.mac.chars().take(16).collect::<String>());
    view! {
        <tr data-testid="audit-anchor">
            <td class="mono">{time::seconds(anchor.anchored_at)}</td>
            <td class="mono">{anchor.seq}</td>
            <td class="mono" title=anchor.mac.clone()>{short_mac}</td>
            <td class="mono">{anchor.key_id.clone()}</td>
            <td><span class=format!("badge {modifier}") title=anchor.status.as_str()>{anchor.status.label()}</span></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::audit::{BrokenLink, KeyProblem, KeyProblemKind};

    fn anchor(status: AnchorStatus) -> Anchor {
        Anchor {
            anchored_at: chrono::DateTime::default(),
            seq: 5,
            mac: "ab".repeat(32),
            key_id: "0".repeat(16),
            status,
        }
    }

    fn intact() -> Verification {
        let anchors =
            AnchorReport { total: 2, unreadable: 0, first_mismatch: None, latest: vec![anchor(AnchorStatus::Matches)] };
        Verification { checked: 12, first_broken: None, key_problem: None, anchors }
    }

    #[test]
    fn an_intact_chain_reads_as_intact_with_its_anchors() {
        assert_eq!(words(&intact()), "审计链完整:已校验 12 条记录,2 个锚点均与之相符。");
    }

    #[test]
    fn each_problem_is_named_a_key_problem_as_the_key() {
        let broken = Verification { first_broken: Some(BrokenLink { seq: 5, reason: "changed".into() }), ..intact() };
        assert_eq!(words(&broken), "审计链在第 5 条记录处断裂:changed(此前 12 条完好)");
        let key = KeyProblem { kind: KeyProblemKind::Mismatch, detail: "another key".into() };
        let wrong_key = Verification { key_problem: Some(key), checked: 0, ..intact() };
        assert_eq!(words(&wrong_key), "审计密钥不符:another key(此前 0 条记录完好)");
        let mut rewritten = intact();
        rewritten.anchors.first_mismatch = Some(anchor(AnchorStatus::Differs));
        assert!(words(&rewritten).contains("锚点与数据库中的审计链不符:第 5 条记录不一致"), "{}", words(&rewritten));
    }
}
