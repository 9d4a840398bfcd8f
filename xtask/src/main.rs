//! `cargo xtask build [--release]`: builds what `marktchat serve` serves, in stages, each
//! printed with its time:
//!
//! 1. the front end: `marktchat-app` for wasm32 with `hydrate` (profile `wasm-release`,
//!    or `dev`), in `target/front` so it never invalidates the server's build; linked
//!    with `--emit-relocs` ([`FRONT_RUSTFLAGS`]); this build and the server's (6.)
//!    both with `--cfg erase_components` ([`RUSTFLAGS`]);
//! 2. wasm-split, as a library (`wasm_split_cli_support`, what `cargo leptos --split`
//!    uses): the app's lazy islands (`#[island(lazy)]`) and the socket's client
//!    (`app/src/live.rs`) become chunks in `target/site/pkg`, with their loader and
//!    `split-manifest.json`, which the server reads to preload a page's chunks
//!    (`app/src/pages/chunks.rs`);
//! 3. wasm-bindgen, as a library (`wasm-bindgen-cli-support`, the version Cargo.lock
//!    pins beside the `wasm-bindgen` crate): `target/site/pkg/marktchat.js` and
//!    `marktchat.wasm`;
//! 4. `wasm-opt -Oz` on the main module and every chunk, as many at a time as there are
//!    cores (release only; binaryen ≥ 116 on PATH, which the scripts install from npm:
//!    Debian's 108 breaks hydration);
//!    then esbuild minifies the JS glue and the chunk loader (release only; from npm
//!    too);
//! 5. `style/main.css` to `pkg/marktchat.css`, and `public/` into the site root;
//! 6. the server binary (`target/{release,debug}/marktchat`), with the environment Leptos
//!    reads at compile time (`LEPTOS_OUTPUT_NAME` decides the file names the pages load).
//!
//! It replaces cargo-leptos for building, so a fresh machine needs neither cargo-leptos
//! nor wasm-bindgen-cli. cargo-leptos still works for `cargo leptos watch --split` (the
//! workspace's `[workspace.metadata.leptos]` says the same names and paths; without
//! `--split` the lazy islands' imports stay unresolved and they do not hydrate).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The names and places the server expects (`server/src/startup.rs`), and that
/// `[workspace.metadata.leptos]` gives cargo-leptos.
const OUTPUT_NAME: &str = "marktchat";
const SITE_ROOT: &str = "target/site";
const PKG_DIR: &str = "pkg";
const FRONT_TARGET_DIR: &str = "target/front";
const APP_PACKAGE: &str = "marktchat-app";
const SERVER_PACKAGE: &str = "marktchat-server";
const SERVER_BIN: &str = "marktchat";

const USAGE: &str = "usage: cargo xtask build [--release] [--front-only | --server-only]

Builds the front end (WASM + JS + CSS into target/site) and the server
(target/release/marktchat with --release, else target/debug/marktchat).";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Options {
    release: bool,
    front: bool,
    server: bool,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("\x1b[1;31merror:\x1b[0m {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = parse(&args)?;
    // Everything is relative to the workspace root, wherever cargo was started. Found
    // from the working directory, not from where this binary was compiled: clones share
    // one build cache (scripts/lib.sh), so this binary may have been built in another.
    let here = std::env::current_dir().context("the working directory")?;
    let root = workspace_root(&here)?;
    std::env::set_current_dir(&root).context("changing to the workspace root")?;
    let started = Instant::now();
    if options.front {
        build_front(options.release)?;
    }
    if options.server {
        stage("server binary", || build_server(options.release))?;
    }
    println!("\x1b[1;32mbuilt\x1b[0m in {}", seconds(started));
    Ok(())
}

/// The nearest directory at or above `dir` whose Cargo.toml is marktchat's workspace.
fn workspace_root(dir: &Path) -> Result<PathBuf> {
    for candidate in dir.ancestors() {
        let manifest = candidate.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if text.contains("[workspace]") && text.contains("[[workspace.metadata.leptos]]") {
                return Ok(candidate.to_path_buf());
            }
        }
    }
    bail!(
        "{} is not inside marktchat's workspace (no Cargo.toml with [workspace] above it)",
        dir.display()
    )
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options { release: false, front: true, server: true };
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("build") => {}
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            std::process::exit(0);
        }
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
        None => bail!("no command\n\n{USAGE}"),
    }
    for arg in rest {
        match arg.as_str() {
            "--release" => options.release = true,
            "--front-only" => options.server = false,
            "--server-only" => options.front = false,
            other => bail!("unknown option {other:?}\n\n{USAGE}"),
        }
    }
    if !options.front && !options.server {
        bail!("--front-only and --server-only exclude each other");
    }
    Ok(options)
}

