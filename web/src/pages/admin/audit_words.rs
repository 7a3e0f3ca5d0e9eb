//! How an audit event reads for people: who acted (by name; else what kind of actor, and an anonymous visitor's
//! address), what was done and how it ended (by label), and what it concerned (kind and name). The ids stay
//! beside the words, in hover titles and on the detail page.

use credit_types::audit::{ActorKind, AuditEvent, AuditOutcome};
use leptos::prelude::*;

/// Who acted: the person's or client's name; the platform itself; an anonymous visitor and their address.
pub fn actor(event: &AuditEvent) -> String {
    match (&event.actor_name, event.actor_kind, &event.actor_ip) {
        (Some(name), _, _) => name.clone(),
        (None, ActorKind::Anonymous, Some(ip)) => format!("{}({ip})", ActorKind::Anonymous.label()),
        (None, kind, _) => kind.label().to_owned(),
    }
}

/// What the event concerned: the kind of target and its name (or id when it has none, or no longer exists).
pub fn target(event: &AuditEvent) -> Option<String> {
    let kind = event.target_kind.map(|k| k.label());
    let name = event.target_name.clone().or_else(|| event.target_id.clone());
    match (kind, name) {
        (Some(kind), Some(name)) => Some(format!("{kind} {name}")),
        (Some(kind), None) => Some(kind.to_owned()),
        (None, name) => name,
    }
}

/// An outcome as a badge: refusals and failures stand out.
#[component]
pub fn OutcomeBadge(outcome: AuditOutcome) -> impl IntoView {
    let modifier = match outcome {
        AuditOutcome::Success => "badge--ok",
        AuditOutcome::Failure => "badge--danger",
        AuditOutcome::Denied => "badge--warning",
    };
    view! { <span class=format!("badge {modifier}") title=outcome.as_str()>{outcome.label()}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::audit::{AuditAction, TargetKind};

    fn event() -> AuditEvent {
        AuditEvent {
            seq: 1,
            occurred_at: chrono::DateTime::default(),
            actor_kind: ActorKind::Anonymous,
            actor_id: None,
            actor_name: None,
            organisation_id: None,
            organisation_name: None,
            actor_ip: Some("10.0.0.8".into()),
            action: AuditAction::ObjectionFile,
            target_kind: Some(TargetKind::Objection),
            target_id: Some("obj-1".into()),
            target_name: None,
            purpose: None,
            outcome: AuditOutcome::Success,
            detail: None,
            request_id: None,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn actors_read_by_name_else_by_kind() {
        assert_eq!(actor(&event()), "匿名访问者(10.0.0.8)");
        assert_eq!(actor(&AuditEvent { actor_kind: ActorKind::System, actor_ip: None, ..event() }), "系统");
        assert_eq!(actor(&AuditEvent { actor_name: Some("王芳".into()), ..event() }), "王芳");
    }

    #[test]
    fn targets_read_by_kind_and_name() {
        assert_eq!(target(&event()).as_deref(), Some("异议 obj-1"));
        let named = AuditEvent { target_name: Some("YY20260101000001".into()), ..event() };
        assert_eq!(target(&named).as_deref(), Some("异议 YY20260101000001"));
        assert_eq!(target(&AuditEvent { target_kind: None, target_id: None, ..event() }), None);
    }
}
