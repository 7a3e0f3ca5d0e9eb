//! Masking (脱敏) of personal data shown to the public: each catalog field names its rule; the portal
//! applies it to every value it sends anonymous callers.

use serde::{Deserialize, Serialize};

/// How a field's value is masked for anonymous callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MaskingRule {
    /// Shown as is.
    None,
    /// A natural person's name: the surname kept, and the last character when there are three or more
    /// (`张*`, `张*三`).
    PersonName,
    /// A resident identity number: the first 6 and the last 4 kept.
    ResidentId,
    /// A phone number: the first 3 and the last 4 kept.
    Phone,
    /// An address: kept down to the district or county, the rest hidden.
    Address,
    /// Keep the first `first` and the last `last` characters.
    KeepEnds { first: u8, last: u8 },
}

const MASK: char = '*';

impl MaskingRule {
    /// The value as the public may see it.
    pub fn apply(self, value: &str) -> String {
        match self {
            MaskingRule::None => value.to_owned(),
            MaskingRule::PersonName => {
                let chars: Vec<char> = value.trim().chars().collect();
                match chars.len() {
                    0 => String::new(),
                    1 => MASK.to_string(),
                    2 => format!("{}{MASK}", chars[0]),
                    n => keep_ends(&chars, 1, 1, n),
                }
            }
            MaskingRule::ResidentId => keep_ends_of(value, 6, 4),
            MaskingRule::Phone => keep_ends_of(value, 3, 4),
            MaskingRule::Address => mask_address(value),
            MaskingRule::KeepEnds { first, last } => keep_ends_of(value, first.into(), last.into()),
        }
    }
}

fn keep_ends_of(value: &str, first: usize, last: usize) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= first + last {
        // Too short to keep both ends without showing all of it.
        return MASK.to_string().repeat(chars.len());
    }
    keep_ends(&chars, first, last, chars.len())
}

fn keep_ends(chars: &[char], first: usize, last: usize, len: usize) -> String {
    chars[..first].iter().chain(std::iter::repeat_n(&MASK, len - first - last)).chain(&chars[len - last..]).collect()
}

/// Keeps the address down to the first district (区) or county (县); for a county-level city (…市…市) down to the
/// second 市. What follows (street, number, room) is replaced by a fixed mask that does not reveal its length.
fn mask_address(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    let district = chars.iter().position(|c| matches!(c, '区' | '县' | '旗'));
    let cities: Vec<usize> = chars.iter().enumerate().filter(|(_, c)| **c == '市').map(|(i, _)| i).collect();
    let end = district.or_else(|| cities.get(1).copied()).or_else(|| cities.first().copied());
    match end {
        Some(i) if i + 1 < chars.len() => format!("{}****", chars[..=i].iter().collect::<String>()),
        Some(_) => chars.iter().collect(),
        None => keep_ends_of(value, 2.min(chars.len()), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::MaskingRule::*;

    #[test]
    fn r16_2_names() {
        assert_eq!(PersonName.apply("张三"), "张*");
        assert_eq!(PersonName.apply("张小三"), "张*三");
        assert_eq!(PersonName.apply("欧阳小明"), "欧**明");
        assert_eq!(PersonName.apply("王"), "*");
    }

    #[test]
    fn r16_2_identity_numbers_and_phones() {
        assert_eq!(ResidentId.apply("360402199001011236"), "360402********1236");
        assert_eq!(Phone.apply("13807920001"), "138****0001");
        assert_eq!(Phone.apply("1234"), "****");
        assert_eq!(KeepEnds { first: 2, last: 1 }.apply("ABCDEFG"), "AB****G");
    }

    #[test]
    fn r16_2_addresses_to_the_district() {
        assert_eq!(Address.apply("江西省九江市濂溪区十里大道188号"), "江西省九江市濂溪区****");
        assert_eq!(Address.apply("江西省九江市修水县义宁镇"), "江西省九江市修水县****");
        assert_eq!(Address.apply("江西省九江市瑞昌市湓城街道"), "江西省九江市瑞昌市****");
        assert_eq!(Address.apply("九江市浔阳区"), "九江市浔阳区");
    }

    #[test]
    fn r16_2_no_raw_value_survives_a_masking_rule() {
        for (rule, value) in
            [(ResidentId, "360402199001011236"), (Phone, "13807920001"), (Address, "九江市濂溪区十里大道188号")]
        {
            assert_ne!(rule.apply(value), value);
        }
    }
}
