//! Page data (Leptos resources). Since the site hydrates only islands (which get their
//! data as props), resources load on the server and do not travel with the page; the
//! codec below dates from full hydration and is kept for any resource an island makes.
//!
//! Leptos's default resource codec decodes JSON from `&str`, while server functions
//! decode their answers from bytes, and serde_json builds every type's deserializer
//! once per kind of input: the WASM carried two of each page type's and two of
//! `AppError`'s. [`Json`] decodes resources from bytes too, which took 51 KB off the
//! main module and 93 KB off the chunks (after wasm-opt). Use [`load`], not
//! `Resource::new`.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

/// JSON, read from bytes as server functions read their answers.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's data: a resource encoded with [`Json`].
pub type Data<T> = Resource<T, Json>;

/// `Resource::new` with [`Json`]: `fetcher` runs on the server when the page is
/// rendered (and in the browser when `source` changes); its value hydrates.
#[track_caller]
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use marktchat_shared::{Field, Invalid};

    #[test]
    fn what_the_server_encodes_the_browser_decodes() {
        let value: Result<Vec<String>, AppError> =
            Err(AppError::invalid(Field::Title, Invalid::TooShort { min: 3 }));
        let encoded = <Json as Encoder<_>>::encode(&value).unwrap();
        let decoded: Result<Vec<String>, AppError> = Json::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
        let ok: Result<u64, AppError> = Json::decode("{\"Ok\":7}").unwrap();
        assert_eq!(ok, Ok(7));
        assert!(<Json as Decoder<Result<u64, AppError>>>::decode("{\"Ok\":").is_err());
    }
}
