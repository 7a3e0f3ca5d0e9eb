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
//! | credit service agency | in force only, masked as on the portal | no | no |
//! | system/db admin, auditor, account admin | no | no | no |
//!
//! "All" spans every jurisdiction. User units see shared records only as government units (R-16.1: 政务部门共享); a
//! credit service agency holding the user-unit role sees public records only, masked as the public sees them
//! ([`presentation`]). The separated duties (三员: system and database administrators, the security auditor, the
//! account office) read no credit content at all. Statuses: user units and the public see only records in force
//! (active, under objection, corrected) within their publication period; credit admins (for oversight) and the
//! providing unit also see revoked and expired ones.
//!
//! Whether a reader gets records masked is part of the same rule: [`presentation`] decides it for every read path,
//! as [`can_read`]/[`readable`] decide visibility.
//!
//! Grants (authorised use, R-16.1, R-18.1) are one more input of this same rule, not a side path: a grant held by
//! the viewer's organisation, neither revoked nor past its expiry at the moment of the read, lets its user-unit
//! users read the grant's records — and only those of them the unit could have asked for ([`requestable`]:
//! authorised-use, in force, city-level for a city unit, the unit's own county for a county unit). So no grant
//! widens beyond its records, and expiry and revocation take effect at the next read.

pub mod grants;

pub use grants::HeldGrant;

use crate::db::MultiBackend;
use crate::identity::principal::Principal;
use crate::schema::records;
use chrono::{NaiveDate, NaiveDateTime};
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
    /// The grants listing this record that the rule should consider (see [`grants::held`]); empty elsewhere.
    pub grants: &'a [HeldGrant],
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
    /// Records of a grant the organisation holds, within what the unit may request (user unit of a government
    /// organisation).
    Granted { organisation_id: String, scope: RequestScope },
}

/// Which authorised-use records a user unit may ask for, and so read through a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestScope {
    /// A city user unit: records of city-level jurisdiction.
    CityLevel,
    /// A county user unit: its own county's records.
    County(String),
}

/// who may request authorised-use records: a user unit of a government organisation, for city-level
/// records at city level and for its own county's at county level. Nobody else — credit admins, data providers,
/// the separated duties, credit service agencies and the public included.
pub fn request_scope(viewer: &Viewer) -> Option<RequestScope> {
    match viewer {
        Viewer::Staff { level, region_code, government_unit: true, .. } if viewer.has(Role::UserUnit) => {
            Some(match level {
                RegionLevel::City => RequestScope::CityLevel,
                RegionLevel::County => RequestScope::County(region_code.clone()),
            })
        }
        _ => None,
    }
}

/// whether `scope` covers the record: authorised-use, in force on `today`, of the scope's jurisdiction.
pub fn requestable(scope: &RequestScope, record: &RecordFacts<'_>, today: NaiveDate) -> bool {
    let in_scope = match scope {
        RequestScope::CityLevel => record.jurisdiction_level == RegionLevel::City,
        RequestScope::County(region) => record.jurisdiction_region == region,
    };
    in_scope && record.class == DisclosureClass::Authorized && record.status.in_force() && record.publish_until >= today
}

/// [`requestable`] as a SQL filter on `records`.
pub fn requestable_filter(scope: &RequestScope, today: NaiveDate) -> RecordFilter {
    let in_scope: RecordFilter = match scope {
        RequestScope::CityLevel => Box::new(records::jurisdiction_level.eq(RegionLevel::City)),
        RequestScope::County(region) => Box::new(records::jurisdiction_region.eq(region.clone())),
    };
    Box::new(in_scope.and(class_is(DisclosureClass::Authorized)).and(in_force(today)))
}

/// Why a viewer may read a record: the table's own clauses, or (only when none of them applies) a grant, whose
/// reads are audited with the grant and its purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadBasis {
    Table,
    Grant(HeldGrant),
}

impl ReadBasis {
    /// The grant read through, if any.
    pub fn grant_id(&self) -> Option<String> {
        match self {
            ReadBasis::Table => None,
            ReadBasis::Grant(grant) => Some(grant.id.clone()),
        }
    }
}

/// The roles that read credit content; the separated duties (三员) hold none of them.
const CREDIT_READERS: [Role; 4] = [Role::CityCreditAdmin, Role::CountyCreditAdmin, Role::UserUnit, Role::DataProvider];

/// How a viewer receives the records it may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// As stored.
    Full,
    /// As the portal shows them: every value by its catalog field's masking rule, natural persons' names and
    /// identity numbers masked.
    Masked,
}

/// the public, and staff of organisations that are no government unit (credit service agencies), read
/// records masked; government staff read them in full.
pub fn presentation(viewer: &Viewer) -> Presentation {
    match viewer {
        Viewer::Anonymous | Viewer::Staff { government_unit: false, .. } => Presentation::Masked,
        Viewer::Staff { government_unit: true, .. } => Presentation::Full,
    }
}

