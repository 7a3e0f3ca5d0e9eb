//! Processing one batch: every row checked (reporting progress as it goes), then either nothing written
//! (any row invalid) or everything written in one transaction.

use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::catalog::store::Definition;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::records::rules::{self, Draft, Submission};
use crate::records::store::{self, Provider};
use crate::schema::intake_batches;
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::intake::{BatchStatus, IntakeRow, RowError};
use credit_types::records::SubjectInput;
use credit_types::FieldError;
use diesel::prelude::*;
use std::collections::HashMap;

/// Rows between two progress reports.
const PROGRESS_EVERY: usize = 500;
/// Row errors kept on a batch; the count covers them all.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// What a batch job works on.
pub struct Job {
    pub batch_id: String,
    pub item: Definition,
    pub provider: Provider,
    pub actor: Actor,
    /// Rows with the number they are reported under.
    pub rows: Vec<(u32, IntakeRow)>,
}

/// Runs the job to a final status. A database failure leaves the batch `failed` with nothing written.
pub fn run(conn: &mut Db, job: Job) {
    if let Err(error) = process(conn, &job) {
        tracing::error!(batch = %job.batch_id, %error, "batch intake failed");
        let _ = finish(conn, &job.batch_id, BatchStatus::Failed, 0, 0, &[]);
    }
}

fn process(conn: &mut Db, job: &Job) -> ApiResult<()> {
    let today = crate::clock::today();
    let mut errors: Vec<RowError> = Vec::new();
    let mut drafts: Vec<(u32, Draft)> = Vec::with_capacity(job.rows.len());
    let mut refs_seen: HashMap<String, u32> = HashMap::new();
    let mut names_seen: HashMap<String, (SubjectKind, String)> = HashMap::new();
    for (index, (line, row)) in job.rows.iter().enumerate() {
        match check_row(&job.item, row, today) {
            Ok(draft) => {
                let mut row_errors = Vec::new();
                if let Some(reference) = &draft.provider_ref {
                    if let Some(first) = refs_seen.insert(reference.clone(), *line) {
                        row_errors.push(FieldError::new(
                            "provider_ref",
                            "duplicate_in_batch",
                            format!("与第 {first} 行的本单位编号重复"),
                        ));
                    }
                }
                let subject = (draft.subject.kind, draft.subject.name.clone());
                match names_seen.get(&draft.subject.code) {
                    Some(seen) if *seen != subject => row_errors.push(FieldError::new(
                        "subject_name",
                        "subject_mismatch_in_batch",
                        format!("同一代码在本批中出现了不同的主体名称或类型(“{}”)", seen.1),
                    )),
                    Some(_) => {}
                    None => {
                        names_seen.insert(draft.subject.code.clone(), subject);
                    }
                }
                if row_errors.is_empty() {
                    drafts.push((*line, draft));
                } else {
                    errors.extend(row_errors.into_iter().map(|e| row_error(*line, e)));
                }
            }
            Err(row_errors) => errors.extend(row_errors.into_iter().map(|e| row_error(*line, e))),
        }
        if (index + 1) % PROGRESS_EVERY == 0 {
            progress(conn, &job.batch_id, index + 1)?;
        }
    }
    let (fresh, unchanged, stored_errors) = against_stored(conn, &job.provider, drafts)?;
    errors.extend(stored_errors);
    progress(conn, &job.batch_id, job.rows.len())?;
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return finish(conn, &job.batch_id, BatchStatus::Rejected, 0, 0, &errors);
    }
    set_status(conn, &job.batch_id, BatchStatus::Committing)?;
    let outcome = crate::db::write_transaction(conn, |conn| {
        // Another batch may have landed meanwhile: check again inside the transaction.
        let (fresh_now, unchanged_now, conflicts) = against_stored(conn, &job.provider, fresh)?;
        if !conflicts.is_empty() {
            return Ok(Err(conflicts));
        }
        let drafts: Vec<Draft> = fresh_now.into_iter().map(|(_, d)| d).collect();
        store::insert_drafts(conn, &job.item, &job.provider, &drafts, crate::clock::now())?;
        let unchanged_total = unchanged + unchanged_now;
        audit::append(
            conn,
            EventFields::new(&job.actor, AuditAction::RecordBatchCreate, Outcome::Success)
                .target(TargetKind::IntakeBatch, &job.batch_id)
                .detail(format!("{}: {} created, {unchanged_total} unchanged", job.item.code, drafts.len())),
        )?;
        finish(conn, &job.batch_id, BatchStatus::Succeeded, drafts.len(), unchanged_total, &[])?;
        Ok::<_, ApiError>(Ok(()))
    })?;
    if let Err(conflicts) = outcome {
        return finish(conn, &job.batch_id, BatchStatus::Rejected, 0, 0, &conflicts);
    }
    Ok(())
}

/// Drafts to write (with their row numbers), how many rows are already stored unchanged, and row errors.
type Sorted = (Vec<(u32, Draft)>, usize, Vec<RowError>);

