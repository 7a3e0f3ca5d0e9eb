//! Opaque list cursors: the sort key of the last row seen, base64url-encoded so clients treat it as a token.

use crate::error::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Encodes the last row's sort key (one or more parts) as a cursor.
pub fn encode(key: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// Decodes a cursor into exactly `parts` key parts; anything else is a 400 on the `cursor` parameter.
pub fn decode(cursor: &str, parts: usize) -> Result<Vec<String>, ApiError> {
    let invalid = || ApiError::invalid_parameter("cursor", "invalid_cursor", "not a cursor from a previous page");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let key: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if key.len() == parts {
        Ok(key)
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let c = encode(&["360402"]);
        assert_eq!(decode(&c, 1).ok(), Some(vec!["360402".to_owned()]));
        assert!(decode(&c, 2).is_err());
        assert!(decode("%%%", 1).is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode(b"{}"), 1).is_err());
    }
}

/// Turns rows fetched with `limit + 1` into a page: the extra row, if any, only says that another page follows,
/// and the cursor is the sort key of the last row kept.
pub fn page<T>(mut rows: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> credit_types::Page<T> {
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|last| encode(&[&key(last)]))
    } else {
        None
    };
    credit_types::Page { items: rows, next_cursor }
}

#[cfg(test)]
mod page_tests {
    #[test]
    fn the_extra_row_only_signals_a_next_page() {
        let full = super::page(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(full.items, [1, 2]);
        assert_eq!(full.next_cursor.map(|c| super::decode(&c, 1).ok()), Some(Some(vec!["2".to_owned()])));
        let last = super::page(vec![1, 2], 2, |n| n.to_string());
        assert_eq!((last.items.len(), last.next_cursor), (2, None));
    }
}