fn clauses(viewer: &Viewer) -> Vec<Clause> {
    if let Viewer::Staff { roles, .. } = viewer {
        // 三员: the separated duties read no credit content, not even what the portal publishes.
        if !roles.iter().any(|role| CREDIT_READERS.contains(role)) {
            return Vec::new();
        }
    }
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
    if let Some(scope) = request_scope(viewer) {
        out.push(Clause::Granted { organisation_id: organisation_id.clone(), scope });
    }
    out
}

/// whether `viewer` may read the record at `now` (UTC; publication periods end on the local date).
pub fn can_read(viewer: &Viewer, record: &RecordFacts<'_>, now: NaiveDateTime) -> bool {
    read_basis(viewer, record, now).is_some()
}

/// on what ground `viewer` may read the record at `now`, if at all.
pub fn read_basis(viewer: &Viewer, record: &RecordFacts<'_>, now: NaiveDateTime) -> Option<ReadBasis> {
    let today = crate::clock::local_date(now);
    let clauses = clauses(viewer);
    if clauses.iter().any(|clause| table_allows(clause, record, today)) {
        return Some(ReadBasis::Table);
    }
    clauses.iter().find_map(|clause| match clause {
        Clause::Granted { organisation_id, scope } if requestable(scope, record, today) => {
            record.grants.iter().find(|g| g.in_force_for(organisation_id, now)).cloned().map(ReadBasis::Grant)
        }
        _ => None,
    })
}

fn table_allows(clause: &Clause, record: &RecordFacts<'_>, today: NaiveDate) -> bool {
    let in_force = record.status.in_force() && record.publish_until >= today;
    let public_or_shared = matches!(record.class, DisclosureClass::Public | DisclosureClass::Shared);
    match clause {
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
        Clause::Granted { .. } => false,
    }
}

/// A boolean SQL expression over `records`.
pub type RecordFilter = Box<dyn BoxableExpression<records::table, MultiBackend, SqlType = Bool>>;

/// [`can_read`] as a SQL filter on `records`, for every list and count.
pub fn readable(viewer: &Viewer, now: NaiveDateTime) -> RecordFilter {
    clauses(viewer)
        .into_iter()
        .map(|clause| clause_filter(clause, now))
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(|| Box::new(AsExpression::<Bool>::as_expression(false)))
}

fn in_force(today: NaiveDate) -> RecordFilter {
    let statuses: Vec<RecordStatus> = RecordStatus::ALL.into_iter().filter(|s| s.in_force()).collect();
    Box::new(records::status.eq_any(statuses).and(records::publish_until.ge(today)))
}

fn class_is(class: DisclosureClass) -> RecordFilter {
    Box::new(records::disclosure_class.eq(class))
}

