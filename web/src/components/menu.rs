//! The workbench menu: the entries a user's roles open, shown on every workbench page and as tiles on its home,
//! with the number of authorisation requests and objections waiting beside the entries that lead to them.

use crate::api;
use crate::auth::Auth;
use credit_types::authorization::AuthorizationCounts;
use credit_types::identity::Role;
use credit_types::objections::ObjectionCounts;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// A count shown beside an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// Requests waiting for the unit's decision (data providers).
    InboxPending,
    /// The unit's requests waiting for a decision (user units).
    OutboxPending,
    /// Objections still open (submitted or accepted) that the user handles or oversees.
    ObjectionsOpen,
}

impl Badge {
    fn count(self, counts: &Counts) -> Option<u32> {
        match self {
            Badge::InboxPending => counts.authorization.as_ref().map(|c| c.inbox_pending),
            Badge::OutboxPending => counts.authorization.as_ref().map(|c| c.outbox_pending),
            Badge::ObjectionsOpen => counts.objections.as_ref().map(|c| c.submitted + c.accepted),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Badge::InboxPending => "件待审核",
            Badge::OutboxPending => "件待批复",
            Badge::ObjectionsOpen => "件异议待办理",
        }
    }
}

/// What waits for the signed-in user: each `None` for roles without such counts, or when they cannot be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub authorization: Option<AuthorizationCounts>,
    pub objections: Option<ObjectionCounts>,
}

/// One workbench function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub href: &'static str,
    pub label: &'static str,
    /// One line on what it is for (tiles on the home page).
    pub hint: &'static str,
    pub badge: Option<Badge>,
}

const fn entry(href: &'static str, label: &'static str, hint: &'static str) -> Entry {
    Entry { href, label, hint, badge: None }
}

const fn counted(href: &'static str, label: &'static str, hint: &'static str, badge: Badge) -> Entry {
    Entry { href, label, hint, badge: Some(badge) }
}

thread_local! {
    /// Bumped when the user's own action changed the counts (outside any component, so that no page owns it).
    static CHANGED: ArcRwSignal<u32> = ArcRwSignal::new(0);
}

/// Tells the menu and the workbench home that an action on this page changed the counts (authorisation requests,
/// objections).
pub fn refresh_counts() {
    CHANGED.with(|changed| changed.update(|n| *n += 1));
}

/// The counts of what waits for the signed-in user, read again on every navigation (a decision elsewhere shows on
/// the next page) and after the user's own actions.
pub fn pending_counts() -> LocalResource<Counts> {
    let auth = Auth::get();
    let location = use_location();
    let changed = CHANGED.with(Clone::clone);
    LocalResource::new(move || {
        location.pathname.track();
        changed.track();
        let roles = auth.session.with(|s| {
            s.as_ref().filter(|s| !s.me.must_change_password).map(|s| s.me.roles.clone()).unwrap_or_default()
        });
        let authorizes = roles.iter().any(|r| matches!(r, Role::DataProvider | Role::UserUnit));
        let objections = handles_objections(&roles);
        async move {
            let token = Auth::token();
            let mut counts = Counts::default();
            if authorizes {
                counts.authorization = api::authorization::counts(&token).await.ok();
            }
            if objections {
                counts.objections = api::objections::counts(&token).await.ok();
            }
            counts
        }
    })
}

/// Whether `roles` handle (data providers) or oversee (credit admins) objections.
pub fn handles_objections(roles: &[Role]) -> bool {
    roles.iter().any(|r| matches!(r, Role::DataProvider | Role::CityCreditAdmin | Role::CountyCreditAdmin))
}

/// The count beside an entry, when there is something waiting.
#[component]
pub fn PendingBadge(badge: Option<Badge>, counts: LocalResource<Counts>) -> impl IntoView {
    move || {
        let badge = badge?;
        let n = counts.get().and_then(|c| badge.count(&c)).filter(|n| *n > 0)?;
        Some(view! {
            <span class="count-badge" data-testid="pending-badge">
                {n} <span class="visually-hidden">{badge.words()}</span>
            </span>
        })
    }
}

