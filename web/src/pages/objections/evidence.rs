//! The evidence of an objection, for its handlers: images shown inline, PDFs downloaded, both fetched with the
//! user's token (the files are served to the objection's handlers only, never by a plain link).

use crate::api;
use crate::components::files::{is_image, kind_label, size_label};
use crate::components::token;
use credit_types::objections::Evidence;
use leptos::prelude::*;

#[component]
pub fn EvidenceViewer(objection_id: String, evidence: Vec<Evidence>) -> impl IntoView {
    let count = evidence.len();
    view! {
        <section class="panel" aria-labelledby="evidence-title" data-testid="evidence">
            <h2 id="evidence-title">{format!("证据材料({count} 个)")}</h2>
            {if evidence.is_empty() {
                view! { <p class="muted">"申诉人未提交证据材料。"</p> }.into_any()
            } else {
                view! {
                    <ul class="evidence-list">
                        {evidence.into_iter().map(|e| view! { <EvidenceItem objection_id=objection_id.clone() evidence=e /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn EvidenceItem(objection_id: String, evidence: Evidence) -> impl IntoView {
    let image = is_image(&evidence.media_type);
    let owner = StoredValue::new(objection_id);
    let file = StoredValue::new(evidence.clone());
    let failure = RwSignal::new(None::<String>);
    // Images are read at once and shown as `data:` URLs (the content security policy admits no `blob:` images).
    let picture = LocalResource::new(move || async move {
        if !image {
            return None;
        }
        let read =
            api::objections::evidence_bytes(&token(), &owner.get_value(), &file.with_value(|f| f.id.clone())).await;
        Some(read.map(|(bytes, media_type)| {
            let media_type = media_type.split(';').next().unwrap_or("image/png").trim().to_owned();
            api::data_url(&media_type, &bytes)
        }))
    });
    let download = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(error) =
                api::objections::download_evidence(&token(), &owner.get_value(), &file.get_value()).await
            {
                failure.set(Some(error.friendly()));
            }
        });
    };
    let alt = format!("证据材料:{}", evidence.file_name);
    view! {
        <li class="evidence" data-testid="evidence-item">
            <div class="evidence__head">
                <strong class="evidence__name">{evidence.file_name.clone()}</strong>
                <span class="muted">{format!(" · {} · {}", kind_label(&evidence.media_type), size_label(evidence.size))}</span>
                <button class="button button--small button--ghost-dark" type="button" on:click=download
                    aria-label=format!("下载 {}", evidence.file_name)>"下载"</button>
            </div>
            {image.then(|| view! {
                <Suspense fallback=|| view! { <p class="status" role="status">"正在加载图片…"</p> }>
                    {move || {
                        let alt = alt.clone();
                        Suspend::new(async move {
                        match picture.await {
                            Some(Ok(src)) => view! {
                                <img class="evidence__image" src=src alt=alt.clone() data-testid="evidence-image" />
                            }.into_any(),
                            Some(Err(error)) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                            None => ().into_any(),
                        }
                    })}}
                </Suspense>
            })}
            {(!image).then(|| view! {
                <p class="muted evidence__hint">"PDF 文件请下载后查看。"</p>
            })}
            <p class="status status--error" role="alert">{move || failure.get()}</p>
        </li>
    }
}