fn clause_filter(clause: Clause, now: NaiveDateTime) -> RecordFilter {
    let today = crate::clock::local_date(now);
    let public_or_shared = || not(records::disclosure_class.eq(DisclosureClass::Authorized));
    match clause {
        Clause::PublishedPublic => Box::new(class_is(DisclosureClass::Public).and(in_force(today))),
        Clause::OwnOrganisation(org) => Box::new(records::provider_id.eq(org)),
        Clause::AllPublicAndShared => Box::new(public_or_shared()),
        Clause::CountyPublicAndShared(region) => {
            Box::new(public_or_shared().and(records::jurisdiction_region.eq(region)))
        }
        Clause::CitySharedInForce => Box::new(
            class_is(DisclosureClass::Shared)
                .and(records::jurisdiction_level.eq(RegionLevel::City))
                .and(in_force(today)),
        ),
        Clause::CountySharedInForce(region) => Box::new(
            class_is(DisclosureClass::Shared).and(records::jurisdiction_region.eq(region)).and(in_force(today)),
        ),
        Clause::Granted { organisation_id, scope } => {
            Box::new(requestable_filter(&scope, today).and(grants::granted_records(organisation_id, now)))
        }
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
            grants: &[],
        }
    }

    /// Noon in Jiujiang on 25 November 2026.
    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 25).and_then(|d| d.and_hms_opt(4, 0, 0)).unwrap_or_default()
    }

    fn today() -> NaiveDate {
        crate::clock::local_date(now())
    }

    #[test]
    fn r18_1_the_public_sees_published_public_records_only() {
        let public = record(DisclosureClass::Public, RecordStatus::Active, "p");
        assert!(can_read(&Viewer::Anonymous, &public, now()));
        let revoked = record(DisclosureClass::Public, RecordStatus::Revoked, "p");
        assert!(!can_read(&Viewer::Anonymous, &revoked, now()));
        let expired = RecordFacts { publish_until: today().pred_opt().unwrap_or_default(), ..public.clone() };
        assert!(!can_read(&Viewer::Anonymous, &expired, now()), "expired by date even before the job marks it");
        assert!(!can_read(&Viewer::Anonymous, &record(DisclosureClass::Shared, RecordStatus::Active, "p"), now()));
    }

    #[test]
    fn r18_1_county_admin_sees_own_county_shared_only() {
        let shared = record(DisclosureClass::Shared, RecordStatus::Active, "p");
        assert!(can_read(&staff(RegionLevel::County, "360402", &[Role::CountyCreditAdmin]), &shared, now()));
        assert!(!can_read(&staff(RegionLevel::County, "360403", &[Role::CountyCreditAdmin]), &shared, now()));
        let authorized = record(DisclosureClass::Authorized, RecordStatus::Active, "p");
        assert!(!can_read(&staff(RegionLevel::County, "360402", &[Role::CountyCreditAdmin]), &authorized, now()));
    }

    #[test]
    fn r6_1_only_the_own_provider_changes_a_record() {
        let own = record(DisclosureClass::Authorized, RecordStatus::Active, "org-a");
        assert!(can_change(&staff(RegionLevel::County, "360402", &[Role::DataProvider]), &own));
        assert!(!can_change(&staff(RegionLevel::City, "360400", &[Role::CityCreditAdmin]), &own));
        let other = record(DisclosureClass::Public, RecordStatus::Active, "org-b");
        assert!(!can_change(&staff(RegionLevel::County, "360402", &[Role::DataProvider]), &other));
    }

    fn grant(org: &str, expires_at: NaiveDateTime, revoked: bool) -> HeldGrant {
        HeldGrant {
            id: "g1".into(),
            grantee_org_id: org.into(),
            provider_org_id: "p".into(),
            purpose: "administrative_approval".into(),
            expires_at,
            revoked,
        }
    }

    #[test]
    fn r18_1_a_grant_lets_its_unit_read_until_it_ends() {
        let unit = staff(RegionLevel::County, "360402", &[Role::UserUnit]);
        let later = now() + chrono::Duration::days(30);
        let held = [grant("org-a", later, false)];
        let authorized =
            RecordFacts { grants: &held, ..record(DisclosureClass::Authorized, RecordStatus::Active, "p") };
        assert_eq!(read_basis(&unit, &authorized, now()), Some(ReadBasis::Grant(held[0].clone())));
        assert!(!can_read(&unit, &authorized, later), "expired at its expiry instant");
        let revoked = [grant("org-a", later, true)];
        assert!(!can_read(&unit, &RecordFacts { grants: &revoked, ..authorized.clone() }, now()));
        let other_unit = [grant("org-b", later, false)];
        assert!(!can_read(&unit, &RecordFacts { grants: &other_unit, ..authorized.clone() }, now()));
    }

    #[test]
    fn r18_1_no_grant_widens_beyond_what_the_unit_may_request() {
        let later = now() + chrono::Duration::days(30);
        let held = [grant("org-a", later, false)];
        let authorized =
            RecordFacts { grants: &held, ..record(DisclosureClass::Authorized, RecordStatus::Active, "p") };
        // Another county's unit, a county admin, a credit service agency: the grant does not help them.
        assert!(!can_read(&staff(RegionLevel::County, "360403", &[Role::UserUnit]), &authorized, now()));
        assert!(!can_read(&staff(RegionLevel::County, "360402", &[Role::CountyCreditAdmin]), &authorized, now()));
        let agency = Viewer::Staff {
            organisation_id: "org-a".into(),
            level: RegionLevel::County,
            region_code: "360402".into(),
            roles: vec![Role::UserUnit],
            government_unit: false,
        };
        assert!(!can_read(&agency, &authorized, now()));
        // A revoked record is not readable through a grant listing it.
        let revoked = RecordFacts { status: RecordStatus::Revoked, ..authorized.clone() };
        assert!(!can_read(&staff(RegionLevel::County, "360402", &[Role::UserUnit]), &revoked, now()));
        // A county unit's grant never covers city-level records.
        let city = RecordFacts { jurisdiction_level: RegionLevel::City, jurisdiction_region: "360400", ..authorized };
        assert!(!can_read(&staff(RegionLevel::County, "360402", &[Role::UserUnit]), &city, now()));
    }

    #[test]
    fn r18_1_only_user_units_of_government_organisations_may_request() {
        assert_eq!(
            request_scope(&staff(RegionLevel::City, "360400", &[Role::UserUnit])),
            Some(RequestScope::CityLevel)
        );
        assert_eq!(
            request_scope(&staff(RegionLevel::County, "360402", &[Role::UserUnit])),
            Some(RequestScope::County("360402".into()))
        );
        for role in [Role::CityCreditAdmin, Role::CountyCreditAdmin, Role::DataProvider, Role::SystemAdmin] {
            assert_eq!(request_scope(&staff(RegionLevel::City, "360400", &[role])), None, "{role:?}");
        }
        assert_eq!(request_scope(&Viewer::Anonymous), None);
    }
}
