//! Key files: read when present, otherwise filled with fresh random bytes and created readable by the owner only
//! (mode 0600), so that nobody has to choose a key and a weak one is never used. Keys are never logged.

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{what} file {path}: {source}")]
    Io { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{what} file {path} holds {len} bytes; at least {min} are needed")]
    TooShort { what: &'static str, path: PathBuf, len: usize, min: usize },
    #[error("no secure random source: {0}")]
    Random(String),
}

/// Reads the key in `path`, or creates the file with `generated_len` random bytes when it does not exist.
/// `what` names the key in errors and logs ("audit key").
pub fn load_or_create(path: &Path, what: &'static str, generated_len: usize) -> Result<Vec<u8>, KeyFileError> {
    match create(path, what, generated_len) {
        Ok(key) => Ok(key),
        // Present already (or created by another process a moment ago): read it.
        Err(KeyFileError::Io { source, .. }) if source.kind() == std::io::ErrorKind::AlreadyExists => load(path, what),
        Err(other) => Err(other),
    }
}

/// Reads the key in an existing file; never creates one.
pub fn load(path: &Path, what: &'static str) -> Result<Vec<u8>, KeyFileError> {
    warn_if_readable_by_others(path, what);
    std::fs::read(path).map_err(|source| KeyFileError::Io { what, path: path.to_owned(), source })
}

/// Refuses a key shorter than `min` bytes.
pub fn check_len(key: Vec<u8>, path: &Path, what: &'static str, min: usize) -> Result<Vec<u8>, KeyFileError> {
    if key.len() < min {
        return Err(KeyFileError::TooShort { what, path: path.to_owned(), len: key.len(), min });
    }
    Ok(key)
}

/// Creates the file (never overwriting one) with a fresh random key, mode 0600.
fn create(path: &Path, what: &'static str, len: usize) -> Result<Vec<u8>, KeyFileError> {
    let io = |source| KeyFileError::Io { what, path: path.to_owned(), source };
    if path.exists() {
        return Err(io(std::io::ErrorKind::AlreadyExists.into()));
    }
    let mut key = vec![0u8; len];
    getrandom::fill(&mut key).map_err(|e| KeyFileError::Random(e.to_string()))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = owner_only().create_new(true).write(true).open(path).map_err(io)?;
    file.write_all(&key).and_then(|()| file.sync_all()).map_err(io)?;
    tracing::info!(path = %path.display(), "generated a new {what}");
    Ok(key)
}

/// Open options that create files readable and writable by their owner only.
pub fn owner_only() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn warn_if_readable_by_others(path: &Path, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "{what} file is readable by others: chmod 600 it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_with_owner_only_permissions() {
        let dir = std::env::temp_dir().join(format!("credit-keyfile-{}", uuid::Uuid::new_v4()));
        let path = dir.join("nested/some.key");
        let first = load_or_create(&path, "test key", 32).ok();
        let second = load_or_create(&path, "test key", 32).ok();
        assert_eq!(first.as_ref().map(Vec::len), Some(32));
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777).ok();
            assert_eq!(mode, Some(0o600));
        }
        assert!(load(&dir.join("absent.key"), "test key").is_err(), "load never creates");
        assert!(!dir.join("absent.key").exists());
        assert!(matches!(check_len(vec![1; 8], &path, "test key", 32), Err(KeyFileError::TooShort { len: 8, .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}
