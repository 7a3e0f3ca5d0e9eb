//! `credit-api seed-demo`: fills an empty database with demo data, flagged demo. Organisations of the city and its
//! counties, one account per role and level (all with the published [`DEMO_PASSWORD`]), and records of every
//! catalog item, each built through the same checks as a provider's submission ([`crate::records::rules::draft`]).
//!
//! It refuses a database holding anything that is not demo data, so it can never mix invented records with real
//! ones; and outside demo mode (`serve --demo`) the demo accounts must change their published password first.

use super::codes::{self, Registration};
use super::content::{self, Context, DemoSubject, Domain};
use super::names;
use super::rng::Rng;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome};
use crate::catalog::store::{self as catalog, Definition};
use crate::db::Db;
use crate::error::ApiError;
use crate::identity::{password, rules as identity_rules, store as identity_store};
use crate::keys::ContactKey;
use crate::records::rules::{draft, Draft, Submission};
use crate::records::store::{insert_drafts, Provider};
use crate::schema::{organisations, records, subjects, users};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::identity::{check_role_set, OrganisationKind, Role};
use credit_types::records::SubjectInput;
use credit_types::RegionLevel;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// The password of every demo account, printed by the command and in the README.
pub const DEMO_PASSWORD: &str = "Demo-Jiujiang-2026";
/// Records made when `--records` is not given.
pub const DEFAULT_RECORDS: u32 = 5_000;
/// The seed used when `--seed` is not given: the same data on every machine.
pub const DEFAULT_SEED: u64 = 20_261_125;
/// Fewest records: the showcase ones.
pub const MIN_RECORDS: u32 = SHOWCASE_RECORDS as u32;
pub const MAX_RECORDS: u32 = 1_000_000;

/// The showcase company the browser tests and the README rely on.
pub const SHOWCASE_COMPANY: &str = "九江市浔阳长江建材有限公司";
pub const SHOWCASE_COMPANY_USCC: &str = "91360403MA38JJ2C5F";
pub const SHOWCASE_REPRESENTATIVE: &str = "张小三";
pub const SHOWCASE_REPRESENTATIVE_ID: &str = "360403198005120319";
/// The showcase natural person.
pub const SHOWCASE_PERSON: &str = "李四海";
pub const SHOWCASE_PERSON_ID: &str = "360403197503180571";
pub const SHOWCASE_PERSON_ADDRESS: &str = "江西省九江市浔阳区庐山北路88号";
const SHOWCASE_RECORDS: usize = 5;

/// Who stands as the creator of records from units without a demo account.
const SEEDER: &str = "seed-demo";
/// Fixed, so that the organisations' codes never change with `--seed`.
const UNITS_SEED: u64 = 360_400;
/// Records generated and written at a time, bounding memory for large runs.
const CHUNK: usize = 10_000;
const CITY: &str = "360400";

/// What `credit-api seed-demo` is told.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many credit records to make (the four showcase records included).
    #[arg(long, default_value_t = DEFAULT_RECORDS, value_parser = clap::value_parser!(u32).range(i64::from(MIN_RECORDS)..=i64::from(MAX_RECORDS)))]
    pub records: u32,
    /// Seed of the generator: the same seed makes the same records.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Do nothing (and succeed) when the demo data is there already; still refuse a database with real data.
    #[arg(long)]
    pub if_empty: bool,
}

/// A demo account: login name, personal name, role, organisation.
#[derive(Debug, Clone, Copy)]
pub struct DemoAccount {
    pub login_name: &'static str,
    pub full_name: &'static str,
    pub role: Role,
    pub organisation: &'static str,
}

const fn account(
    login_name: &'static str,
    full_name: &'static str,
    role: Role,
    organisation: &'static str,
) -> DemoAccount {
    DemoAccount { login_name, full_name, role, organisation }
}

/// One account for each role and level.
pub const ACCOUNTS: [DemoAccount; 10] = [
    account("demo.city.admin", "陈志强", Role::CityCreditAdmin, "九江市发展和改革委员会"),
    account("demo.county.admin", "刘晓燕", Role::CountyCreditAdmin, "濂溪区发展和改革委员会"),
    account("demo.city.user", "黄伟", Role::UserUnit, "九江市财政局"),
    account("demo.county.user", "周敏", Role::UserUnit, "濂溪区财政局"),
    account("demo.city.provider", "吴海涛", Role::DataProvider, "九江市市场监督管理局"),
    account("demo.county.provider", "徐丽娟", Role::DataProvider, "濂溪区市场监督管理局"),
    account("demo.account.admin", "胡文斌", Role::AccountAdmin, "九江市人民政府信息化办公室"),
    account("demo.system.admin", "罗明", Role::SystemAdmin, "九江市人民政府信息化办公室"),
    account("demo.db.admin", "邓磊", Role::DbAdmin, "九江市人民政府信息化办公室"),
    account("demo.auditor", "万芳", Role::SecurityAuditor, "九江市人民政府信息化办公室"),
];

