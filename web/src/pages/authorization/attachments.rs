//! A request's attachments (a letter, an approval document): both sides download them; the requester adds PDF,
//! JPEG or PNG files while the request is pending, checked for type and size before they are sent.

use crate::api;
use crate::components::files::{picked, size_label, DOCUMENT_TYPES};
use crate::components::{time, token};
use credit_types::authorization::{Attachment, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES};
use credit_types::ErrorCode;
use leptos::prelude::*;

/// Why a picked file cannot be sent, if it cannot.
fn refusal(media_type: &str, size: f64) -> Option<String> {
    if !DOCUMENT_TYPES.contains(&media_type) {
        return Some("只能上传 PDF、JPEG 或 PNG 文件".to_owned());
    }
    if size > MAX_ATTACHMENT_BYTES as f64 {
        return Some(format!("文件不能超过 {} MB", MAX_ATTACHMENT_BYTES / 1024 / 1024));
    }
    None
}

#[component]
pub fn Attachments(
    request_id: String,
    attachments: Vec<Attachment>,
    may_upload: bool,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let count = attachments.len();
    let room = may_upload && count < MAX_ATTACHMENTS;
    let failure = RwSignal::new(None::<String>);
    let id = StoredValue::new(request_id);
    let download = move |attachment: Attachment| {
        leptos::task::spawn_local(async move {
            if let Err(error) = api::authorization::download_attachment(&token(), &id.get_value(), &attachment).await {
                failure.set(Some(error.friendly()));
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="attachments-title" data-testid="attachments">
            <h2 id="attachments-title">{format!("附件({count} 个)")}</h2>
            {if attachments.is_empty() {
                view! { <p class="muted">"没有附件。"</p> }.into_any()
            } else {
                view! {
                    <ul class="attachment-list">
                        {attachments.into_iter().map(|a| {
                            let chosen = a.clone();
                            view! {
                                <li data-testid="attachment">
                                    <button class="link-button" type="button" on:click=move |_| download(chosen.clone())>{a.file_name.clone()}</button>
                                    <span class="muted">{format!(" · {} · {} · {}", size_label(a.size), time::minutes(a.uploaded_at), a.uploaded_by_name)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="status status--error" role="alert">{move || failure.get()}</p>
            {room.then(|| view! { <UploadForm request_id=id.get_value() failure on_change=on_change.clone() /> })}
        </section>
    }
}

#[component]
fn UploadForm(
    request_id: String,
    failure: RwSignal<Option<String>>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let file = RwSignal::new_local(None::<web_sys::File>);
    let sending = RwSignal::new(false);
    let request_id = StoredValue::new(request_id);
    let on_pick = move |ev: leptos::ev::Event| {
        let chosen = picked(&ev);
        failure.set(chosen.as_ref().and_then(|f| refusal(&f.type_(), f.size())));
        file.set(chosen);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = file.get_untracked() else {
            failure.set(Some("请先选择文件".to_owned()));
            return;
        };
        if let Some(reason) = refusal(&chosen.type_(), chosen.size()) {
            failure.set(Some(reason));
            return;
        }
        let on_change = on_change.clone();
        sending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::authorization::attach(&token(), &request_id.get_value(), &chosen).await;
            sending.set(false);
            match result {
                Ok(_) => on_change(),
                Err(error) => failure.set(Some(match error.code() {
                    Some(ErrorCode::PayloadTooLarge) => {
                        format!("文件不能超过 {} MB", MAX_ATTACHMENT_BYTES / 1024 / 1024)
                    }
                    Some(ErrorCode::UnsupportedMediaType) => "只能上传 PDF、JPEG 或 PNG 文件".to_owned(),
                    Some(ErrorCode::TooManyAttachments) => format!("附件已达上限({MAX_ATTACHMENTS} 个)"),
                    _ => error.friendly(),
                })),
            }
        });
    };
    view! {
        <form class="form form--inline" on:submit=submit novalidate=true data-testid="attachment-form">
            <div class="field">
                <label for="attachment-file">"添加附件"</label>
                <input id="attachment-file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    aria-describedby="attachment-hint" on:change=on_pick />
                <p class="field__hint" id="attachment-hint">
                    {format!("PDF、JPEG 或 PNG,每个不超过 {} MB,最多 {MAX_ATTACHMENTS} 个", MAX_ATTACHMENT_BYTES / 1024 / 1024)}
                </p>
            </div>
            <button class="button" type="submit" disabled=move || sending.get()>
                {move || if sending.get() { "正在上传…" } else { "上传" }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_before_they_are_sent() {
        assert!(refusal("application/pdf", 1000.0).is_none());
        assert!(refusal("text/plain", 10.0).is_some());
        assert!(refusal("image/png", (MAX_ATTACHMENT_BYTES + 1) as f64).is_some());
    }
}
