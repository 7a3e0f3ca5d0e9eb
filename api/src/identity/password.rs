//! Passwords: the complexity policy, one error code per rule, and Argon2id hashing.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use credit_types::FieldError;
use std::collections::HashSet;
use std::sync::LazyLock;

pub const MIN_LENGTH: usize = 12;
/// How many earlier passwords may not be reused.
pub const HISTORY: usize = 5;

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().filter(|l| !l.is_empty()).collect());

/// A rule a new password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    TooShort,
    TooFewClasses,
    ContainsLoginName,
    Common,
    Reused,
}

impl PasswordRule {
    pub fn code(self) -> &'static str {
        match self {
            PasswordRule::TooShort => "password_too_short",
            PasswordRule::TooFewClasses => "password_too_few_classes",
            PasswordRule::ContainsLoginName => "password_contains_login_name",
            PasswordRule::Common => "password_common",
            PasswordRule::Reused => "password_reused",
        }
    }

    pub fn message(self) -> String {
        match self {
            PasswordRule::TooShort => format!("密码至少需要 {MIN_LENGTH} 个字符"),
            PasswordRule::TooFewClasses => "密码需包含大写字母、小写字母、数字、符号中的至少三类".into(),
            PasswordRule::ContainsLoginName => "密码不能包含登录名".into(),
            PasswordRule::Common => "该密码过于常见,容易被猜中,请换一个".into(),
            PasswordRule::Reused => format!("不能使用最近 {HISTORY} 次用过的密码"),
        }
    }

    pub fn field_error(self, field: &str) -> FieldError {
        FieldError::new(field, self.code(), self.message())
    }
}

/// The complexity rules `password` breaks for `login_name`; empty when it is acceptable.
/// Reuse is checked separately, against the stored history.
pub fn check_policy(password: &str, login_name: &str) -> Vec<PasswordRule> {
    let mut broken = Vec::new();
    if password.chars().count() < MIN_LENGTH {
        broken.push(PasswordRule::TooShort);
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|present| **present).count() < 3 {
        broken.push(PasswordRule::TooFewClasses);
    }
    let lower = password.to_lowercase();
    let login = login_name.trim().to_lowercase();
    if !login.is_empty() && lower.contains(&login) {
        broken.push(PasswordRule::ContainsLoginName);
    }
    if COMMON.contains(lower.as_str()) {
        broken.push(PasswordRule::Common);
    }
    broken
}

/// An Argon2id hash in PHC string form (salt and parameters included).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| argon2::password_hash::Error::Crypto)?;
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when `password` matches the PHC `stored` hash. The comparison inside is constant-time.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash no password matches, verified against when the login name is unknown so that both cases take as long.
pub fn dummy_hash() -> &'static str {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("no account has this password").unwrap_or_default());
    &DUMMY
}

/// A one-time password that meets the policy: 16 characters from a set without look-alikes, every class present.
pub fn generate_one_time() -> Result<String, getrandom::Error> {
    const SETS: [&[u8]; 4] = [b"abcdefghjkmnpqrstuvwxyz", b"ABCDEFGHJKLMNPQRSTUVWXYZ", b"23456789", b"!@#%*-_+="];
    loop {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random)?;
        let password: String = random
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let set = SETS[i % 4];
                set[*r as usize % set.len()] as char
            })
            .collect();
        if check_policy(&password, "").is_empty() {
            return Ok(password);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PasswordRule::*;

    #[test]
    fn r10_4_password_rules_table() {
        let cases: [(&str, &str, &[PasswordRule]); 8] = [
            ("Jiu-jiang-2026", "zhangsan", &[]),
            ("Short1!a", "zhangsan", &[TooShort]),
            ("alllowercaseletters", "zhangsan", &[TooFewClasses]),
            ("lowercase-and-symbols", "zhangsan", &[TooFewClasses]),
            ("Zhangsan-2026!", "zhangsan", &[ContainsLoginName]),
            ("1qaz2wsx3edc", "zhangsan", &[TooFewClasses, Common]),
            ("Password123!", "zhangsan", &[Common]),
            ("abc", "abc", &[TooShort, TooFewClasses, ContainsLoginName]),
        ];
        for (password, login, expected) in cases {
            assert_eq!(check_policy(password, login), expected, "{password}");
        }
    }

    #[test]
    fn r10_4_the_common_list_is_large_and_case_insensitive() {
        assert!(COMMON.len() >= 10_000);
        assert!(check_policy("PASSWORD123!", "x").contains(&Common));
    }

    #[test]
    fn r10_4_hashes_are_argon2id_and_verify() {
        let stored = hash("Jiu-jiang-2026").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("Jiu-jiang-2026", &stored));
        assert!(!verify("Jiu-jiang-2027", &stored));
        assert!(!verify("anything", "not a hash"));
        assert!(!verify("no account has this password!", dummy_hash()));
    }

    #[test]
    fn r10_2_one_time_passwords_meet_the_policy() {
        for _ in 0..20 {
            let password = generate_one_time().unwrap();
            assert_eq!(password.len(), 16);
            assert!(check_policy(&password, "admin").is_empty(), "{password}");
        }
    }
}