/// Runs one stage, printing its name first and its time after.
fn stage<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\x1b[1;36m  ▸ {name}\x1b[0m");
    let started = Instant::now();
    let value = f().with_context(|| format!("stage \"{name}\" failed"))?;
    println!("    done in {}", seconds(started));
    Ok(value)
}

fn seconds(since: Instant) -> String {
    format!("{:.1} s", since.elapsed().as_secs_f64())
}

/// What Leptos reads at compile time, as cargo-leptos sets it (for release builds).
fn leptos_env(release: bool) -> Vec<(&'static str, String)> {
    vec![
        ("LEPTOS_OUTPUT_NAME", OUTPUT_NAME.into()),
        ("LEPTOS_SITE_ROOT", SITE_ROOT.into()),
        ("LEPTOS_SITE_PKG_DIR", PKG_DIR.into()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:3000".into()),
        ("LEPTOS_RELOAD_PORT", "3001".into()),
        ("LEPTOS_LIB_DIR", "app".into()),
        ("LEPTOS_BIN_DIR", "server".into()),
        ("LEPTOS_JS_MINIFY", release.to_string()),
        ("LEPTOS_HASH_FILES", "false".into()),
    ]
}

fn cargo(args: &[&str], release: bool, rustflags: Option<&str>) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(&cargo);
    command.args(args).envs(leptos_env(release));
    // Added to whatever the developer set; with `--target` they reach only the target's
    // crates, not build scripts or proc macros.
    let flags = [std::env::var("RUSTFLAGS").unwrap_or_default().as_str(), RUSTFLAGS]
        .into_iter()
        .chain(rustflags)
        .filter(|f| !f.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    println!("    RUSTFLAGS=\"{flags}\"");
    command.env("RUSTFLAGS", &flags);
    println!("    {cargo} {}", args.join(" "));
    let status = command.status().with_context(|| format!("running {cargo}"))?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.first().unwrap_or(&""));
    }
    Ok(())
}

/// Flags for both builds: views with erased types, as in `.cargo/config.toml` (passed
/// here too because a RUSTFLAGS the developer set replaces the config's). The server
/// and the front end must agree on it, or hydration fails.
const RUSTFLAGS: &str = "--cfg erase_components";
/// Flags for the wasm32 build besides [`RUSTFLAGS`]: `--emit-relocs` keeps the
/// relocations wasm-split needs to cut the module apart.
const FRONT_RUSTFLAGS: &str = "-Clink-args=--emit-relocs";

/// The name of wasm-split's loader module, as Leptos's `HydrationScripts` expects it
/// when file hashing is off.
const SPLIT_LOADER: &str = "__wasm_split.______________________.js";
/// Which chunks each lazy function needs, and their loader: read by the server to
/// preload them (`SplitManifest` in `app/src/pages/chunks.rs`, which explains why it is
/// not Leptos's `__wasm_split_manifest.json`).
const SPLIT_MANIFEST: &str = "split-manifest.json";

fn build_front(release: bool) -> Result<()> {
    let profile = if release { "wasm-release" } else { "dev" };
    stage(&format!("front end: {APP_PACKAGE} for wasm32 (hydrate, profile {profile})"), || {
        cargo(
            &[
                "build",
                "--package",
                APP_PACKAGE,
                "--lib",
                "--target-dir",
                FRONT_TARGET_DIR,
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                "hydrate",
                "--profile",
                profile,
            ],
            release,
            Some(FRONT_RUSTFLAGS),
        )
    })?;
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let out = Path::new(FRONT_TARGET_DIR).join("wasm32-unknown-unknown").join(profile_dir);
    let stem = APP_PACKAGE.replace('-', "_");
    let input = out.join(format!("{stem}.wasm"));
    let pkg = Path::new(SITE_ROOT).join(PKG_DIR);
    // Chunks of an earlier build must not linger beside the new ones.
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).with_context(|| format!("clearing {}", pkg.display()))?;
    }
    std::fs::create_dir_all(&pkg).with_context(|| format!("creating {}", pkg.display()))?;
    let main = out.join(format!("{stem}_split.wasm"));
    let chunks = stage("wasm-split (lazy islands into chunks)", || split(&input, &main, &pkg))?;
    let wasm = stage("wasm-bindgen (library)", || bindgen(&main, &pkg))?;
    if release {
        stage("wasm-opt -Oz", || {
            check_wasm_opt()?;
            let files: Vec<&Path> = std::iter::once(wasm.as_path())
                .chain(chunks.iter().map(PathBuf::as_path))
                .collect();
            in_parallel(&files, wasm_opt)
        })?;
        stage("esbuild --minify (the JS glue and the chunk loader)", || {
            let scripts = [pkg.join(format!("{OUTPUT_NAME}.js")), pkg.join(SPLIT_LOADER)];
            let files: Vec<&Path> =
                scripts.iter().map(PathBuf::as_path).filter(|f| f.exists()).collect();
            in_parallel(&files, minify_js)
        })?;
    }
    stage("style and public files", || {
        copy_file(Path::new("style/main.css"), &pkg.join(format!("{OUTPUT_NAME}.css")))?;
        copy_dir(Path::new("public"), Path::new(SITE_ROOT))
    })?;
    for file in ["js", "wasm", "css"] {
        let path = pkg.join(format!("{OUTPUT_NAME}.{file}"));
        let size = std::fs::metadata(&path).with_context(|| format!("{}", path.display()))?.len();
        println!("    {}: {} bytes", path.display(), group(size));
    }
    let chunk_bytes: u64 =
        chunks.iter().filter_map(|c| std::fs::metadata(c).ok()).map(|m| m.len()).sum();
    println!("    {} lazy chunks: {} bytes", chunks.len(), group(chunk_bytes));
    Ok(())
}

