//! Site footer: who runs the platform and where to turn.

use leptos::prelude::*;

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>"主办:九江市社会信用体系建设工作联席会议办公室"</p>
                <p>"对公示的信用信息有异议的,可依法提出异议申诉;本平台依照《九江市公共信用信息平台和信用门户网站安全管理办法》运行。"</p>
            </div>
        </footer>
    }
}
