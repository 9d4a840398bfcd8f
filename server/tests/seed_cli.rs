//! `marktchat seed`, run as the real binary: counts, stored pictures, determinism, and
//! clear refusals of bad arguments. The database is read back through the services.

use marktchat_services::db::Backend;
use marktchat_services::images::{ImageStore, Variant};
use marktchat_services::listings::Listings;
use marktchat_services::testing::TestDatabase;
use marktchat_services::{Database, Services, Settings};
use marktchat_shared::{CurrentUser, Language, Role, UserId};
use marktchat_test_macros::db_test;
use std::process::{Command, Output};

/// Runs `marktchat` with `args`, untouched by the caller's environment.
fn marktchat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marktchat"))
        .args(args)
        .env_remove("MARKTCHAT_DATABASE_URL")
        .env_remove("MARKTCHAT_DATA_DIR")
        .env_remove("RUST_LOG")
        .output()
        .expect("the marktchat binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `marktchat seed --database-url <db> --data-dir <db's dir>/data <extra…>`.
fn seed_into(db: &TestDatabase, extra: &[&str]) -> Output {
    let url = db.url.clone();
    let data = db.dir.path().join("data").display().to_string();
    let mut args = vec!["seed", "--database-url", url.as_str(), "--data-dir", data.as_str()];
    args.extend_from_slice(extra);
    marktchat(&args)
}

/// What a seeded database holds: the number of users, and every listing's id, title
/// and cover image hash, sorted by id.
async fn contents(test_db: &TestDatabase) -> (u64, Vec<(String, String, Option<String>)>) {
    let db = Database::connect(&test_db.url).await.expect("seeded database opens");
    let services = Services::new(db.clone(), Settings::default());
    let accounts = services.accounts();
    let first = accounts.directory("", 1).await.expect("directory");
    let mut listings = Vec::new();
    for page in 1..=first.page_count().max(1) {
        for user in accounts.directory("", page).await.expect("directory page").users {
            let seller = Listings::new(&db);
            let mine = |page| seller.by_seller(&user.id, false, page);
            let first_page = mine(1).await.expect("listings");
            for page in 1..=first_page.page_count() {
                for l in mine(page).await.expect("listings").listings {
                    listings.push((l.id.clone(), l.title.clone(), l.cover.map(|c| c.hash)));
                }
            }
        }
    }
    listings.sort();
    (first.total, listings)
}

const SEEDED: &[&str] = &["--users", "5", "--listings", "300", "--images", "--seed", "7"];

#[db_test]
async fn seeds_fresh_databases_the_same_way_every_time(backend: Backend) {
    let a = TestDatabase::create(backend).await;
    let out = seed_into(&a, SEEDED);
    assert!(out.status.success(), "seed failed: {}", stderr(&out));
    assert!(
        stderr(&out).contains("Seeded 5 users, 300 listings and 16 images"),
        "summary: {}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("demo1@example.org … demo5@example.org with the password: demo-"),
        "login hint: {}",
        stdout(&out)
    );

    let (users, listings) = contents(&a).await;
    assert_eq!(users, 5);
    assert_eq!(listings.len(), 300);

    // Every picture a listing shows is stored, in both sizes.
    let store = ImageStore::in_data_dir(&a.dir.path().join("data"));
    let covers: Vec<&String> = listings.iter().filter_map(|(_, _, c)| c.as_ref()).collect();
    assert!(covers.len() > 200, "most listings have a picture: {}", covers.len());
    for hash in &covers {
        assert!(store.contains(hash, Variant::Display).await.unwrap(), "{hash}");
        assert!(store.contains(hash, Variant::Thumb).await.unwrap(), "{hash}");
    }
    let db = Database::connect(&a.url).await.expect("database opens");
    let admin = CurrentUser {
        id: UserId("test-admin".into()),
        display_name: "Admin".into(),
        role: Role::Admin,
        language: Language::De,
        time_zone: None,
    };
    for (id, title, _) in listings.iter().take(30) {
        let listing = Listings::new(&db).get(id, Some(&admin)).await.expect("listing reads");
        assert_eq!(&listing.title, title);
        assert!(listing.images.len() <= 3);
        for image in &listing.images {
            assert!(store.contains(&image.hash, Variant::Display).await.unwrap());
        }
    }

    // Another fresh database, the same seed: the same listings, the same pictures.
    let b = TestDatabase::create(backend).await;
    let again = seed_into(&b, SEEDED);
    assert!(again.status.success(), "second seed failed: {}", stderr(&again));
    assert_eq!(contents(&b).await, (5, listings.clone()));

    // The same seed twice into one database is refused, and nothing changes.
    let twice = seed_into(&a, SEEDED);
    assert_eq!(twice.status.code(), Some(1));
    assert!(
        stderr(&twice).contains("already holds the demo data of --seed 7"),
        "{}",
        stderr(&twice)
    );
    db.pool().close().await;
    assert_eq!(contents(&a).await.1.len(), 300);
}

#[db_test]
async fn bad_arguments_are_refused_clearly(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let cases: &[(&[&str], i32, &str)] = &[
        (&["--users", "many"], 2, "invalid value 'many' for '--users <N>'"),
        (&["--users", "-1"], 2, "invalid value '-1' for '--users <N>'"),
        (&["--listings", "-5"], 2, "invalid value '-5' for '--listings <M>'"),
        (&["--users", "2000000"], 2, "2000000 is not in 0..=1000000"),
        (&["--listings", "99999999"], 2, "--listings"),
        (&["--seed", "x"], 2, "--seed"),
        (&["--users", "0", "--listings", "0"], 1, "nothing to do"),
        (&["--users", "0", "--listings", "10"], 1, "no users to own the listings"),
        (&["--users", "1", "--password", "short"], 1, "--password: must have at least 10"),
    ];
    for (args, code, message) in cases {
        let out = seed_into(&db, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: expected {message:?} in {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
