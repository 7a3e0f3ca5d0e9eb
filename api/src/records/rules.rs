//! What makes a record acceptable: the subject fits the catalog item and its code checks
//! out, the values fit the item's fields, the class is the default or narrower, the publication period lies within
//! the item's bounds. Single intake, batch intake and amendment all go through [`draft`].

use crate::catalog::store::Definition;
use chrono::{Duration, NaiveDate};
use credit_types::catalog::DisclosureClass;
use credit_types::records::{check_subject, RecordStatus, SubjectInput};
use credit_types::FieldError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A record that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: SubjectInput,
    pub decision_date: NaiveDate,
    pub class: DisclosureClass,
    pub publish_until: NaiveDate,
    pub status: RecordStatus,
    pub provider_ref: Option<String>,
    pub values: BTreeMap<String, String>,
    /// Identifies the content, so a retried submission with the same reference can be recognised as the same.
    pub content_hash: String,
}

/// What a provider submits, before the checks.
#[derive(Debug, Clone)]
pub struct Submission {
    pub subject: SubjectInput,
    pub decision_date: NaiveDate,
    pub class: Option<DisclosureClass>,
    pub publish_days: Option<u32>,
    pub provider_ref: Option<String>,
    pub values: BTreeMap<String, String>,
}

/// Checks a submission against its catalog item. Field names in errors follow the JSON request
/// (`subject.code`, `values.fine_amount` …).
pub fn draft(item: &Definition, submission: Submission, today: NaiveDate) -> Result<Draft, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !item.active {
        errors.push(FieldError::new("catalog_item", "inactive", format!("目录项 {} 已停用,不再接收新数据", item.code)));
    }
    let subject = SubjectInput {
        kind: submission.subject.kind,
        code: submission.subject.code.trim().to_uppercase(),
        name: submission.subject.name.trim().to_owned(),
    };
    if !item.subject_kinds.contains(&subject.kind) {
        errors.push(FieldError::new(
            "subject.kind",
            "kind_not_allowed",
            format!("目录项“{}”不适用于{}", item.name_zh, subject.kind.label()),
        ));
    }
    errors.extend(check_subject(&subject, today, "subject."));
    let values: BTreeMap<String, String> =
        submission.values.into_iter().map(|(k, v)| (k, v.trim().to_owned())).filter(|(_, v)| !v.is_empty()).collect();
    errors.extend(credit_types::catalog::check_values(&item.fields, &values));
    if submission.decision_date > today {
        errors.push(FieldError::new("decision_date", "future", "决定日期不能晚于今天"));
    }
    let class = submission.class.unwrap_or(item.default_class);
    if class.breadth() > item.default_class.breadth() {
        errors.push(FieldError::new(
            "disclosure_class",
            "wider_than_catalog",
            format!("公开范围不能宽于目录规定的“{}”(R-16.1)", item.default_class.label()),
        ));
    }
    let days = submission.publish_days.unwrap_or(item.max_days);
    if days < item.min_days || days > item.max_days {
        errors.push(FieldError::new(
            "publish_days",
            "out_of_range",
            format!("公示期限应在 {} 至 {} 天之间", item.min_days, item.max_days),
        ));
    }
    let provider_ref = submission.provider_ref.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if provider_ref.as_ref().is_some_and(|r| r.chars().count() > 64) {
        errors.push(FieldError::new("provider_ref", "length", "本单位编号最多 64 个字符"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let publish_until = submission.decision_date + Duration::days(i64::from(days));
    let status = if publish_until < today { RecordStatus::Expired } else { RecordStatus::Active };
    let content_hash = content_hash(&item.code, &subject, submission.decision_date, class, publish_until, &values);
    Ok(Draft {
        subject,
        decision_date: submission.decision_date,
        class,
        publish_until,
        status,
        provider_ref,
        values,
        content_hash,
    })
}

fn content_hash(
    code: &str,
    subject: &SubjectInput,
    decision_date: NaiveDate,
    class: DisclosureClass,
    publish_until: NaiveDate,
    values: &BTreeMap<String, String>,
) -> String {
    let canonical = serde_json::json!([
        code,
        subject.kind.as_str(),
        subject.code,
        subject.name,
        decision_date.to_string(),
        class.as_str(),
        publish_until.to_string(),
        values,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::catalog::{FieldDefinition, FieldType, SubjectKind};
    use credit_types::masking::MaskingRule;

    fn item() -> Definition {
        Definition {
            item_id: "i".into(),
            code: "ADM_PENALTY".into(),
            active: true,
            version: 1,
            name_zh: "行政处罚".into(),
            name_en: "Administrative penalty".into(),
            subject_kinds: vec![SubjectKind::LegalPerson],
            fields: vec![FieldDefinition {
                key: "fine_amount".into(),
                label: "罚款金额".into(),
                field_type: FieldType::Money,
                required: true,
                masking: MaskingRule::None,
                purpose: "p".into(),
                options: vec![],
                data_kind: None,
            }],
            default_class: DisclosureClass::Shared,
            min_days: 90,
            max_days: 1095,
            updated_at: chrono::NaiveDateTime::default(),
        }
    }

    fn submission() -> Submission {
        Submission {
            subject: SubjectInput {
                kind: SubjectKind::LegalPerson,
                code: "91360400MA35G4QX1R".into(),
                name: "九江测试有限公司".into(),
            },
            decision_date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
            class: None,
            publish_days: None,
            provider_ref: None,
            values: [("fine_amount".to_owned(), "5000".to_owned())].into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn r16_1_a_provider_may_narrow_the_class_but_never_widen_it() {
        let narrowed = draft(&item(), Submission { class: Some(DisclosureClass::Authorized), ..submission() }, today());
        assert_eq!(narrowed.map(|d| d.class), Ok(DisclosureClass::Authorized));
        let widened = draft(&item(), Submission { class: Some(DisclosureClass::Public), ..submission() }, today());
        let errors = widened.err().unwrap_or_default();
        assert_eq!(errors.first().map(|e| e.code.as_str()), Some("wider_than_catalog"));
    }

    #[test]
    fn publish_until_follows_the_catalog_period() {
        let made = draft(&item(), submission(), today()).map(|d| d.publish_until);
        assert_eq!(made, Ok(NaiveDate::from_ymd_opt(2029, 9, 30).unwrap_or_default()));
        let short = draft(&item(), Submission { publish_days: Some(30), ..submission() }, today());
        assert!(short.is_err());
    }
}
