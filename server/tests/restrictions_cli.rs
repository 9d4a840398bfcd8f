//! `marktchat restrictions enable|disable` and `marktchat api-client create|revoke`, run
//! as the real binary (both databases).

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

fn marktchat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marktchat"))
        .args(args)
        .env_remove("MARKTCHAT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("the marktchat binary runs")
}

#[db_test]
async fn api_clients_are_created_with_a_token_and_revoked(backend: Backend) {
    use marktchat_services::api_clients::{ApiClients, Scope};
    let test_db = TestDatabase::create(backend).await;
    let url = test_db.url.as_str();
    let out = marktchat(&[
        "api-client",
        "create",
        "--name",
        "HR",
        "--scopes",
        "TAG_RULE_READ,USER_WRITE",
        "--database-url",
        url,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().expect("the token is the last line").trim().to_owned();
    let db = Database::connect(url).await.unwrap();
    let client = ApiClients::new(&db).authenticate(&token).await.unwrap().expect("the token works");
    assert_eq!(client.scopes, [Scope::TagRuleRead, Scope::UserWrite]);
    let bad = marktchat(&[
        "api-client",
        "create",
        "--name",
        "X",
        "--scopes",
        "ADMIN",
        "--database-url",
        url,
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown scope \"ADMIN\""));
    let out = marktchat(&["api-client", "revoke", "--name", "HR", "--database-url", url]);
    assert!(out.status.success());
    assert_eq!(ApiClients::new(&db).authenticate(&token).await.unwrap(), None);
    let again = marktchat(&["api-client", "revoke", "--name", "HR", "--database-url", url]);
    assert!(!again.status.success(), "nothing left to revoke");
}
