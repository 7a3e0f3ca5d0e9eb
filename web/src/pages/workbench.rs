//! Workbench entry for government staff; sign-in arrives with the identity capability.

use leptos::prelude::*;

#[component]
pub fn Workbench() -> impl IntoView {
    view! {
        <section class="panel" data-testid="workbench">
            <h1>"工作台"</h1>
            <p>"工作台登录即将开放。"</p>
            <p class="panel__hint">
                "工作台供数据提供单位、信用信息使用单位、信用主管部门及平台运维人员使用,"
                "账号由市政府信息办统一注册和分配,不设默认账号。"
            </p>
        </section>
    }
}