/// Cuts the module at the app's `#[lazy]` functions (lazy islands, the socket's client): the main module
/// goes to `main_out` for wasm-bindgen, the chunks, their loader and the manifest into
/// `pkg`. Returns the chunks' paths.
fn split(input: &Path, main_out: &Path, pkg: &Path) -> Result<Vec<PathBuf>> {
    let wasm = std::fs::read(input).with_context(|| {
        format!("{} is missing: the wasm32 build wrote nothing there", input.display())
    })?;
    let main_module = format!("./{OUTPUT_NAME}.js");
    let link_name = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = pkg;
    options.main_out_path = main_out;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow::anyhow!("wasm-split: {e:#}"))?;
    let manifest = serde_json::to_string_pretty(&serde_json::json!({
        "loader": SPLIT_LOADER,
        "chunks": split.prefetch_map,
    }))?;
    std::fs::write(pkg.join(SPLIT_MANIFEST), manifest).context("writing the split manifest")?;
    Ok(split.split_modules)
}

/// `wasm-bindgen --target web --out-name marktchat`, then `marktchat_bg.wasm` becomes
/// `marktchat.wasm` (the name the pages' script loads, `LEPTOS_OUTPUT_NAME`). Returns its path.
/// The split module keeps the linker's exports (the chunks call into them) and its
/// mangled names (the chunks import them by those names).
fn bindgen(input: &Path, out_dir: &Path) -> Result<PathBuf> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(input)
        .out_name(OUTPUT_NAME)
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .web(true)
        .context("choosing the web target")?
        .generate(out_dir)
        .context("wasm-bindgen")?;
    let generated = out_dir.join(format!("{OUTPUT_NAME}_bg.wasm"));
    let wasm = out_dir.join(format!("{OUTPUT_NAME}.wasm"));
    std::fs::rename(&generated, &wasm)
        .with_context(|| format!("renaming {} to {}", generated.display(), wasm.display()))?;
    Ok(wasm)
}

/// Fails early, with the fix, when `wasm-opt` is missing or too old.
fn check_wasm_opt() -> Result<()> {
    let version = Command::new("wasm-opt").arg("--version").output().context(
        "wasm-opt not found: ./scripts/run.sh and ./scripts/test.sh put binaryen from npm \
         (tools/node_modules/.bin) on PATH; or install binaryen ≥ 116 yourself",
    )?;
    let text = String::from_utf8_lossy(&version.stdout);
    let major: u32 = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if major < 116 {
        bail!("wasm-opt {major} is older than 116 (it breaks hydration): {}", text.trim());
    }
    Ok(())
}

