//! The built front end (`<site root>/pkg`: the WASM bundle, its JavaScript, the CSS),
//! served compressed and revalidated cheaply.
//!
//! At startup every file gets a brotli (`.br`) and a gzip (`.gz`) copy next to it,
//! unless one made from this version of the file is there already (a copy carries
//! its original's modification time, so all encodings share one `Last-Modified`); `ServeDir` then answers by
//! `Accept-Encoding` without compressing anything per request. Responses carry
//! `Last-Modified` and `Cache-Control: no-cache`: the browser keeps the file and asks
//! each time whether it changed, which costs a `304 Not Modified` and no bytes. (The
//! names are not content-hashed, so a longer lifetime would keep stale code after an
//! update.) Where the folder cannot be written, files are compressed per response by
//! the general compression layer instead.

use marktchat_app::pages::chunks::SplitManifest;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What gets compressed copies.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "svg", "json", "txt", "html"];

/// Writes missing or outdated `.br` and `.gz` copies of the files in `pkg`. Returns
/// how many were written; failures are logged, never fatal.
pub fn precompress(pkg: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(pkg) else { return 0 };
    let mut written = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible =
            path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !path.is_file() || !compressible {
            continue;
        }
        for (suffix, compress) in [("br", brotli as fn(&[u8]) -> _), ("gz", gzip)] {
            let target = with_suffix(&path, suffix);
            if same_time(&target, &path) {
                continue;
            }
            let result = std::fs::read(&path).and_then(|bytes| compress(&bytes)).and_then(|c| {
                let tmp = with_suffix(&target, "tmp");
                let mut file = std::fs::File::create(&tmp)?;
                file.write_all(&c)?;
                // The copy carries the original's time: `ServeDir` sends the served
                // file's `Last-Modified`, and a browser revalidating with a date it got
                // from the plain file (or the other encoding) must get its 304.
                file.set_modified(std::fs::metadata(&path)?.modified()?)?;
                drop(file);
                std::fs::rename(&tmp, &target)
            });
            match result {
                Ok(()) => written += 1,
                Err(e) => {
                    tracing::warn!(file = %target.display(), error = %e, "cannot write a compressed copy");
                    return written;
                }
            }
        }
    }
    written
}

/// The build's split manifest (which chunks each lazy island needs). Without one (a
/// build without split, or none yet), pages get no preload links and still work: the
/// browser then fetches the front end when the page's islands hydrate.
pub fn split_manifest(pkg: &Path, pkg_url: &str) -> SplitManifest {
    let path = pkg.join(SplitManifest::FILE);
    match std::fs::read_to_string(&path) {
        Ok(json) => SplitManifest::parse(&json, pkg_url).unwrap_or_else(|e| {
            tracing::warn!(file = %path.display(), error = %e, "the split manifest is unreadable; no chunk preloads");
            SplitManifest::default()
        }),
        Err(e) => {
            tracing::debug!(file = %path.display(), error = %e, "no split manifest; no chunk preloads");
            SplitManifest::default()
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether the copy `a` exists and carries the time of `b`: a copy is up to date
/// when it was made from this version of its original.
fn same_time(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a == b)
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_made_once_and_decompress_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let js = "export function hydrate() { return 42; }\n".repeat(200);
        std::fs::write(dir.path().join("app.js"), &js).unwrap();
        std::fs::write(dir.path().join("photo.jpg"), b"not compressible").unwrap();
        assert_eq!(precompress(dir.path()), 2);
        assert_eq!(precompress(dir.path()), 0, "up to date");
        assert!(!dir.path().join("photo.jpg.gz").exists());
        let gz = std::fs::read(dir.path().join("app.js.gz")).unwrap();
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .unwrap();
        assert_eq!(back, js);
        let br = std::fs::read(dir.path().join("app.js.br")).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, js.as_bytes());
        assert!(br.len() < js.len() / 10);
        let modified = |name: &str| dir.path().join(name).metadata().unwrap().modified().unwrap();
        assert_eq!(modified("app.js.br"), modified("app.js"));
        assert_eq!(modified("app.js.gz"), modified("app.js"));

        // A new build of the file gets new copies.
        std::fs::write(dir.path().join("app.js"), "export const x = 1;\n".repeat(100)).unwrap();
        let later = modified("app.js") + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("app.js"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(precompress(dir.path()), 2);
        assert_eq!(modified("app.js.br"), later);
    }
}
