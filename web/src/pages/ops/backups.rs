//! `/workbench/backups`: the backup plan (database administrators edit it, the security auditor reads
//! it), the backups newest first with their state and verification, run-now and verify-again.

use crate::api;
use crate::auth::Auth;
use crate::components::form::{refusal_line, summary};
use crate::components::{time, token, FormState, Notice, NoticeLine, RequireRole, TextInput};
use credit_types::backups::{Backup, BackupPlan, BackupPlanInput, BackupState};
use credit_types::identity::Role;
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use validator::Validate;

/// How often the list is read again while a backup runs.
const POLL_MS: u64 = 1_000;

#[component]
pub fn Backups() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DbAdmin, Role::SecurityAuditor]>
            <BackupsPage />
        </RequireRole>
    }
}

fn keeper() -> bool {
    Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::DbAdmin)))
}

#[component]
fn BackupsPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<Backup>, String>>);
    let notice = RwSignal::new(None::<Notice>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let answer = api::backups::list(&token()).await;
            let running = answer.as_ref().is_ok_and(|page| page.items.iter().any(|b| b.state == BackupState::Running));
            if list.try_set(Some(answer.map(|page| page.items).map_err(|e| e.friendly()))).is_some() {
                return;
            }
            if running {
                poll_later(list);
            }
        });
    };
    reload();
    view! {
        <section class="panel" data-testid="backups">
            <h1>"数据备份"</h1>
            <p class="panel__hint">
                "平台每天按计划备份数据库一次(多台服务器共享数据库时也只备份一次),备份文件经压缩并用 age 公钥加密后存放;"
                "每份备份完成后立即恢复到临时数据库,核对各表行数与审计链,验证通过才算可用。保留策略从不删除最近一份已验证的备份。"
            </p>
            <NoticeLine notice />
            <PlanForm notice />
            <h2>"备份记录"</h2>
            {keeper().then(|| view! { <RunNow list notice on_started=reload /> })}
            {move || match list.get() {
                None => view! { <p class="status" role="status">"正在加载备份记录…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="status status--error" role="alert">{message}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p class="empty" data-testid="backups-empty">"尚无备份。"</p> }.into_any()
                }
                Some(Ok(items)) => view! { <BackupTable items list notice /> }.into_any(),
            }}
            <p><a href="/workbench/backups/runbook">"恢复手册:服务器损毁后如何恢复平台"</a></p>
        </section>
    }
}

/// Reads the list again after [`POLL_MS`], and again while a backup is running.
fn poll_later(list: RwSignal<Option<Result<Vec<Backup>, String>>>) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                let Ok(page) = api::backups::list(&token()).await else { return };
                let running = page.items.iter().any(|b| b.state == BackupState::Running);
                if list.try_set(Some(Ok(page.items))).is_none() && running {
                    poll_later(list);
                }
            });
        },
        std::time::Duration::from_millis(POLL_MS),
    );
}

/// The plan's fields as typed.
#[derive(Clone, Copy)]
struct PlanFields {
    enabled: RwSignal<bool>,
    time_of_day: RwSignal<String>,
    keep_count: RwSignal<String>,
    keep_days: RwSignal<String>,
    target_dir: RwSignal<String>,
    recipient: RwSignal<String>,
    identity_file: RwSignal<String>,
}

const ORDER: [&str; 6] = ["time_of_day", "keep_count", "keep_days", "target_dir", "recipient", "identity_file"];

impl PlanFields {
    fn new() -> PlanFields {
        PlanFields {
            enabled: RwSignal::new(true),
            time_of_day: RwSignal::new("02:30".to_owned()),
            keep_count: RwSignal::new("7".to_owned()),
            keep_days: RwSignal::new(String::new()),
            target_dir: RwSignal::new(String::new()),
            recipient: RwSignal::new(String::new()),
            identity_file: RwSignal::new(String::new()),
        }
    }

    fn show(self, plan: &BackupPlan) {
        self.enabled.set(plan.enabled);
        self.time_of_day.set(plan.time_of_day.clone());
        self.keep_count.set(plan.keep_count.map(|n| n.to_string()).unwrap_or_default());
        self.keep_days.set(plan.keep_days.map(|n| n.to_string()).unwrap_or_default());
        self.target_dir.set(plan.target_dir.clone());
        self.recipient.set(plan.recipient.clone());
        self.identity_file.set(plan.identity_file.clone());
    }

