//! Subject search by exact code or by part of the name: names are indexed by character bigrams (`subject_grams`),
//! so a substring search walks one bigram's postings in id order instead of scanning every subject. The portal's
//! search never finds natural persons; it finds one only by full name and full identity number together.

use super::store::{grams, SubjectRow};
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::{subject_grams, subjects};
use credit_types::catalog::SubjectKind;
use diesel::prelude::*;

/// Whose subjects a search may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Signed-in callers (record lists): every kind of subject; the access rule then decides on the records.
    Everyone,
    /// The public portal: organisations and individual businesses only. A natural person found by
    /// part of a name or by a code alone would make the search an oracle for the masked characters of their name and
    /// number: a hit for the right guess, nothing for a wrong one.
    Businesses,
}

/// Bigrams so common in names (legal forms, the city's name) that walking them finds little: a search drives by
/// another bigram of the query when it has one.
const COMMON: &[&str] = &[
    "公司",
    "有限",
    "限公",
    "责任",
    "任公",
    "九江",
    "江市",
    "股份",
    "份有",
    "集团",
    "团有",
    "分公",
    "有限责",
    "企业",
    "商行",
    "经营",
    "营部",
    "个体",
    "工商",
    "店铺",
];

/// Whether `q` is a code (18 letters and digits) rather than a name.
pub fn looks_like_code(q: &str) -> bool {
    let q = q.trim();
    q.len() == 18 && q.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The bigram a name search walks: the least common-looking one, preferring the middle of the query.
fn driving_gram(q: &str) -> Option<String> {
    let mut all = grams(q);
    if all.is_empty() {
        return None;
    }
    let chars: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    let middle: String = if chars.len() >= 2 {
        let i = (chars.len() - 2) / 2;
        chars[i..i + 2].iter().collect()
    } else {
        chars.iter().collect()
    };
    if !COMMON.contains(&middle.as_str()) {
        return Some(middle);
    }
    all.sort_by_key(|g| COMMON.contains(&g.as_str()));
    all.into_iter().next()
}

/// Up to `limit` subjects of `scope` matching `q` (exact code, or name containing it) with ids after `after`, in id
/// order.
pub fn candidates(conn: &mut Db, q: &str, scope: Scope, after: Option<&str>, limit: i64) -> ApiResult<Vec<SubjectRow>> {
    if looks_like_code(q) {
        let code = q.trim().to_uppercase();
        let mut query = subjects::table.filter(subjects::code.eq(code)).into_boxed();
        if scope == Scope::Businesses {
            query = query.filter(subjects::kind.ne(SubjectKind::NaturalPerson));
        }
        if let Some(after) = after {
            query = query.filter(subjects::id.gt(after.to_owned()));
        }
        return Ok(query.select(SubjectRow::as_select()).limit(limit).load(conn)?);
    }
    let Some(gram) = driving_gram(q) else { return Ok(Vec::new()) };
    let mut query = subject_grams::table
        .inner_join(subjects::table)
        .filter(subject_grams::gram.eq(gram))
        .filter(subjects::name.like(crate::db::contains_pattern(q)).escape('\\'))
        .into_boxed();
    if scope == Scope::Businesses {
        query = query.filter(subjects::kind.ne(SubjectKind::NaturalPerson));
    }
    if let Some(after) = after {
        query = query.filter(subject_grams::subject_id.gt(after.to_owned()));
    }
    Ok(query.order(subject_grams::subject_id.asc()).limit(limit).select(SubjectRow::as_select()).load(conn)?)
}

/// Ids of up to `cap` subjects matching `q`, for filtering a signed-in caller's record lists by subject.
pub fn subject_ids(conn: &mut Db, q: &str, cap: i64) -> ApiResult<Vec<String>> {
    Ok(candidates(conn, q, Scope::Everyone, None, cap)?.into_iter().map(|s| s.id).collect())
}

/// The natural person with exactly this identity number and exactly this name (both as stored: trimmed, the number
/// in capitals), or none. One query with both in its condition, so a wrong name and an unknown
/// number take the same path and answer the same.
pub fn person(conn: &mut Db, name: &str, code: &str) -> ApiResult<Option<SubjectRow>> {
    Ok(subjects::table
        .filter(subjects::code.eq(code))
        .filter(subjects::name.eq(name))
        .filter(subjects::kind.eq(SubjectKind::NaturalPerson))
        .select(SubjectRow::as_select())
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_told_apart() {
        assert!(looks_like_code("91360400MA35G4QX1R"));
        assert!(!looks_like_code("九江长江建筑有限公司"));
    }

    #[test]
    fn the_driving_bigram_avoids_common_ones() {
        assert_eq!(driving_gram("九江长江建筑有限公司").as_deref(), Some("建筑"));
        assert!(driving_gram("有限公司").is_some(), "a query of common bigrams still searches");
        assert_eq!(driving_gram("张三").as_deref(), Some("张三"));
        assert_eq!(crate::db::contains_pattern("50%_x"), "%50\\%\\_x%");
    }
}
