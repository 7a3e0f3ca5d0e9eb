//! Valid national identifiers for demo subjects: unified social credit codes (GB 32100, check character included)
//! and resident identity numbers (GB 11643) with real birth dates and Jiujiang area codes.

use super::rng::Rng;
use chrono::NaiveDate;

/// Characters a unified social credit code may use.
const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const RESIDENT_ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Who registered an organisation: the first two characters of its code (GB 32100 registration authority and
/// organisation category).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// 机关 (11): government departments, courts.
    Authority,
    /// 事业单位 (12): public institutions.
    Institution,
    /// 企业 (91).
    Enterprise,
    /// 个体工商户 (92).
    IndividualBusiness,
}

impl Registration {
    fn prefix(self) -> &'static str {
        match self {
            Registration::Authority => "11",
            Registration::Institution => "12",
            Registration::Enterprise => "91",
            Registration::IndividualBusiness => "92",
        }
    }
}

/// A unified social credit code from its 17 leading characters, with the computed check character.
pub fn complete_uscc(first17: &str) -> Option<String> {
    credit_types::codes::uscc_check_character(first17).map(|check| format!("{first17}{check}"))
}

/// A random valid unified social credit code registered in `region` (six digits). Enterprises and individual
/// businesses get the `MA…` bodies of codes issued since 2015; authorities and institutions a nine-digit body.
pub fn uscc(rng: &mut Rng, registration: Registration, region: &str) -> String {
    let body: String = match registration {
        Registration::Enterprise | Registration::IndividualBusiness => {
            let mut body = String::from("MA");
            body.push(char::from(b'3' + rng.below(3) as u8));
            body.extend((0..6).map(|_| char::from(*rng.pick(USCC_CHARSET))));
            body
        }
        Registration::Authority | Registration::Institution => {
            (0..9).map(|i| char::from(if i == 0 { b'0' } else { b'0' + rng.below(10) as u8 })).collect()
        }
    };
    let first17 = format!("{}{region}{body}", registration.prefix());
    complete_uscc(&first17).unwrap_or(first17)
}

/// A resident identity number from its 17 leading digits, with the ISO 7064 MOD 11-2 check character.
pub fn complete_resident_id(first17: &str) -> String {
    let sum: u32 = first17.bytes().zip(RESIDENT_ID_WEIGHTS).map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w).sum();
    let check = char::from(b"10X98765432"[(sum % 11) as usize]);
    format!("{first17}{check}")
}

/// A resident identity number issued in `area` for someone born on `birth`. The sequence number's last digit
/// is odd for men and even for women, as the standard has it.
pub fn resident_id(rng: &mut Rng, area: &str, birth: NaiveDate, male: bool) -> String {
    let mut sequence = rng.below(1000);
    if (sequence % 2 == 1) != male {
        sequence = (sequence + 1) % 1000;
    }
    complete_resident_id(&format!("{area}{}{sequence:03}", birth.format("%Y%m%d")))
}

/// A birth date between `from_year` and `to_year` inclusive.
pub fn birth_date(rng: &mut Rng, from_year: i32, to_year: i32) -> NaiveDate {
    let year = rng.between(i64::from(from_year), i64::from(to_year)) as i32;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    first + chrono::Duration::days(rng.below(365) as i64)
}

/// An 11-digit mobile number of a Chinese carrier.
pub fn mobile(rng: &mut Rng) -> String {
    const PREFIXES: [&str; 12] = ["135", "136", "137", "138", "139", "150", "151", "158", "159", "182", "187", "188"];
    format!("{}{:08}", rng.pick(&PREFIXES), rng.below(100_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::codes::{check_resident_id, check_uscc};

    #[test]
    fn generated_codes_pass_the_national_checks() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let mut rng = Rng::new(42);
        for registration in [
            Registration::Authority,
            Registration::Institution,
            Registration::Enterprise,
            Registration::IndividualBusiness,
        ] {
            for region in ["360400", "360402", "360483"] {
                for _ in 0..200 {
                    let code = uscc(&mut rng, registration, region);
                    assert_eq!(check_uscc(&code), Ok(()), "{code}");
                    assert_eq!(&code[2..8], region);
                }
            }
        }
        for male in [true, false] {
            for _ in 0..500 {
                let birth = birth_date(&mut rng, 1950, 2005);
                let id = resident_id(&mut rng, "360403", birth, male);
                assert_eq!(check_resident_id(&id, today), Ok(()), "{id}");
                assert_eq!((id.as_bytes()[16] - b'0') % 2 == 1, male, "{id}");
            }
        }
    }

    #[test]
    fn check_characters_match_the_standard_examples() {
        assert_eq!(complete_resident_id("11010519491231002"), "11010519491231002X");
        assert_eq!(complete_uscc("91350100M000100Y4").as_deref(), Some("91350100M000100Y43"));
    }

    #[test]
    fn mobiles_have_eleven_digits() {
        let mut rng = Rng::new(3);
        for _ in 0..100 {
            let m = mobile(&mut rng);
            assert!(m.len() == 11 && m.bytes().all(|b| b.is_ascii_digit()), "{m}");
        }
    }
}