    /// The body as typed, with the numbers that do not read as numbers.
    fn input(self) -> (BackupPlanInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut number = |field: &str, text: String| -> Option<u32> {
            let text = text.trim().to_owned();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse().ok();
            if parsed.is_none() {
                errors.push(FieldError::new(field, "number", "请填写正整数"));
            }
            parsed
        };
        let input = BackupPlanInput {
            enabled: self.enabled.get(),
            time_of_day: self.time_of_day.get().trim().to_owned(),
            keep_count: number("keep_count", self.keep_count.get()),
            keep_days: number("keep_days", self.keep_days.get()),
            target_dir: self.target_dir.get().trim().to_owned(),
            recipient: self.recipient.get().trim().to_owned(),
            identity_file: self.identity_file.get().trim().to_owned(),
        };
        (input, errors)
    }

    /// The API's checks, run as the user types.
    fn check(self) -> Vec<FieldError> {
        let (input, mut errors) = self.input();
        errors.extend(input.errors());
        if let Err(e) = input.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        for (field, value) in [
            ("target_dir", &input.target_dir),
            ("recipient", &input.recipient),
            ("identity_file", &input.identity_file),
        ] {
            if value.is_empty() && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(field, "required", "请填写"));
            }
        }
        errors
    }
}

#[component]
fn PlanForm(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let fields = PlanFields::new();
    let form = FormState::new(move || fields.check());
    let kept = RwSignal::new(None::<BackupPlan>);
    let editable = keeper();
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match api::backups::plan(&token()).await {
            Ok(plan) => {
                fields.show(&plan);
                kept.set(Some(plan));
            }
            Err(error) if error.is(&[ErrorCode::NotFound]) => {}
            Err(error) => failure.set(Some(error.friendly())),
        }
    });
    let order: Vec<String> = ORDER.iter().map(|s| (*s).to_owned()).collect();
    let save = {
        let order = order.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            notice.set(None);
            if pending.get_untracked() || !form.ready(&order) {
                failure.set(form.local.with_untracked(|e| summary(e.len())));
                return;
            }
            let (body, _) = fields.input();
            let order = order.clone();
            pending.set(true);
            failure.set(None);
            leptos::task::spawn_local(async move {
                let answer = api::backups::save_plan(&token(), &body).await;
                pending.set(false);
                match answer {
                    Ok(plan) => {
                        fields.show(&plan);
                        kept.set(Some(plan));
                        form.submitted.set(false);
                        notice.set(Some(Notice::ok("备份计划已保存。")));
                    }
                    Err(error) => {
                        let errors = error.field_errors();
                        failure.set(refusal_line(&error, &errors, &order));
                        form.refused(errors, &order);
                    }
                }
            });
        }
    };
    view! {
        <h2>"备份计划"</h2>
        <p class="muted" data-testid="backup-plan-state">{move || match kept.get() {
            None => "尚未设置备份计划。".to_owned(),
            Some(plan) => format!(
                "{},由 {} 于 {} 设置。",
                if plan.enabled { format!("每天 {}(北京时间)自动备份", plan.time_of_day) } else { "自动备份已暂停".to_owned() },
                plan.updated_by_name.unwrap_or_else(|| "(未知)".to_owned()),
                time::minutes(plan.updated_at)
            ),
        }}</p>
        <form class="form" on:submit=save novalidate=true data-testid="backup-plan-form">
            <fieldset class="plain" disabled=!editable>
                <div class="field">
                    <label>
                        <input type="checkbox" id="enabled" prop:checked=move || fields.enabled.get()
                            on:change=move |ev| fields.enabled.set(event_target_checked(&ev)) />
                        " 按计划每天自动备份"
                    </label>
                </div>
                <TextInput name="time_of_day" label="备份时间(北京时间)" value=fields.time_of_day form required=true
                    hint="HH:MM,如 02:30" />
                <TextInput name="keep_count" label="保留份数" value=fields.keep_count form
                    hint="最多保留的备份份数;与保留天数至少填一项" />
                <TextInput name="keep_days" label="保留天数" value=fields.keep_days form hint="早于此天数的备份将被删除" />
                <TextInput name="target_dir" label="备份目录" value=fields.target_dir form required=true mono=true
                    hint="服务器上的绝对路径" />
                <TextInput name="recipient" label="加密公钥(age)" value=fields.recipient form required=true mono=true
                    hint="age1 开头的公钥,由 credit-api backup keygen 或 age-keygen 生成;私钥不经过本系统" />
                <TextInput name="identity_file" label="私钥文件路径" value=fields.identity_file form required=true mono=true
                    hint="服务器验证备份时读取私钥的文件。能读取该文件者即可解密所有备份:权限须为 0600,并离线另存一份" />
            </fieldset>
            <p class="status status--error" role="alert" data-testid="backup-plan-error">{move || failure.get()}</p>
            {editable.then(|| view! {
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "正在保存…" } else { "保存计划" }}
                    </button>
                </div>
            })}
        </form>
    }
}

