//! The one client of the platform's API: typed calls that return the body or the API's problem details.

use credit_types::{Page, Problem, Region};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The API answered with a problem document.
    Problem(Problem),
    /// The request never got an answer (offline, server down).
    Network(String),
    /// The answer was not what the API promises.
    Unexpected(String),
}

impl ApiError {
    /// A message for the page, in Chinese with the API's own detail when there is one.
    pub fn message(&self) -> String {
        match self {
            ApiError::Problem(problem) => format!("服务返回错误({}):{}", problem.status, problem.detail),
            ApiError::Network(_) => "无法连接到服务器,请检查网络后重试。".to_owned(),
            ApiError::Unexpected(detail) => format!("服务器返回了无法识别的内容:{detail}"),
        }
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return response.json::<T>().await.map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected(format!("HTTP {}", response.status()))),
    }
}

/// Every region: the city and its county-level divisions (fewer than one page).
pub async fn regions() -> Result<Vec<Region>, ApiError> {
    get_json::<Page<Region>>("/api/v1/regions?limit=500").await.map(|page| page.items)
}
