//! The two HMAC-SHA-256 keys, as distinct types so that neither can stand in for the other: the audit key (with the
//! scope that hands it to every append made on a thread) and the contact key. Their `Debug` never shows a key.

use super::file::{self, KeyFileError};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of a generated key: SHA-256's output size, so the key is as strong as the MAC it makes.
const GENERATED_LEN: usize = 32;
/// A key file shorter than this is refused.
const MIN_LEN: usize = 32;

/// An HMAC-SHA-256 key, kept as the keyed state (cloned for each MAC, so the key is processed once).
#[derive(Clone)]
struct MacKey(HmacSha256);

impl MacKey {
    fn read(path: &Path, what: &'static str, create: bool) -> Result<MacKey, KeyFileError> {
        let bytes = if create { file::load_or_create(path, what, GENERATED_LEN)? } else { file::load(path, what)? };
        let bytes = file::check_len(bytes, path, what, MIN_LEN)?;
        // HMAC takes keys of any length, so this never fails; the error is only the type's.
        HmacSha256::new_from_slice(&bytes).map(MacKey).map_err(|_| KeyFileError::TooShort {
            what,
            path: path.to_owned(),
            len: bytes.len(),
            min: MIN_LEN,
        })
    }

    fn mac(&self, message: &[u8]) -> String {
        hex::encode(self.0.clone().chain_update(message).finalize().into_bytes())
    }

    /// Whether `expected` (hex) is the MAC of `message`, compared in constant time.
    fn verifies(&self, message: &[u8], expected: &str) -> bool {
        match hex::decode(expected) {
            Ok(expected) => self.0.clone().chain_update(message).verify_slice(&expected).is_ok(),
            Err(_) => false,
        }
    }

    /// A short public name for the key: the first 8 bytes of its MAC of a fixed text. It tells two keys apart and
    /// reveals nothing that would help to forge a MAC.
    fn fingerprint(&self) -> String {
        self.mac(b"credit-key-fingerprint")[..16].to_owned()
    }
}

/// The key of the audit chain.
#[derive(Clone)]
pub struct AuditKey(MacKey);

tokio::task_local! {
    static CURRENT_AUDIT_KEY: Arc<AuditKey>;
}

impl AuditKey {
    const WHAT: &'static str = "audit key";

    /// Reads the key file, creating it with a fresh key when it does not exist. Whether a new key may be created is
    /// `audit::key::open`'s decision (not while keyed events or anchors exist).
    pub fn load_or_create(path: &Path) -> Result<AuditKey, KeyFileError> {
        MacKey::read(path, Self::WHAT, true).map(AuditKey)
    }

    /// Reads an existing key file; never creates one (verification must not make up a key).
    pub fn load(path: &Path) -> Result<AuditKey, KeyFileError> {
        MacKey::read(path, Self::WHAT, false).map(AuditKey)
    }

    /// The MAC (hex) of an event's canonical encoding.
    pub fn mac(&self, encoding: &[u8]) -> String {
        self.0.mac(encoding)
    }

    /// Whether `mac` (hex) is this key's MAC of `encoding`.
    pub fn verifies(&self, encoding: &[u8], mac: &str) -> bool {
        self.0.verifies(encoding, mac)
    }

    /// The key's public fingerprint, written with every anchor, so a verification or a start with another key is
    /// named as such.
    pub fn id(&self) -> String {
        self.0.fingerprint()
    }

    /// Runs `work` with `key` as the key every audit append on this thread (or task) uses. `AppState` runs all its
    /// database work inside it, the command-line tools theirs; an append outside any scope fails rather than write
    /// an event the chain cannot verify.
    pub fn scope<T>(key: Arc<AuditKey>, work: impl FnOnce() -> T) -> T {
        CURRENT_AUDIT_KEY.sync_scope(key, work)
    }

    /// The key of the enclosing [`AuditKey::scope`], if any.
    pub fn current() -> Option<Arc<AuditKey>> {
        CURRENT_AUDIT_KEY.try_with(Arc::clone).ok()
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

/// The key of appellants' contact keys.
#[derive(Clone)]
pub struct ContactKey(MacKey);

impl ContactKey {
    /// Reads the key file, creating it with a fresh key when it does not exist: a new contact key is harmless, as
    /// the start recomputes the keys of every objection that still holds its contact.
    pub fn load_or_create(path: &Path) -> Result<ContactKey, KeyFileError> {
        MacKey::read(path, "contact key", true).map(ContactKey)
    }

    /// The keyed hash (hex) of a normalised contact.
    pub fn mac(&self, contact: &[u8]) -> String {
        self.0.mac(contact)
    }
}

impl fmt::Debug for ContactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContactKey(hidden)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("credit-mac-{}", uuid::Uuid::new_v4())).join(name)
    }

    #[test]
    fn r30_macs_depend_on_the_key_and_verify_in_constant_time() {
        let (a, b) = (temp("a.key"), temp("b.key"));
        let (Ok(one), Ok(other)) = (AuditKey::load_or_create(&a), AuditKey::load_or_create(&b)) else {
            panic!("keys are created")
        };
        let mac = one.mac(b"event");
        assert_eq!(mac.len(), 64);
        assert!(one.verifies(b"event", &mac));
        assert!(!other.verifies(b"event", &mac));
        assert!(!one.verifies(b"event", "not hex"));
        assert_ne!(one.id(), other.id());
        assert_eq!(one.id().len(), 16);
        assert!(!format!("{one:?}").contains(&mac));
        assert!(AuditKey::load(&temp("absent.key")).is_err(), "verification never makes up a key");
        for path in [a, b] {
            let _ = path.parent().map(std::fs::remove_dir_all);
        }
    }

    #[test]
    fn the_audit_key_is_reached_only_inside_its_scope() {
        let path = temp("scope.key");
        let key = AuditKey::load_or_create(&path).map(Arc::new).ok();
        assert!(AuditKey::current().is_none());
        let inside = key.map(|key| AuditKey::scope(key, || AuditKey::current().is_some()));
        assert_eq!(inside, Some(true));
        assert!(AuditKey::current().is_none());
        let _ = path.parent().map(std::fs::remove_dir_all);
    }
}
