//! Why a call failed: the API's problem document (whose stable `code` pages branch on), or no answer at all.

use credit_types::{ErrorCode, FieldError, Problem};

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The API answered with a problem document.
    Problem(Problem),
    /// The request never got an answer (offline, server down).
    Network(String),
    /// An error status without a problem document (e.g. a proxy's own error page).
    Status(u16),
    /// The answer was not what the API promises.
    Unexpected(String),
}

impl ApiError {
    /// A message for the page, in Chinese with the API's own detail when there is one.
    pub fn message(&self) -> String {
        match self {
            ApiError::Problem(problem) => problem.detail.clone(),
            ApiError::Network(_) => "无法连接到服务器,请检查网络后重试。".to_owned(),
            ApiError::Status(status) => format!("服务器返回错误(HTTP {status}),请稍后重试。"),
            ApiError::Unexpected(detail) => format!("服务器返回了无法识别的内容:{detail}"),
        }
    }

    /// The API's stable error code, if it sent a problem document.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(problem) => Some(problem.code),
            _ => None,
        }
    }

    /// Whether the API refused with one of `codes`.
    pub fn is(&self, codes: &[ErrorCode]) -> bool {
        self.code().is_some_and(|code| codes.contains(&code))
    }

    /// A message for the page in which the codes that mean the same everywhere read the same everywhere; the API's
    /// own detail otherwise.
    pub fn friendly(&self) -> String {
        match self.code().and_then(common_message) {
            Some(message) => message.to_owned(),
            None => self.message(),
        }
    }

    /// Per-field errors of a validation problem.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Problem(problem) => problem.errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// The one wording of the codes whose meaning does not depend on the page.
fn common_message(code: ErrorCode) -> Option<&'static str> {
    use ErrorCode::*;
    let message = match code {
        Unauthorized | Unauthenticated | InvalidToken | SessionEnded | SessionExpired | RefreshTokenReused => {
            "登录已失效,请重新登录。"
        }
        PasswordChangeRequired => "请先修改密码后再继续。",
        Forbidden
        | InsufficientScope
        | PersonRequired
        | NotADataProvider
        | NotTheProvider
        | NotTheRequester
        | NotTheCompetentOffice
        | NotACreditAdmin
        | NotEligible => "您的账号无权执行此操作。",
        NotFound => "未找到相关信息,或您无权查看。",
        StaleVersion | IfMatchRequired => "数据已被他人修改,请刷新后重试。",
        PayloadTooLarge => "文件过大,请分批上传。",
        RateLimited | TooManyRequests => "查询过于频繁,请稍后再试",
        ServiceUnavailable => "服务暂时不可用,请稍后重试。",
        _ => return None,
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: ErrorCode, status: u16) -> ApiError {
        ApiError::Problem(Problem {
            kind: "about:problem".into(),
            title: "t".into(),
            status,
            detail: "the detail".into(),
            code,
            instance: None,
            request_id: None,
            error: None,
            errors: Vec::new(),
        })
    }

    #[test]
    fn codes_that_mean_the_same_everywhere_read_the_same() {
        assert_eq!(problem(ErrorCode::StaleVersion, 412).friendly(), "数据已被他人修改,请刷新后重试。");
        assert_eq!(problem(ErrorCode::IfMatchRequired, 428).friendly(), "数据已被他人修改,请刷新后重试。");
        assert_eq!(problem(ErrorCode::SessionExpired, 401).friendly(), "登录已失效,请重新登录。");
    }

    #[test]
    fn other_codes_keep_the_api_detail() {
        assert_eq!(problem(ErrorCode::InvalidCredentials, 401).friendly(), "the detail");
        assert_eq!(problem(ErrorCode::Unknown, 400).friendly(), "the detail");
        assert_eq!(ApiError::Status(502).code(), None);
        assert!(problem(ErrorCode::AlreadyDecided, 409).is(&[ErrorCode::AlreadyDecided, ErrorCode::AlreadyRevoked]));
    }
}
