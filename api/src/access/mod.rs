//! Who sees what: the one rule deciding which credit records a caller may read or change.
//!
//! It exists twice and the two must agree: [`can_read`] judges one record, [`readable`] is the same rule as a SQL
//! filter for lists and counts, so pages and totals never reveal a row the caller may not read. The property test
//! in `tests/http/access.rs` checks their agreement on generated callers and records, on both databases.
//!
//! | viewer | public | shared | authorized |
//! |---|---|---|---|
//! | anonymous (portal) | in force and within publish-until, masked | no | no |
//! | city credit admin | all | all jurisdictions | only through a grant |
//! | city user unit | all | city-level jurisdiction | city-level, through a grant |
//! | county credit admin | all | own county | no |
//! | county user unit | all | own county | own county, through a grant |
//! | data provider | all | its own organisation's | its own organisation's |
//! | system/db admin, auditor, account admin | in force only | no | no |
//!
//! "All" spans every jurisdiction. User units see shared records only as government units (R-16.1: 政务部门共享); a
//! credit service agency holding the user-unit role sees public records only. Statuses: user units, the three separated duties and the public see only
//! records in force (active, under objection, corrected) within their publication period; credit admins (for
//! oversight) and the providing unit also see revoked and expired ones. Grants (authorised use) are an input of
//! this same rule, added with the authorisation capability; until then no grant exists and the `authorized` class
//! is visible to its provider alone.

use crate::db::MultiBackend;
use crate::identity::principal::Principal;
use crate::schema::records;
use chrono::NaiveDate;
use credit_types::catalog::DisclosureClass;
use credit_types::identity::Role;
use credit_types::records::RecordStatus;
use credit_types::RegionLevel;
use diesel::dsl::not;
use diesel::expression::AsExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;

/// The caller as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// The public on the portal.
    Anonymous,
    /// A signed-in user or an API client, with its organisation's level and region, and whether that organisation
    /// is a government unit (shared information is for government units only; a credit service agency is not one).
    Staff { organisation_id: String, level: RegionLevel, region_code: String, roles: Vec<Role>, government_unit: bool },
}

impl Viewer {
    pub fn of(principal: &Principal) -> Viewer {
        Viewer::Staff {
            organisation_id: principal.organisation_id.clone(),
            level: principal.level,
            region_code: principal.region_code.clone(),
            roles: principal.roles.clone(),
            government_unit: principal.government_unit,
        }
    }

    /// Whether what this viewer receives is masked: everything anonymous callers get.
    pub fn sees_masked(&self) -> bool {
        matches!(self, Viewer::Anonymous)
    }

    fn roles(&self) -> &[Role] {
        match self {
            Viewer::Anonymous => &[],
            Viewer::Staff { roles, .. } => roles,
        }
    }

    fn has(&self, role: Role) -> bool {
        self.roles().contains(&role)
    }
}

/// What the rule needs to know of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts<'a> {
    pub provider_id: &'a str,
    pub jurisdiction_region: &'a str,
    pub jurisdiction_level: RegionLevel,
    pub class: DisclosureClass,
    pub status: RecordStatus,
    pub publish_until: NaiveDate,
}

/// The reasons a viewer may read records, each a slice of the table above. Both forms of the rule are built from
/// this list, so they cannot drift apart clause by clause.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Clause {
    /// Public, in force, within publish-until: everyone, the public included.
    PublishedPublic,
    /// Every record its own organisation provided (data provider).
    OwnOrganisation(String),
    /// Public and shared records of every jurisdiction, any status (city credit admin).
    AllPublicAndShared,
    /// Public and shared records of one county, any status (county credit admin).
    CountyPublicAndShared(String),
    /// Shared records in force of city-level jurisdiction (city user unit).
    CitySharedInForce,
    /// Shared records in force of one county (county user unit).
    CountySharedInForce(String),
}

