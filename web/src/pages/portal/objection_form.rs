//! The objection form on a published record's page (R-29.1): who objects and how to reach them, what is wrong,
//! and evidence files (PDF, JPEG, PNG; at most 5 of 10 MB, checked here before they are sent, and again by content
//! on the server), sent as one multipart request whose upload progress the page shows.

use crate::api::{self, ApiError};
use crate::components::files::{input_of, size_label, DOCUMENT_TYPES};
use crate::components::form::summary;
use crate::components::select::choices;
use crate::components::{described_by, ChoiceSelect, FormState, TextArea, TextInput};
use credit_types::objections::{
    check_objection, ClaimType, FiledObjection, NewObjection, Relation, DUPLICATE_OBJECTION_MESSAGE,
    MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES,
};
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;

const EXTENSIONS: [&str; 4] = ["pdf", "jpg", "jpeg", "png"];

/// The fields as laid out, for moving the focus to the first error.
const ORDER: [&str; 7] = ["appellant_name", "phone", "email", "relation", "claim_type", "description", "evidence"];

/// Why a picked file cannot go with the objection, if it cannot. The type is judged by what the browser says, else
/// by the name's extension (the server judges by content).
fn refusal(name: &str, media_type: &str, size: f64) -> Option<String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let typed = if media_type.is_empty() {
        EXTENSIONS.contains(&extension.as_str())
    } else {
        DOCUMENT_TYPES.contains(&media_type)
    };
    if !typed {
        return Some(format!("“{name}”不是 PDF、JPEG 或 PNG 文件"));
    }
    if size <= 0.0 {
        return Some(format!("“{name}”是空文件"));
    }
    if size > MAX_EVIDENCE_BYTES as f64 {
        return Some(format!("“{name}”超过 {} MB", MAX_EVIDENCE_BYTES / 1024 / 1024));
    }
    None
}

/// Adds `picked` to `chosen` as far as the rules allow; the reasons for the files left out.
fn admit(chosen: &mut Vec<web_sys::File>, picked: Vec<web_sys::File>) -> Vec<String> {
    let mut refused = Vec::new();
    for file in picked {
        if let Some(reason) = refusal(&file.name(), &file.type_(), file.size()) {
            refused.push(reason);
        } else if chosen.len() >= MAX_EVIDENCE_FILES {
            refused.push(format!("最多提交 {MAX_EVIDENCE_FILES} 个文件,“{}”未添加", file.name()));
        } else if !chosen.iter().any(|f| f.name() == file.name() && f.size() == file.size()) {
            chosen.push(file);
        }
    }
    refused
}

/// The field rules of [`NewObjection`], with its messages. Written out rather than `validate()`d: the e-mail rule
/// of the validator crate would bring Unicode domain tables into the app, about a megabyte; the server checks
/// the address fully.
fn check_fields(objection: &NewObjection) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(1..=50).contains(&objection.appellant_name.chars().count()) {
        errors.push(FieldError::new("appellant_name", "length", "请填写申诉人姓名(50 个字以内)"));
    }
    if let Some(email) = &objection.email {
        if !plausible_email(email) {
            errors.push(FieldError::new("email", "email", "电子邮箱格式不正确"));
        }
    }
    if !(10..=2000).contains(&objection.description.chars().count()) {
        errors.push(FieldError::new("description", "length", "请说明异议内容(10 至 2000 个字)"));
    }
    errors
}

/// One `@` between a non-empty local part and a domain with a dot, no spaces.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !email.chars().any(char::is_whitespace)
}

