//! Masking (脱敏) of personal data shown to the public: each catalog field names its rule; the portal
//! applies it to every value it sends anonymous callers, after hiding any resident identity number in the value.

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
    /// A resident identity number: only the 6-digit region of registration kept (`360403************`).
    ///
    /// Why no more: the 8 digits after the region are the birth date, the next 3 a sequence whose last digit is the
    /// sex, and the 18th a check digit computed from all 17 before it. Keeping the last 4 (sequence and check
    /// digit) leaves only about 2,600 birth dates to try against any answer that tells a right number from a wrong
    /// one; keeping the birth year or the sex narrows a guess the same way. The region is kept: it tells namesakes
    /// apart by place, about as much as a masked address shows (the district), and is one of a few thousand codes
    /// anyway. The mask has a fixed length, so it does not tell an 18-digit number from an old 15-digit one either.
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
            MaskingRule::ResidentId => mask_resident_id(value),
            MaskingRule::Phone => keep_ends_of(value, 3, 4),
            MaskingRule::Address => mask_address(value),
            MaskingRule::KeepEnds { first, last } => keep_ends_of(value, first.into(), last.into()),
        }
    }
}

impl MaskingRule {
    /// The value as the portal sends it: any resident identity number inside it hidden first, whatever the field's
    /// rule (a number kept in a field of rule `none`, or of a rule that keeps its ends, would otherwise undo what
    /// the subject's masked number hides), then the field's rule applied. Every rule only removes characters, so
    /// nothing of a hidden number comes back.
    pub fn apply_public(self, value: &str) -> String {
        self.apply(&mask_resident_ids_in(value))
    }
}

/// Characters of the region of registration a masked resident identity number keeps.
const RESIDENT_ID_REGION: usize = 6;
/// Masked characters after the region: always 12, whatever the length of the number.
const RESIDENT_ID_HIDDEN: usize = 12;

fn mask_resident_id(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= RESIDENT_ID_REGION {
        return MASK.to_string().repeat(chars.len());
    }
    chars[..RESIDENT_ID_REGION].iter().chain(std::iter::repeat_n(&MASK, RESIDENT_ID_HIDDEN)).collect()
}

/// `text` with every resident identity number in it masked as [`MaskingRule::ResidentId`] masks one: a run of
/// exactly 18 digits, or 17 digits and an `X` (letters around it do not matter: `身份证号码360403…`), whose 7th to 14th digits are a date from 1900 on. The check digit
/// is not required to be right (a mistyped number is still mostly someone's number); the date is, so that other
/// 18-digit codes (an all-digit credit code, a document number) stay as they are.
pub fn mask_resident_ids_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let x_after = digits == 17 && matches!(chars.get(i + 17), Some('X' | 'x'));
        let len = if x_after { 18 } else { digits };
        let run: String = chars[i..i + len].iter().collect();
        if len == 18 && has_birth_date(&run) {
            out.push_str(&mask_resident_id(&run));
        } else {
            out.push_str(&run);
        }
        i += len;
    }
    out
}

/// Whether the 7th to 14th characters of `run` (18 ASCII characters) are a date from 1900 on.
fn has_birth_date(run: &str) -> bool {
    chrono::NaiveDate::parse_from_str(&run[6..14], "%Y%m%d").is_ok_and(|d| chrono::Datelike::year(&d) >= 1900)
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
    fn r16_2_identity_numbers_keep_the_region_only() {
        assert_eq!(ResidentId.apply("360402199001011236"), "360402************");
        assert_eq!(ResidentId.apply("36040219900101123X"), "360402************");
        assert_eq!(ResidentId.apply(" 360403197503180571 "), "360403************");
        // An old 15-digit number looks the same as an 18-digit one.
        assert_eq!(ResidentId.apply("360403750318057"), "360403************");
        assert_eq!(ResidentId.apply("3604"), "****");
    }

    #[test]
    fn r28_1_no_masked_identity_number_shows_its_birth_date_or_check_digit() {
        // Every number of one region, whatever its birth date, sequence and check digit, masks alike: no masked
        // answer tells one from another.
        let numbers = ["360403197503180571", "360403197503190571", "360403200012310018", "36040319750318057X"];
        let masked: Vec<String> = numbers.iter().map(|n| ResidentId.apply(n)).collect();
        assert!(masked.iter().all(|m| m == &masked[0]), "{masked:?}");
        for number in numbers {
            let shown = ResidentId.apply(number);
            assert!(!shown.contains(&number[6..14]), "the birth date is hidden: {shown}");
            assert!(!shown.ends_with(&number[14..]), "the sequence and check digit are hidden: {shown}");
        }
    }

    #[test]
    fn r28_1_an_identity_number_in_any_field_is_masked_whatever_the_field_rule() {
        let id = "360403197503180571";
        for rule in [None, KeepEnds { first: 6, last: 4 }, PersonName, Phone, Address, ResidentId] {
            let shown = rule.apply_public(id);
            assert!(!shown.contains("0571") && !shown.contains("19750318"), "{rule:?} shows {shown}");
        }
        assert_eq!(None.apply_public(&format!("身份证号码{id},住濂溪区")), "身份证号码360403************,住濂溪区");
        assert_eq!(None.apply_public("证件号码:36040319750318057x。"), "证件号码:360403************。");
        assert_eq!(None.apply_public(&format!("ID{id}")), "ID360403************");
        // Other numbers stay: a credit code, a too long or too short run, 18 digits that hold no birth date.
        for text in ["91360403MA38JJ2C5F", "3604031975031805712", "36040319750318057", "113604000145130118", "5000.00"]
        {
            assert_eq!(None.apply_public(text), text);
        }
    }

    #[test]
    fn r16_2_phones_and_kept_ends() {
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
