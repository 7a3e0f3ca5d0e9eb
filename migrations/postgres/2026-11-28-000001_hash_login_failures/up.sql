-- Failed sign-ins were kept under the name as typed (often a password typed into the wrong field, R-28.1); they are
-- now kept under a hash of it. The old rows only ever mattered for the 15 minutes of a lockout window.
DELETE FROM login_failures;
