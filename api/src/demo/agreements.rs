//! Demo usage agreements: every demo user unit may request the authorised-use items for every purpose,
//! from the start of this year to the end of the next, so the authorisation flow can be tried at once.

use super::seed::Unit;
use crate::db::Db;
use crate::schema::{agreement_items, agreement_purposes, usage_agreements};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use credit_types::authorization::Purpose;
use credit_types::identity::OrganisationKind;
use diesel::prelude::*;

/// The catalog items the demo agreements cover.
pub const COVERED_ITEMS: [&str; 4] = ["CREDIT_EVALUATION", "ADM_PENALTY", "SERIOUS_DISHONESTY", "COURT_JUDGMENT"];

/// Records one agreement for each user unit among `units`; returns how many.
pub fn insert(
    conn: &mut Db,
    units: &[Unit],
    organisation_ids: &[String],
    recorded_by: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(today.year() + 1, 12, 31).unwrap_or(today);
    let mut made = 0;
    for (unit, organisation_id) in units.iter().zip(organisation_ids) {
        if !unit.kinds.contains(&OrganisationKind::UserUnit) {
            continue;
        }
        made += 1;
        let id = crate::db::new_id();
        diesel::insert_into(usage_agreements::table)
            .values((
                usage_agreements::id.eq(&id),
                usage_agreements::organisation_id.eq(organisation_id),
                usage_agreements::document_no.eq(format!("九信用协〔{}〕{made}号", today.year())),
                usage_agreements::valid_from.eq(from),
                usage_agreements::valid_to.eq(to),
                usage_agreements::status.eq(credit_types::authorization::AgreementStatus::Active),
                usage_agreements::created_at.eq(now),
                usage_agreements::created_by.eq(recorded_by),
                usage_agreements::updated_at.eq(now),
                usage_agreements::updated_by.eq(recorded_by),
            ))
            .execute(conn)?;
        let items: Vec<_> = COVERED_ITEMS
            .iter()
            .map(|code| (agreement_items::agreement_id.eq(&id), agreement_items::catalog_code.eq(*code)))
            .collect();
        crate::insert_many!(conn, agreement_items::table, items)?;
        let purposes: Vec<_> = Purpose::ALL
            .iter()
            .map(|p| (agreement_purposes::agreement_id.eq(&id), agreement_purposes::purpose.eq(p)))
            .collect();
        crate::insert_many!(conn, agreement_purposes::table, purposes)?;
    }
    Ok(made)
}
