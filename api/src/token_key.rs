//! The secret that signs access tokens: given in the configuration, or generated once into the data directory
//! (readable by the owner only) so that tokens survive a restart without anyone choosing a weak key.

use std::fmt;
use std::path::PathBuf;

/// Key length when generated, in bytes.
const GENERATED_LEN: usize = 64;
/// A configured key shorter than this is refused.
const MIN_LEN: usize = 32;

/// Where the token key comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenKeySource {
    /// `CREDIT_TOKEN_KEY`: the key itself (never printed).
    Inline(String),
    /// A file holding the key; created with a fresh random key when missing.
    File(PathBuf),
}

impl fmt::Display for TokenKeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKeySource::Inline(_) => f.write_str("CREDIT_TOKEN_KEY (value hidden)"),
            TokenKeySource::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

impl fmt::Debug for TokenKeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The loaded key. Its `Debug` never shows the bytes.
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenKey({} bytes)", self.0.len())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenKeyError {
    #[error("the token key must be at least {MIN_LEN} bytes long")]
    TooShort,
    #[error(transparent)]
    File(#[from] crate::keys::KeyFileError),
}

/// Loads the key, generating the file on first run.
pub fn load_or_create(source: &TokenKeySource) -> Result<TokenKey, TokenKeyError> {
    let key = match source {
        TokenKeySource::Inline(value) => value.as_bytes().to_vec(),
        TokenKeySource::File(path) => crate::keys::file::load_or_create(path, "token key", GENERATED_LEN)?,
    };
    if key.len() < MIN_LEN {
        return Err(TokenKeyError::TooShort);
    }
    Ok(TokenKey(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file itself (created once, mode 0600) is `keys::file`'s, tested there.
    #[test]
    fn generates_once_into_its_file() {
        let dir = std::env::temp_dir().join(format!("credit-key-{}", uuid::Uuid::new_v4()));
        let path = dir.join("token.key");
        let first = load_or_create(&TokenKeySource::File(path.clone())).map(|k| k.bytes().to_vec()).ok();
        let second = load_or_create(&TokenKeySource::File(path.clone())).map(|k| k.bytes().to_vec()).ok();
        assert_eq!(first.as_ref().map(Vec::len), Some(GENERATED_LEN));
        assert_eq!(first, second);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn short_inline_keys_are_refused_and_never_printed() {
        assert!(matches!(load_or_create(&TokenKeySource::Inline("short".into())), Err(TokenKeyError::TooShort)));
        let source = TokenKeySource::Inline("a-very-secret-key-that-is-long-enough!!".into());
        assert!(!source.to_string().contains("secret"));
    }
}
