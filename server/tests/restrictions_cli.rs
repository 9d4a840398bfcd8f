//! `marktchat restrictions enable|disable`, run as the real binary (both databases).

use marktchat_services::contact_rules::ContactRules;
use marktchat_services::db::Backend;
use marktchat_services::testing::TestDatabase;
use marktchat_services::Database;
use marktchat_test_macros::db_test;
use std::process::Command;

fn restrictions(db: &TestDatabase, state: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marktchat"))
        .args(["restrictions", state, "--database-url", &db.url])
        .env_remove("MARKTCHAT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("the marktchat binary runs")
}

#[db_test]
async fn the_switch_goes_on_and_off(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let on = restrictions(&test_db, "enable");
    assert!(on.status.success(), "{}", String::from_utf8_lossy(&on.stderr));
    assert!(String::from_utf8_lossy(&on.stderr).contains("restrictions are on"));
    let db = Database::connect(&test_db.url).await.unwrap();
    assert!(ContactRules::new(&db).restrictions_enabled().await.unwrap());
    let off = restrictions(&test_db, "disable");
    assert!(off.status.success());
    assert!(!ContactRules::new(&db).restrictions_enabled().await.unwrap());
    let bad = restrictions(&test_db, "maybe");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("enable"), "says what is possible");
}
