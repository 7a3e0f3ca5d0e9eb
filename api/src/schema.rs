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