fn clauses(viewer: &Viewer) -> Vec<Clause> {
    let mut out = vec![Clause::PublishedPublic];
    let Viewer::Staff { organisation_id, level, region_code, government_unit, .. } = viewer else { return out };
    if viewer.has(Role::DataProvider) {
        out.push(Clause::OwnOrganisation(organisation_id.clone()));
    }
    match level {
        RegionLevel::City => {
            if viewer.has(Role::CityCreditAdmin) {
                out.push(Clause::AllPublicAndShared);
            }
            if viewer.has(Role::UserUnit) && *government_unit {
                out.push(Clause::CitySharedInForce);
            }
        }
        RegionLevel::County => {
            if viewer.has(Role::CountyCreditAdmin) {
                out.push(Clause::CountyPublicAndShared(region_code.clone()));
            }
            if viewer.has(Role::UserUnit) && *government_unit {
                out.push(Clause::CountySharedInForce(region_code.clone()));
            }
        }
    }
    out
}

/// whether `viewer` may read the record, on `today` (the platform's local date).
pub fn can_read(viewer: &Viewer, record: &RecordFacts<'_>, today: NaiveDate) -> bool {
    let in_force = record.status.in_force() && record.publish_until >= today;
    let public_or_shared = matches!(record.class, DisclosureClass::Public | DisclosureClass::Shared);
    clauses(viewer).iter().any(|clause| match clause {
        Clause::PublishedPublic => record.class == DisclosureClass::Public && in_force,
        Clause::OwnOrganisation(org) => record.provider_id == org,
        Clause::AllPublicAndShared => public_or_shared,
        Clause::CountyPublicAndShared(region) => public_or_shared && record.jurisdiction_region == region,
        Clause::CitySharedInForce => {
            record.class == DisclosureClass::Shared && record.jurisdiction_level == RegionLevel::City && in_force
        }
        Clause::CountySharedInForce(region) => {
            record.class == DisclosureClass::Shared && record.jurisdiction_region == region && in_force
        }
    })
}

/// A boolean SQL expression over `records`.
pub type RecordFilter = Box<dyn BoxableExpression<records::table, MultiBackend, SqlType = Bool>>;

/// [`can_read`] as a SQL filter on `records`, for every list and count.
pub fn readable(viewer: &Viewer, today: NaiveDate) -> RecordFilter {
    clauses(viewer)
        .into_iter()
        .map(|clause| clause_filter(clause, today))
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(|| Box::new(AsExpression::<Bool>::as_expression(false)))
}

fn in_force(today: NaiveDate) -> RecordFilter {
    let statuses: Vec<&str> = RecordStatus::ALL.into_iter().filter(|s| s.in_force()).map(|s| s.as_str()).collect();
    Box::new(records::status.eq_any(statuses).and(records::publish_until.ge(today)))
}

fn class_is(class: DisclosureClass) -> RecordFilter {
    Box::new(records::disclosure_class.eq(class.as_str()))
}

fn clause_filter(clause: Clause, today: NaiveDate) -> RecordFilter {
    let public_or_shared = || not(records::disclosure_class.eq(DisclosureClass::Authorized.as_str()));
    match clause {
        Clause::PublishedPublic => Box::new(class_is(DisclosureClass::Public).and(in_force(today))),
        Clause::OwnOrganisation(org) => Box::new(records::provider_id.eq(org)),
        Clause::AllPublicAndShared => Box::new(public_or_shared()),
        Clause::CountyPublicAndShared(region) => {
            Box::new(public_or_shared().and(records::jurisdiction_region.eq(region)))
        }
        Clause::CitySharedInForce => Box::new(
            class_is(DisclosureClass::Shared)
                .and(records::jurisdiction_level.eq(RegionLevel::City.as_str()))
                .and(in_force(today)),
        ),
        Clause::CountySharedInForce(region) => Box::new(
            class_is(DisclosureClass::Shared).and(records::jurisdiction_region.eq(region)).and(in_force(today)),
        ),
    }
}