/// The smallest binaryen ≥ 116 can make it (the flags cargo-leptos used).
fn wasm_opt(wasm: &Path) -> Result<()> {
    let output = Command::new("wasm-opt")
        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .output()
        .context("running wasm-opt")?;
    if !output.status.success() {
        bail!(
            "wasm-opt failed on {} ({}): {}",
            wasm.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Minifies an ES module in place: whitespace, syntax and local names (its imports and
/// exports keep their names, which the other modules and Leptos's loader use).
fn minify_js(file: &Path) -> Result<()> {
    let output = Command::new("esbuild")
        .arg(file)
        .args(["--minify", "--format=esm", "--allow-overwrite", "--log-level=warning"])
        .arg(format!("--outfile={}", file.display()))
        .output()
        .context(
            "esbuild not found: ./scripts/run.sh and ./scripts/test.sh put it from npm \
             (tools/node_modules/.bin) on PATH; or `npm ci --prefix tools` and add that",
        )?;
    if !output.status.success() {
        bail!(
            "esbuild failed on {} ({}): {}",
            file.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Runs `job` on every file, as many at a time as there are cores; the first error wins.
fn in_parallel(files: &[&Path], job: fn(&Path) -> Result<()>) -> Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(files.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { return Ok(()) };
                        job(file)?;
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().map_err(|_| anyhow::anyhow!("a worker panicked"))?)
    })
}

fn build_server(release: bool) -> Result<()> {
    let mut args =
        vec!["build", "--package", SERVER_PACKAGE, "--bin", SERVER_BIN, "--no-default-features"];
    if release {
        args.push("--release");
    }
    cargo(&args, release, None)
}

fn copy_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy_file(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_are_read_and_nonsense_refused() {
        let all = Options { release: false, front: true, server: true };
        assert_eq!(parse(&args(&["build"])).unwrap(), all);
        assert_eq!(
            parse(&args(&["build", "--release"])).unwrap(),
            Options { release: true, ..all }
        );
        assert_eq!(
            parse(&args(&["build", "--front-only"])).unwrap(),
            Options { server: false, ..all }
        );
        assert!(parse(&args(&["build", "--fast"])).is_err());
        assert!(parse(&args(&["make"])).is_err());
        assert!(parse(&args(&[])).is_err());
        assert!(parse(&args(&["build", "--front-only", "--server-only"])).is_err());
    }

    #[test]
    fn every_file_is_optimised_once_and_a_failure_is_reported() {
        static SEEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
        fn record(file: &Path) -> Result<()> {
            SEEN.lock().unwrap().push(file.to_owned());
            if file.ends_with("broken.wasm") {
                bail!("cannot read {}", file.display());
            }
            Ok(())
        }
        let names: Vec<PathBuf> =
            (0..25).map(|i| PathBuf::from(format!("chunk_{i}.wasm"))).collect();
        let files: Vec<&Path> = names.iter().map(PathBuf::as_path).collect();
        in_parallel(&files, record).unwrap();
        let mut seen = std::mem::take(&mut *SEEN.lock().unwrap());
        seen.sort();
        let mut expected = names.clone();
        expected.sort();
        assert_eq!(seen, expected);

        let with_broken = [Path::new("a.wasm"), Path::new("broken.wasm"), Path::new("b.wasm")];
        let error = in_parallel(&with_broken, record).unwrap_err();
        assert!(error.to_string().contains("broken.wasm"), "{error}");
    }

    #[test]
    fn the_workspace_is_found_from_any_folder_inside_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(workspace_root(root).unwrap(), root);
        assert_eq!(workspace_root(&root.join("app/src")).unwrap(), root);
        assert!(workspace_root(Path::new("/")).is_err());
    }

    #[test]
    fn sizes_are_grouped_by_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(3_089_137), "3,089,137");
    }

    #[test]
    fn cargo_leptos_is_given_the_same_names_and_places() {
        // `cargo leptos watch` reads [workspace.metadata.leptos]; both must build the
        // same site, or one of them serves pages that load missing files.
        let manifest =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
        let metadata = manifest.split("[[workspace.metadata.leptos]]").nth(1).expect("metadata");
        let value = |key: &str| {
            metadata
                .lines()
                .find_map(|l| l.strip_prefix(key)?.trim().strip_prefix('=').map(str::trim))
                .map(|v| v.trim_matches('"').to_owned())
        };
        assert_eq!(value("output-name").as_deref(), Some(OUTPUT_NAME));
        assert_eq!(value("site-root").as_deref(), Some(SITE_ROOT));
        assert_eq!(value("site-pkg-dir").as_deref(), Some(PKG_DIR));
        assert_eq!(value("lib-package").as_deref(), Some(APP_PACKAGE));
        assert_eq!(value("bin-package").as_deref(), Some(SERVER_PACKAGE));
        assert_eq!(value("bin-target").as_deref(), Some(SERVER_BIN));
        assert_eq!(value("lib-profile-release").as_deref(), Some("wasm-release"));
        assert_eq!(value("style-file").as_deref(), Some("style/main.css"));
        assert_eq!(value("assets-dir").as_deref(), Some("public"));
    }
}
