//! `credit-api create-admin`: the first account-office administrator. The platform ships with no
//! account; this command creates one with a one-time password that must be changed at first sign-in.

use super::{password, store};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::ApiError;
use crate::schema::regions;
use credit_types::identity::{check_role_set, is_login_name, OrganisationKind, Role};
use credit_types::ErrorCode;
use credit_types::RegionLevel;
use diesel::prelude::*;

/// What the command is told.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateAdminArgs {
    /// Login name of the administrator (lower-case letters, digits, `.`, `_`, `-`).
    #[arg(long)]
    pub login_name: String,
    /// The administrator's personal name.
    #[arg(long)]
    pub full_name: String,
    /// The account office's name (e.g. 九江市人民政府信息化办公室); created unless its USCC exists already.
    #[arg(long)]
    pub organisation: String,
    /// The account office's unified social credit code (GB 32100).
    #[arg(long)]
    pub uscc: String,
    /// The account office's region code.
    #[arg(long, default_value = "360400")]
    pub region: String,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

/// The created account and its one-time password (shown once, never stored in clear).
pub struct Created {
    pub user_id: String,
    pub one_time_password: String,
}

/// Creates the first administrator; refused when an active account administrator exists (more come from the API).
pub fn create_admin(conn: &mut Db, args: &CreateAdminArgs) -> Result<Created, String> {
    let login_name = args.login_name.trim().to_lowercase();
    if !is_login_name(&login_name) {
        return Err("login name: 3–32 lower-case letters, digits, '.', '_' or '-', starting with a letter".into());
    }
    if args.full_name.trim().is_empty() || args.organisation.trim().is_empty() {
        return Err("full name and organisation must not be empty".into());
    }
    credit_types::codes::check_uscc(&args.uscc).map_err(|e| format!("uscc: {}", e.message()))?;
    check_role_set(&[Role::AccountAdmin]).map_err(|c| c.message())?;
    let one_time_password = password::generate_one_time().map_err(|e| e.to_string())?;
    let hash = password::hash(&one_time_password).map_err(|e| e.to_string())?;
    let now = audit::chain::to_micros(chrono::Utc::now().naive_utc());
    crate::db::write_transaction::<_, ApiError, _>(conn, |conn| {
        if store::active_role_exists(conn, Role::AccountAdmin)? {
            return Err(refused("an account administrator exists already: create further accounts through the API"));
        }
        if store::find_user_id_by_login(conn, &login_name)?.is_some() {
            return Err(refused(&format!("login name {login_name} is taken")));
        }
        let level: Option<String> = regions::table.find(&args.region).select(regions::level).first(conn).optional()?;
        let level =
            level.and_then(|l| RegionLevel::parse(&l)).ok_or_else(|| refused(&format!("no region {}", args.region)))?;
        let organisation_id = match store::find_organisation_by_uscc(conn, &args.uscc)? {
            Some(id) => id,
            None => {
                let organisation = store::NewOrganisation {
                    name: args.organisation.trim(),
                    uscc: &args.uscc,
                    level,
                    region_code: &args.region,
                    kinds: &[OrganisationKind::AccountOffice],
                };
                let id = store::insert_organisation(conn, &organisation, None, now)?;
                audit::append(
                    conn,
                    EventFields::new(&Actor::System, AuditAction::OrganisationCreate, Outcome::Success)
                        .target(TargetKind::Organisation, &id),
                )?;
                id
            }
        };
        let user = store::NewUser {
            organisation_id: &organisation_id,
            login_name: &login_name,
            full_name: args.full_name.trim(),
            phone: args.phone.as_deref(),
            email: args.email.as_deref(),
            password_hash: &hash,
            must_change_password: true,
            roles: &[Role::AccountAdmin],
        };
        let user_id = store::insert_user(conn, &user, None, now)?;
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::AccountCreate, Outcome::Success)
                .target(TargetKind::User, &user_id)
                .detail("create-admin"),
        )?;
        Ok(Created { user_id, one_time_password })
    })
    .map_err(|e| e.to_string())
}

fn refused(detail: &str) -> ApiError {
    ApiError::bad_request(ErrorCode::CreateAdminRefused, detail)
}
