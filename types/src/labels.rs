//! Codes and their Chinese labels: the one table through which people read codes. The API sends and stores codes
//! (`under_objection`, `record.read`); the web app (and exports) show every code through [`Labelled::label`] of its
//! enum, defined once here in `credit-types`.
//!
//! Enums that are stored in text columns also read and write themselves there (feature `diesel`): a stored value
//! that is no known variant is an error, never a silent default.

/// A code with the Chinese label people read instead of it.
pub trait Labelled: Copy + 'static {
    /// The code, as sent and stored.
    fn code(self) -> &'static str;
    /// What people read.
    fn label(self) -> &'static str;
}

/// Defines an enum of codes with their labels: `as_str`, `parse`, `label`, `ALL`, serde as the code, an OpenAPI
/// schema (feature `openapi`) and a text column type (feature `diesel`).
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:tt, $label:tt;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code, as sent and stored.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            pub fn parse(value: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == value)
            }

            /// What people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }
        }

        impl $crate::labels::Labelled for $name {
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        $crate::labels::text_column!($name);
    };
}
pub(crate) use labelled_enum;

/// Reads and writes an enum with `as_str` and `parse` as a text column (feature `diesel`), on any backend that
/// reads and writes text. An unknown stored value fails the query (logged as an internal error).
macro_rules! text_column {
    ($name:ident) => {
        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                $name::parse(&text)
                    .ok_or_else(|| format!("stored value {text:?} is not a known {}", stringify!($name)).into())
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    };
}
pub(crate) use text_column;

/// Implements [`Labelled`] for an enum that has `as_str` and `label` of its own.
macro_rules! labelled {
    ($($name:ty),* $(,)?) => {
        $(impl $crate::labels::Labelled for $name {
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn label(self) -> &'static str {
                <$name>::label(self)
            }
        })*
    };
}
pub(crate) use labelled;

/// The label of a code of `T`, or the code itself when it is none of `T`'s (e.g. an action of a newer server).
pub fn label_of<T: Labelled>(all: &[T], code: &str) -> String {
    all.iter().find(|v| v.code() == code).map_or_else(|| code.to_owned(), |v| v.label().to_owned())
}
