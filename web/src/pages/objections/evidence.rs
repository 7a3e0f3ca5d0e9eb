//! The evidence of an objection, for its handlers: images shown inline, PDFs downloaded, both fetched with the
//! user's token (the files are served to the objection's handlers only, never by a plain link).

use crate::api;
use crate::components::token;
use credit_types::objections::Evidence;
use leptos::prelude::*;

/// A size in KB or MB, for people.
pub fn size_label(bytes: u32) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", f64::from(bytes) / 1024.0 / 1024.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

/// The kind of file, for people.
fn kind_label(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "PDF 文件",
        "image/jpeg" => "JPEG 图片",
        "image/png" => "PNG 图片",
        _ => "文件",
    }
}

fn is_image(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png")
}

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
    let url = format!("/api/v1/objections/{}/evidence/{}", api::urlencode(&objection_id), api::urlencode(&evidence.id));
    let image = is_image(&evidence.media_type);
    let failure = RwSignal::new(None::<String>);
    // Images are read at once and shown as `data:` URLs (the content security policy admits no `blob:` images).
    let picture = LocalResource::new({
        let url = url.clone();
        move || {
            let url = url.clone();
            async move {
                if !image {
                    return None;
                }
                Some(api::fetch_bytes(&url, &token()).await.map(|(bytes, media_type)| {
                    let media_type = media_type.split(';').next().unwrap_or("image/png").trim().to_owned();
                    api::data_url(&media_type, &bytes)
                }))
            }
        }
    });
    let name = evidence.file_name.clone();
    let download = move |_| {
        let url = url.clone();
        let name = name.clone();
        leptos::task::spawn_local(async move {
            if let Err(error) = api::download(&url, &name, &token()).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_described_for_people() {
        assert_eq!(size_label(1500), "2 KB");
        assert_eq!(size_label(10), "1 KB");
        assert_eq!(size_label(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(kind_label("application/pdf"), "PDF 文件");
        assert!(is_image("image/png"));
        assert!(!is_image("application/pdf"));
    }
}
