//! The workbench menu: the entries a user's roles open, shown on every workbench page and as tiles on its home.

use crate::auth::Auth;
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// One workbench function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub href: &'static str,
    pub label: &'static str,
    /// One line on what it is for (tiles on the home page).
    pub hint: &'static str,
}

const fn entry(href: &'static str, label: &'static str, hint: &'static str) -> Entry {
    Entry { href, label, hint }
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
    if has(Role::AccountAdmin) {
        list.push(entry("/workbench/organisations", "单位管理", "登记和维护单位"));
        list.push(entry("/workbench/users", "账号管理", "注册、注销和解锁账号"));
        list.push(entry("/workbench/clients", "接口客户端", "外部系统的接口凭据"));
    }
    if has(Role::AccountAdmin) || has(Role::SecurityAuditor) {
        list.push(entry("/workbench/reviews", "权限审查", "定期审查账号权限"));
    }
    if has(Role::SecurityAuditor) {
        list.push(entry("/workbench/audit", "审计日志", "查阅和校验审计记录"));
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
    move || {
        roles().map(|roles| {
            view! {
                <nav class="workbench-nav" aria-label="工作台菜单" data-testid="workbench-menu">
                    <ul class="workbench-nav__list">
                        <li><A href="/workbench" exact=true>"工作台首页"</A></li>
                        {entries(&roles).into_iter().map(|e| view! {
                            <li><A href=e.href exact=true>{e.label}</A></li>
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
            ["/workbench/records", "/workbench/records/new", "/workbench/upload", "/workbench/catalog"]
        );
        assert_eq!(hrefs(&[Role::UserUnit]), ["/workbench/records", "/workbench/catalog"]);
        assert_eq!(hrefs(&[Role::SecurityAuditor]), ["/workbench/reviews", "/workbench/audit"]);
        assert!(hrefs(&[Role::SystemAdmin]).is_empty());
    }
}
