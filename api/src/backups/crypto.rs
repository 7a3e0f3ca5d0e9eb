//! Backup files at rest: a plain copy compressed with zstd, then encrypted with `age` to the plan's X25519
//! recipient; and the way back with the identity (private key) file. The private key only ever comes from a file.

use age::secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::str::FromStr;

/// zstd level: a good ratio at a speed that keeps a backup short.
const ZSTD_LEVEL: i32 = 9;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("{0} is not an age X25519 public key (age1…)")]
    Recipient(String),
    #[error("identity file {path}: {detail}")]
    Identity { path: String, detail: String },
    #[error("{what} {path}: {source}")]
    Io { what: &'static str, path: String, source: std::io::Error },
    #[error("cannot encrypt: {0}")]
    Encrypt(String),
    #[error("cannot decrypt (not an age file, another key, or the file was changed): {0}")]
    Decrypt(String),
}

/// Parses an `age1…` X25519 recipient.
pub fn recipient(text: &str) -> Result<age::x25519::Recipient, CryptoError> {
    age::x25519::Recipient::from_str(text.trim()).map_err(|_| CryptoError::Recipient(text.trim().to_owned()))
}

/// Reads the X25519 identities of an `age` identity file (`AGE-SECRET-KEY-1…` lines; `#` comments and blank lines
/// skipped). The file's content never appears in an error.
pub fn identities(path: &Path) -> Result<Vec<age::x25519::Identity>, CryptoError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CryptoError::Identity { path: shown.clone(), detail: e.kind().to_string() })?;
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity = age::x25519::Identity::from_str(line).map_err(|_| CryptoError::Identity {
            path: shown.clone(),
            detail: format!("line {} is no age X25519 secret key (AGE-SECRET-KEY-1…)", number + 1),
        })?;
        found.push(identity);
    }
    if found.is_empty() {
        return Err(CryptoError::Identity { path: shown, detail: "holds no AGE-SECRET-KEY-1… line".into() });
    }
    Ok(found)
}

/// A new identity written to `path` (created, never overwritten, mode 0600); returns its public key.
pub fn generate_identity(path: &Path) -> Result<String, CryptoError> {
    let io = |source| CryptoError::Io { what: "identity file", path: path.display().to_string(), source };
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = crate::keys::file::owner_only().create_new(true).write(true).open(path).map_err(io)?;
    let text = format!(
        "# credit-api backup identity, created {}\n# public key: {public}\n{}\n",
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        identity.to_string().expose_secret()
    );
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(io)?;
    Ok(public)
}

/// Compresses and encrypts `plain` into `sealed` (created new) for `recipient`.
pub fn seal(plain: &Path, sealed: &Path, recipient: &age::x25519::Recipient) -> Result<(), CryptoError> {
    let read_io = |source| CryptoError::Io { what: "copy", path: plain.display().to_string(), source };
    let write_io = |source| CryptoError::Io { what: "backup file", path: sealed.display().to_string(), source };
    let mut input = BufReader::new(std::fs::File::open(plain).map_err(read_io)?);
    let output = crate::keys::file::owner_only().create_new(true).write(true).open(sealed).map_err(write_io)?;
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
        .map_err(|e| CryptoError::Encrypt(e.to_string()))?;
    let encrypted = encryptor.wrap_output(BufWriter::new(output)).map_err(write_io)?;
    let mut compressor = zstd::Encoder::new(encrypted, ZSTD_LEVEL).map_err(write_io)?;
    std::io::copy(&mut input, &mut compressor).map_err(write_io)?;
    let encrypted = compressor.finish().map_err(write_io)?;
    let mut buffered = encrypted.finish().map_err(write_io)?;
    buffered.flush().map_err(write_io)?;
    let file = buffered.into_inner().map_err(|e| write_io(e.into_error()))?;
    file.sync_all().map_err(write_io)
}

/// Decrypts and decompresses `sealed` into `plain` (created new) with `identities`.
pub fn open(sealed: &Path, plain: &Path, identities: &[age::x25519::Identity]) -> Result<(), CryptoError> {
    let read_io = |source| CryptoError::Io { what: "backup file", path: sealed.display().to_string(), source };
    let write_io = |source| CryptoError::Io { what: "restored copy", path: plain.display().to_string(), source };
    let input = BufReader::new(std::fs::File::open(sealed).map_err(read_io)?);
    let decryptor = age::Decryptor::new(input).map_err(|e| CryptoError::Decrypt(e.to_string()))?;
    let decrypted = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        .map_err(|e| CryptoError::Decrypt(e.to_string()))?;
    let mut decompressor = zstd::Decoder::new(decrypted).map_err(|e| CryptoError::Decrypt(e.to_string()))?;
    let mut output =
        BufWriter::new(crate::keys::file::owner_only().create_new(true).write(true).open(plain).map_err(write_io)?);
    // A changed byte shows as an authentication failure of age's payload, as a read error here.
    std::io::copy(&mut decompressor, &mut output).map_err(|e| CryptoError::Decrypt(e.to_string()))?;
    output.flush().map_err(write_io)
}

/// The SHA-256 (hex) and size of a file.
pub fn digest(path: &Path) -> Result<(String, i64), CryptoError> {
    let io = |source| CryptoError::Io { what: "backup file", path: path.display().to_string(), source };
    let mut file = BufReader::new(std::fs::File::open(path).map_err(io)?);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0i64;
    loop {
        let read = file.read(&mut buffer).map_err(io)?;
        if read == 0 {
            break;
        }
        size += read as i64;
        hasher.update(&buffer[..read]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r24_1_a_sealed_copy_opens_only_with_its_identity_and_only_unchanged() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let key = dir.path().join("backup.agekey");
        let public = generate_identity(&key).unwrap_or_else(|e| panic!("{e}"));
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "九江 credit data ".repeat(1000)).unwrap_or_else(|e| panic!("{e}"));
        let sealed = dir.path().join("sealed");
        seal(&plain, &sealed, &recipient(&public).unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
        let bytes = std::fs::read(&sealed).unwrap_or_default();
        assert!(bytes.len() < 2000, "compressed: {}", bytes.len());
        assert!(!bytes.windows(6).any(|w| w == b"credit"), "encrypted");
        let ids = identities(&key).unwrap_or_else(|e| panic!("{e}"));
        open(&sealed, &dir.path().join("back"), &ids).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(dir.path().join("back")).ok(), std::fs::read(&plain).ok());
        let mut flipped = bytes.clone();
        let at = flipped.len() - 20;
        flipped[at] ^= 1;
        std::fs::write(&sealed, flipped).unwrap_or_else(|e| panic!("{e}"));
        assert!(open(&sealed, &dir.path().join("again"), &ids).is_err(), "a flipped byte never decrypts");
        let other = dir.path().join("other.agekey");
        generate_identity(&other).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&sealed, bytes).unwrap_or_else(|e| panic!("{e}"));
        let wrong = identities(&other).unwrap_or_else(|e| panic!("{e}"));
        assert!(open(&sealed, &dir.path().join("third"), &wrong).is_err(), "another key never decrypts");
        assert!(recipient("age1nope").is_err());
    }
}
