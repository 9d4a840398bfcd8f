//! The admin area's contact rules over HTTP, as a browser without JavaScript and the
//! hydrated app use them: admins only, validation on the server too, the audit log.

mod common;

use common::{db_test, spawn_app, Backend, PASSWORD};
use marktchat_services::contact_rules::ContactRules;
use reqwest::StatusCode;

/// A validation answer's problems, as (field, problem) names.
async fn problems(res: reqwest::Response) -> Vec<(String, String)> {
    let body: serde_json::Value = res.json().await.unwrap();
    body["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation answer: {body}"))
        .iter()
        .map(|p| (p["field"].as_str().unwrap().to_owned(), p["problem"].to_string()))
        .map(|(f, p)| (f, p.trim_matches('"').to_owned()))
        .collect()
}

fn owned((field, problem): (&str, &str)) -> (String, String) {
    (field.to_owned(), problem.to_owned())
}

#[db_test]
async fn admins_switch_write_explain_and_tag(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.registered("user@example.de", "Uli User", PASSWORD).await;
    let form = [("id", ""), ("condition", "hasTag(A)"), ("outcome", "B"), ("description", "")];
    let res = user.call("/api/admin/rules/save", &form).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "not for users");
    let res = user.call("/api/admin/restrictions", &[("on", "1")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    common::create_admin(&app, "admin@example.de", "Ada");
    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.de"), ("password", PASSWORD)]).await;
    let (status, html) = admin.html("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Noch keine Regeln"), "{html}");
    assert!(html.contains("ohne Regeln kann niemand"), "the switch's warning");

    // The server checks too (a browser without JavaScript, or a forged request), and
    // names every field at fault at once.
    let bad = [("id", ""), ("condition", "all(hasTag(A)"), ("outcome", "B ü"), ("description", "")];
    let res = admin.call("/api/admin/rules/save", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problems(res).await,
        [("Condition", "ConditionSyntax"), ("Outcome", "TagFormat")].map(owned)
    );
    let res = admin
        .call(
            "/api/admin/rules/save",
            &[("id", ""), ("condition", ""), ("outcome", ""), ("description", "")],
        )
        .await;
    assert_eq!(problems(res).await, [("Condition", "Empty"), ("Outcome", "Empty")].map(owned));
    // Without JavaScript the editor comes back with the rule as typed, the parser's
    // caret under the condition and the outcome's message beside it.
    let res = admin.form_post("/admin", "/api/admin/rules/save", &bad).await;
    // (Not in the address: what is typed never is.)
    let back = common::location(&res).trim_start_matches(&admin.base).to_owned();
    assert_eq!(back, "/admin");
    let (_, html) = admin.html(&back).await;
    assert!(html.contains(r#"value="all(hasTag(A)""#), "{html}");
    assert!(html.contains(r#"value="B ü""#), "{html}");
    assert!(html.contains(r#"class="error-column">14<"#), "the caret's column: {html}");
    assert!(html.contains("Ein Tag besteht nur aus"), "{html}");
    assert!(html.contains("Bitte prüfe die markierten Felder"), "{html}");
    assert!(ContactRules::new(&app.running.services.db).rules().await.unwrap().is_empty());

    let good = [
        ("id", ""),
        ("condition", "hasTag(Nord)"),
        ("outcome", "Sued, West"),
        ("description", "Nord → Süd"),
    ];
    let res = admin.form_post("/admin", "/api/admin/rules/save", &good).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(common::location(&res), "/admin?saved=1");
    let rules = ContactRules::new(&app.running.services.db);
    let stored = rules.rules().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].condition_text, "hasTag(Nord)");
    let (_, html) = admin.html("/admin").await;
    assert!(html.contains("hasTag(Nord)") && html.contains("Sued, West"));
    // Editing starts from the stored rule.
    let (_, html) = admin.html(&format!("/admin?edit={}", stored[0].rule.id)).await;
    assert!(html.contains("Regel bearbeiten"));
    assert!(html.contains(&format!("value=\"{}\"", stored[0].rule.id)));

    let res = admin.call("/api/admin/restrictions", &[("on", "1")]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert!(rules.restrictions_enabled().await.unwrap());

    let res =
        admin.call("/api/admin/tags", &[("email", "User@Example.de"), ("tags", "Nord")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Vec<String>>().await.unwrap(), ["Nord"]);
    let res = admin
        .call("/api/admin/tags", &[("email", "admin@example.de"), ("tags", "West Sued")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = admin
        .call("/api/admin/explain", &[("from", "user@example.de"), ("to", "admin@example.de")])
        .await;
    let why: serde_json::Value = res.json().await.unwrap();
    assert_eq!(why["allowed"], true);
    assert_eq!(why["rules"], serde_json::json!(["hasTag(Nord)"]));
    let res = admin
        .call("/api/admin/explain", &[("from", "admin@example.de"), ("to", "user@example.de")])
        .await;
    let why: serde_json::Value = res.json().await.unwrap();
    assert_eq!((why["allowed"].as_bool(), why["reason"].as_str()), (Some(false), Some("no_rule")));
    // Both addresses are checked at once: one malformed, one nobody has.
    let res =
        admin.call("/api/admin/explain", &[("from", "nobody@example.de"), ("to", "user@")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problems(res).await, [("From", "NoSuchPerson"), ("To", "EmailFormat")].map(owned));
    let res =
        admin.call("/api/admin/tags", &[("email", "nobody@example.de"), ("tags", "Ok, Mün")]).await;
    assert_eq!(problems(res).await, [("Email", "NoSuchPerson"), ("Tags", "TagFormat")].map(owned));
    let res =
        admin.form_post("/admin", "/api/admin/tags", &[("email", "x@y.de"), ("tags", "A A")]).await;
    let (_, html) = admin.html(common::location(&res).trim_start_matches(&admin.base)).await;
    assert!(html.contains("Kein Mitglied hat diese E-Mail-Adresse."), "{html}");
    assert!(html.contains("Ein Tag steht doppelt da."), "{html}");
    assert!(html.contains(r#"value="A A""#), "kept as typed: {html}");

    // Every change is in the audit log, by this admin.
    let log = marktchat_services::audit::newest(&app.running.services.db, 10, None).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.tags", "user.tags", "restrictions.set", "rule.create"]);
    assert!(log.iter().all(|e| e.actor_kind == "admin" && e.actor == "Ada"));
    // On the page: the member by name (a link to their profile), not their id, and
    // when to the minute.
    let uli = log[1].subject.clone().expect("the member's id is the subject");
    assert_eq!(log[1].subject_name.as_deref(), Some("Uli User"));
    let (_, html) = admin.html("/admin").await;
    assert!(
        html.contains(&format!(r#"user.tags</code> <a href="/users/{uli}">Uli User</a>"#)),
        "{html}"
    );
    let when = log[1].at;
    let at = marktchat_shared::Timestamp(when);
    let local = at.local(marktchat_services::zones::offset_at(marktchat_shared::Zone::DEFAULT, at));
    let shown = format!(
        r#"<time datetime="{}">{:02}.{:02}.{} {:02}:{:02}</time>"#,
        at.iso_minute_utc(),
        local.date.day,
        local.date.month,
        local.date.year,
        local.hour,
        local.minute
    );
    assert!(html.contains(&shown), "{shown} in {html}");

    // An API client needs a name and a scope; a form without either says both.
    let res = admin.call("/api/admin/clients/create", &[("name", " ")]).await;
    assert_eq!(problems(res).await, [("ClientName", "Empty"), ("Scopes", "Empty")].map(owned));
    // An API client: made with its scopes, the token shown once, revoked at once.
    let res =
        admin.call("/api/admin/clients/create", &[("name", "HR"), ("tag_rule_read", "1")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let token: String = res.json().await.unwrap();
    let sync = |token: String| {
        let url = app.url("/sync/interaction-rules");
        async move { reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(sync(token.clone()).await, StatusCode::OK);
    let (_, html) = admin.html("/admin").await;
    assert!(html.contains("HR") && html.contains("TAG_RULE_READ"));
    assert!(!html.contains(&token), "the token is never shown again");
    let res = admin.call("/api/admin/clients/revoke", &[("name", "HR")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(sync(token).await, StatusCode::UNAUTHORIZED);
    let res = admin.call("/api/admin/clients/create", &[("name", "HR"), ("user_read", "1")]).await;
    assert_eq!(problems(res).await, [("ClientName", "Duplicate")].map(owned), "names are unique");
    let log = marktchat_services::audit::newest(&app.running.services.db, 2, None).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["client.revoke", "client.create"]);
    let (_, html) = admin.html("/admin").await;
    assert!(html.contains("client.create"), "the audit log is on the page");
}

/// The audit log on the admin page pages back through every change, 50 at a time.
#[db_test]
async fn the_audit_log_pages_back_through_every_change(backend: Backend) {
    use marktchat_services::audit::Actor;
    let app = spawn_app(backend).await;
    common::create_admin(&app, "admin@example.de", "Ada");
    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.de"), ("password", PASSWORD)]).await;
    let (_, html) = admin.html("/admin").await;
    assert!(html.contains("Noch keine Änderungen"), "an empty log says so");

    let rules = ContactRules::new(&app.running.services.db);
    let operator = Actor::Operator;
    for i in 0..56 {
        rules.set_restrictions(&operator, i % 2 == 0).await.unwrap();
    }
    let subjects = |html: &str| html.matches("<code>restrictions.set</code>").count();
    let older = |html: &str| {
        let at = html.find("audit_before=")?;
        let rest = &html[at + "audit_before=".len()..];
        Some(rest[..rest.find('#').unwrap()].to_owned())
    };
    let (status, first) = admin.html("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subjects(&first), 50, "the newest 50");
    assert!(!first.contains("Neueste Änderungen"), "no way forward from the newest");
    let cursor = older(&first).expect("a link to older changes");
    let (status, second) = admin.html(&format!("/admin?audit_before={cursor}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subjects(&second), 6, "the rest");
    assert!(older(&second).is_none(), "nothing older");
    assert!(second.contains("Neueste Änderungen"));
    // A cursor that names nothing is the first page, not an error.
    let (status, junk) = admin.html("/admin?audit_before=nonsense").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subjects(&junk), 50);
}

/// With more tag-set groups than the preview's table holds, the page says it shows
/// the largest of them and how many there are.
#[db_test]
async fn the_preview_says_when_its_table_shows_only_the_largest_groups(backend: Backend) {
    use marktchat_services::audit::Actor;
    use marktchat_shared::rules::Tag;
    let app = spawn_app(backend).await;
    common::create_admin(&app, "admin@example.de", "Ada");
    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.de"), ("password", PASSWORD)]).await;
    let (_, html) = admin.html("/admin").await;
    assert!(!html.contains("matrix-partial"), "a few groups all fit: {html}");

    let rules = ContactRules::new(&app.running.services.db);
    for i in 0..14 {
        let (id, _) = marktchat_services::testing::user_with_session(
            &app.running.services,
            &format!("Person {i}"),
        )
        .await;
        let tag = Tag::parse(&format!("Team{i}")).unwrap();
        rules.set_user_tags(&Actor::Operator, &id, &[tag]).await.unwrap();
    }
    let (status, html) = admin.html("/admin").await;
    assert_eq!(status, StatusCode::OK);
    // 14 tagged groups and the admin's own (no tags): 15, of which the table shows 12.
    assert!(html.contains("Gruppen in der Tabelle: 12 / 15"), "{html}");
}
