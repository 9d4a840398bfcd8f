//! The Sync API over HTTP with real tokens (`../shared/spec/sync-api.md`). Every
//! response of these tests is checked against `/sync/openapi.json`
//! ([`common::sync_api::Api`]), and the description itself against what generic tools
//! need (`scripts/test.sh --only openapi` runs those tools on it).

mod common;

use common::chat::Person;
use common::sync_api::Api;
use common::{db_test, spawn_app, spawn_app_with, Backend};
use marktchat_services::api_clients::{ApiClients, Scope};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn all_scopes() -> &'static [Scope] {
    &Scope::ALL
}

/// What generic tools need of `/sync/openapi.json` (issue 26): every operation has a
/// unique id, a summary and a description; every response a description and a concrete
/// status; the errors any request can get are listed; every JSON body has an example
/// that fits its schema; the installation's public URL is its server.
#[tokio::test]
async fn the_description_documents_every_operation() {
    let public = "https://markt.example.org";
    let app = spawn_app_with(Backend::Sqlite, |c| c.public_url = Some(public.into())).await;
    let doc: Value =
        reqwest::get(app.url("/sync/openapi.json")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["servers"], json!([{"url": public, "description": "This installation."}]));
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            for key in ["operationId", "summary", "description"] {
                assert!(op[key].as_str().is_some_and(|s| !s.is_empty()), "{at} has no {key}");
            }
            assert!(ids.insert(op["operationId"].clone()), "{at}: its operationId is taken");
            let responses = op["responses"].as_object().unwrap();
            let mut always = vec!["401", "403", "429", "503"];
            if let Some(body) = op.get("requestBody") {
                always.extend(["413", "415"]);
                assert_example(&doc, &format!("{at} request"), &body["content"]);
            }
            for status in always {
                assert!(responses.contains_key(status), "{at} does not list {status}");
            }
            assert!(responses.keys().any(|s| s.starts_with('2')), "{at}: no success");
            for (status, response) in responses {
                let at = format!("{at} {status}");
                assert!(status.parse::<u16>().is_ok(), "{at}: not a concrete status");
                assert!(
                    response["description"].as_str().is_some_and(|s| !s.is_empty()),
                    "{at} has no description"
                );
                if status != "204" {
                    assert_example(&doc, &at, &response["content"]);
                }
            }
        }
    }
    assert_eq!(ids.len(), 12, "every operation of sync-api.md");
}