#[component]
fn RunNow(
    list: RwSignal<Option<Result<Vec<Backup>, String>>>,
    notice: RwSignal<Option<Notice>>,
    on_started: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let running = move || {
        list.with(|l| {
            l.as_ref().is_some_and(|r| r.as_ref().is_ok_and(|i| i.iter().any(|b| b.state == BackupState::Running)))
        })
    };
    let run = move |_| {
        pending.set(true);
        notice.set(None);
        leptos::task::spawn_local(async move {
            let answer = api::backups::run(&token()).await;
            pending.set(false);
            match answer {
                Ok(_) => {
                    notice.set(Some(Notice::ok("备份已开始,完成后将自动恢复验证。")));
                    on_started();
                }
                Err(error) => notice.set(Some(Notice::warning(error.friendly()))),
            }
        });
    };
    view! {
        <div class="form__actions">
            <button class="button" type="button" data-testid="backup-run" on:click=run
                disabled=move || pending.get() || running()>
                {move || if running() { "正在备份…" } else { "立即备份" }}
            </button>
        </div>
    }
}

fn size(bytes: Option<i64>) -> String {
    match bytes {
        None => String::new(),
        Some(b) if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        Some(b) => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[component]
fn BackupTable(
    items: Vec<Backup>,
    list: RwSignal<Option<Result<Vec<Backup>, String>>>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let editable = keeper();
    view! {
        <div class="table-wrap">
            <table class="table table--wide" data-testid="backups-table">
                <caption class="visually-hidden">"备份记录,最新的在前"</caption>
                <thead>
                    <tr>
                        <th scope="col">"开始时间"</th>
                        <th scope="col">"方式"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"大小"</th>
                        <th scope="col">"执行人"</th>
                        <th scope="col">"验证时间"</th>
                        <th scope="col">"说明"</th>
                        {editable.then(|| view! { <th scope="col">"操作"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|b| {
                        let id = b.id.clone();
                        let removed = b.removed_at.is_some();
                        let verifiable = editable && !removed && b.state != BackupState::Running && b.sha256.is_some();
                        view! {
                            <tr data-testid="backup-row" data-state=b.state.as_str()>
                                <td>{time::minutes(b.started_at)}</td>
                                <td>{b.trigger.label()}</td>
                                <td data-testid="backup-state">
                                    {b.state.label()}{removed.then_some("(文件已按保留策略删除)")}
                                </td>
                                <td>{size(b.size_bytes)}</td>
                                <td>{b.started_by_name.clone().unwrap_or_else(|| "系统".to_owned())}</td>
                                <td>{b.verified_at.map(time::minutes).unwrap_or_default()}</td>
                                <td>{b.message.clone().unwrap_or_default()}</td>
                                {editable.then(|| view! {
                                    <td>{verifiable.then(|| view! { <VerifyButton id=id.clone() list notice /> })}</td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn VerifyButton(
    id: String,
    list: RwSignal<Option<Result<Vec<Backup>, String>>>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let verify = move |_| {
        let id = id.clone();
        pending.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::backups::verify(&token(), &id).await;
            pending.set(false);
            match answer {
                Ok(backup) => {
                    let text = format!("验证结果:{}", backup.state.label());
                    notice.set(Some(if backup.state == BackupState::Verified {
                        Notice::ok(text)
                    } else {
                        Notice::warning(text)
                    }));
                    list.update(|l| {
                        if let Some(Ok(items)) = l {
                            for item in items.iter_mut().filter(|i| i.id == backup.id) {
                                *item = backup.clone();
                            }
                        }
                    });
                }
                Err(error) => notice.set(Some(Notice::warning(error.friendly()))),
            }
        });
    };
    view! {
        <button class="button button--ghost-dark" type="button" on:click=verify disabled=move || pending.get()>
            {move || if pending.get() { "正在验证…" } else { "重新验证" }}
        </button>
    }
}
