//! Small helpers for the validated string types of this crate.

/// `as_str`, `into_inner`, `Display` and `AsRef<str>` for a `struct Name(String)`
/// whose only way in is its `parse`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
    // Also (de)serialised as a plain string, checked by `parse` on the way in (for use
    // with `#[serde(try_from = "String", into = "String")]`).
    ($name:ident, serde) => {
        string_newtype!($name);

        impl TryFrom<String> for $name {
            type Error = $crate::Invalid;
            fn try_from(s: String) -> Result<Self, $crate::Invalid> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}
