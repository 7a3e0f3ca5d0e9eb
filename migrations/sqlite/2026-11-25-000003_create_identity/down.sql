DROP TABLE refresh_tokens;
DROP TABLE login_failures;
DROP TABLE password_history;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE organisation_kinds;
DROP TABLE organisations;
