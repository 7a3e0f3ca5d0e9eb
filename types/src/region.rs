//! Administrative regions (GB/T 2260): the city and its county-level divisions, which bound every jurisdiction.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

/// Level of a region in the platform's two-tier hierarchy (R-18.1: city level and county level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum RegionLevel {
    /// The prefecture-level city (地级市).
    City,
    /// A district, county or county-level city (市辖区 / 县 / 县级市).
    County,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::County => "county",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "city" => Some(Self::City),
            "county" => Some(Self::County),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::City => "市级",
            Self::County => "县级",
        }
    }
}

/// One region as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    /// Six-digit GB/T 2260 code, e.g. `360402`.
    #[cfg_attr(feature = "openapi", schema(example = "360402"))]
    pub code: String,
    /// Official Chinese name, e.g. `濂溪区`.
    #[cfg_attr(feature = "openapi", schema(example = "濂溪区"))]
    pub name: String,
    /// English name, e.g. `Lianxi District`.
    #[cfg_attr(feature = "openapi", schema(example = "Lianxi District"))]
    pub name_en: String,
    pub level: RegionLevel,
    /// Kind of division: `city`, `district` (市辖区), `county` (县) or `county_city` (县级市).
    #[cfg_attr(feature = "openapi", schema(example = "district"))]
    pub kind: String,
    /// Code of the parent region; absent for the city itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
}

/// Query parameters of `GET /api/v1/regions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RegionListQuery {
    /// Only regions of this level.
    pub level: Option<RegionLevel>,
    /// Only the direct children of this region code.
    #[validate(custom(function = "validate_region_code"))]
    pub parent: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Body of `POST /api/v1/regions/lookup`: resolve many codes in one call (e.g. before a batch intake).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionLookup {
    /// One to 200 six-digit region codes.
    #[validate(
        length(min = 1, max = 200, code = "length", message = "give between 1 and 200 codes"),
        custom(function = "validate_region_codes")
    )]
    #[cfg_attr(feature = "openapi", schema(example = json!(["360402", "360481", "110101"])))]
    pub codes: Vec<String>,
}

/// Answer of `POST /api/v1/regions/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionLookupResult {
    /// The regions found, in the order asked (duplicates once).
    pub found: Vec<Region>,
    /// Well-formed codes that name no region of this platform.
    pub unknown: Vec<String>,
}

/// True for a well-formed GB/T 2260 code: six ASCII digits.
pub fn is_region_code(value: &str) -> bool {
    value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())
}

fn validate_region_code(value: &str) -> Result<(), ValidationError> {
    if is_region_code(value) {
        Ok(())
    } else {
        Err(ValidationError::new("region_code").with_message("a region code is six digits, e.g. 360402".into()))
    }
}

fn validate_region_codes(values: &[String]) -> Result<(), ValidationError> {
    let bad: Vec<&str> = values.iter().map(String::as_str).filter(|v| !is_region_code(v)).collect();
    if bad.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = bad.iter().take(5).copied().collect();
    Err(ValidationError::new("region_code")
        .with_message(format!("not six-digit region codes: {}", shown.join(", ")).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_code_is_six_digits() {
        assert!(is_region_code("360402"));
        assert!(!is_region_code("36040"));
        assert!(!is_region_code("36040a"));
        assert!(!is_region_code("３６０４０２"));
    }

    #[test]
    fn lookup_rejects_empty_and_malformed_codes() {
        let empty = RegionLookup { codes: vec![] };
        let errors = crate::problem::field_errors(&empty.validate().unwrap_err());
        assert_eq!(errors[0].field, "codes");
        assert_eq!(errors[0].code, "length");

        let bad = RegionLookup { codes: vec!["360402".into(), "x".into()] };
        let errors = crate::problem::field_errors(&bad.validate().unwrap_err());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "region_code");
        assert!(errors[0].message.contains('x'));
    }

    #[test]
    fn list_query_limits_page_size() {
        let query = RegionListQuery { limit: Some(0), ..Default::default() };
        let errors = crate::problem::field_errors(&query.validate().unwrap_err());
        assert_eq!(errors[0].field, "limit");
        assert!(RegionListQuery { limit: Some(500), ..Default::default() }.validate().is_ok());
    }
}

crate::labels::text_column!(RegionLevel);
crate::labels::labelled!(RegionLevel);