/// `content` is JSON with an example that its schema accepts.
fn assert_example(doc: &Value, at: &str, content: &Value) {
    let media = &content["application/json"];
    let example = media.get("example").unwrap_or_else(|| panic!("{at}: no JSON example"));
    let mut schema = media["schema"].clone();
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(example).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{at}: the example does not fit: {example}\n{errors:#?}");
}

#[db_test]
async fn rules_are_created_read_replaced_and_deleted_in_the_fixed_shapes(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let condition = "any(hasTag(Berlin), hasTag(Munich))";
    let description = "Users from Berlin and Munich can interact with the users from Stuttgart.";
    let (status, created) = api
        .post(
            "/sync/interaction-rules",
            json!({"condition": condition, "description": description, "outcome": ["Stuttgart"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = created["rule_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "rule_id is a UUID: {id}");
    assert_eq!(
        created,
        json!({"condition": condition, "description": description, "outcome": ["Stuttgart"],
               "rule_id": id})
    );
    // Without a description, none is shown; the condition comes back as sent.
    let (_, second) = api
        .post(
            "/sync/interaction-rules",
            json!({"condition": " hasTag( Munich )", "outcome": ["Munich"]}),
        )
        .await;
    assert!(second.get("description").is_none(), "{second}");
    assert_eq!(second["condition"], " hasTag( Munich )");
    let second_id = second["rule_id"].as_str().unwrap().to_owned();

    let (status, listed) = api.get("/sync/interaction-rules").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed, json!({"rules": [created, second]}), "in creation order");

    // PUT replaces everything: the description is gone when left out.
    let (status, replaced) = api
        .put(
            &format!("/sync/interaction-rules/{id}"),
            json!({"condition": "hasTag(Berlin)", "outcome": ["Stuttgart", "Munich"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        replaced,
        json!({"condition": "hasTag(Berlin)", "outcome": ["Stuttgart", "Munich"], "rule_id": id})
    );
    let (_, listed) = api.get("/sync/interaction-rules").await;
    assert_eq!(listed["rules"][0], replaced, "the replaced rule keeps its place");

    let (status, body) = api.delete(&format!("/sync/interaction-rules/{second_id}")).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api.delete(&format!("/sync/interaction-rules/{second_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let unknown = uuid::Uuid::new_v4();
    let rule = json!({"condition": "hasTag(A)", "outcome": ["B"]});
    let (status, _) = api.put(&format!("/sync/interaction-rules/{unknown}"), rule.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api.put("/sync/interaction-rules/not-a-uuid", rule.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_rule_id");
    for junk in ["123", "%FF"] {
        let (status, body) = api.delete(&format!("/sync/interaction-rules/{junk}")).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (StatusCode::BAD_REQUEST, &json!("invalid_rule_id")),
            "{junk}: a JSON error, even where the path is not UTF-8"
        );
    }

    // Every change is in the audit log, by this client.
    let log = marktchat_services::audit::newest(&app.running.services.db, 10, None).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["rule.delete", "rule.replace", "rule.create", "rule.create"]);
    assert!(log.iter().all(|e| e.actor_kind == "api_client" && e.actor.starts_with("client ")));
    assert_eq!(log[1].before.as_ref().unwrap()["description"], description);
    assert_eq!(log[1].after.as_ref().unwrap().get("description"), None);
}

#[db_test]
async fn bad_rules_are_refused_with_a_code_and_a_position(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let refused = |body: Value| {
        let api = &api;
        async move {
            let (status, body) = api.post("/sync/interaction-rules", body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            body["error"].clone()
        }
    };
    let e = refused(json!({"condition": "any(hasTag(A),, hasTag(B))", "outcome": ["X"]})).await;
    assert_eq!(e["code"], "invalid_condition");
    assert_eq!(e["position"], 14);
    assert_eq!(e["field"], "condition");
    assert!(e["message"].as_str().unwrap().contains("column 15"), "{e}");
    let e = refused(json!({"condition": "hasTag(A) x", "outcome": ["X"]})).await;
    assert_eq!((e["code"].as_str(), e["position"].as_u64()), (Some("invalid_condition"), Some(10)));
    let e = refused(json!({"condition": "all()", "outcome": ["X"]})).await;
    assert_eq!(e["code"], "invalid_condition");
    let e = refused(json!({"condition": "hasTag(A)", "outcome": ["Mün chen"]})).await;
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("invalid_tag"), Some("outcome[0]"))
    );
    let e = refused(json!({"condition": "hasTag(A)", "outcome": []})).await;
    assert_eq!(e["code"], "invalid_outcome");
    let e = refused(json!({"condition": "hasTag(A)", "outcome": ["X", "X"]})).await;
    assert_eq!(e["code"], "invalid_outcome");
    let long = "d".repeat(501);
    let e = refused(json!({"condition": "hasTag(A)", "outcome": ["X"], "description": long})).await;
    assert_eq!(e["code"], "invalid_description");
    let e = refused(json!({"condition": "hasTag(A)", "outcome": ["X"], "priority": 1})).await;
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("unknown_field"), Some("priority"))
    );
    let e = refused(json!({"outcome": ["X"]})).await;
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("missing_field"), Some("condition"))
    );
    let e = refused(json!({"condition": 5, "outcome": ["X"]})).await;
    assert_eq!(e["code"], "invalid_json");
    let nested = format!("{}hasTag(A){}", "not(".repeat(30), ")".repeat(30));
    let e = refused(json!({"condition": nested, "outcome": ["X"]})).await;
    assert_eq!(e["code"], "invalid_condition", "over 30 conditions");

    // Not JSON at all, the wrong type, too large.
    let res = api
        .http
        .post(app.url("/sync/interaction-rules"))
        .bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "text/plain")
        .body("hasTag(A)")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unsupported_media_type");
    api.check_against_spec(
        &Method::POST,
        "/sync/interaction-rules",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        &body,
    );
    let res = api
        .http
        .post(app.url("/sync/interaction-rules"))
        .bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"condition\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = api
        .http
        .post(app.url("/sync/interaction-rules"))
        .bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body(vec![b' '; 9 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "body_too_large");
    // Nothing was stored.
    assert_eq!(api.get("/sync/interaction-rules").await.1, json!({"rules": []}));
}

#[db_test]
async fn tokens_and_scopes_are_checked_and_cookies_are_not_enough(backend: Backend) {
    let app = spawn_app(backend).await;
    let reader = Api::new(&app, &[Scope::TagRuleRead]).await;
    let (status, body) = reader.with_token(None).get("/sync/interaction-rules").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthorized"))
    );
    let (status, _) = reader.with_token(Some("mct_0000")).get("/sync/interaction-rules").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = reader.get("/sync/interaction-rules").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = reader
        .post("/sync/interaction-rules", json!({"condition": "hasTag(A)", "outcome": ["B"]}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "missing_scope");
    assert_eq!(body["error"]["scope"], "TAG_RULE_WRITE");
    let (status, body) = reader.get("/sync/users").await;
    assert_eq!((status, &body["error"]["scope"]), (StatusCode::FORBIDDEN, &json!("USER_READ")));

    // A logged-in admin's session cookie is no token.
    let admin = app.registered("admin@example.org", "Admin", "a long password 1").await;
    let res = admin.client.get(app.url("/sync/interaction-rules")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = admin
        .client
        .put(app.url("/sync/settings/interaction-restrictions"))
        .header("origin", app.origin())
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Revoked: at once.
    let name: String = sqlx::query_scalar("SELECT name FROM api_clients")
        .fetch_one(app.running.services.db.pool())
        .await
        .unwrap();
    ApiClients::new(&app.running.services.db).revoke(&name).await.unwrap();
    let (status, body) = reader.get("/sync/interaction-rules").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthorized"))
    );

    // Unknown endpoints and methods answer in JSON too.
    let writer = Api::new(&app, all_scopes()).await;
    let res = writer.http.get(app.url("/sync/nothing")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "not_found");
}

#[db_test]
async fn each_client_has_a_rate_limit(backend: Backend) {
    let app = common::spawn_app_with(backend, |c| c.sync_requests_per_minute = 3).await;
    let api = Api::new(&app, all_scopes()).await;
    for _ in 0..3 {
        assert_eq!(api.get("/sync/settings/interaction-restrictions").await.0, StatusCode::OK);
    }
    let res = api
        .http
        .get(app.url("/sync/settings/interaction-restrictions"))
        .bearer_auth(api.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another client has its own allowance.
    let other = Api::new(&app, all_scopes()).await;
    assert_eq!(other.get("/sync/settings/interaction-restrictions").await.0, StatusCode::OK);
}

#[db_test]
async fn users_and_tags_single_and_in_batches(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let anna = app.registered("anna@example.org", "Anna", "a long password 1").await;
    drop(anna);
    app.registered("bert@example.org", "Bert", "a long password 2").await;
    let (status, page) = api.get("/sync/users?page=0&page_size=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 2);
    assert_eq!(page["page_size"], 1);
    assert_eq!(page["users"][0]["email"], "anna@example.org", "oldest first");
    assert_eq!(page["users"][0]["tags"], json!([]));
    let anna_id = page["users"][0]["user_id"].as_str().unwrap().to_owned();
    let (_, page1) = api.get("/sync/users?page=1&page_size=1").await;
    assert_eq!(page1["users"][0]["display_name"], "Bert");
    let bert_id = page1["users"][0]["user_id"].as_str().unwrap().to_owned();
    for bad in ["page_size=1001", "page_size=0", "page=-1", "page_size=x"] {
        let (status, body) = api.get(&format!("/sync/users?{bad}")).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (StatusCode::BAD_REQUEST, &json!("invalid_parameter")),
            "{bad}"
        );
    }

    let (status, user) =
        api.put(&format!("/sync/users/{anna_id}/tags"), json!({"tags": ["Sales", "Berlin"]})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["tags"], json!(["Berlin", "Sales"]));
    assert_eq!(user["user_id"], anna_id);
    let (status, body) =
        api.put(&format!("/sync/users/{anna_id}/tags"), json!({"tags": ["Berlin", "Mün"]})).await;
    assert_eq!((status, &body["error"]["field"]), (StatusCode::BAD_REQUEST, &json!("tags[1]")));
    assert_eq!(body["error"]["code"], "invalid_tag");
    let (status, _) =
        api.put(&format!("/sync/users/{}/tags", uuid::Uuid::new_v4()), json!({"tags": []})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api.put("/sync/users/anna/tags", json!({"tags": []})).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_user_id"))
    );

    // A batch with one bad entry changes nothing and names the entry.
    let batch = json!({"users": [
        {"user_id": anna_id, "tags": ["Munich"]},
        {"email": "nobody@example.org", "tags": ["Munich"]},
    ]});
    let (status, body) = api.post("/sync/users/tags", batch).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (body["error"]["code"].as_str(), body["error"]["index"].as_u64()),
        (Some("unknown_user"), Some(1))
    );
    let (_, user) = api.get("/sync/users?page_size=1").await;
    assert_eq!(user["users"][0]["tags"], json!(["Berlin", "Sales"]), "unchanged");
    let (status, body) = api
        .post(
            "/sync/users/tags",
            json!({"users": [{"user_id": anna_id, "email": "x@y.z", "tags": []}]}),
        )
        .await;
    assert_eq!((status, &body["error"]["index"]), (StatusCode::BAD_REQUEST, &json!(0)));
    let (status, body) = api
        .post(
            "/sync/users/tags",
            json!({"users": [
            {"user_id": anna_id, "tags": ["A"]}, {"email": "ANNA@example.org", "tags": ["B"]}]}),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("duplicate_user"))
    );
    let (status, body) = api
        .post(
            "/sync/users/tags",
            json!({"users": [{"user_id": anna_id, "tags": ["ok", "not ok"]}]}),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("users[0].tags[1]"))
    );
    let too_many: Vec<Value> = (0..1001).map(|_| json!({"user_id": anna_id, "tags": []})).collect();
    let (status, body) = api.post("/sync/users/tags", json!({"users": too_many})).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("too_many_entries"))
    );

    let (status, body) = api
        .post("/sync/users/tags", json!({"users": [
            {"user_id": anna_id, "tags": ["Munich"]}, {"email": "Bert@Example.org", "tags": ["Berlin", "Sales"]}]}))
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"updated": 2})));
    let (_, all) = api.get("/sync/users").await;
    assert_eq!(all["users"][0]["tags"], json!(["Munich"]));
    assert_eq!(all["users"][1]["tags"], json!(["Berlin", "Sales"]));
    assert_eq!(all["users"][1]["user_id"], bert_id);
}