/// only the providing organisation's data providers change a record (amend, revoke).
pub fn can_change(viewer: &Viewer, record: &RecordFacts<'_>) -> bool {
    matches!(viewer, Viewer::Staff { organisation_id, .. } if viewer.has(Role::DataProvider) && organisation_id == record.provider_id)
}

/// who may submit records at all (for their own organisation).
pub fn can_submit(viewer: &Viewer) -> bool {
    viewer.has(Role::DataProvider)
}

/// the competent office's view: statistics over the records a credit admin oversees.
pub fn oversees(viewer: &Viewer) -> bool {
    viewer.has(Role::CityCreditAdmin) || viewer.has(Role::CountyCreditAdmin)
}

/// the records a credit admin's statistics count (counts only, never content): every record for the city's
/// competent office, the county's own for a county credit admin, nothing for anyone else.
pub fn overseen(viewer: &Viewer) -> RecordFilter {
    match viewer {
        Viewer::Staff { level: RegionLevel::City, .. } if viewer.has(Role::CityCreditAdmin) => {
            Box::new(AsExpression::<Bool>::as_expression(true))
        }
        Viewer::Staff { level: RegionLevel::County, region_code, .. } if viewer.has(Role::CountyCreditAdmin) => {
            Box::new(records::jurisdiction_region.eq(region_code.clone()))
        }
        _ => Box::new(AsExpression::<Bool>::as_expression(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(level: RegionLevel, region: &str, roles: &[Role]) -> Viewer {
        Viewer::Staff {
            organisation_id: "org-a".into(),
            level,
            region_code: region.into(),
            roles: roles.to_vec(),
            government_unit: true,
        }
    }

    fn record(class: DisclosureClass, status: RecordStatus, provider: &'static str) -> RecordFacts<'static> {
        RecordFacts {
            provider_id: provider,
            jurisdiction_region: "360402",
            jurisdiction_level: RegionLevel::County,
            class,
            status,
            publish_until: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap_or_default(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn r18_1_the_public_sees_published_public_records_only() {
        let public = record(DisclosureClass::Public, RecordStatus::Active, "p");
        assert!(can_read(&Viewer::Anonymous, &public, today()));
        let revoked = record(DisclosureClass::Public, RecordStatus::Revoked, "p");
        assert!(!can_read(&Viewer::Anonymous, &revoked, today()));
        let expired = RecordFacts { publish_until: today().pred_opt().unwrap_or_default(), ..public.clone() };
        assert!(!can_read(&Viewer::Anonymous, &expired, today()), "expired by date even before the job marks it");
        assert!(!can_read(&Viewer::Anonymous, &record(DisclosureClass::Shared, RecordStatus::Active, "p"), today()));
    }

    #[test]
    fn r18_1_county_admin_sees_own_county_shared_only() {
        let shared = record(DisclosureClass::Shared, RecordStatus::Active, "p");
        assert!(can_read(&staff(RegionLevel::County, "360402", &[Role::CountyCreditAdmin]), &shared, today()));
        assert!(!can_read(&staff(RegionLevel::County, "360403", &[Role::CountyCreditAdmin]), &shared, today()));
        let authorized = record(DisclosureClass::Authorized, RecordStatus::Active, "p");
        assert!(!can_read(&staff(RegionLevel::County, "360402", &[Role::CountyCreditAdmin]), &authorized, today()));
    }

    #[test]
    fn r6_1_only_the_own_provider_changes_a_record() {
        let own = record(DisclosureClass::Authorized, RecordStatus::Active, "org-a");
        assert!(can_change(&staff(RegionLevel::County, "360402", &[Role::DataProvider]), &own));
        assert!(!can_change(&staff(RegionLevel::City, "360400", &[Role::CityCreditAdmin]), &own));
        let other = record(DisclosureClass::Public, RecordStatus::Active, "org-b");
        assert!(!can_change(&staff(RegionLevel::County, "360402", &[Role::DataProvider]), &other));
    }
}
