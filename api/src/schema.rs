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
        version -> Integer,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        uscc -> Text,
        level -> Text,
        region_code -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_by -> Nullable<Text>,
        demo -> Bool,
    }
}

diesel::table! {
    organisation_kinds (organisation_id, kind) {
        organisation_id -> Text,
        kind -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organisation_id -> Text,
        login_name -> Text,
        full_name -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        password_hash -> Text,
        password_changed_at -> Timestamp,
        must_change_password -> Bool,
        active -> Bool,
        deactivated_at -> Nullable<Timestamp>,
        deactivation_reason -> Nullable<Text>,
        expires_on -> Nullable<Date>,
        token_version -> Integer,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_by -> Nullable<Text>,
        demo -> Bool,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    password_history (id) {
        id -> Text,
        user_id -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        login_name -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        replaced_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoke_reason -> Nullable<Text>,
    }
}

diesel::table! {
    handovers (id) {
        id -> Text,
        user_id -> Text,
        successor_id -> Text,
        reason -> Text,
        items -> Text,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    permission_reviews (id) {
        id -> Text,
        reviewed_by -> Text,
        note -> Text,
        account_count -> Integer,
        flagged_count -> Integer,
        report -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        scopes -> Text,
        rate_limit_per_minute -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        created_by -> Text,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
    }
}

diesel::table! {
    catalog_items (id) {
        id -> Text,
        code -> Text,
        current_version -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Nullable<Text>,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    catalog_versions (item_id, version) {
        item_id -> Text,
        version -> Integer,
        name_zh -> Text,
        name_en -> Text,
        subject_kinds -> Text,
        fields -> Text,
        default_class -> Text,
        min_days -> Integer,
        max_days -> Integer,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    subjects (id) {
        id -> Text,
        kind -> Text,
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    subject_grams (gram, subject_id) {
        gram -> Text,
        subject_id -> Text,
    }
}

diesel::table! {
    records (id) {
        id -> Text,
        subject_id -> Text,
        catalog_item_id -> Text,
        catalog_version -> Integer,
        provider_id -> Text,
        jurisdiction_region -> Text,
        jurisdiction_level -> Text,
        disclosure_class -> Text,
        decision_date -> Date,
        publish_until -> Date,
        status -> Text,
        version -> Integer,
        provider_ref -> Nullable<Text>,
        content_hash -> Text,
        field_values -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
    }
}

diesel::table! {
    record_versions (record_id, version) {
        record_id -> Text,
        version -> Integer,
        catalog_version -> Integer,
        disclosure_class -> Text,
        decision_date -> Date,
        publish_until -> Date,
        status -> Text,
        field_values -> Text,
        reason -> Text,
        created_at -> Timestamp,
        created_by -> Text,
        objection_id -> Nullable<Text>,
    }
}

diesel::table! {
    intake_batches (id) {
        id -> Text,
        provider_id -> Text,
        created_by -> Text,
        catalog_code -> Text,
        format -> Text,
        status -> Text,
        total_rows -> Integer,
        processed_rows -> Integer,
        created_count -> Integer,
        unchanged_count -> Integer,
        error_count -> Integer,
        errors -> Text,
        idempotency_key -> Nullable<Text>,
        request_hash -> Text,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(organisations -> regions (region_code));
diesel::joinable!(catalog_versions -> catalog_items (item_id));
diesel::joinable!(subject_grams -> subjects (subject_id));
diesel::joinable!(records -> subjects (subject_id));
diesel::joinable!(records -> catalog_items (catalog_item_id));
diesel::joinable!(records -> organisations (provider_id));
diesel::table! {
    usage_agreements (id) {
        id -> Text,
        organisation_id -> Text,
        document_no -> Text,
        valid_from -> Date,
        valid_to -> Date,
        status -> Text,
        status_reason -> Nullable<Text>,
        created_at -> Timestamp,
        created_by -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    agreement_items (agreement_id, catalog_code) {
        agreement_id -> Text,
        catalog_code -> Text,
    }
}

diesel::table! {
    agreement_purposes (agreement_id, purpose) {
        agreement_id -> Text,
        purpose -> Text,
    }
}

diesel::table! {
    authorization_requests (id) {
        id -> Text,
        group_id -> Text,
        requester_id -> Text,
        requester_org_id -> Text,
        provider_org_id -> Text,
        agreement_id -> Text,
        purpose -> Text,
        purpose_text -> Nullable<Text>,
        legal_basis -> Text,
        period_days -> Integer,
        status -> Text,
        created_at -> Timestamp,
        decide_by -> Date,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decision_note -> Nullable<Text>,
    }
}

diesel::table! {
    request_records (request_id, record_id) {
        request_id -> Text,
        record_id -> Text,
    }
}

diesel::table! {
    request_attachments (id) {
        id -> Text,
        request_id -> Text,
        file_name -> Text,
        media_type -> Text,
        size -> Integer,
        content -> Binary,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
    }
}

diesel::table! {
    grants (id) {
        id -> Text,
        request_id -> Text,
        grantee_org_id -> Text,
        provider_org_id -> Text,
        purpose -> Text,
        purpose_text -> Nullable<Text>,
        legal_basis -> Text,
        granted_at -> Timestamp,
        granted_by -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revoke_reason -> Nullable<Text>,
    }
}

diesel::table! {
    grant_records (grant_id, record_id) {
        grant_id -> Text,
        record_id -> Text,
    }
}

diesel::table! {
    grant_uses (id) {
        id -> Text,
        grant_id -> Text,
        provider_org_id -> Text,
        record_id -> Text,
        actor_kind -> Text,
        actor_id -> Text,
        action -> Text,
        used_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::joinable!(agreement_items -> usage_agreements (agreement_id));
diesel::joinable!(agreement_purposes -> usage_agreements (agreement_id));
diesel::joinable!(request_records -> authorization_requests (request_id));
diesel::joinable!(request_attachments -> authorization_requests (request_id));
diesel::joinable!(grant_records -> grants (grant_id));
diesel::joinable!(grant_uses -> grants (grant_id));

diesel::table! {
    objections (id) {
        id -> Text,
        tracking_number -> Text,
        query_code_hash -> Text,
        record_id -> Text,
        provider_org_id -> Text,
        jurisdiction_region -> Text,
        appellant_name -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        contact_key -> Text,
        contact_purged_at -> Nullable<Timestamp>,
        relation -> Text,
        claim_type -> Text,
        description -> Text,
        status -> Text,
        filed_at -> Timestamp,
        filed_by -> Nullable<Text>,
        accept_by -> Date,
        accepted_at -> Nullable<Timestamp>,
        decide_by -> Nullable<Date>,
        decided_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        reason -> Nullable<Text>,
        verification -> Nullable<Text>,
        corrected_version -> Nullable<Integer>,
        ended_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    objection_steps (id) {
        id -> Text,
        objection_id -> Text,
        step -> Text,
        at -> Timestamp,
        note -> Nullable<Text>,
        actor_id -> Nullable<Text>,
    }
}

diesel::table! {
    objection_evidence (id) {
        id -> Text,
        objection_id -> Text,
        file_name -> Text,
        media_type -> Text,
        size -> Integer,
        stored_name -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    record_notes (id) {
        id -> Text,
        record_id -> Text,
        objection_id -> Text,
        claim -> Text,
        verification -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notices (id) {
        id -> Text,
        objection_id -> Text,
        channel -> Text,
        address -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(objection_steps -> objections (objection_id));
diesel::joinable!(objection_evidence -> objections (objection_id));
diesel::joinable!(notices -> objections (objection_id));
diesel::joinable!(objections -> records (record_id));
diesel::joinable!(record_notes -> objections (objection_id));

diesel::joinable!(record_versions -> records (record_id));
diesel::joinable!(api_clients -> organisations (organisation_id));
diesel::joinable!(organisation_kinds -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::table! {
    daily_checks (work_day) {
        work_day -> Date,
        working_day -> Bool,
        due_at -> Timestamp,
        created_at -> Timestamp,
        overdue_logged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    daily_check_items (work_day, item) {
        work_day -> Date,
        item -> Text,
        verdict -> Text,
        note -> Nullable<Text>,
        automatic_state -> Text,
        automatic_summary -> Text,
        confirmed_by -> Text,
        confirmed_at -> Timestamp,
    }
}

diesel::table! {
    backup_plan (id) {
        id -> Integer,
        enabled -> Bool,
        time_of_day -> Text,
        keep_count -> Nullable<Integer>,
        keep_days -> Nullable<Integer>,
        target_dir -> Text,
        recipient -> Text,
        identity_file -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    backups (id) {
        id -> Text,
        state -> Text,
        trigger_kind -> Text,
        backend -> Text,
        file -> Text,
        size_bytes -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        duration_ms -> Nullable<BigInt>,
        table_rows -> Nullable<Text>,
        audit_seq -> Nullable<BigInt>,
        audit_hash -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        message -> Nullable<Text>,
        removed_at -> Nullable<Timestamp>,
        started_by -> Nullable<Text>,
    }
}

diesel::table! {
    operation_log (id) {
        id -> Text,
        kind -> Text,
        severity -> Text,
        text -> Text,
        author -> Nullable<Text>,
        source -> Nullable<Text>,
        corrects -> Nullable<Text>,
        device -> Nullable<Text>,
        symptom -> Nullable<Text>,
        notified -> Nullable<Text>,
        notified_at -> Nullable<Timestamp>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    job_runs (job, slot) {
        job -> Text,
        slot -> Timestamp,
        claimed_at -> Timestamp,
    }
}

diesel::table! {
    health_runs (id) {
        id -> Text,
        slot -> Timestamp,
        started_at -> Timestamp,
        duration_ms -> BigInt,
        state -> Text,
        results -> Text,
    }
}

diesel::table! {
    audit_verifications (id) {
        id -> Text,
        verified_at -> Timestamp,
        from_seq -> BigInt,
        to_seq -> BigInt,
        to_hash -> Text,
        intact -> Bool,
        detail -> Text,
    }
}

diesel::table! {
    db_snapshots (id) {
        id -> Text,
        taken_at -> Timestamp,
        origin -> Text,
        taken_by -> Nullable<Text>,
        backend -> Text,
        state -> Text,
        reasons -> Text,
        figures -> Text,
    }
}

diesel::table! {
    db_check_records (id) {
        id -> Text,
        recorded_at -> Timestamp,
        recorded_by -> Text,
        state -> Text,
        warnings -> Nullable<Text>,
        error_cause -> Nullable<Text>,
        solution -> Nullable<Text>,
        snapshot_id -> Nullable<Text>,
    }
}

diesel::table! {
    db_upkeep (task) {
        task -> Text,
        done_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        started_at -> Timestamp,
        last_used_at -> Timestamp,
        address -> Nullable<Text>,
        last_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(password_history -> users (user_id));
diesel::joinable!(daily_check_items -> daily_checks (work_day));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(db_check_records -> db_snapshots (snapshot_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    organisations,
    organisation_kinds,
    users,
    user_roles,
    password_history,
    login_failures,
    refresh_tokens,
    handovers,
    permission_reviews,
    api_clients,
    audit_events,
    audit_head,
    catalog_items,
    catalog_versions,
    subjects,
    subject_grams,
    records,
    record_versions,
    intake_batches,
    usage_agreements,
    agreement_items,
    agreement_purposes,
    authorization_requests,
    request_records,
    request_attachments,
    grants,
    grant_records,
    grant_uses,
    calendar_days,
    objections,
    objection_steps,
    objection_evidence,
    record_notes,
    notices,
    daily_checks,
    daily_check_items,
    backup_plan,
    backups,
    operation_log,
    job_runs,
    health_runs,
    audit_verifications,
    db_snapshots,
    db_check_records,
    db_upkeep,
    sessions,
);

diesel::table! {
    performance_snapshots (taken_at) {
        taken_at -> Timestamp,
        window_seconds -> Double,
        requests -> BigInt,
        errors -> BigInt,
        p50_ms -> Nullable<Double>,
        p95_ms -> Nullable<Double>,
        p99_ms -> Nullable<Double>,
        memory_bytes -> BigInt,
        database_bytes -> Nullable<BigInt>,
        instance -> Text,
    }
}
