//! The names people read in the trail: who acted (a person, an API client) and for which organisation, and what
//! the target is called. Looked up once per page.
//!
//! The security auditor reads no credit content (separation of duties, R-18.1): a record is named by its catalog
//! item and providing unit, never by its subject.

use super::store::ListedEvent;
use crate::db::Db;
use crate::schema::{api_clients, backups, objections, records, usage_agreements, users};
use credit_types::audit::{ActorKind, AuditEvent, TargetKind};
use credit_types::masking::MaskingRule;
use diesel::prelude::*;
use std::collections::HashMap;

/// The names an auditor's page needs, by id.
#[derive(Debug, Default)]
pub struct Names {
    /// Users and API clients (by their row id): name and organisation id.
    actors: HashMap<String, (String, String)>,
    organisations: HashMap<String, String>,
    /// Targets by kind and id.
    targets: HashMap<(TargetKind, String), String>,
}

impl Names {
    /// Looks up every name `events` mention.
    pub fn of(conn: &mut Db, events: &[ListedEvent]) -> QueryResult<Names> {
        let mut names = Names::default();
        let actor_ids: Vec<&str> = events.iter().filter_map(|e| e.actor_id.as_deref()).collect();
        let targets = |kind: TargetKind| -> Vec<&str> {
            events.iter().filter(|e| e.target_kind == Some(kind)).filter_map(|e| e.target_id.as_deref()).collect()
        };
        let user_ids: Vec<&str> = actor_ids.iter().copied().chain(targets(TargetKind::User)).collect();
        let client_ids: Vec<&str> = actor_ids.iter().copied().chain(targets(TargetKind::Client)).collect();
        names.load_actors(conn, &user_ids, &client_ids)?;
        names.load_targets(conn, events, &targets)?;
        let organisation_ids: Vec<&str> = names
            .actors
            .values()
            .map(|(_, organisation)| organisation.as_str())
            .chain(targets(TargetKind::Organisation))
            .collect();
        names.organisations = crate::identity::store::organisation_names(conn, &organisation_ids)?;
        for id in targets(TargetKind::Organisation) {
            if let Some(name) = names.organisations.get(id) {
                names.targets.insert((TargetKind::Organisation, id.to_owned()), name.clone());
            }
        }
        Ok(names)
    }

    fn load_actors(&mut self, conn: &mut Db, user_ids: &[&str], client_ids: &[&str]) -> QueryResult<()> {
        let people: Vec<(String, String, String)> = users::table
            .filter(users::id.eq_any(user_ids))
            .select((users::id, users::full_name, users::organisation_id))
            .load(conn)?;
        let clients: Vec<(String, String, String)> = api_clients::table
            .filter(api_clients::id.eq_any(client_ids))
            .select((api_clients::id, api_clients::name, api_clients::organisation_id))
            .load(conn)?;
        for (id, name, organisation) in people.into_iter().chain(clients) {
            self.actors.insert(id, (name, organisation));
        }
        Ok(())
    }