/// A demo organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub uscc: String,
    pub region: &'static str,
    pub kinds: Vec<OrganisationKind>,
    /// What it provides records about (data providers only).
    pub domain: Option<Domain>,
    /// Its short form in document numbers.
    pub abbr: String,
}

impl Unit {
    pub fn level(&self) -> RegionLevel {
        if self.region == CITY {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }
}

/// The demo organisations: city departments, and in every county the lead unit (发展和改革委员会) and the market
/// supervision bureau, plus a few user units. Always the same, codes included.
pub fn units() -> Vec<Unit> {
    use OrganisationKind::*;
    let mut rng = Rng::new(UNITS_SEED);
    let mut out = Vec::new();
    let mut add = |rng: &mut Rng, name: String, region, kinds: &[OrganisationKind], domain, abbr: String| {
        let registration = if name.ends_with("中心") { Registration::Institution } else { Registration::Authority };
        let uscc = codes::uscc(rng, registration, region);
        out.push(Unit { name, uscc, region, kinds: kinds.to_vec(), domain, abbr });
    };
    let city: [(&str, &[OrganisationKind], Option<Domain>, &str); 11] = [
        ("九江市发展和改革委员会", &[CompetentOffice], None, "九发改"),
        ("九江市人民政府信息化办公室", &[AccountOffice], None, "九信办"),
        ("九江市市场监督管理局", &[DataProvider, UserUnit], Some(Domain::Market), "九市监"),
        ("九江市税务局", &[DataProvider, UserUnit], Some(Domain::Tax), "九税"),
        ("九江市生态环境局", &[DataProvider], Some(Domain::Environment), "九环"),
        ("九江市住房和城乡建设局", &[DataProvider, UserUnit], Some(Domain::Construction), "九建"),
        ("九江市人力资源和社会保障局", &[DataProvider], Some(Domain::Labour), "九人社"),
        ("九江市交通运输局", &[DataProvider], Some(Domain::Transport), "九交"),
        ("九江市中级人民法院", &[DataProvider], Some(Domain::Court), "赣04"),
        ("九江市财政局", &[UserUnit], None, "九财"),
        ("九江市公共资源交易中心", &[UserUnit], None, "九公资"),
    ];
    for (name, kinds, domain, abbr) in city {
        add(&mut rng, name.to_owned(), CITY, kinds, domain, abbr.to_owned());
    }
    for region in names::COUNTIES {
        let county = names::region_name(region);
        let initial: String = county.chars().take(1).collect();
        add(&mut rng, format!("{county}发展和改革委员会"), region, &[CountyLeadUnit], None, format!("{initial}发改"));
        add(
            &mut rng,
            format!("{county}市场监督管理局"),
            region,
            &[DataProvider],
            Some(Domain::Market),
            format!("{initial}市监"),
        );
    }
    for (name, region) in [("濂溪区财政局", "360402"), ("浔阳区公共资源交易中心", "360403"), ("瑞昌市财政局", "360481")]
    {
        add(&mut rng, name.to_owned(), region, &[UserUnit], None, String::new());
    }
    out
}

/// What the database holds already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nothing but reference data (regions, the catalog).
    Empty,
    /// Demo data only.
    Demo,
    /// Data that is not demo data: organisations, accounts, or records of such organisations.
    Real { organisations: i64, users: i64, records: i64 },
}

/// Judges the database: empty, demo data only, or real data.
pub fn existing(conn: &mut Db) -> QueryResult<Existing> {
    let real_organisations: i64 =
        organisations::table.filter(organisations::demo.eq(false)).count().get_result(conn)?;
    let real_users: i64 = users::table.filter(users::demo.eq(false)).count().get_result(conn)?;
    let real_records: i64 = records::table
        .filter(
            records::provider_id
                .eq_any(organisations::table.filter(organisations::demo.eq(false)).select(organisations::id)),
        )
        .count()
        .get_result(conn)?;
    if real_organisations + real_users + real_records > 0 {
        return Ok(Existing::Real { organisations: real_organisations, users: real_users, records: real_records });
    }
    let demo: i64 = organisations::table.count().get_result(conn)?;
    let demo_users: i64 = users::table.count().get_result(conn)?;
    Ok(if demo + demo_users > 0 { Existing::Demo } else { Existing::Empty })
}

