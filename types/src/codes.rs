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