fn optional(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The filing as typed.
#[derive(Clone, Copy)]
struct Filing {
    record: StoredValue<String>,
    name: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    relation: RwSignal<String>,
    claim: RwSignal<String>,
    description: RwSignal<String>,
}

impl Filing {
    fn new(record_id: String) -> Filing {
        let empty = || RwSignal::new(String::new());
        Filing {
            record: StoredValue::new(record_id),
            name: empty(),
            phone: empty(),
            email: empty(),
            relation: empty(),
            claim: empty(),
            description: empty(),
        }
    }

    /// The objection as it would be sent now (tracked: the live check reruns on every change).
    fn objection(self) -> NewObjection {
        NewObjection {
            record_id: self.record.get_value(),
            appellant_name: self.name.get().trim().to_owned(),
            phone: optional(&self.phone.get()),
            email: optional(&self.email.get()),
            relation: Relation::parse(&self.relation.get()).unwrap_or(Relation::Subject),
            claim_type: ClaimType::parse(&self.claim.get()).unwrap_or(ClaimType::Other),
            description: self.description.get().trim().to_owned(),
        }
    }

    /// The API's rules on the filing, and the choices it requires.
    fn check(self) -> Vec<FieldError> {
        let objection = self.objection();
        let mut errors = check_fields(&objection);
        errors.extend(check_objection(&objection));
        if Relation::parse(&self.relation.get()).is_none() {
            errors.push(FieldError::new("relation", "required", "请选择您与信用主体的关系"));
        }
        if ClaimType::parse(&self.claim.get()).is_none() {
            errors.push(FieldError::new("claim_type", "required", "请选择异议类型"));
        }
        errors
    }
}

/// What the form shows about the filing's fate: the upload's progress, and why it was refused.
#[derive(Clone, Copy)]
struct Sending {
    progress: RwSignal<Option<u32>>,
    failure: RwSignal<Option<String>>,
    duplicate: RwSignal<Option<String>>,
    evidence_error: RwSignal<Option<String>>,
}

#[component]
pub fn ObjectionForm(
    record_id: String,
    on_filed: impl Fn(FiledObjection) + Clone + 'static,
    on_cancel: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let filing = Filing::new(record_id);
    let files = RwSignal::new_local(Vec::<web_sys::File>::new());
    let state = Sending {
        progress: RwSignal::new(None),
        failure: RwSignal::new(None),
        duplicate: RwSignal::new(None),
        evidence_error: RwSignal::new(None),
    };
    let form = FormState::new(move || filing.check());
    let order = StoredValue::new(ORDER.map(String::from).to_vec());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.progress.get_untracked().is_some() {
            return;
        }
        state.duplicate.set(None);
        if !form.ready(&order.get_value()) {
            state.failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let multipart = match multipart(&untrack(move || filing.objection()), &files.get_untracked()) {
            Ok(multipart) => multipart,
            Err(message) => {
                state.failure.set(Some(message));
                return;
            }
        };
        state.failure.set(None);
        state.progress.set(Some(0));
        let on_filed = on_filed.clone();
        api::portal::file_objection(
            &multipart,
            move |p| {
                state.progress.try_set(Some(p.percent()));
            },
            move |result, retry_after| {
                state.progress.try_set(None);
                match result {
                    Ok(filed) => on_filed(filed),
                    Err(error) => refused(error, retry_after, form, &order.get_value(), state),
                }
            },
        );
    };
    let sending = move || state.progress.get().is_some();
    let on_cancel = on_cancel.clone();
    view! {
        <form class="form form--wide objection-form" on:submit=submit novalidate=true data-testid="objection-form">
            <p class="panel__hint">"带 * 的为必填项。您的联系方式仅用于告知办理情况,只有办理单位可以看到。"</p>
            <AppellantInputs filing form />
            <ClaimInputs filing form />
            <EvidencePicker files error=state.evidence_error sending=Signal::derive(sending) />
            {move || state.progress.get().map(|percent| view! {
                <div class="upload-progress" data-testid="upload-progress">
                    <label for="objection-progress">{format!("正在提交:已上传 {percent}%")}</label>
                    <progress id="objection-progress" max="100" value=percent>{percent} "%"</progress>
                </div>
            })}
            {move || state.duplicate.get().map(|detail| view! {
                <div class="status status--warning" role="alert" data-testid="duplicate-objection">
                    <p>{detail}</p>
                    <p>"同一信息在办理期间不能重复提出异议。请凭受理编号和查询码" <a href="/objections/track">"查询办理进度"</a> "。"</p>
                </div>
            })}
            <p class="status status--error" role="alert" data-testid="objection-error">{move || state.failure.get()}</p>
            <div class="form__actions">
                <button class="button" type="submit" disabled=sending>
                    {move || if sending() { "正在提交…" } else { "提交异议" }}
                </button>
                <button class="button button--ghost-dark" type="button" disabled=sending on:click=move |_| on_cancel()>"取消"</button>
            </div>
        </form>
    }
}

/// Who objects, how they stand to the subject, and how to reach them.
#[component]
fn AppellantInputs(filing: Filing, form: FormState) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"申诉人"</legend>
            <TextInput name="appellant_name" label="申诉人姓名" value=filing.name form required=true />
            <ChoiceSelect name="relation" label="与信用主体的关系" all=choices(Relation::ALL) value=filing.relation form />
            <TextInput name="phone" label="手机号码" kind="tel" value=filing.phone form
                hint="手机号码和电子邮箱至少填写一项,用于接收办理通知" />
            <TextInput name="email" label="电子邮箱" kind="email" value=filing.email form />
        </fieldset>
    }
}