/// The functions `roles` may use, in menu order. The API checks every call again: this only spares dead ends.
pub fn entries(roles: &[Role]) -> Vec<Entry> {
    let has = |role: Role| roles.contains(&role);
    let reads_content = roles.iter().any(|r| r.reads_credit_content());
    let mut list = Vec::new();
    if reads_content {
        list.push(entry("/workbench/records", "信用记录", "查询本单位可见的信用记录及其版本"));
    }
    if has(Role::DataProvider) {
        list.push(entry("/workbench/records/new", "新增记录", "逐条填报信用记录"));
        list.push(entry("/workbench/upload", "批量上传", "按目录模板上传 CSV 文件"));
    }
    if reads_content {
        let hint =
            if has(Role::CityCreditAdmin) { "维护信用信息资源目录" } else { "查看目录项及其字段" };
        list.push(entry("/workbench/catalog", "资源目录", hint));
    }
    if has(Role::DataProvider) {
        list.push(counted(
            "/workbench/authorization/inbox",
            "授权审核",
            "审核其他单位的授权使用申请",
            Badge::InboxPending,
        ));
        list.push(entry("/workbench/authorization/grants", "已授权", "本单位给予的授权及使用记录"));
    }
    if has(Role::UserUnit) {
        list.push(counted(
            "/workbench/authorization/outbox",
            "授权申请",
            "本单位的授权申请和已获授权",
            Badge::OutboxPending,
        ));
        list.push(entry("/workbench/authorization/new", "申请授权使用", "申请使用“部门申请授权使用”类信息"));
    }
    if handles_objections(roles) {
        let hint = if has(Role::DataProvider) {
            "受理和办理对本单位信息的异议"
        } else {
            "查看和督办辖区内的异议"
        };
        list.push(counted("/workbench/objections", "异议处理", hint, Badge::ObjectionsOpen));
    }
    if has(Role::CityCreditAdmin) || has(Role::CountyCreditAdmin) {
        list.push(entry("/workbench/objections/overview", "异议概况", "异议办理统计与超期督办"));
    }
    if has(Role::CityCreditAdmin) {
        list.push(entry("/workbench/agreements", "使用协议", "登记和管理信用信息使用协议"));
        list.push(entry("/workbench/calendar", "工作日历", "维护节假日和调休工作日,办理期限按工作日计算"));
    }
    if has(Role::AccountAdmin) {
        list.push(entry("/workbench/organisations", "单位管理", "登记和维护单位"));
        list.push(entry("/workbench/users", "账号管理", "注册、注销和解锁账号"));
        list.push(entry("/workbench/clients", "接口客户端", "外部系统的接口凭据"));
    }
    if has(Role::AccountAdmin) || has(Role::SecurityAuditor) {
        list.push(entry("/workbench/reviews", "权限审查", "定期审查账号权限"));
    }
    if has(Role::AccountAdmin) || has(Role::SecurityAuditor) {
        list.push(entry("/workbench/sessions", "在线会话", "各账号的在线会话,多地址同时使用的标为异常"));
    }
    if has(Role::DbAdmin) || has(Role::SecurityAuditor) {
        list.push(entry("/workbench/database", "数据库状态", "每日采集的数据库运行状态"));
        list.push(entry("/workbench/database/checks", "数据库检查记录", "存档每次检查的状态、错误原因和解决办法"));
    }
    if has(Role::SecurityAuditor) {
        list.push(entry("/workbench/audit", "审计日志", "查阅和校验审计记录"));
    }
    if has(Role::SystemAdmin) || has(Role::SecurityAuditor) {
        let hint = if has(Role::SystemAdmin) {
            "每个工作日上班前检查平台、门户和数据备份"
        } else {
            "查看上班前检查记录"
        };
        list.push(entry("/workbench/daily-check", "上班前检查", hint));
        list.push(entry("/workbench/ops", "运行状态", "自动检查的结果,随时可再检查"));
        list.push(entry("/workbench/ops/log", "运行日志", "巡检、故障、变更、维护和调优的记录"));
        list.push(entry("/workbench/performance", "性能状况", "响应时间、吞吐量和资源占用的归档与调优记录"));
    }
    if has(Role::DbAdmin) || has(Role::SecurityAuditor) {
        let hint = if has(Role::DbAdmin) {
            "备份计划、立即备份和恢复验证"
        } else {
            "查看备份及其恢复验证"
        };
        list.push(entry("/workbench/backups", "数据备份", hint));
        list.push(entry("/workbench/backups/runbook", "恢复手册", "服务器损毁后恢复平台的步骤"));
    }
    list
}

