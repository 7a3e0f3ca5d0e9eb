//! Checks of the national identifier codes, shared by the server and the web app.

/// Characters of a unified social credit code (GB 32100-2015): digits and capitals without I, O, Z, S, V.
const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a unified social credit code is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters.
    Length,
    /// A character outside the GB 32100 set (I, O, Z, S, V and lower case are never used).
    Character,
    /// Characters 3–8 must be the six-digit administrative division code.
    Region,
    /// The 18th character does not match the check computed from the first 17.
    CheckCharacter,
}

impl UsccError {
    pub fn message(self) -> &'static str {
        match self {
            UsccError::Length => "统一社会信用代码应为 18 位",
            UsccError::Character => "统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母",
            UsccError::Region => "统一社会信用代码第 3 至 8 位应为行政区划代码",
            UsccError::CheckCharacter => "统一社会信用代码校验位不正确",
        }
    }
}

/// Checks a unified social credit code (统一社会信用代码) against GB 32100-2015, check character included.
pub fn check_uscc(code: &str) -> Result<(), UsccError> {
    let bytes = code.as_bytes();
    if bytes.len() != 18 || code.chars().count() != 18 {
        return Err(UsccError::Length);
    }
    let mut values = [0u32; 18];
    for (i, b) in bytes.iter().enumerate() {
        values[i] = USCC_CHARSET.iter().position(|c| c == b).ok_or(UsccError::Character)? as u32;
    }
    if !bytes[2..8].iter().all(u8::is_ascii_digit) {
        return Err(UsccError::Region);
    }
    let sum: u32 = values[..17].iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if values[17] == check {
        Ok(())
    } else {
        Err(UsccError::CheckCharacter)
    }
}

/// The check character for the first 17 characters of a unified social credit code, or `None` when one of them
/// is outside the GB 32100 set.
pub fn uscc_check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(USCC_WEIGHTS) {
        sum += USCC_CHARSET.iter().position(|c| c == b)? as u32 * w;
    }
    Some(USCC_CHARSET[((31 - sum % 31) % 31) as usize] as char)
}

/// Why a resident identity number is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentIdError {
    /// Not 18 characters.
    Length,
    /// The first 17 are not all digits, or the last is neither a digit nor `X`.
    Character,
    /// Characters 7–14 are not a real date of birth (or a future one, or before 1900).
    BirthDate,
    /// The 18th character does not match the check computed from the first 17.
    CheckDigit,
}

impl ResidentIdError {
    pub fn message(self) -> &'static str {
        match self {
            ResidentIdError::Length => "公民身份号码应为 18 位",
            ResidentIdError::Character => "公民身份号码前 17 位应为数字,最后一位为数字或 X",
            ResidentIdError::BirthDate => "公民身份号码中的出生日期不正确",
            ResidentIdError::CheckDigit => "公民身份号码校验码不正确",
        }
    }
}

const RESIDENT_ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECKS: &[u8; 11] = b"10X98765432";

/// Checks a citizen identity number (公民身份号码) against GB 11643-1999: 17 digits whose 7th to 14th are a real
/// date of birth no later than `today`, and the ISO 7064 MOD 11-2 check character. A lower-case `x` is refused:
/// store and compare the canonical upper-case form.
pub fn check_resident_id(id: &str, today: chrono::NaiveDate) -> Result<(), ResidentIdError> {
    let bytes = id.as_bytes();
    if bytes.len() != 18 || id.chars().count() != 18 {
        return Err(ResidentIdError::Length);
    }
    if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
        return Err(ResidentIdError::Character);
    }
    let birth = chrono::NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").map_err(|_| ResidentIdError::BirthDate)?;
    let earliest = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).ok_or(ResidentIdError::BirthDate)?;
    if birth > today || birth < earliest {
        return Err(ResidentIdError::BirthDate);
    }
    let sum: u32 = bytes[..17].iter().zip(RESIDENT_ID_WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if RESIDENT_ID_CHECKS[(sum % 11) as usize] == bytes[17] {
        Ok(())
    } else {
        Err(ResidentIdError::CheckDigit)
    }
}

#[cfg(test)]
mod resident_id_tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn accepts_numbers_with_the_right_check_character() {
        // The example of GB 11643-1999 (check character X) and two numbers of Jiujiang districts.
        for id in ["11010519491231002X", "360402199001011236", "360481198511300047"] {
            assert_eq!(check_resident_id(id, today()), Ok(()), "{id}");
        }
        assert_eq!(check_resident_id("360402199001011234", today()), Err(ResidentIdError::CheckDigit));
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(check_resident_id("11010519491231002", today()), Err(ResidentIdError::Length));
        assert_eq!(check_resident_id("11010519491231002x", today()), Err(ResidentIdError::Character));
        assert_eq!(check_resident_id("1101051949123100AX", today()), Err(ResidentIdError::Character));
        assert_eq!(check_resident_id("110105194902300021", today()), Err(ResidentIdError::BirthDate));
        assert_eq!(check_resident_id("110105203001010021", today()), Err(ResidentIdError::BirthDate));
        assert_eq!(check_resident_id("110105194912310021", today()), Err(ResidentIdError::CheckDigit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes() {
        // Published codes of well-known organisations.
        for code in ["91350100M000100Y43", "91110000600037341L", "11100000000013127D"] {
            assert_eq!(check_uscc(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn computes_the_check_character() {
        assert_eq!(uscc_check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(uscc_check_character("11360400MB1234567"), Some('A'));
        assert_eq!(uscc_check_character("1136040OMB1234567"), None);
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(check_uscc("91350100M000100Y4"), Err(UsccError::Length));
        assert_eq!(check_uscc("91350100M000100Y4O"), Err(UsccError::Character));
        assert_eq!(check_uscc("9135010AM000100Y43"), Err(UsccError::Region));
        assert_eq!(check_uscc("91350100M000100Y44"), Err(UsccError::CheckCharacter));
        assert_eq!(check_uscc("91350100m000100y43"), Err(UsccError::Character));
    }
}