/// Why seeding did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "refused: this database holds data that is not demo data ({organisations} organisations, {users} accounts, \
         {records} records); seed-demo fills only an empty database — use a new database for the demo"
    )]
    RealData { organisations: i64, users: i64, records: i64 },
    #[error(
        "refused: this database holds demo data already; start from an empty database to seed again (or pass \
         --if-empty to accept the demo data that is there)"
    )]
    AlreadySeeded,
    #[error("--records must be between {MIN_RECORDS} and {MAX_RECORDS}")]
    Count,
    #[error("the demo data generator made an invalid {item} record for {subject}: {errors} (a bug in the generator)")]
    InvalidRecord { item: String, subject: String, errors: String },
    #[error("{0}")]
    Setup(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Api(#[from] ApiError),
}

/// A demo account as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    pub login_name: String,
    pub role: Role,
    pub organisation: String,
}

/// What seeding made.
#[derive(Debug, Clone)]
pub struct Summary {
    pub organisations: usize,
    pub accounts: Vec<AccountLine>,
    pub records: usize,
    /// Of which past their publication period.
    pub expired: usize,
    pub subjects: i64,
    pub items: usize,
    pub seed: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "demo data: {} organisations, {} accounts, {} records ({} past their publication period) of {} catalog \
             items about {} subjects (seed {})",
            self.organisations,
            self.accounts.len(),
            self.records,
            self.expired,
            self.items,
            self.subjects,
            self.seed
        )?;
        writeln!(f)?;
        f.write_str(&guide())
    }
}

/// The demo accounts with their password, and the showcase subjects: what a visitor of the demo needs.
pub fn guide() -> String {
    let mut out = format!(
        "demo accounts, all with the password {DEMO_PASSWORD}\n\
         (they must change it at sign-in unless the server runs in demo mode: credit-api serve --demo):\n  {:<22} {:<20} organisation\n",
        "login name", "role"
    );
    for a in ACCOUNTS {
        out.push_str(&format!(
            "  {:<22} {:<20} {} ({})\n",
            a.login_name,
            a.role.as_str(),
            a.organisation,
            a.role.label()
        ));
    }
    out.push_str(&format!(
        "\nshowcase subjects:\n  {SHOWCASE_COMPANY}  {SHOWCASE_COMPANY_USCC}  (legal representative \
         {SHOWCASE_REPRESENTATIVE}, {SHOWCASE_REPRESENTATIVE_ID})\n  {SHOWCASE_PERSON}  {SHOWCASE_PERSON_ID}  \
         ({SHOWCASE_PERSON_ADDRESS})\n\nan objection to track on the portal (异议查询): tracking number {}, query code {}",
        super::objections::DEMO_TRACKING_NUMBER,
        super::objections::DEMO_QUERY_CODE
    ));
    out
}

/// Seeds when the database is empty; `None` when it holds demo data already. Real data is refused either way.
pub fn seed_if_empty(
    conn: &mut Db,
    records: u32,
    seed: u64,
    contact_key: &ContactKey,
) -> Result<Option<Summary>, SeedError> {
    match self::seed(conn, records, seed, contact_key) {
        Err(SeedError::AlreadySeeded) => Ok(None),
        other => other.map(Some),
    }
}