/// The menu bar under the site header, on the workbench's pages (not its home), for a signed-in user.
#[component]
pub fn WorkbenchMenu() -> impl IntoView {
    let auth = Auth::get();
    let location = use_location();
    let roles = move || {
        // The workbench home shows the same entries as tiles.
        let on_workbench = location.pathname.with(|p| p.starts_with("/workbench/"));
        auth.session
            .with(|s| s.as_ref().filter(|s| on_workbench && !s.me.must_change_password).map(|s| s.me.roles.clone()))
    };
    let counts = pending_counts();
    move || {
        roles().map(|roles| {
            view! {
                <nav class="workbench-nav" aria-label="工作台菜单" data-testid="workbench-menu">
                    <ul class="workbench-nav__list">
                        <li><A href="/workbench" exact=true>"工作台首页"</A></li>
                        {entries(&roles).into_iter().map(|e| view! {
                            <li><A href=e.href exact=true>{e.label} <PendingBadge badge=e.badge counts /></A></li>
                        }).collect_view()}
                    </ul>
                </nav>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_its_functions() {
        let hrefs = |roles: &[Role]| entries(roles).into_iter().map(|e| e.href).collect::<Vec<_>>();
        assert_eq!(
            hrefs(&[Role::DataProvider]),
            [
                "/workbench/records",
                "/workbench/records/new",
                "/workbench/upload",
                "/workbench/catalog",
                "/workbench/authorization/inbox",
                "/workbench/authorization/grants",
                "/workbench/objections"
            ]
        );
        assert_eq!(
            hrefs(&[Role::UserUnit]),
            [
                "/workbench/records",
                "/workbench/catalog",
                "/workbench/authorization/outbox",
                "/workbench/authorization/new"
            ]
        );
        let city = hrefs(&[Role::CityCreditAdmin]);
        for href in
            ["/workbench/agreements", "/workbench/objections", "/workbench/objections/overview", "/workbench/calendar"]
        {
            assert!(city.contains(&href), "{href}");
        }
        let county = hrefs(&[Role::CountyCreditAdmin]);
        assert!(county.contains(&"/workbench/objections/overview"));
        assert!(!county.contains(&"/workbench/calendar"));
        assert_eq!(
            hrefs(&[Role::SecurityAuditor]),
            [
                "/workbench/reviews",
                "/workbench/sessions",
                "/workbench/database",
                "/workbench/database/checks",
                "/workbench/audit",
                "/workbench/daily-check",
                "/workbench/ops",
                "/workbench/ops/log",
                "/workbench/performance",
                "/workbench/backups",
                "/workbench/backups/runbook"
            ]
        );
        assert_eq!(
            hrefs(&[Role::DbAdmin]),
            ["/workbench/database", "/workbench/database/checks", "/workbench/backups", "/workbench/backups/runbook"]
        );
        let office = hrefs(&[Role::AccountAdmin]);
        assert!(office.contains(&"/workbench/sessions") && !office.contains(&"/workbench/database"));
        assert_eq!(
            hrefs(&[Role::SystemAdmin]),
            ["/workbench/daily-check", "/workbench/ops", "/workbench/ops/log", "/workbench/performance"]
        );
        assert!(!hrefs(&[Role::DbAdmin]).contains(&"/workbench/performance"));
    }
}