/// What is wrong with the record.
#[component]
fn ClaimInputs(filing: Filing, form: FormState) -> impl IntoView {
    let description = filing.description;
    let count = move || description.with(|d| d.trim().chars().count());
    view! {
        <fieldset class="group">
            <legend>"异议内容"</legend>
            <ChoiceSelect name="claim_type" label="异议类型" all=choices(ClaimType::ALL) value=filing.claim form />
            <TextArea name="description" label="异议内容" hint="请具体说明哪项信息有误、正确的情况是什么(10 至 2000 个字)"
                required=true rows=5 value=description form class="field--span">
                <span class="muted counter" aria-hidden="true">{move || format!("{} / 2000", count())}</span>
            </TextArea>
        </fieldset>
    }
}

/// The evidence files: picked (checked at once against the rules), listed, removable until sent.
#[component]
fn EvidencePicker(
    files: RwSignal<Vec<web_sys::File>, LocalStorage>,
    error: RwSignal<Option<String>>,
    sending: Signal<bool>,
) -> impl IntoView {
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = input_of(&ev) else { return };
        let picked: Vec<web_sys::File> =
            input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        let mut refused = Vec::new();
        files.update(|chosen| refused = admit(chosen, picked));
        error.set((!refused.is_empty()).then(|| refused.join(";")));
        // The list below is what will be sent: the input itself starts empty again, so a file can be picked anew.
        input.set_value("");
    };
    let remove = move |index: usize| {
        files.update(|chosen| {
            if index < chosen.len() {
                chosen.remove(index);
            }
        });
        error.set(None);
    };
    view! {
        <fieldset class="group">
            <legend>"证据材料"</legend>
            <div class="field field--span" class:field--invalid=move || error.with(Option::is_some)>
                <label for="evidence">"证据材料(可选)"</label>
                <input id="evidence" name="evidence" type="file" multiple=true
                    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    disabled=move || files.with(|f| f.len() >= MAX_EVIDENCE_FILES)
                    aria-describedby=described_by("evidence") on:change=on_pick />
                <p class="field__hint" id="evidence-hint">
                    {format!(
                        "如处罚决定书、更正文件、身份证明或授权委托书等:PDF、JPEG 或 PNG 格式,最多 {MAX_EVIDENCE_FILES} 个,每个不超过 {} MB。",
                        MAX_EVIDENCE_BYTES / 1024 / 1024
                    )}
                </p>
                <p class="field__error" id="evidence-error" data-testid="error-evidence" role="alert">{move || error.get()}</p>
                <ul class="attachment-list" data-testid="evidence-files">
                    {move || files.get().into_iter().enumerate().map(|(i, f)| {
                        let label = f.name();
                        view! {
                            <li data-testid="evidence-file">
                                {label.clone()} <span class="muted">{format!(" · {}", size_label(f.size() as u32))}</span> " "
                                <button class="link-button" type="button" disabled=sending aria-label=format!("移除 {label}")
                                    on:click=move |_| remove(i)>"移除"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </fieldset>
    }
}

/// The multipart body: the part `objection` (JSON) and one part `evidence` per file.
fn multipart(objection: &NewObjection, files: &[web_sys::File]) -> Result<web_sys::FormData, String> {
    use web_sys::js_sys::Array;
    let failed = |_| "浏览器无法准备提交的内容,请刷新页面后重试".to_owned();
    let json = serde_json::to_string(objection).map_err(|e| e.to_string())?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = Array::of1(&wasm_bindgen::JsValue::from_str(&json));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let form = web_sys::FormData::new().map_err(failed)?;
    form.append_with_blob_and_filename("objection", &blob, "objection.json").map_err(failed)?;
    for file in files {
        form.append_with_blob_and_filename("evidence", file, &file.name()).map_err(failed)?;
    }
    Ok(form)
}

/// Shows why the API refused the filing: beside the fields it names, the evidence's limits beside the files, a
/// duplicate in the API's neutral words (a reminder went to the contact registered with the open objection), the
/// rate limit with the time to wait.
fn refused(error: ApiError, retry_after: api::RetryAfter, form: FormState, order: &[String], state: Sending) {
    let limit = MAX_EVIDENCE_BYTES / 1024 / 1024;
    let Sending { failure, duplicate, evidence_error, .. } = state;
    match error.code() {
        Some(ErrorCode::DuplicateObjection) => {
            // The API's neutral words: the filer may not be the appellant, so nothing of the open objection is named.
            duplicate.try_set(Some(DUPLICATE_OBJECTION_MESSAGE.to_owned()));
            return;
        }
        Some(ErrorCode::NotFound) => {
            failure.try_set(Some("该信息已不在信用门户公示(可能已撤销或超过公示期限),不能在线提出异议。".to_owned()));
            return;
        }
        Some(ErrorCode::PayloadTooLarge) => {
            evidence_error.try_set(Some(format!("证据文件不能超过 {limit} MB,请压缩或拆分后重新选择。")));
            failure.try_set(summary(1));
            return;
        }
        Some(ErrorCode::UnsupportedMediaType) => {
            evidence_error
                .try_set(Some(format!("证据材料只能是 PDF、JPEG 或 PNG 文件(按文件内容判断)。{}", error.message())));
            failure.try_set(summary(1));
            return;
        }
        Some(ErrorCode::RateLimited | ErrorCode::TooManyRequests) => {
            let wait = retry_after.map(|s| format!(",请在 {s} 秒后重试")).unwrap_or_else(|| ",请稍后再试".to_owned());
            failure.try_set(Some(format!("提交过于频繁{wait}。")));
            return;
        }
        _ => {}
    }
    let errors = error.field_errors();
    if errors.is_empty() {
        failure.try_set(Some(error.friendly()));
        return;
    }
    let evidence: Vec<String> =
        errors.iter().filter(|e| e.field.starts_with("evidence")).map(|e| e.message.clone()).collect();
    if !evidence.is_empty() {
        evidence_error.try_set(Some(evidence.join(";")));
    }
    let elsewhere: Vec<String> =
        crate::components::form::unplaced(&errors, order).into_iter().filter(|m| !evidence.contains(m)).collect();
    failure.try_set(if elsewhere.is_empty() { summary(errors.len()) } else { Some(elsewhere.join(";")) });
    form.refused(errors, order);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_with_the_api_messages() {
        let filing = NewObjection {
            record_id: "r".into(),
            appellant_name: String::new(),
            phone: None,
            email: Some("zhang@example".into()),
            relation: Relation::Subject,
            claim_type: ClaimType::Other,
            description: "太短".into(),
        };
        let fields: Vec<String> = check_fields(&filing).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["appellant_name", "email", "description"]);
        assert!(plausible_email("zhang.san@jiujiang.gov.cn"));
        assert!(!plausible_email("zhang san@example.cn"));
    }

    #[test]
    fn evidence_is_checked_before_it_is_sent() {
        assert!(refusal("决定书.pdf", "application/pdf", 1000.0).is_none());
        assert!(refusal("照片.JPG", "", 1000.0).is_none());
        assert!(refusal("说明.txt", "text/plain", 10.0).is_some());
        assert!(refusal("空.pdf", "application/pdf", 0.0).is_some());
        let over = refusal("大.png", "image/png", (MAX_EVIDENCE_BYTES + 1) as f64);
        assert_eq!(over.as_deref(), Some("“大.png”超过 10 MB"));
    }
}
