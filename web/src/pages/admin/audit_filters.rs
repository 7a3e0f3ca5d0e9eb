//! The auditor's filters, kept in the page's address (`/workbench/audit?actor_id=…`): a filter applied from a row
//! is a link, a chip removes one by linking to the address without it, and the way back from an event's detail
//! returns to the same list. Times are typed and shown in China time and sent to the API in UTC.

use chrono::NaiveDateTime;
use credit_types::audit::{AuditAction, AuditEventQuery, AuditOutcome, TargetKind};
use credit_types::china_time;

/// The list's path.
pub const LIST: &str = "/workbench/audit";

/// How a `datetime-local` input writes a time (China time, to the minute).
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// What the auditor narrowed the trail to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub actor_id: Option<String>,
    pub organisation_id: Option<String>,
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<String>,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// From this China time on.
    pub from: Option<NaiveDateTime>,
    /// Before this China time.
    pub to: Option<NaiveDateTime>,
}

/// A filter, as a chip names it and removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Actor,
    Organisation,
    Target,
    Action,
    Outcome,
    From,
    To,
}

/// A `datetime-local` value as a China time.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, LOCAL_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// A China time as a `datetime-local` value.
pub fn local_value(at: NaiveDateTime) -> String {
    at.format(LOCAL_FORMAT).to_string()
}

fn filled(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl Filters {
    /// The filters of an address's query parameters (`get` reads one); unknown codes are left out.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Filters {
        Filters {
            actor_id: filled(get("actor_id")),
            organisation_id: filled(get("organisation_id")),
            target_kind: get("target_kind").and_then(|k| TargetKind::parse(&k)),
            target_id: filled(get("target_id")),
            action: get("action").and_then(|a| AuditAction::parse(&a)),
            outcome: get("outcome").and_then(|o| AuditOutcome::parse(&o)),
            from: get("from").as_deref().and_then(parse_local),
            to: get("to").as_deref().and_then(parse_local),
        }
    }

    /// The list's address with these filters.
    pub fn href(&self) -> String {
        self.href_at(LIST)
    }

    /// The address of event `seq`'s detail, which keeps these filters for the way back.
    pub fn event_href(&self, seq: i64) -> String {
        self.href_at(&format!("{LIST}/{seq}"))
    }

    fn href_at(&self, path: &str) -> String {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let code = |value: Option<&'static str>| value.unwrap_or_default().to_owned();
        crate::api::with_query(
            path,
            &[
                ("actor_id", text(&self.actor_id)),
                ("organisation_id", text(&self.organisation_id)),
                ("target_kind", code(self.target_kind.map(TargetKind::as_str))),
                ("target_id", text(&self.target_id)),
                ("action", code(self.action.map(AuditAction::as_str))),
                ("outcome", code(self.outcome.map(AuditOutcome::as_str))),
                ("from", self.from.map(local_value).unwrap_or_default()),
                ("to", self.to.map(local_value).unwrap_or_default()),
            ],
        )
    }

    /// The API's query for a page of `limit` events: times converted from China time to UTC.
    pub fn query(&self, limit: u32) -> AuditEventQuery {
        AuditEventQuery {
            action: self.action,
            actor_id: self.actor_id.clone(),
            organisation_id: self.organisation_id.clone(),
            target_kind: self.target_kind,
            target_id: self.target_id.clone(),
            outcome: self.outcome,
            from: self.from.map(china_time::to_utc),
            to: self.to.map(china_time::to_utc),
            limit: Some(limit),
            cursor: None,
        }
    }

    /// These filters and the events of one actor.
    pub fn with_actor(&self, id: &str) -> Filters {
        Filters { actor_id: Some(id.to_owned()), ..self.clone() }
    }

    /// These filters and the events by one organisation's people and clients.
    pub fn with_organisation(&self, id: &str) -> Filters {
        Filters { organisation_id: Some(id.to_owned()), ..self.clone() }
    }

    /// These filters and the events about one target.
    pub fn with_target(&self, kind: Option<TargetKind>, id: &str) -> Filters {
        Filters { target_kind: kind, target_id: Some(id.to_owned()), ..self.clone() }
    }

    /// These filters without `filter`.
    pub fn without(&self, filter: Filter) -> Filters {
        let mut rest = self.clone();
        match filter {
            Filter::Actor => rest.actor_id = None,
            Filter::Organisation => rest.organisation_id = None,
            Filter::Target => (rest.target_kind, rest.target_id) = (None, None),
            Filter::Action => rest.action = None,
            Filter::Outcome => rest.outcome = None,
            Filter::From => rest.from = None,
            Filter::To => rest.to = None,
        }
        rest
    }

    /// The filters in force, in the order the chips show them.
    pub fn active(&self) -> Vec<Filter> {
        let set = [
            (Filter::Actor, self.actor_id.is_some()),
            (Filter::Organisation, self.organisation_id.is_some()),
            (Filter::Target, self.target_id.is_some() || self.target_kind.is_some()),
            (Filter::Action, self.action.is_some()),
            (Filter::Outcome, self.outcome.is_some()),
            (Filter::From, self.from.is_some()),
            (Filter::To, self.to.is_some()),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(filter, _)| filter).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<NaiveDateTime> {
        parse_local(text)
    }

    #[test]
    fn times_are_typed_in_china_time_and_asked_in_utc() {
        let filters = Filters { from: at("2026-11-25T16:00"), to: at("2026-11-26T08:30"), ..Default::default() };
        let query = filters.query(50);
        assert_eq!(query.from.map(|t| t.to_string()).as_deref(), Some("2026-11-25 08:00:00"));
        assert_eq!(query.to.map(|t| t.to_string()).as_deref(), Some("2026-11-26 00:30:00"));
        assert_eq!(query.limit, Some(50));
    }

    #[test]
    fn the_address_carries_the_filters_and_reads_back_the_same() {
        let filters = Filters::default()
            .with_actor("u-1")
            .with_target(Some(TargetKind::Record), "r 2")
            .without(Filter::Actor)
            .with_organisation("o-3");
        let filters = Filters { action: Some(AuditAction::RecordRead), from: at("2026-11-25T16:00"), ..filters };
        let href = filters.href();
        assert_eq!(
            href,
            "/workbench/audit?organisation_id=o-3&target_kind=record&target_id=r%202&action=record.read&from=2026-11-25T16%3A00"
        );
        let pairs: Vec<(String, String)> = href
            .split_once('?')
            .map(|(_, q)| {
                q.split('&')
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.replace("%20", " ").replace("%3A", ":")))
                    .collect()
            })
            .unwrap_or_default();
        let back = Filters::read(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
        assert_eq!(back, filters);
        assert_eq!(back.active(), [Filter::Organisation, Filter::Target, Filter::Action, Filter::From]);
    }

    #[test]
    fn unknown_codes_and_empty_values_are_no_filters() {
        let filters = Filters::read(|name| match name {
            "action" => Some("no.such".into()),
            "actor_id" => Some("  ".into()),
            "outcome" => Some("denied".into()),
            _ => None,
        });
        assert_eq!(filters, Filters { outcome: Some(AuditOutcome::Denied), ..Default::default() });
        assert_eq!(Filters::default().href(), LIST);
        assert_eq!(Filters::default().with_actor("u").event_href(7), "/workbench/audit/7?actor_id=u");
    }
}
