use super::*;
use crate::db::Backend;
use marktchat_test_macros::db_test;

fn new_account(email: &str, name: &str) -> NewAccount {
    NewAccount::parse(email, name, "a long enough secret", Language::En).unwrap()
}

#[db_test]
async fn register_login_and_duplicate_email(backend: Backend) {
    let (db, _dir) = crate::db::test_db(backend).await;
    let services = crate::Services::new(db, crate::Settings::default());
    let accounts = services.accounts();
    let p = accounts.register(new_account("Anna@Example.de", "Anna"), None).await.unwrap();
    assert_eq!(p.email, "anna@example.de");
    assert!(matches!(
        accounts.register(new_account("anna@example.DE", "Other"), None).await,
        Err(Error::EmailTaken)
    ));
    let u = accounts.login(" ANNA@example.de", "a long enough secret", None).await.unwrap();
    assert_eq!(u.id, p.id);
    assert!(matches!(
        accounts.login("anna@example.de", "wrong password!", None).await,
        Err(Error::WrongCredentials)
    ));
    assert!(matches!(
        accounts.login("nobody@example.de", "a long enough secret", None).await,
        Err(Error::WrongCredentials)
    ));
}

/// Simultaneous guesses are counted before any is checked: of 50 at once, at most
/// the limit (5) get their password checked.
#[db_test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_guesses_is_judged_at_most_up_to_the_limit(backend: Backend) {
    let (db, _dir) = crate::db::test_db(backend).await;
    let services = crate::Services::new(db, crate::Settings::default());
    services.accounts().register(new_account("anna@example.de", "Anna"), None).await.unwrap();
    let guesses: Vec<_> = (0..50)
        .map(|i| {
            let services = services.clone();
            tokio::spawn(async move {
                let address = Some(IpAddr::from([10, 0, (i / 250) as u8, (i % 250) as u8]));
                services.accounts().login("anna@example.de", "wrong guess!", address).await
            })
        })
        .collect();
    let mut judged = 0;
    for g in guesses {
        match g.await.unwrap() {
            Err(Error::WrongCredentials) => judged += 1,
            Err(Error::RateLimited { .. } | Error::Busy { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!((1..=5).contains(&judged), "{judged} guesses were checked");
    // the right password is refused too while the account is locked
    assert!(matches!(
        services.accounts().login("anna@example.de", "a long enough secret", None).await,
        Err(Error::RateLimited { .. })
    ));
}

/// Wrong current passwords (password change, account deletion) count like failed
/// logins; registrations are limited per address.
#[db_test]
async fn reauthentication_and_registration_are_limited(backend: Backend) {
    let (db, _dir) = crate::db::test_db(backend).await;
    let limits =
        crate::rate_limit::LimitSettings { registrations_per_hour: 2, ..Default::default() };
    let services =
        crate::Services::new(db, crate::Settings { limits, ..crate::Settings::default() });
    let accounts = services.accounts();
    let here = Some(IpAddr::from([192, 0, 2, 1]));
    let p = accounts.register(new_account("a@example.de", "Anna"), here).await.unwrap();
    accounts.register(new_account("b@example.de", "Bert"), here).await.unwrap();
    assert!(matches!(
        accounts.register(new_account("c@example.de", "Carla"), here).await,
        Err(Error::RateLimited { .. })
    ));
    let elsewhere = Some(IpAddr::from([192, 0, 2, 2]));
    accounts.register(new_account("c@example.de", "Carla"), elsewhere).await.unwrap();

    for _ in 0..5 {
        assert!(matches!(
            accounts.change_password(&p.id, "not my password", "another long secret").await,
            Err(Error::WrongPassword)
        ));
    }
    assert!(matches!(
        services.delete_account(&p.id, "a long enough secret").await,
        Err(Error::RateLimited { .. })
    ));
    assert!(accounts.profile(&p.id).await.is_ok(), "nothing was deleted");
}

#[db_test]
async fn directory_search_escapes_and_paginates(backend: Backend) {
    let (db, _dir) = crate::db::test_db(backend).await;
    let services = crate::Services::new(db, crate::Settings::default());
    let accounts = services.accounts();
    for i in 0..25 {
        accounts
            .register(new_account(&format!("u{i}@example.de"), &format!("Nutzer {i:02}")), None)
            .await
            .unwrap();
    }
    accounts.register(new_account("p@example.de", "100% Zoë"), None).await.unwrap();
    let first = accounts.directory("nutzer", 1).await.unwrap();
    assert_eq!(first.total, 25);
    assert_eq!(first.users.len(), 20);
    assert!(first.has_next());
    let second = accounts.directory("NUTZER", 2).await.unwrap();
    assert_eq!(second.users.len(), 5);
    assert!(!second.has_next());
    let mut names: Vec<_> =
        first.users.iter().chain(&second.users).map(|u| u.display_name.clone()).collect();
    names.dedup();
    assert_eq!(names.len(), 25);
    assert_eq!(accounts.directory("%", 1).await.unwrap().total, 1);
    assert_eq!(accounts.directory("zoë", 1).await.unwrap().total, 1);
    assert_eq!(accounts.directory("_", 1).await.unwrap().total, 0);
}

#[db_test]
async fn activity_shows_what_the_person_allows(backend: Backend) {
    use crate::conversations::About;
    use marktchat_shared::chat::{ClientMessageId, MessageText};
    use marktchat_shared::{Activity, LastActive, ReplyTime};
    let (db, _dir) = crate::db::test_db(backend).await;
    let services = crate::Services::new(db, crate::Settings::default());
    let accounts = services.accounts();
    let anna = accounts.register(new_account("anna@example.de", "Anna"), None).await.unwrap();
    let bert = accounts.register(new_account("bert@example.de", "Bert"), None).await.unwrap();
    // Never logged in: nothing to say. Logging in is being active.
    assert_eq!(accounts.activity(&anna.id).await.unwrap(), Activity::default());
    services.sessions().create(&anna.id, None).await.unwrap();
    let seen = accounts.activity(&anna.id).await.unwrap();
    assert_eq!(seen.last_active, Some(LastActive::Within24Hours));
    assert_eq!(seen.reply_time, None, "no answers yet");
    let id = services
        .conversations()
        .find_or_start(&bert.id, &About::Person(anna.id.clone()))
        .await
        .unwrap();
    let send = |from: &UserId, n: usize| {
        let services = &services;
        let (from, id) = (from.clone(), id.clone());
        async move {
            let cid = ClientMessageId::parse(&format!("m{n}")).unwrap();
            let text = MessageText::parse("Hallo").unwrap();
            services.send_message(&from, &id, &cid, &text).await.unwrap();
        }
    };
    // Three questions, three quick answers (and Anna's own follow-up does not count).
    for n in 0..3 {
        send(&bert.id, n * 10).await;
        send(&anna.id, n * 10 + 1).await;
    }
    send(&anna.id, 99).await;
    let seen = accounts.activity(&anna.id).await.unwrap();
    assert_eq!(seen.reply_time, Some(ReplyTime::WithinAnHour));
    // Hidden: nothing of either.
    let profile = accounts.profile(&anna.id).await.unwrap();
    assert!(profile.show_last_active && profile.show_reply_time, "shown unless hidden");
    let update = ProfileUpdate::parse("Anna", "", "", "de", "", true, (false, false)).unwrap();
    accounts.update_profile(&anna.id, update).await.unwrap();
    assert_eq!(accounts.activity(&anna.id).await.unwrap(), Activity::default());
    let profile = accounts.profile(&anna.id).await.unwrap();
    assert!(!profile.show_last_active && !profile.show_reply_time);
    assert!(matches!(accounts.activity(&UserId("nobody".into())).await, Err(Error::NotFound)));
}