/// The specification's worked example, through the API: users 1–6 with their tags,
/// rules R1–R4, restrictions on; then every check and every contactable list matches
/// `may_contact`, and real conversations follow them.
#[db_test]
async fn the_worked_example_through_the_api(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let example: Value =
        serde_json::from_str(include_str!("../../shared/tests/data/rules-example.json")).unwrap();
    let mut people = Vec::new();
    let mut entries = Vec::new();
    for u in example["users"].as_array().unwrap() {
        let n = u["user"].as_u64().unwrap();
        let person = app.person(&format!("User {n}")).await;
        entries.push(json!({"user_id": person.id.0, "tags": u["tags"]}));
        people.push(person);
    }
    let (status, _) = api.post("/sync/users/tags", json!({"users": entries})).await;
    assert_eq!(status, StatusCode::OK);
    let mut rule_names = std::collections::HashMap::new();
    for r in example["rules"].as_array().unwrap() {
        let (status, stored) = api
            .post(
                "/sync/interaction-rules",
                json!({"condition": r["condition"], "outcome": r["outcome"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        rule_names.insert(stored["rule_id"].as_str().unwrap().to_owned(), r["id"].clone());
    }
    let (status, body) =
        api.put("/sync/settings/interaction-restrictions", json!({"enabled": true})).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"enabled": true})));
    assert_eq!(
        api.get("/sync/settings/interaction-restrictions").await.1,
        json!({"enabled": true})
    );

    let number = |id: &str| people.iter().position(|p| p.id.0 == id).unwrap() as u64 + 1;
    for u in example["users"].as_array().unwrap() {
        let n = u["user"].as_u64().unwrap();
        let me = &people[n as usize - 1];
        let expected: Vec<u64> =
            u["may_contact"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let mut allowed = Vec::new();
        for (i, other) in people.iter().enumerate() {
            let (status, check) = api
                .get(&format!("/sync/interaction-check?from={}&to={}", me.id.0, other.id.0))
                .await;
            assert_eq!(status, StatusCode::OK);
            if check["allowed"] == true {
                allowed.push(i as u64 + 1);
                assert_eq!(check["reason"], "rule");
                assert!(!check["rule_ids"].as_array().unwrap().is_empty());
            } else {
                let reason = if i as u64 + 1 == n { "same_user" } else { "no_rule" };
                assert_eq!(check["reason"], reason);
            }
        }
        assert_eq!(allowed, expected, "interaction-check for user {n}");
        // Contactable, two at a time, ascending by id.
        let mut listed = Vec::new();
        let mut cursor = String::new();
        loop {
            let (status, page) = api
                .get(&format!("/sync/users/{}/contactable?limit=2&cursor={cursor}", me.id.0))
                .await;
            assert_eq!(status, StatusCode::OK);
            for u in page["users"].as_array().unwrap() {
                listed.push(u["user_id"].as_str().unwrap().to_owned());
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break,
            }
        }
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(listed, sorted, "ascending by user_id");
        let mut numbers: Vec<u64> = listed.iter().map(|id| number(id)).collect();
        numbers.sort();
        assert_eq!(numbers, expected, "contactable for user {n}");
    }
    // Which rule allowed it: user 4 (Munich) → 5 (Berlin, Munich) by R3 only.
    let (_, why) = api
        .get(&format!("/sync/interaction-check?from={}&to={}", people[3].id.0, people[4].id.0))
        .await;
    let names: Vec<&Value> = why["rule_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| &rule_names[id.as_str().unwrap()])
        .collect();
    assert_eq!(names, [&json!("R3")]);

    // The directory's "Message" buttons say the same before anyone clicks.
    for u in example["users"].as_array().unwrap() {
        let n = u["user"].as_u64().unwrap() as usize;
        let expected: Vec<&str> = (1..=people.len())
            .map(|m| match m {
                _ if m == n => "none",
                _ if u["may_contact"].as_array().unwrap().contains(&json!(m)) => "start",
                _ => "refused",
            })
            .collect();
        assert_eq!(
            directory_buttons(&people[n - 1], &people).await,
            expected,
            "the directory as user {n} sees it"
        );
    }

    // Real conversations follow the rules: 3 may write to 2, not to 5.
    let start = |from: usize, to: usize| {
        let (p, q) = (&people[from - 1], &people[to - 1]);
        async move {
            let client_id = uuid::Uuid::new_v4().to_string();
            p.browser
                .call(
                    "/api/conversations/contact",
                    &[("user", q.id.0.as_str()), ("client_id", &client_id), ("text", "Hallo")],
                )
                .await
                .status()
        }
    };
    assert_eq!(start(3, 2).await, StatusCode::OK);
    assert_eq!(start(3, 5).await, StatusCode::CONFLICT, "no rule lets Berlin reach Berlin");
    assert_eq!(start(1, 2).await, StatusCode::CONFLICT, "user 1 reaches nobody");
    // Deleting R2 takes 3 → 2 away for new conversations, not the existing one.
    let r2 = rule_names.iter().find(|(_, n)| *n == "R2").unwrap().0.clone();
    assert_eq!(
        api.delete(&format!("/sync/interaction-rules/{r2}")).await.0,
        StatusCode::NO_CONTENT
    );
    let (_, check) = api
        .get(&format!("/sync/interaction-check?from={}&to={}", people[2].id.0, people[1].id.0))
        .await;
    assert_eq!(check, json!({"allowed": false, "reason": "no_rule", "rule_ids": []}));
    assert_eq!(start(3, 2).await, StatusCode::OK, "the existing conversation goes on");
    assert_eq!(start(4, 2).await, StatusCode::CONFLICT, "a new one is refused at once");
    assert_eq!(directory_buttons(&people[2], &people).await[1], "open", "3 still writes to 2");
    assert_eq!(directory_buttons(&people[3], &people).await[1], "refused", "4 may not, now");

    // Switched off: everyone may, and says why.
    api.put("/sync/settings/interaction-restrictions", json!({"enabled": false})).await;
    let (_, check) = api
        .get(&format!("/sync/interaction-check?from={}&to={}", people[0].id.0, people[1].id.0))
        .await;
    assert_eq!(check, json!({"allowed": true, "reason": "restrictions_disabled", "rule_ids": []}));
    let (status, body) = api
        .get(&format!(
            "/sync/interaction-check?from={}&to={}",
            people[0].id.0,
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!((status, &body["error"]["code"]), (StatusCode::NOT_FOUND, &json!("not_found")));
    let (status, _) = api.get(&format!("/sync/interaction-check?from={}", people[0].id.0)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) =
        api.get(&format!("/sync/users/{}/contactable?cursor=junk", people[0].id.0)).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_cursor"))
    );
}

/// What the directory shows `viewer` for each of `people`, in order: "start" (a
/// "Message" link to the profile's form), "open" (the conversation they have),
/// "refused" (a disabled button with a reason) or "none" (oneself).
async fn directory_buttons(viewer: &Person, people: &[Person]) -> Vec<&'static str> {
    let (status, html) = viewer.browser.html("/users").await;
    assert_eq!(status, StatusCode::OK);
    people
        .iter()
        .map(|p| {
            let row = html
                .split("<li>")
                .find(|row| row.contains(&format!("href=\"/users/{}\"", p.id.0)))
                .unwrap_or_else(|| panic!("{} is listed: {html}", p.id.0));
            let row = &row[..row.find("</li>").unwrap_or(row.len())];
            let start = row.contains(&format!("href=\"/users/{}#contact-text\"", p.id.0));
            let open = row.contains("href=\"/messages/");
            let refused = row.contains(&format!("id=\"message-{}-refused\"", p.id.0))
                && row.contains(" disabled");
            match (start, open, refused) {
                (true, false, false) => "start",
                (false, true, false) => "open",
                (false, false, true) => {
                    assert!(row.contains("Kontaktregeln"), "the reason is given: {row}");
                    "refused"
                }
                (false, false, false) => "none",
                _ => panic!("one button per person: {row}"),
            }
        })
        .collect()
}

#[db_test]
async fn preview_counts_pairs_and_saves_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let a = app.person("A").await;
    let b = app.person("B").await;
    let c = app.person("C").await;
    api.post(
        "/sync/users/tags",
        json!({"users": [
            {"user_id": a.id.0, "tags": ["Berlin"]},
            {"user_id": b.id.0, "tags": ["Stuttgart"]},
            {"user_id": c.id.0, "tags": ["Stuttgart"]},
        ]}),
    )
    .await;
    api.post(
        "/sync/interaction-rules",
        json!({"condition": "hasTag(Stuttgart)", "outcome": ["Stuttgart"]}),
    )
    .await;
    let candidate = json!({"rules": [
        {"condition": "hasTag(Berlin)", "outcome": ["Stuttgart"], "description": "Berlin → Stuttgart"}
    ]});
    let (status, p) = api.post("/sync/interaction-rules/preview", candidate).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["allowed_pairs_before"], 2, "B↔C");
    assert_eq!(p["allowed_pairs_after"], 2, "A→B, A→C");
    let mut gained: Vec<(String, String)> = p["gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["from"].as_str().unwrap().into(), x["to"].as_str().unwrap().into()))
        .collect();
    gained.sort();
    let mut expected = vec![(a.id.0.clone(), b.id.0.clone()), (a.id.0.clone(), c.id.0.clone())];
    expected.sort();
    assert_eq!(gained, expected);
    assert_eq!(p["lost"].as_array().unwrap().len(), 2);
    assert_eq!(api.get("/sync/interaction-rules").await.1["rules"].as_array().unwrap().len(), 1);
    let (status, body) = api
        .post(
            "/sync/interaction-rules/preview",
            json!({"rules": [{"condition": "x(", "outcome": ["A"]}]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "rules[0].condition");
}

/// The listing page and the profile show the decision before anyone clicks: a
/// disabled button with a reason that names no tags; a new rule enables it at once.
#[db_test]
async fn pages_show_the_decision_and_follow_rule_changes_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let api = Api::new(&app, all_scopes()).await;
    let buyer = app.person("Berta").await;
    let seller = app.person("Stefan").await;
    api.post(
        "/sync/users/tags",
        json!({"users": [
            {"user_id": buyer.id.0, "tags": ["TeamNord"]},
            {"user_id": seller.id.0, "tags": ["TeamSued"]},
        ]}),
    )
    .await;
    api.put("/sync/settings/interaction-restrictions", json!({"enabled": true})).await;
    let (_, listing) = app.listing_of(&seller, "Lastenrad").await;
    let page = format!("/listings/{}", listing.id);
    let (status, html) = buyer.browser.html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("contact-refused"), "{html}");
    assert!(html.contains("Kontaktregeln"), "the reason is given");
    assert!(!html.contains("TeamNord") && !html.contains("TeamSued"), "no tags are shown");
    assert!(!html.contains("name=\"text\""), "no first-message form");
    let (_, profile) = buyer.browser.html(&format!("/users/{}", seller.id.0)).await;
    assert!(profile.contains("contact-refused"));

    api.post(
        "/sync/interaction-rules",
        json!({"condition": "hasTag(TeamNord)", "outcome": ["TeamSued"]}),
    )
    .await;
    let (_, html) = buyer.browser.html(&page).await;
    assert!(!html.contains("contact-refused"), "enabled without a restart");
    assert!(html.contains("name=\"text\""));
    let (_, profile) = buyer.browser.html(&format!("/users/{}", seller.id.0)).await;
    assert!(!profile.contains("contact-refused"));
}
