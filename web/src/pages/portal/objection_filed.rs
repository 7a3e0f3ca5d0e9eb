//! The answer to a filing: the tracking number and the query code, shown this once (the platform keeps the code
//! only hashed), with the advice to note both down and the way to follow the objection.

use crate::api;
use credit_types::objections::FiledObjection;
use leptos::prelude::*;

#[component]
pub fn FiledNotice(filed: FiledObjection) -> impl IntoView {
    let track = api::with_query("/objections/track", &[("number", filed.tracking_number.clone())]);
    // Screen-reader and keyboard users land on the numbers they must note.
    request_animation_frame(|| crate::components::form::focus("objection-filed"));
    view! {
        <div class="secret filed" id="objection-filed" tabindex="-1" role="region" aria-labelledby="filed-title"
            data-testid="objection-filed">
            <h3 id="filed-title">"异议已提交"</h3>
            <p><strong>"请立即记下受理编号和查询码。"</strong>
                "查询码只在此显示一次,平台不保存其明文,遗失后无法找回;凭受理编号和查询码可随时查询办理进度或撤回异议。"</p>
            <dl class="filed__numbers">
                <div>
                    <dt>"受理编号"</dt>
                    <dd><code class="secret__value" data-testid="tracking-number">{filed.tracking_number.clone()}</code></dd>
                </div>
                <div>
                    <dt>"查询码"</dt>
                    <dd><code class="secret__value" data-testid="query-code">{filed.query_code.clone()}</code></dd>
                </div>
            </dl>
            <p>{format!(
                "信息提供单位将在 {} 前决定是否受理,办理情况将通过您留下的联系方式告知。办理期间,该信息标注“异议处理中”。",
                filed.accept_by
            )}</p>
            <p><a href=track>"查询办理进度"</a></p>
        </div>
    }
}
