//! The objection workflow's rules, free of storage: which step may follow which, the deadlines on the
//! working-day calendar, tracking numbers and query codes, and how appellants' contacts are keyed and masked.

use crate::calendar::Calendar;
use crate::keys::ContactKey;
use chrono::NaiveDate;
use credit_types::objections::{ObjectionStatus, Outcome};
use sha2::{Digest, Sha256};

/// What a handler or the appellant does to an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    NotAccept,
    Decide(Outcome),
    Close,
    Withdraw,
}

/// `submitted → accepted | not_accepted`, `accepted → decided`, `decided | not_accepted → closed`;
/// `withdrawn` by the appellant while open. Anything else is refused (409).
pub fn transition(from: ObjectionStatus, action: Action) -> Option<ObjectionStatus> {
    use ObjectionStatus::*;
    match (from, action) {
        (Submitted, Action::Accept) => Some(Accepted),
        (Submitted, Action::NotAccept) => Some(NotAccepted),
        (Accepted, Action::Decide(_)) => Some(Decided),
        (Decided | NotAccepted, Action::Close) => Some(Closed),
        (Submitted | Accepted, Action::Withdraw) => Some(Withdrawn),
        _ => None,
    }
}

/// The last day to accept an objection filed on `filed_on`: `days` working days on.
pub fn accept_by(calendar: &Calendar, filed_on: NaiveDate, days: u32) -> NaiveDate {
    calendar.add_working_days(filed_on, days)
}

/// The last day to decide an objection accepted on `accepted_on`: `days` working days on.
pub fn decide_by(calendar: &Calendar, accepted_on: NaiveDate, days: u32) -> NaiveDate {
    calendar.add_working_days(accepted_on, days)
}

/// The deadline that runs now: acceptance while submitted, decision while accepted, none after.
pub fn current_deadline(
    status: ObjectionStatus,
    accept_by: NaiveDate,
    decide_by: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match status {
        ObjectionStatus::Submitted => Some(accept_by),
        ObjectionStatus::Accepted => decide_by,
        _ => None,
    }
}

/// Working days from `today` to `deadline`: 0 on the deadline itself, negative once it has passed.
pub fn working_days_left(calendar: &Calendar, today: NaiveDate, deadline: NaiveDate) -> i32 {
    let (from, to, sign) = if deadline >= today { (today, deadline, 1) } else { (deadline, today, -1) };
    let mut day = from;
    let mut count = 0;
    while day < to {
        day = day.succ_opt().unwrap_or(to);
        if calendar.is_working_day(day) {
            count += 1;
        }
    }
    if sign < 0 && count == 0 {
        // Past a deadline that ended before a weekend: overdue all the same.
        return -1;
    }
    sign * count
}

/// Whether a running deadline has passed.
pub fn overdue(deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    deadline.is_some_and(|d| today > d)
}

/// A tracking number: `YY` + the filing date + six random digits, e.g. `YY20261125483920`.
pub fn tracking_number(filed_on: NaiveDate, random: u32) -> String {
    format!("YY{}{:06}", filed_on.format("%Y%m%d"), random % 1_000_000)
}

/// The query code alphabet: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A 10-character query code from random bytes (about 49 bits).
pub fn query_code(random: &[u8; 10]) -> String {
    random.iter().map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char).collect()
}

/// How a query code is stored: SHA-256 over the tracking number and the code (upper-cased), hex.
pub fn code_hash(tracking_number: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tracking_number}:{}", code.trim().to_uppercase())))
}

/// The appellant's key for "one open objection per appellant and record": the phone, else the e-mail
/// address, normalised and MACed (HMAC-SHA-256) with the contact key, which lives outside the database. A plain
/// SHA-256 would give the number back to anyone trying all 11-digit numbers, a matter of minutes; without the key
/// there is nothing to try. When the contact is purged, the key goes too ([`unlinkable_contact_key`]).
pub fn contact_key(key: &ContactKey, phone: Option<&str>, email: Option<&str>) -> String {
    let contact = match (phone.map(str::trim).filter(|p| !p.is_empty()), email) {
        (Some(phone), _) => format!("phone:{phone}"),
        (None, Some(email)) => format!("email:{}", email.trim().to_lowercase()),
        (None, None) => "none".to_owned(),
    };
    key.mac(contact.as_bytes())
}

/// Marks contact keys that stand for a purged contact.
pub const UNLINKABLE_PREFIX: &str = "purged:";

/// What replaces a contact key once the contact is purged: random, so it ties the objection to no one.
/// Duplicates need no key then: the unique index covers open objections only, and a purged one ended long ago.
pub fn unlinkable_contact_key(random: &[u8; 16]) -> String {
    format!("{UNLINKABLE_PREFIX}{}", hex::encode(random))
}

