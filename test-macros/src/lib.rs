//! `#[db_test]` turns one async test taking a backend into two tests, one per database:
//!
//! ```ignore
//! #[db_test]
//! async fn search_folds_accents(backend: Backend) { … }
//! ```
//!
//! becomes `search_folds_accents::sqlite` and `search_folds_accents::postgres`, each a
//! `#[tokio::test]` calling the function with `Backend::Sqlite` or `Backend::Postgres`
//! (the parameter's type must have those variants and be in scope). Arguments go to
//! `tokio::test`, e.g. `#[db_test(flavor = "multi_thread", worker_threads = 2)]`.
//! `cargo test -- --skip ::postgres` runs the SQLite half only, and vice versa.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, FnArg, ItemFn};

#[proc_macro_attribute]
pub fn db_test(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = proc_macro2::TokenStream::from(args);
    let function = parse_macro_input!(item as ItemFn);
    let name = &function.sig.ident;
    if function.sig.asyncness.is_none() {
        return syn::Error::new_spanned(&function.sig, "#[db_test] needs an async fn")
            .to_compile_error()
            .into();
    }
    let backend_type = match function.sig.inputs.iter().collect::<Vec<_>>().as_slice() {
        [FnArg::Typed(arg)] => arg.ty.clone(),
        _ => {
            return syn::Error::new_spanned(
                &function.sig.inputs,
                "#[db_test] functions take exactly one argument: the backend",
            )
            .to_compile_error()
            .into()
        }
    };
    let tokio_args = if args.is_empty() { quote!() } else { quote!((#args)) };
    // A function and a module may share a name (different namespaces): the test body
    // stays where it was written, and its two runs are `name::sqlite` / `name::postgres`.
    quote! {
        #function

        #[cfg(test)]
        mod #name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test #tokio_args]
            async fn sqlite() {
                super::#name(<#backend_type>::Sqlite).await
            }

            #[::tokio::test #tokio_args]
            async fn postgres() {
                super::#name(<#backend_type>::Postgres).await
            }
        }
    }
    .into()
}