    fn load_targets<'a>(
        &mut self,
        conn: &mut Db,
        events: &[ListedEvent],
        targets: &dyn Fn(TargetKind) -> Vec<&'a str>,
    ) -> QueryResult<()> {
        for kind in [TargetKind::User, TargetKind::Client] {
            for id in targets(kind) {
                if let Some((name, _)) = self.actors.get(id) {
                    self.targets.insert((kind, id.to_owned()), name.clone());
                }
            }
        }
        let by_client_id: Vec<(String, String)> = api_clients::table
            .filter(api_clients::client_id.eq_any(targets(TargetKind::ClientId)))
            .select((api_clients::client_id, api_clients::name))
            .load(conn)?;
        self.insert(TargetKind::ClientId, by_client_id);
        let catalog = crate::catalog::store::catalog_names(conn)?;
        let items: Vec<(String, String)> = catalog.values().map(|(code, name)| (code.clone(), name.clone())).collect();
        self.insert(TargetKind::CatalogItem, items);
        let record_rows: Vec<(String, String, String)> = records::table
            .filter(records::id.eq_any(targets(TargetKind::Record)))
            .select((records::id, records::catalog_item_id, records::provider_id))
            .load(conn)?;
        let providers: Vec<&str> = record_rows.iter().map(|(_, _, provider)| provider.as_str()).collect();
        let provider_names = crate::identity::store::organisation_names(conn, &providers)?;
        let described = record_rows.iter().map(|(id, item, provider)| {
            let item = catalog.get(item).map(|(_, name)| name.as_str()).unwrap_or_default();
            let provider = provider_names.get(provider).map(String::as_str).unwrap_or_default();
            (id.clone(), format!("{item} · {provider}"))
        });
        self.insert(TargetKind::Record, described.collect());
        let tracking: Vec<(String, String)> = objections::table
            .filter(objections::id.eq_any(targets(TargetKind::Objection)))
            .select((objections::id, objections::tracking_number))
            .load(conn)?;
        self.insert(TargetKind::Objection, tracking);
        let agreements: Vec<(String, String)> = usage_agreements::table
            .filter(usage_agreements::id.eq_any(targets(TargetKind::Agreement)))
            .select((usage_agreements::id, usage_agreements::document_no))
            .load(conn)?;
        self.insert(TargetKind::Agreement, agreements);
        // A backup by its file's name (which holds its time); the plan is the one plan.
        let files: Vec<(String, String)> = backups::table
            .filter(backups::id.eq_any(targets(TargetKind::Backup)))
            .select((backups::id, backups::file))
            .load(conn)?;
        let files = files.into_iter().map(|(id, file)| {
            let name = std::path::Path::new(&file).file_name().map(|n| n.to_string_lossy().into_owned());
            (id, name.unwrap_or(file))
        });
        self.insert(TargetKind::Backup, files.collect());
        self.insert(TargetKind::BackupPlan, vec![("plan".to_owned(), "数据备份计划".to_owned())]);
        // Login names, years and days name themselves.
        for event in events {
            if let (Some(kind @ (TargetKind::LoginName | TargetKind::Calendar | TargetKind::DailyCheck)), Some(id)) =
                (event.target_kind, &event.target_id)
            {
                self.targets.insert((kind, id.clone()), id.clone());
            }
        }
        Ok(())
    }

    fn insert(&mut self, kind: TargetKind, named: Vec<(String, String)>) {
        self.targets.extend(named.into_iter().map(|(id, name)| ((kind, id), name)));
    }

    /// The event as the API shows it, with its names.
    pub fn describe(&self, event: ListedEvent) -> AuditEvent {
        let actor = match event.actor_kind {
            ActorKind::User | ActorKind::Client => event.actor_id.as_ref().and_then(|id| self.actors.get(id)),
            ActorKind::Anonymous | ActorKind::System => None,
        };
        let target_name = match (event.target_kind, &event.target_id) {
            (Some(kind), Some(id)) => self.targets.get(&(kind, id.clone())).cloned(),
            _ => None,
        };
        let target_id = match (event.target_kind, event.target_id) {
            (Some(TargetKind::Subject), Some(code)) => Some(subject_code_for_auditor(&code)),
            (_, id) => id,
        };
        AuditEvent {
            seq: event.seq,
            occurred_at: event.occurred_at.and_utc(),
            actor_kind: event.actor_kind,
            actor_name: actor.map(|(name, _)| name.clone()),
            organisation_id: actor.map(|(_, organisation)| organisation.clone()),
            organisation_name: actor.and_then(|(_, organisation)| self.organisations.get(organisation).cloned()),
            actor_id: event.actor_id,
            actor_ip: event.actor_ip,
            action: event.action,
            target_kind: event.target_kind,
            target_id,
            target_name,
            purpose: event.purpose,
            outcome: event.outcome,
            detail: event.detail,
            request_id: event.request_id,
            prev_hash: event.prev_hash,
            hash: event.hash,
        }
    }
}

/// A subject's code as the auditor sees it (an authorised-use preview names the subject it asked about): an
/// organisation's credit code as it is, a person's resident identity number masked as the portal masks it.
fn subject_code_for_auditor(code: &str) -> String {
    if credit_types::codes::check_uscc(code).is_ok() {
        code.to_owned()
    } else {
        MaskingRule::ResidentId.apply(code)
    }
}

#[cfg(test)]
mod tests {
    use super::subject_code_for_auditor;

    #[test]
    fn r28_the_auditor_sees_no_resident_id_in_full() {
        assert_eq!(subject_code_for_auditor("91360400MA35G4QX1R"), "91360400MA35G4QX1R");
        let shown = subject_code_for_auditor("360403197503180571");
        assert_ne!(shown, "360403197503180571");
        assert!(shown.contains('*'), "{shown}");
    }
}
