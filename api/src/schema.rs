//! Table definitions for diesel's query DSL, common to both backends (the SQL lives in `migrations/`).

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        name_en -> Text,
        level -> Text,
        kind -> Text,
        parent_code -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        actor_ip -> Nullable<Text>,
        action -> Text,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<Text>,
        purpose -> Nullable<Text>,
        outcome -> Text,
        detail -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}
