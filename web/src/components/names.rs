//! Codes the API sends shown by name: regions (an organisation's, a record's jurisdiction) and catalog items (of an
//! agreement, of a batch), each list read once per page. Until it is there, or for a code it does not list, a code
//! stands for itself.

use crate::api::{self, ApiError};
use crate::auth::Auth;
use credit_types::catalog::CatalogItem;
use credit_types::Region;
use leptos::prelude::*;

fn name_in<T>(list: Option<Result<Vec<T>, ApiError>>, found: impl Fn(&T) -> Option<String>, code: &str) -> String {
    list.and_then(Result::ok).and_then(|list| list.iter().find_map(found)).unwrap_or_else(|| code.to_owned())
}

/// The regions, by code.
#[derive(Clone, Copy)]
pub struct RegionNames(LocalResource<Result<Vec<Region>, ApiError>>);

impl RegionNames {
    pub fn load() -> RegionNames {
        RegionNames(LocalResource::new(api::regions::all))
    }

    pub fn name(self, code: &str) -> String {
        name_in(self.0.get(), |r| (r.code == code).then(|| r.name.clone()), code)
    }
}

/// The catalog items, by code.
#[derive(Clone, Copy)]
pub struct CatalogNames(LocalResource<Result<Vec<CatalogItem>, ApiError>>);

impl CatalogNames {
    pub fn load() -> CatalogNames {
        CatalogNames(LocalResource::new(|| async move { api::catalog::items(&Auth::token()).await }))
    }

    pub fn name(self, code: &str) -> String {
        name_in(self.0.get(), |i| (i.code == code).then(|| i.name_zh.clone()), code)
    }
}
