//! Statuses and kinds stored as short codes: one macro makes the enum, its list, its code and
//! its parsing, so a code is written once. On the server each one is also a SeaORM value type,
//! stored as its code in a text column. Compiled on both sides; imports nothing from the crate.

/// A stored code that names no value of the enum it was read as: corrupt data or a code
/// written by a newer version, never silently mapped to a default.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code: {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// What every enum made by [`coded!`] is.
pub trait Coded: Copy + Sized + 'static {
    /// The name of the kind, for errors.
    const KIND: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// The code stored in the database and sent in forms and URLs.
    fn code(self) -> &'static str;
}

/// The value of code `code`, or why there is none.
pub fn parse_code<T: Coded>(code: &str) -> Result<T, UnknownCode> {
    T::ALL
        .iter()
        .copied()
        .find(|value| value.code() == code)
        .ok_or_else(|| UnknownCode {
            kind: T::KIND,
            code: code.to_string(),
        })
}

/// The code of `value` (by reference, as SeaORM's value type asks).
pub fn code_of<T: Coded>(value: &T) -> &'static str {
    value.code()
}

/// An enum whose values are stored as codes:
///
/// ```ignore
/// coded! {
///     /// Where a subscription is in its life.
///     pub enum SubscriptionStatus {
///         /// Delivered and charged each period.
///         Active = "active",
///         Ended = "ended",
///     }
/// }
/// ```
///
/// gives the enum with `ALL`, `code()` and `from_code()`, the [`Coded`] trait, and on the server
/// SeaORM's value type. The attributes before `pub enum` (docs, derives, serde) are kept as
/// written: the enum must derive at least `Clone` and `Copy`.
macro_rules! coded {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
        #[cfg_attr(
            feature = "ssr",
            sea_orm(
                value_type = "String",
                from_str = "crate::codes::parse_code",
                to_str = "crate::codes::code_of"
            )
        )]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The code stored in the database and sent in forms and URLs.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value of `code`, if it names one.
            pub fn from_code(code: &str) -> Option<$name> {
                $crate::codes::parse_code(code).ok()
            }
        }

        impl $crate::codes::Coded for $name {
            const KIND: &'static str = stringify!($name);
            const ALL: &'static [$name] = &$name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }
    };
}
pub(crate) use coded;

#[cfg(test)]
mod tests {
    use super::*;

    coded! {
        /// A kind for the tests.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Fruit {
            /// With a doc comment.
            Apple = "apple",
            BloodOrange = "blood_orange",
        }
    }

    #[test]
    fn every_value_round_trips_through_its_code() {
        for fruit in Fruit::ALL {
            assert_eq!(Fruit::from_code(fruit.code()), Some(fruit));
        }
        assert_eq!(Fruit::BloodOrange.code(), "blood_orange");
    }

    #[test]
    fn an_unknown_code_is_an_error_naming_the_kind() {
        assert_eq!(Fruit::from_code("pear"), None);
        let error = parse_code::<Fruit>("pear").unwrap_err();
        assert_eq!(error.to_string(), "unknown Fruit code: \"pear\"");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn stored_as_its_code() {
        use sea_orm::sea_query::ValueType;
        let value: sea_orm::Value = Fruit::BloodOrange.into();
        assert_eq!(value, sea_orm::Value::from("blood_orange"));
        assert_eq!(
            <Fruit as ValueType>::try_from(value).unwrap(),
            Fruit::BloodOrange
        );
        assert!(<Fruit as ValueType>::try_from(sea_orm::Value::from("pear")).is_err());
    }
}