/// Fills an empty database with demo data, in one transaction: nothing is left behind when anything fails. The
/// demo objection's contact is keyed with `contact_key`, as a filing's is.
pub fn seed(conn: &mut Db, records: u32, seed: u64, contact_key: &ContactKey) -> Result<Summary, SeedError> {
    if !(MIN_RECORDS..=MAX_RECORDS).contains(&records) {
        return Err(SeedError::Count);
    }
    refuse_unless_empty(conn)?;
    // Argon2 is slow on purpose: hash before the transaction takes the write lock.
    let hashes = ACCOUNTS
        .iter()
        .map(|_| password::hash(DEMO_PASSWORD).map_err(|e| SeedError::Setup(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let now = audit::chain::to_micros(crate::clock::now());
    let today = crate::clock::today();
    crate::db::write_transaction(conn, |conn| {
        refuse_unless_empty(conn)?;
        let items: Vec<Definition> = catalog::list_current(conn)?.into_iter().filter(|d| d.active).collect();
        let units = units();
        let organisation_ids = insert_units(conn, &units, now)?;
        let (accounts, account_ids) = insert_accounts(conn, &units, &organisation_ids, &hashes, now)?;
        let providers: Vec<Provider> = units
            .iter()
            .zip(&organisation_ids)
            .map(|(unit, id)| Provider {
                organisation_id: id.clone(),
                region_code: unit.region.to_owned(),
                level: unit.level(),
                user_id: ACCOUNTS
                    .iter()
                    .zip(&account_ids)
                    .find(|(a, _)| a.role == Role::DataProvider && a.organisation == unit.name)
                    .map_or_else(|| SEEDER.to_owned(), |(_, id)| id.clone()),
            })
            .collect();
        let mut generator = Generator::new(&items, &units, records as usize, seed, today)?;
        let mut made = 0;
        let mut expired = 0;
        loop {
            let chunk = generator.next_chunk(CHUNK)?;
            if chunk.is_empty() {
                break;
            }
            made += chunk.len();
            expired += chunk.iter().filter(|g| g.draft.status == credit_types::records::RecordStatus::Expired).count();
            let mut groups: BTreeMap<(usize, usize), Vec<Draft>> = BTreeMap::new();
            for generated in chunk {
                groups.entry((generated.item, generated.unit)).or_default().push(generated.draft);
            }
            for ((item, unit), drafts) in groups {
                insert_drafts(conn, &items[item], &providers[unit], &drafts, now)?;
            }
            // PostgreSQL plans lookups (subjects by code, foreign keys) from the tables' statistics, which still
            // say "empty" inside this transaction: refresh them so that large runs keep using the indexes.
            if let Db::Postgres(pg) = conn {
                diesel::sql_query("ANALYZE subjects, subject_grams, records, record_versions").execute(pg)?;
            }
        }
        let subjects: i64 = subjects::table.count().get_result(conn)?;
        let office = ACCOUNTS
            .iter()
            .zip(&account_ids)
            .find(|(a, _)| a.role == Role::CityCreditAdmin)
            .map_or_else(|| SEEDER.to_owned(), |(_, id)| id.clone());
        let agreements = super::agreements::insert(conn, &units, &organisation_ids, &office, today, now)?;
        super::objections::insert(conn, today, now, contact_key)?;
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::DemoSeed, Outcome::Success).detail(format!(
                "{} organisations, {} accounts, {made} records, {agreements} usage agreements, seed {seed}",
                units.len(),
                accounts.len()
            )),
        )?;
        Ok(Summary { organisations: units.len(), accounts, records: made, expired, subjects, items: items.len(), seed })
    })
}

fn refuse_unless_empty(conn: &mut Db) -> Result<(), SeedError> {
    match existing(conn)? {
        Existing::Empty => Ok(()),
        Existing::Demo => Err(SeedError::AlreadySeeded),
        Existing::Real { organisations, users, records } => Err(SeedError::RealData { organisations, users, records }),
    }
}

fn insert_units(conn: &mut Db, units: &[Unit], now: NaiveDateTime) -> Result<Vec<String>, SeedError> {
    let mut ids = Vec::with_capacity(units.len());
    for unit in units {
        let organisation = identity_store::NewOrganisation {
            name: &unit.name,
            uscc: &unit.uscc,
            level: unit.level(),
            region_code: unit.region,
            kinds: &unit.kinds,
        };
        ids.push(identity_store::insert_organisation(conn, &organisation, None, now)?);
    }
    diesel::update(organisations::table.filter(organisations::id.eq_any(&ids)))
        .set(organisations::demo.eq(true))
        .execute(conn)?;
    Ok(ids)
}

fn insert_accounts(
    conn: &mut Db,
    units: &[Unit],
    organisation_ids: &[String],
    hashes: &[String],
    now: NaiveDateTime,
) -> Result<(Vec<AccountLine>, Vec<String>), SeedError> {
    let mut lines = Vec::new();
    let mut ids = Vec::new();
    for (account, hash) in ACCOUNTS.iter().zip(hashes) {
        let (unit, organisation_id) = units
            .iter()
            .zip(organisation_ids)
            .find(|(u, _)| u.name == account.organisation)
            .ok_or_else(|| SeedError::Setup(format!("no demo organisation {}", account.organisation)))?;
        let roles = [account.role];
        if let Some(misfit) = identity_rules::role_misfit(account.role, unit.level(), &unit.kinds) {
            return Err(SeedError::Setup(format!("{}: {misfit}", account.login_name)));
        }
        check_role_set(&roles).map_err(|c| SeedError::Setup(c.message()))?;
        if !password::check_policy(DEMO_PASSWORD, account.login_name).is_empty() {
            return Err(SeedError::Setup(format!("the demo password breaks the policy for {}", account.login_name)));
        }
        let user = identity_store::NewUser {
            organisation_id,
            login_name: account.login_name,
            full_name: account.full_name,
            phone: None,
            email: None,
            password_hash: hash,
            must_change_password: false,
            roles: &roles,
        };
        ids.push(identity_store::insert_user(conn, &user, None, now)?);
        lines.push(AccountLine {
            login_name: account.login_name.to_owned(),
            role: account.role,
            organisation: unit.name.clone(),
        });
    }
    diesel::update(users::table.filter(users::id.eq_any(&ids))).set(users::demo.eq(true)).execute(conn)?;
    Ok((lines, ids))
}

/// A generated record: which catalog item (index into the items), which unit provides it (index into
/// [`units`]), and the checked draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub item: usize,
    pub unit: usize,
    pub draft: Draft,
}