/// Checks drafts against what is stored: subjects registered under the same code with another name or kind, and
/// references already used. Returns the drafts to write, how many rows are already stored unchanged, and errors.
fn against_stored(conn: &mut Db, provider: &Provider, drafts: Vec<(u32, Draft)>) -> ApiResult<Sorted> {
    let codes: Vec<&str> = drafts.iter().map(|(_, d)| d.subject.code.as_str()).collect();
    let subjects = store::subjects_by_code(conn, &codes)?;
    let refs: Vec<&str> = drafts.iter().filter_map(|(_, d)| d.provider_ref.as_deref()).collect();
    let stored = store::records_by_ref(conn, &provider.organisation_id, &refs)?;
    let mut fresh = Vec::with_capacity(drafts.len());
    let mut unchanged = 0;
    let mut errors = Vec::new();
    for (line, draft) in drafts {
        if let Some(conflict) =
            subjects.get(&draft.subject.code).and_then(|s| store::subject_conflict(s, &draft.subject))
        {
            errors.push(row_error(line, conflict));
            continue;
        }
        match draft.provider_ref.as_ref().and_then(|r| stored.get(r)) {
            Some((_, hash)) if *hash == draft.content_hash => unchanged += 1,
            Some((id, _)) => errors.push(RowError {
                row: line,
                field: "provider_ref".into(),
                code: "provider_ref_taken".into(),
                message: format!("本单位编号已用于另一条内容不同的记录({id}),如需修改请使用更正功能"),
            }),
            None => fresh.push((line, draft)),
        }
    }
    Ok((fresh, unchanged, errors))
}

/// One row through the same checks as a single submission, with errors named by column.
fn check_row(item: &Definition, row: &IntakeRow, today: chrono::NaiveDate) -> Result<Draft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = SubjectKind::parse(row.subject_kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new(
            "subject_kind",
            "invalid",
            "主体类型应为 legal_person、natural_person 或 individual_business",
        ));
    }
    let decision_date = credit_types::catalog::parse_date(row.decision_date.trim());
    if decision_date.is_none() {
        errors.push(FieldError::new("decision_date", "invalid", "决定日期格式应为 YYYY-MM-DD"));
    }
    let class = match row.disclosure_class.trim() {
        "" => None,
        text => {
            let parsed =
                DisclosureClass::parse(text).or_else(|| DisclosureClass::ALL.into_iter().find(|c| c.label() == text));
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "disclosure_class",
                    "invalid",
                    "公开范围应为 public、shared 或 authorized",
                ));
            }
            parsed
        }
    };
    let publish_days = match row.publish_days.trim() {
        "" => None,
        text => {
            let parsed = text.parse::<u32>().ok();
            if parsed.is_none() {
                errors.push(FieldError::new("publish_days", "invalid", "公示天数应为整数"));
            }
            parsed
        }
    };
    let (Some(kind), Some(decision_date)) = (kind, decision_date) else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }
    let submission = Submission {
        subject: SubjectInput { kind, code: row.subject_code.clone(), name: row.subject_name.clone() },
        decision_date,
        class,
        publish_days,
        provider_ref: Some(row.provider_ref.clone()),
        values: row.values.clone(),
    };
    rules::draft(item, submission, today).map_err(|errors| errors.into_iter().map(column_named).collect())
}

/// A submission's field name (`subject.code`, `values.fine_amount`) as the batch column it came from.
fn column_named(error: FieldError) -> FieldError {
    let field = match error.field.as_str() {
        "subject.kind" => "subject_kind".to_owned(),
        "subject.code" => "subject_code".to_owned(),
        "subject.name" => "subject_name".to_owned(),
        other => other.strip_prefix("values.").unwrap_or(other).to_owned(),
    };
    FieldError { field, ..error }
}

fn row_error(row: u32, error: FieldError) -> RowError {
    RowError { row, field: error.field, code: error.code, message: error.message }
}

fn progress(conn: &mut Db, batch_id: &str, processed: usize) -> ApiResult<()> {
    diesel::update(intake_batches::table.find(batch_id))
        .set(intake_batches::processed_rows.eq(i32::try_from(processed).unwrap_or(i32::MAX)))
        .execute(conn)?;
    Ok(())
}

fn set_status(conn: &mut Db, batch_id: &str, status: BatchStatus) -> ApiResult<()> {
    diesel::update(intake_batches::table.find(batch_id)).set(intake_batches::status.eq(status)).execute(conn)?;
    Ok(())
}

/// Records the final state of a batch.
pub fn finish(
    conn: &mut Db,
    batch_id: &str,
    status: BatchStatus,
    created: usize,
    unchanged: usize,
    errors: &[RowError],
) -> ApiResult<()> {
    let kept = &errors[..errors.len().min(MAX_REPORTED_ERRORS)];
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::update(intake_batches::table.find(batch_id))
        .set((
            intake_batches::status.eq(status),
            intake_batches::created_count.eq(count(created)),
            intake_batches::unchanged_count.eq(count(unchanged)),
            intake_batches::error_count.eq(count(errors.len())),
            intake_batches::errors.eq(crate::catalog::store::to_json(&kept)?),
            intake_batches::finished_at.eq(Some(crate::clock::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Batches left unfinished by a stopped server: marked failed (nothing of them was written), so callers resend.
pub fn fail_interrupted(conn: &mut Db) -> ApiResult<usize> {
    let unfinished = [BatchStatus::Validating.as_str(), BatchStatus::Committing.as_str()];
    Ok(diesel::update(intake_batches::table.filter(intake_batches::status.eq_any(unfinished)))
        .set((
            intake_batches::status.eq(BatchStatus::Failed),
            intake_batches::finished_at.eq(Some(crate::clock::now())),
        ))
        .execute(conn)?)
}