/// A phone number as lists show it: `139****0000`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// An e-mail address as lists show it: `z***@example.cn`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A personal name as lists show it: the surname and asterisks (`张*`, `欧阳**`).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}", chars[0], "*".repeat(n - 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DayKind;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// The 2026 National Day arrangement: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
    fn calendar() -> Calendar {
        Calendar::new(
            (1..=7)
                .map(|d| (date(2026, 10, d), DayKind::Holiday))
                .chain([(date(2026, 9, 20), DayKind::Workday), (date(2026, 10, 10), DayKind::Workday)]),
        )
    }

    #[test]
    fn r29_1_every_transition_and_every_forbidden_one() {
        use ObjectionStatus::*;
        let actions = [
            Action::Accept,
            Action::NotAccept,
            Action::Decide(Outcome::Corrected),
            Action::Decide(Outcome::Upheld),
            Action::Decide(Outcome::Undetermined),
            Action::Close,
            Action::Withdraw,
        ];
        let allowed = [
            (Submitted, Action::Accept, Accepted),
            (Submitted, Action::NotAccept, NotAccepted),
            (Submitted, Action::Withdraw, Withdrawn),
            (Accepted, Action::Decide(Outcome::Corrected), Decided),
            (Accepted, Action::Decide(Outcome::Upheld), Decided),
            (Accepted, Action::Decide(Outcome::Undetermined), Decided),
            (Accepted, Action::Withdraw, Withdrawn),
            (Decided, Action::Close, Closed),
            (NotAccepted, Action::Close, Closed),
        ];
        for from in ObjectionStatus::ALL.iter().copied() {
            for action in actions {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                assert_eq!(transition(from, action), expected, "{from:?} + {action:?}");
            }
        }
    }

    #[test]
    fn r29_1_deadlines_skip_holidays_and_count_adjusted_working_days() {
        let calendar = calendar();
        // Filed Friday 11 September: Mon 14, Tue 15, Wed 16 — three working days, the weekend skipped.
        assert_eq!(accept_by(&calendar, date(2026, 9, 11), 3), date(2026, 9, 16));
        // Filed Friday 18 September: the worked Sunday 20 counts (Sun 20, Mon 21, Tue 22).
        assert_eq!(accept_by(&calendar, date(2026, 9, 18), 3), date(2026, 9, 22));
        // Accepted Tuesday 29 September: 30 Sep, then the holiday week, 8, 9, 10 (worked Saturday) October, …
        assert_eq!(decide_by(&calendar, date(2026, 9, 29), 15), date(2026, 10, 26));
        // Filed on the holiday's eve: acceptance runs to the Saturday worked after it.
        assert_eq!(accept_by(&calendar, date(2026, 9, 30), 3), date(2026, 10, 10));
    }

    #[test]
    fn r29_1_days_left_and_overdue() {
        let calendar = calendar();
        assert_eq!(working_days_left(&calendar, date(2026, 9, 30), date(2026, 10, 10)), 3);
        assert_eq!(working_days_left(&calendar, date(2026, 10, 10), date(2026, 10, 10)), 0);
        assert_eq!(working_days_left(&calendar, date(2026, 10, 13), date(2026, 10, 10)), -2);
        assert_eq!(working_days_left(&calendar, date(2026, 10, 11), date(2026, 10, 10)), -1, "overdue on a Sunday");
        assert!(overdue(Some(date(2026, 10, 10)), date(2026, 10, 11)));
        assert!(!overdue(Some(date(2026, 10, 10)), date(2026, 10, 10)));
        assert!(!overdue(None, date(2026, 10, 11)));
    }

    #[test]
    fn r29_1_codes_numbers_and_keys() {
        assert_eq!(tracking_number(date(2026, 11, 25), 42), "YY20261125000042");
        let code = query_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 30]);
        assert_eq!(code, "23456789AZ");
        assert_eq!(code_hash("YY1", "23456789az"), code_hash("YY1", "23456789AZ"), "codes are case-blind");
        assert_ne!(code_hash("YY1", code.as_str()), code_hash("YY2", code.as_str()));
    }

    #[test]
    fn r28_1_contact_keys_are_normalised_keyed_and_no_plain_hash() {
        let dir = std::env::temp_dir().join(format!("credit-contact-{}", uuid::Uuid::new_v4()));
        let keys = (ContactKey::load_or_create(&dir.join("a.key")), ContactKey::load_or_create(&dir.join("b.key")));
        let _ = std::fs::remove_dir_all(&dir);
        let (Ok(key), Ok(other)) = keys else { panic!("keys are created") };
        let phone = contact_key(&key, Some("13907920000"), Some("a@b.cn"));
        assert_eq!(phone, contact_key(&key, Some(" 13907920000 "), None));
        assert_eq!(contact_key(&key, None, Some("A@B.cn")), contact_key(&key, None, Some("a@b.cn")));
        assert_ne!(phone, contact_key(&other, Some("13907920000"), None), "another key, another value");
        for plain in ["phone:13907920000", "13907920000"] {
            assert_ne!(phone, hex::encode(Sha256::digest(plain)));
        }
        let unlinkable = unlinkable_contact_key(&[7; 16]);
        assert!(unlinkable.starts_with(UNLINKABLE_PREFIX) && !unlinkable.contains("1390792"));
    }

    #[test]
    fn r28_1_contacts_are_masked_in_lists() {
        assert_eq!(mask_phone("13907920000"), "139****0000");
        assert_eq!(mask_email("zhang@example.cn"), "z***@example.cn");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳小明"), "欧***");
    }
}