const LEGAL: usize = 0;
const NATURAL: usize = 1;
const INDIVIDUAL: usize = 2;
const KINDS: [SubjectKind; 3] = [SubjectKind::LegalPerson, SubjectKind::NaturalPerson, SubjectKind::IndividualBusiness];

/// Makes the demo records, a chunk at a time, the same ones for the same seed, catalog and day.
pub struct Generator<'a> {
    items: &'a [Definition],
    units: &'a [Unit],
    rng: Rng,
    today: NaiveDate,
    subjects: Vec<DemoSubject>,
    /// Subject indices by kind, and by kind and region.
    by_kind: [Vec<usize>; 3],
    by_kind_region: HashMap<(usize, &'static str), Vec<usize>>,
    /// Units that provide records, and how often each item occurs.
    providers: Vec<usize>,
    item_weights: Vec<u32>,
    total: usize,
    made: usize,
}

impl<'a> Generator<'a> {
    /// A generator of `total` records over `items` (the active catalog items) from `units`.
    pub fn new(
        items: &'a [Definition],
        units: &'a [Unit],
        total: usize,
        seed: u64,
        today: NaiveDate,
    ) -> Result<Generator<'a>, SeedError> {
        if items.is_empty() {
            return Err(SeedError::Setup("the catalog has no active item".into()));
        }
        let rng = Rng::new(seed);
        let mut generator = Generator {
            items,
            units,
            rng: rng.fork(2),
            today,
            subjects: Vec::new(),
            by_kind: Default::default(),
            by_kind_region: HashMap::new(),
            providers: units.iter().enumerate().filter(|(_, u)| u.domain.is_some()).map(|(i, _)| i).collect(),
            item_weights: items.iter().map(|d| content::item_weight(&d.code)).collect(),
            total,
            made: 0,
        };
        generator.make_subjects(&mut rng.fork(1), (total / 3).max(30));
        Ok(generator)
    }

    /// About one subject for every three records: 60% organisations, 20% natural persons, 20% individual
    /// businesses, registered across the city and its counties. The showcase subjects come first, outside the
    /// pools random records draw from.
    fn make_subjects(&mut self, rng: &mut Rng, count: usize) {
        let mut codes: HashSet<String> = HashSet::new();
        let mut taken_names: HashSet<String> = HashSet::new();
        let showcase = showcase_subjects();
        // The showcase subjects have their showcase records only, whatever the seed and the count.
        for subject in showcase {
            codes.insert(subject.code.clone());
            taken_names.insert(subject.name.clone());
            self.subjects.push(subject);
        }
        for _ in 0..count {
            let kind = [LEGAL, NATURAL, INDIVIDUAL][rng.weighted(&[60, 20, 20])];
            let region = if rng.chance(25) { CITY } else { *rng.pick(&names::COUNTIES) };
            let area = if region == CITY { *rng.pick(&names::COUNTIES) } else { region };
            let subject = loop {
                let subject = match kind {
                    NATURAL => {
                        let male = rng.chance(55);
                        let birth = codes::birth_date(rng, 1955, 2003);
                        DemoSubject {
                            kind: SubjectKind::NaturalPerson,
                            code: codes::resident_id(rng, area, birth, male),
                            name: names::person(rng, male),
                            region: area,
                            industry: rng.one_of(names::INDUSTRIES),
                            representative: None,
                            address: names::address(rng, area),
                        }
                    }
                    _ => {
                        let male = rng.chance(75);
                        let person = names::person(rng, male);
                        let birth = codes::birth_date(rng, 1958, 1996);
                        let id = codes::resident_id(rng, area, birth, male);
                        let (name, industry, registration) = if kind == LEGAL {
                            let (name, industry) = names::company(rng, region);
                            (name, industry, Registration::Enterprise)
                        } else {
                            let (name, industry) = names::individual_business(rng, region, &person);
                            (name, industry, Registration::IndividualBusiness)
                        };
                        DemoSubject {
                            kind: KINDS[kind],
                            code: codes::uscc(rng, registration, region),
                            name,
                            region,
                            industry,
                            representative: Some((person, id)),
                            address: names::address(rng, region),
                        }
                    }
                };
                // Codes never repeat; organisation names rarely would, and are drawn again a few times.
                let name_taken = kind != NATURAL && taken_names.contains(&subject.name) && rng.below(8) != 0;
                if !codes.contains(&subject.code) && !name_taken {
                    break subject;
                }
            };
            codes.insert(subject.code.clone());
            taken_names.insert(subject.name.clone());
            self.add_subject(subject);
        }
    }

    fn add_subject(&mut self, subject: DemoSubject) {
        let kind = KINDS.iter().position(|k| *k == subject.kind).unwrap_or(LEGAL);
        let index = self.subjects.len();
        self.by_kind[kind].push(index);
        self.by_kind_region.entry((kind, subject.region)).or_default().push(index);
        self.subjects.push(subject);
    }

    /// The next `size` records (fewer at the end, none when all are made).
    pub fn next_chunk(&mut self, size: usize) -> Result<Vec<Generated>, SeedError> {
        let mut out = Vec::with_capacity(size.min(self.total - self.made));
        if self.made == 0 {
            out.extend(self.showcase()?);
            self.made = out.len();
        }
        while out.len() < size && self.made < self.total {
            let index = self.made;
            out.push(self.one(index)?);
            self.made += 1;
        }
        Ok(out)
    }

    fn item_index(&self, code: &str) -> Result<usize, SeedError> {
        self.items
            .iter()
            .position(|d| d.code == code)
            .ok_or_else(|| SeedError::Setup(format!("the catalog has no active item {code}")))
    }

    fn unit_index(&self, name: &str) -> Result<usize, SeedError> {
        self.units.iter().position(|u| u.name == name).ok_or_else(|| SeedError::Setup(format!("no unit {name}")))
    }

    /// One piece: literal data, kept together so the README and the browser tests can be checked against one place.
    ///
    /// The records the browser tests and the README rely on: the showcase company's public penalty (with its
    /// legal representative), commitment, the city tax bureau's evaluation and 濂溪区's (both authorised-use: the
    /// authorisation flow's examples), and the natural person's public penalty.
    fn showcase(&mut self) -> Result<Vec<Generated>, SeedError> {
        let today = self.today;
        let market = self.unit_index("九江市市场监督管理局")?;
        let tax = self.unit_index("九江市税务局")?;
        let lianxi_market = self.unit_index("濂溪区市场监督管理局")?;
        let penalty = self.item_index("ADM_PENALTY")?;
        let commitment = self.item_index("CREDIT_COMMITMENT")?;
        let evaluation = self.item_index("CREDIT_EVALUATION")?;
        let company = self.subjects[0].clone();
        let person = self.subjects[1].clone();
        let decided = today - Duration::days(40);
        let year = decided.year();
        let market_unit = &self.units[market];
        let company_penalty = vec![
            ("penalty_doc_no", format!("九市监罚〔{year}〕86号")),
            ("violation_type", "销售不合格产品".to_owned()),
            (
                "violation_facts",
                "经抽样检验,当事人销售的标称“长江牌”热轧带肋钢筋屈服强度项目不符合GB/T 1499.2-2018的要求".to_owned(),
            ),
            ("legal_basis", "《中华人民共和国产品质量法》第四十九条".to_owned()),
            ("penalty_category", "罚款".to_owned()),
            ("penalty_content", "责令停止销售不合格钢筋,并处罚款人民币36000元".to_owned()),
            ("fine_amount", "36000.00".to_owned()),
            ("address", company.address.clone()),
            ("authority", market_unit.name.clone()),
            ("authority_uscc", market_unit.uscc.clone()),
            ("legal_representative", SHOWCASE_REPRESENTATIVE.to_owned()),
            ("legal_rep_id", SHOWCASE_REPRESENTATIVE_ID.to_owned()),
        ];
        let commitment_values = vec![
            ("commitment_type", "主动型".to_owned()),
            ("commitment_content", "主动承诺守法诚信经营,不销售假冒伪劣建材产品,不拖欠员工工资,不偷税漏税".to_owned()),
            ("commitment_date", (today - Duration::days(200)).to_string()),
            ("fulfilment", "履约中".to_owned()),
            ("authority", market_unit.name.clone()),
            ("authority_uscc", market_unit.uscc.clone()),
        ];
        let tax_unit = &self.units[tax];
        let evaluation_values = vec![
            ("evaluation_body", tax_unit.name.clone()),
            ("industry", "批发和零售业".to_owned()),
            ("evaluation_year", (today.year() - 1).to_string()),
            ("grade", "B".to_owned()),
            ("evaluation_doc_no", format!("九税公告〔{}〕12号", today.year())),
        ];
        let lianxi_unit = &self.units[lianxi_market];
        let county_evaluation_values = vec![
            ("evaluation_body", lianxi_unit.name.clone()),
            ("industry", "批发和零售业".to_owned()),
            ("evaluation_year", (today.year() - 1).to_string()),
            ("grade", "A".to_owned()),
            ("evaluation_doc_no", format!("{}〔{}〕8号", lianxi_unit.abbr, today.year())),
        ];
        let person_penalty = vec![
            ("penalty_doc_no", format!("濂市监罚〔{}〕215号", (today - Duration::days(20)).year())),
            ("violation_type", "无照经营".to_owned()),
            ("violation_facts", "当事人未依法取得营业执照,在濂溪区十里大道擅自从事建材零售经营活动".to_owned()),
            ("legal_basis", "《无证无照经营查处办法》第十三条".to_owned()),
            ("penalty_category", "没收违法所得".to_owned()),
            ("penalty_content", "没收违法所得2800元,并处罚款人民币5000元".to_owned()),
            ("fine_amount", "5000.00".to_owned()),
            ("confiscated_amount", "2800.00".to_owned()),
            ("address", SHOWCASE_PERSON_ADDRESS.to_owned()),
            ("authority", lianxi_unit.name.clone()),
            ("authority_uscc", lianxi_unit.uscc.clone()),
        ];
        let plan = [
            (penalty, market, &company, decided, DisclosureClass::Public, 1095, company_penalty, "DEMO-SHOWCASE-1"),
            (
                commitment,
                market,
                &company,
                today - Duration::days(200),
                DisclosureClass::Public,
                1095,
                commitment_values,
                "DEMO-SHOWCASE-2",
            ),
            (
                evaluation,
                tax,
                &company,
                today - Duration::days(120),
                DisclosureClass::Authorized,
                730,
                evaluation_values,
                "DEMO-SHOWCASE-3",
            ),
            (
                penalty,
                lianxi_market,
                &person,
                today - Duration::days(20),
                DisclosureClass::Public,
                365,
                person_penalty,
                "DEMO-SHOWCASE-4",
            ),
            (
                evaluation,
                lianxi_market,
                &company,
                today - Duration::days(60),
                DisclosureClass::Authorized,
                730,
                county_evaluation_values,
                "DEMO-SHOWCASE-5",
            ),
        ];
        let mut out = Vec::with_capacity(SHOWCASE_RECORDS);
        for (item, unit, subject, decision, class, days, values, reference) in plan {
            let submission = Submission {
                subject: SubjectInput { kind: subject.kind, code: subject.code.clone(), name: subject.name.clone() },
                decision_date: decision,
                class: Some(class),
                publish_days: Some(days),
                provider_ref: Some(reference.to_owned()),
                values: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            };
            let made = self.checked(item, submission)?;
            out.push(Generated { item, unit, draft: made });
        }
        Ok(out)
    }

    /// Runs the submission through the real checks; a refusal is a bug here, reported with the reasons.
    fn checked(&self, item: usize, submission: Submission) -> Result<Draft, SeedError> {
        let subject = format!("{} {}", submission.subject.name, submission.subject.code);
        draft(&self.items[item], submission, self.today).map_err(|errors| SeedError::InvalidRecord {
            item: self.items[item].code.clone(),
            subject,
            errors: errors
                .iter()
                .map(|e| format!("{} {}: {}", e.field, e.code, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        })
    }

    /// One random record, through the real checks. One piece: its draws from the seeded generator come in a fixed
    /// order (item, unit, subject, date, class, period, values), which is what makes a seed give the same data
    /// everywhere; spread over helpers, that order would be easy to change unnoticed.
    fn one(&mut self, index: usize) -> Result<Generated, SeedError> {
        let rng = &mut self.rng;
        // The first records go one to each item, so every item has records however few are asked for.
        let showcase = SHOWCASE_RECORDS;
        let item =
            if index - showcase < self.items.len() { index - showcase } else { rng.weighted(&self.item_weights) };
        let definition = &self.items[item];
        let providers = &self.providers;
        let domains: Vec<(Domain, u32)> = content::domain_weights(&definition.code).to_vec();
        let unit = if domains.is_empty() {
            providers[rng.below(providers.len())]
        } else {
            let domain = domains[rng.weighted(&domains.iter().map(|(_, w)| *w).collect::<Vec<_>>())].0;
            let of_domain: Vec<usize> =
                providers.iter().copied().filter(|i| self.units[*i].domain == Some(domain)).collect();
            let city: Vec<usize> = of_domain.iter().copied().filter(|i| self.units[*i].region == CITY).collect();
            let county: Vec<usize> = of_domain.iter().copied().filter(|i| self.units[*i].region != CITY).collect();
            if of_domain.is_empty() {
                providers[rng.below(providers.len())]
            } else if county.is_empty() || (!city.is_empty() && rng.chance(30)) {
                city[rng.below(city.len())]
            } else {
                county[rng.below(county.len())]
            }
        };
        let provider = &self.units[unit];
        let domain = provider.domain.unwrap_or(Domain::Market);
        let mut weights = content::kind_weights(&definition.code, domain);
        for (i, kind) in KINDS.iter().enumerate() {
            if !definition.subject_kinds.contains(kind) || self.by_kind[i].is_empty() {
                weights[i] = 0;
            }
        }
        if weights.iter().all(|w| *w == 0) {
            for (i, kind) in KINDS.iter().enumerate() {
                if definition.subject_kinds.contains(kind) && !self.by_kind[i].is_empty() {
                    weights[i] = 1;
                }
            }
        }
        if weights.iter().all(|w| *w == 0) {
            return Err(SeedError::Setup(format!("catalog item {} takes no kind of subject", definition.code)));
        }
        let kind = rng.weighted(&weights);
        // County units mostly deal with subjects of their own county.
        let local = self.by_kind_region.get(&(kind, provider.region)).filter(|_| provider.region != CITY);
        let pool = match local {
            Some(local) if rng.chance(85) => local,
            _ => &self.by_kind[kind],
        };
        let subject = &self.subjects[pool[rng.below(pool.len())]];
        let decision = self.today - Duration::days(rng.between(0, 3 * 365 - 1));
        let class = if rng.chance(8) {
            DisclosureClass::ALL
                .into_iter()
                .find(|c| c.breadth() < definition.default_class.breadth())
                .unwrap_or(definition.default_class)
        } else {
            definition.default_class
        };
        let days = if rng.chance(60) {
            definition.max_days
        } else {
            rng.between(i64::from(definition.min_days), i64::from(definition.max_days)) as u32
        };
        let context = Context {
            subject,
            unit_name: &provider.name,
            unit_uscc: &provider.uscc,
            unit_region: provider.region,
            abbr: &provider.abbr,
            domain,
            decision,
        };
        let values = content::values(rng, definition, &context);
        let submission = Submission {
            subject: SubjectInput { kind: subject.kind, code: subject.code.clone(), name: subject.name.clone() },
            decision_date: decision,
            class: Some(class),
            publish_days: Some(days),
            provider_ref: Some(format!("DEMO-{:07}", index + 1)),
            values,
        };
        let made = self.checked(item, submission)?;
        Ok(Generated { item, unit, draft: made })
    }
}

/// The subjects of the showcase records (README, browser tests): a company with its legal representative, and a
/// natural person.
fn showcase_subjects() -> [DemoSubject; 2] {
    [
        DemoSubject {
            kind: SubjectKind::LegalPerson,
            code: SHOWCASE_COMPANY_USCC.to_owned(),
            name: SHOWCASE_COMPANY.to_owned(),
            region: "360403",
            industry: "建材",
            representative: Some((SHOWCASE_REPRESENTATIVE.to_owned(), SHOWCASE_REPRESENTATIVE_ID.to_owned())),
            address: "江西省九江市浔阳区长虹大道268号".to_owned(),
        },
        DemoSubject {
            kind: SubjectKind::NaturalPerson,
            code: SHOWCASE_PERSON_ID.to_owned(),
            name: SHOWCASE_PERSON.to_owned(),
            region: "360403",
            industry: "建材",
            representative: None,
            address: SHOWCASE_PERSON_ADDRESS.to_owned(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::codes::{check_resident_id, check_uscc};

    #[test]
    fn r10_4_the_demo_password_meets_the_policy_for_every_demo_account() {
        for account in ACCOUNTS {
            assert_eq!(password::check_policy(DEMO_PASSWORD, account.login_name), [], "{}", account.login_name);
        }
    }

    #[test]
    fn showcase_codes_are_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        assert_eq!(check_uscc(SHOWCASE_COMPANY_USCC), Ok(()));
        assert_eq!(check_resident_id(SHOWCASE_REPRESENTATIVE_ID, today), Ok(()));
        assert_eq!(check_resident_id(SHOWCASE_PERSON_ID, today), Ok(()));
        assert!(SHOWCASE_REPRESENTATIVE_ID.starts_with("360403") && SHOWCASE_PERSON_ID.starts_with("360403"));
    }

    #[test]
    fn r8_1_demo_accounts_sit_in_organisations_their_roles_fit() {
        let all = units();
        let mut codes = HashSet::new();
        for unit in &all {
            assert_eq!(check_uscc(&unit.uscc), Ok(()), "{}", unit.name);
            assert!(codes.insert(unit.uscc.clone()), "{} repeats a code", unit.name);
        }
        for account in ACCOUNTS {
            let unit = all.iter().find(|u| u.name == account.organisation).expect("the account's unit exists");
            assert_eq!(identity_rules::role_misfit(account.role, unit.level(), &unit.kinds), None, "{account:?}");
        }
        let roles: HashSet<(Role, RegionLevel)> = ACCOUNTS
            .iter()
            .map(|a| (a.role, all.iter().find(|u| u.name == a.organisation).map_or(RegionLevel::City, Unit::level)))
            .collect();
        assert_eq!(roles.len(), ACCOUNTS.len(), "one account for each role and level");
        assert_eq!(all, units(), "the same units every time");
    }
}
