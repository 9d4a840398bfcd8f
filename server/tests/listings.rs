//! Listings over HTTP against the real server: posting and editing (with images),
//! status changes and ownership, search with filters, sort orders and pagination,
//! the watch list.

mod common;

use common::{db_test, location, set_cookies, spawn_app, Backend, Browser, TestApp, PASSWORD};
use reqwest::header::{ACCEPT, REFERER};
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::Value;

/// The listing form's text fields, as a browser sends them.
fn fields(title: &str, description: &str, price: (&str, &str)) -> Vec<(&'static str, String)> {
    vec![
        ("title", title.to_owned()),
        ("description", description.to_owned()),
        ("price_kind", price.0.to_owned()),
        ("price", price.1.to_owned()),
        ("category", "home-garden/furniture".to_owned()),
        ("postal_code", "10115".to_owned()),
        ("city", "Berlin".to_owned()),
    ]
}

fn form(fields: &[(&'static str, String)], files: Vec<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    for (name, bytes) in files {
        form = form.part("images", Part::bytes(bytes).file_name(name.to_owned()));
    }
    form
}

/// Posts the listing form as the hydrated app does (JSON answer).
async fn save(b: &Browser, form: Form) -> Response {
    b.client
        .post(format!("{}/api/listings/save", b.base))
        .header(ACCEPT, "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Posts the listing form as a browser without JavaScript does.
async fn save_no_js(b: &Browser, page: &str, form: Form) -> Response {
    b.client
        .post(format!("{}/api/listings/save", b.base))
        .header(ACCEPT, "text/html")
        .header(REFERER, format!("{}{page}", b.base))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn create(b: &Browser, title: &str, description: &str, price: (&str, &str)) -> String {
    let res = save(b, form(&fields(title, description, price), vec![])).await;
    assert_eq!(res.status(), StatusCode::OK, "{title}");
    res.json::<String>().await.unwrap()
}

async fn get_listing(b: &Browser, id: &str) -> (StatusCode, Value) {
    let res = b.call("/api/listings/get", &[("id", id)]).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn search(b: &Browser, params: &[(&str, &str)]) -> Value {
    let pairs: Vec<(String, &str)> =
        params.iter().map(|(k, v)| (format!("params[{k}]"), *v)).collect();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = b.call("/api/listings/search", &pairs).await;
    assert_eq!(res.status(), StatusCode::OK, "search {params:?}");
    res.json().await.unwrap()
}

fn titles(page: &Value) -> Vec<String> {
    page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn two_people(app: &TestApp) -> (Browser, Browser) {
    let seller = app.registered("seller@example.de", "Sabine Seller", PASSWORD).await;
    let buyer = app.registered("buyer@example.de", "Bernd Buyer", PASSWORD).await;
    (seller, buyer)
}

#[db_test]
async fn post_edit_and_change_status_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, buyer) = two_people(&app).await;

    let res = save_no_js(
        &seller,
        "/listings/new",
        form(&fields("Eichentisch", "Massiv, 180 x 90 cm.", ("fixed", "149,50")), vec![]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let to = location(&res);
    assert!(to.starts_with("/listings/") && to.ends_with("?saved=1"), "{to}");
    let id = to.trim_start_matches("/listings/").trim_end_matches("?saved=1").to_owned();

    let (status, html) = buyer.html(&format!("/listings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Eichentisch") && html.contains("149,50 €"), "{html}");
    assert!(html.contains("Sabine Seller"), "seller card");
    assert!(!html.contains("Anzeige verwalten"), "no management tools for others");
    let (_, own) = seller.html(&format!("/listings/{id}")).await;
    assert!(own.contains("Anzeige verwalten"), "the seller gets them");

    // Editing keeps the id and shows the new text.
    let mut edited = fields("Eichentisch, ausziehbar", "Massiv.", ("negotiable", "50"));
    edited.push(("id", id.clone()));
    let res = save_no_js(&seller, &format!("/listings/{id}/edit"), form(&edited, vec![])).await;
    assert_eq!(location(&res), format!("/listings/{id}?saved=1"));
    let (_, l) = get_listing(&buyer, &id).await;
    assert_eq!(l["listing"]["title"], "Eichentisch, ausziehbar");
    assert_eq!(l["listing"]["price"]["Negotiable"]["cents"], 5000, "VB with the amount asked");
    let (_, html) = buyer.html(&format!("/listings/{id}")).await;
    assert!(html.contains("50 € VB"), "the price reads as German ads write it");
    assert_eq!(l["can_manage"], false);
    assert_eq!(l["favourite"], false);

    // Status changes: reserve, sold (hidden from others), reactivate.
    let page = format!("/listings/{id}");
    for (status, visible) in [("reserved", true), ("sold", false), ("active", true)] {
        let res = seller
            .form_post(&page, "/api/listings/status", &[("id", &id), ("status", status)])
            .await;
        assert_eq!(res.status(), StatusCode::FOUND, "{status}");
        assert_eq!(location(&res), format!("/listings/{id}?status={status}"));
        let (code, _) = get_listing(&buyer, &id).await;
        assert_eq!(code == StatusCode::OK, visible, "{status}");
    }

    // A wrong form shows the error back on the form.
    let res =
        save_no_js(&seller, "/listings/new", form(&fields("Ti", "", ("fixed", "zwölf")), vec![]))
            .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = location(&res);
    assert_eq!(back, "/listings/new");
    let (status, html) = seller.html(back.trim_start_matches(&seller.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bitte mindestens 3 Zeichen."), "field error shown");

    // Deleting needs the confirmation; then the listing is gone for everyone.
    let res = seller.call("/api/listings/status", &[("id", &id), ("status", "deleted")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = seller
        .form_post(
            &format!("/listings/{id}/delete"),
            "/api/listings/status",
            &[("id", &id), ("status", "deleted"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(location(&res), "/profile?section=listings&listing_deleted=1");
    assert_eq!(get_listing(&seller, &id).await.0, StatusCode::NOT_FOUND);
    let (status, _) = buyer.html(&format!("/listings/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// More photos than a listing may have, together larger than the largest acceptable
/// form: the server still reads the form and answers with the form and its message
/// (a browser without JavaScript would otherwise show a reset connection).
#[db_test]
async fn a_form_with_too_many_photos_comes_back_with_the_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _) = two_people(&app).await;
    let photo = vec![0u8; 9 * 1024 * 1024 + 512 * 1024];
    let photos: Vec<(&str, Vec<u8>)> = (0..11).map(|_| ("foto.jpg", photo.clone())).collect();
    let total: usize = photos.iter().map(|(_, p)| p.len()).sum();
    assert!(total > 10 * 10 * 1024 * 1024 + 1024 * 1024, "over every picture at its limit");
    let typed = fields("Regal aus Buche", "", ("fixed", "25"));
    let res = save_no_js(&seller, "/listings/new", form(&typed, photos)).await;
    assert_eq!(res.status(), StatusCode::FOUND, "the form again, not 413");
    let (status, html) = seller.html(&location(&res)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Höchstens 10 Bilder pro Anzeige."), "{html}");
    assert!(html.contains("Regal aus Buche"), "what was typed is kept: {html}");
    let count: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM listings")
        .fetch_one(app.running.services.db.pool())
        .await
        .unwrap();
    assert_eq!(count.0, 0, "nothing saved");
}

#[db_test]
async fn every_problem_of_the_listing_form_comes_back_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _) = two_people(&app).await;
    let problems = |err: &Value| -> Vec<(String, Value)> {
        let list = err["Invalid"].as_array().unwrap_or_else(|| panic!("{err}"));
        list.iter()
            .map(|p| (p["field"].as_str().unwrap().to_owned(), p["problem"].clone()))
            .collect()
    };
    // An empty form: every required field at once.
    let empty = [
        ("title", ""),
        ("description", ""),
        ("price_kind", "fixed"),
        ("price", ""),
        ("category", ""),
        ("postal_code", ""),
        ("city", ""),
    ]
    .map(|(k, v)| (k, v.to_owned()));
    let res = save(&seller, form(&empty, vec![])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let named: Vec<String> =
        problems(&res.json().await.unwrap()).into_iter().map(|(f, _)| f).collect();
    assert_eq!(named, ["Title", "Price", "Category", "PostalCode", "City"]);
    // Wrong values, with a picture over the size limit, which is read to its end so
    // that the browser gets its answer.
    let wrong = [
        ("title", "Ab"),
        ("description", ""),
        ("price_kind", "fixed"),
        ("price", "-5"),
        ("category", ""),
        ("postal_code", "ABCDE"),
        ("city", "K"),
    ]
    .map(|(k, v)| (k, v.to_owned()));
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let res = save(&seller, form(&wrong, vec![("gross.jpg", big.clone())])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let got = problems(&res.json().await.unwrap());
    let named: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(named, ["Title", "Price", "Category", "PostalCode", "City", "Images"]);
    assert_eq!(got[5].1["ImageTooLarge"]["max_mb"], 10);
    // Without JavaScript, the form page shows every message next to its field.
    let res = save_no_js(&seller, "/listings/new", form(&wrong, vec![("gross.jpg", big)])).await;
    let (status, html) = seller.html(&location(&res)).await;
    assert_eq!(status, StatusCode::OK);
    for message in [
        "Bitte mindestens 3 Zeichen.",
        "Bitte einen Betrag wie 12,50 eingeben.",
        "Bitte eine Kategorie wählen.",
        "Eine Postleitzahl hat fünf Ziffern.",
        "Bitte mindestens 2 Zeichen.",
        "Ein Bild ist größer als 10 MB.",
    ] {
        assert!(html.contains(message), "{message}");
    }
    // An amount with "free" is refused, not dropped.
    let res = save(&seller, form(&fields("Regal", "", ("free", "12")), vec![])).await;
    let got = problems(&res.json().await.unwrap());
    assert_eq!(got, [("Price".to_owned(), Value::from("PriceWithFree"))]);
}

#[db_test]
async fn a_failed_post_without_javascript_keeps_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _) = two_people(&app).await;
    let description =
        "Drei Schubladen & ein Fach — 100% Buche.\nAbholung in Köln.</textarea><b>fett</b>";
    let jpeg = jpeg_with_metadata("x");
    let res = save_no_js(
        &seller,
        "/listings/new",
        form(&fields("St", description, ("fixed", "12,50")), vec![("kommode.jpg", jpeg)]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    // Back to the form, with nothing typed (nor the error) in the address: that would
    // end up in the browser's history and in logs.
    let to = location(&res);
    assert_eq!(to, "/listings/new");
    let flash = set_cookies(&res).into_iter().find(|c| c.starts_with("marktchat_flash=")).unwrap();
    assert!(flash.contains("HttpOnly") && flash.contains("Max-Age=300"), "{flash}");
    // the form page shows the error, what was typed, and asks for the pictures again
    let (status, html) = seller.html(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bitte mindestens 3 Zeichen."), "{html}");
    // (the text stays text: no way out of the textarea)
    assert!(html.contains(
        "Drei Schubladen &amp; ein Fach — 100% Buche.\nAbholung in Köln.&lt;/textarea&gt;&lt;b&gt;"
    ));
    assert!(!html.contains("<b>fett</b>"));
    assert!(html.contains(r#"value="12,50""#) && html.contains(r#"value="Berlin""#));
    assert!(html.contains("bitte wähle sie noch einmal aus"));
    // shown once: a reload starts the form afresh
    let (_, html) = seller.html(&to).await;
    assert!(!html.contains("Bitte mindestens 3 Zeichen.") && !html.contains("Schubladen"));
    // posting again from there shows what was typed then
    let res = save_no_js(&seller, &to, form(&fields("Sd", "", ("free", "")), vec![])).await;
    assert_eq!(location(&res), "/listings/new");
    let (_, html) = seller.html(&to).await;
    assert!(html.contains(r#"value="Sd""#) && !html.contains("bitte wähle sie noch"), "{html}");
    // and nothing was saved
    let mine: Value = seller.call("/api/listings/mine", &[]).await.json().await.unwrap();
    assert_eq!(mine["total"], 0, "{mine}");
    // a long description comes back whole
    let long = "Ölgemälde über Äpfel. ".repeat(200);
    let res =
        save_no_js(&seller, "/listings/new", form(&fields("x", &long, ("free", "")), vec![])).await;
    let (_, html) = seller.html(&location(&res)).await;
    assert!(html.contains(long.trim_end()), "the description as typed");
    // an image that is too large keeps the text as well (the error comes while reading)
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let res = save_no_js(
        &seller,
        "/listings/new",
        form(&fields("Regal", "Weiß", ("fixed", "20")), vec![("gross.jpg", big)]),
    )
    .await;
    let (_, html) = seller.html(&location(&res)).await;
    assert!(html.contains(r#"value="Regal""#) && html.contains("bitte wähle sie noch"), "{html}");
    // editing: the pictures marked for removal stay marked
    let picture = marktchat_services::images::samples::encoded(40, 30, image::ImageFormat::Png);
    let (id, hashes) = create_with_pictures(&seller, "Sessel", &[&picture]).await;
    let mut edit = fields("S", "", ("free", ""));
    edit.push(("id", id.clone()));
    edit.push(("remove_image", hashes[0].clone()));
    let res = save_no_js(&seller, &format!("/listings/{id}/edit"), form(&edit, vec![])).await;
    let to = location(&res);
    assert_eq!(to, format!("/listings/{id}/edit"));
    let (_, html) = seller.html(&to).await;
    assert!(html.contains(&format!(r#"value="{}" checked"#, hashes[0])), "{html}");
    // a stored description is just as inert on the edit page
    let id = create(&seller, "Kommode", "</textarea><script>alert(1)</script>", ("free", "")).await;
    let (_, html) = seller.html(&format!("/listings/{id}/edit")).await;
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"));
}

#[db_test]
async fn only_the_seller_changes_a_listing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, other) = two_people(&app).await;
    let id = create(&seller, "Stehlampe", "Messing", ("fixed", "30")).await;

    let mut edit = fields("Meine Lampe jetzt", "", ("free", ""));
    edit.push(("id", id.clone()));
    let res = save(&other, form(&edit, vec![])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other.call("/api/listings/status", &[("id", &id), ("status", "sold")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .call("/api/listings/status", &[("id", &id), ("status", "deleted"), ("confirm", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, l) = get_listing(&other, &id).await;
    assert_eq!(l["listing"]["title"], "Stehlampe", "nothing changed");
    assert_eq!(l["listing"]["status"], "Active");

    // Hidden listings are "not found" for others, also when they try to change them.
    seller.call("/api/listings/status", &[("id", &id), ("status", "inactive")]).await;
    let res = other.call("/api/listings/status", &[("id", &id), ("status", "active")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, _) = other.html(&format!("/listings/{id}/edit")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Anonymous visitors cannot post.
    let res = save(&app.browser(), form(&fields("Anonym", "", ("free", "")), vec![])).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Field errors come back with the field.
    let res = save(&seller, form(&fields("Lampe", "", ("fixed", "")), vec![])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["field"], "Price", "{err}");
}

/// A real JPEG with an EXIF block (GPS position) and a comment, both holding a marker.
fn jpeg_with_metadata(marker: &str) -> Vec<u8> {
    let mut plain = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]))
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .unwrap();
    let plain = plain.into_inner();
    assert_eq!(&plain[..2], &[0xFF, 0xD8]);
    // APP1 "Exif": a big-endian TIFF header with an empty IFD, then the marker.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(format!("GPS 52.5200 N 13.4050 E {marker}").as_bytes());
    let mut out = vec![0xFF, 0xD8];
    for (kind, payload) in [(0xE1u8, exif), (0xFE, format!("comment {marker}").into_bytes())] {
        out.extend_from_slice(&[0xFF, kind]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&payload);
    }
    out.extend_from_slice(&plain[2..]);
    // Still a JPEG the decoder reads.
    assert_eq!(image::load_from_memory(&out).unwrap().width(), 64);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[db_test]
async fn images_are_reencoded_without_metadata(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, buyer) = two_people(&app).await;
    let marker = "SECRET-PLACE-4711";
    let jpeg = jpeg_with_metadata(marker);
    assert!(contains(&jpeg, marker.as_bytes()) && contains(&jpeg, b"Exif"));
    let png = marktchat_services::images::samples::encoded(40, 30, image::ImageFormat::Png);

    let res = save(
        &seller,
        form(
            &fields("Sessel mit Bildern", "", ("free", "")),
            vec![("sessel.jpg", jpeg), ("detail.png", png)],
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: String = res.json().await.unwrap();
    let (_, l) = get_listing(&buyer, &id).await;
    let images = l["listing"]["images"].as_array().unwrap().clone();
    assert_eq!(images.len(), 2);
    assert_eq!((images[0]["width"].as_u64(), images[0]["height"].as_u64()), (Some(64), Some(48)));

    for img in &images {
        let hash = img["hash"].as_str().unwrap();
        for name in [format!("{hash}.jpg"), format!("{hash}-thumb.jpg")] {
            // the bytes on disk
            let path = app.data_dir().join("images").join(&hash[..2]).join(&name);
            let stored = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            assert_eq!(&stored[..2], &[0xFF, 0xD8], "stored as JPEG");
            assert!(!contains(&stored, marker.as_bytes()), "marker gone from {name}");
            assert!(!contains(&stored, b"Exif"), "no EXIF block in {name}");
            // and what is served, with long cache headers
            let res = buyer.get(&format!("/images/{name}")).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(res.headers()["content-type"], "image/jpeg");
            let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
            assert!(cache.contains("max-age=31536000") && cache.contains("immutable"), "{cache}");
            assert_eq!(res.bytes().await.unwrap().as_ref(), stored.as_slice());
        }
    }
    // The listing page shows the gallery.
    let (_, html) = buyer.html(&format!("/listings/{id}")).await;
    assert!(html.contains(&format!("/images/{}.jpg", images[0]["hash"].as_str().unwrap())));
    // ?image=N shows that one large and marks only its thumbnail as the current one
    let (_, html) = buyer.html(&format!("/listings/{id}?image=1")).await;
    assert!(html.contains(&format!("/images/{}.jpg", images[1]["hash"].as_str().unwrap())));
    assert!(html.contains(&format!(r#"href="/listings/{id}?image=1" aria-current="true""#)));
    assert_eq!(html.matches("aria-current").count(), 1, "{html}");

    // Removing one image on edit.
    let mut edit = fields("Sessel mit Bildern", "", ("free", ""));
    edit.push(("id", id.clone()));
    edit.push(("remove_image", images[0]["hash"].as_str().unwrap().to_owned()));
    assert_eq!(save(&seller, form(&edit, vec![])).await.status(), StatusCode::OK);
    let (_, l) = get_listing(&buyer, &id).await;
    assert_eq!(l["listing"]["images"].as_array().unwrap(), &images[1..]);

    let res = buyer.get(&format!("/images/{}.jpg", "0".repeat(64))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = buyer.get("/images/..%2F..%2Fmarktchat.db").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[db_test]
async fn a_text_file_named_jpg_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _) = two_people(&app).await;
    let good = marktchat_services::images::samples::encoded(40, 30, image::ImageFormat::Png);
    let res = save(
        &seller,
        form(
            &fields("Kommode", "", ("fixed", "80")),
            vec![("ok.png", good), ("urlaub.jpg", b"Dies ist kein Bild.\n".to_vec())],
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["field"], "Images", "{err}");
    assert_eq!(err["Invalid"][0]["problem"], "ImageFormat", "{err}");
    let mine = seller.call("/api/listings/mine", &[]).await.json::<Value>().await.unwrap();
    assert_eq!(mine["total"], 0, "no listing created: {mine}");
    let images = app.data_dir().join("images");
    let stored = std::fs::read_dir(&images).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "no image written");

    // Without JavaScript the message appears on the form.
    let res = save_no_js(
        &seller,
        "/listings/new",
        form(&fields("Kommode", "", ("fixed", "80")), vec![("x.jpg", b"nope".to_vec())]),
    )
    .await;
    let (_, html) = seller.html(location(&res).trim_start_matches(&seller.base)).await;
    assert!(html.contains("Das ist kein Bild, das wir lesen können."), "{html}");
}

#[db_test]
async fn search_finds_words_filters_and_sorts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, visitor) = two_people(&app).await;
    for (title, description, price) in [
        ("Kinderfahrrad 20 Zoll", "Mit Stützrädern und Klingel", ("fixed", "45")),
        ("Sofa", "Dreisitzer, Cord, sehr bequem", ("fixed", "120")),
        ("Umzugskartons", "Zwanzig Stück, zu verschenken", ("free", "")),
        ("Klavier", "Muss abgeholt werden, Preis nach Absprache", ("negotiable", "")),
        ("Esstisch", "Massives Holz, mit Klingel-Schublade", ("fixed", "300")),
    ] {
        create(&seller, title, description, price).await;
    }

    // words from the description, prefix matching, every word must match
    assert_eq!(titles(&search(&visitor, &[("q", "stützräder")]).await), ["Kinderfahrrad 20 Zoll"]);
    assert_eq!(titles(&search(&visitor, &[("q", "Klingel Holz")]).await), ["Esstisch"]);
    assert_eq!(titles(&search(&visitor, &[("q", "bequ")]).await), ["Sofa"]);
    assert_eq!(titles(&search(&visitor, &[("q", "\"Klingel* OR")]).await).len(), 0);

    // price range and sort orders
    assert_eq!(
        titles(&search(&visitor, &[("min", "40"), ("max", "150"), ("sort", "price_asc")]).await),
        ["Kinderfahrrad 20 Zoll", "Sofa"]
    );
    assert_eq!(
        titles(&search(&visitor, &[("sort", "price_asc")]).await),
        ["Umzugskartons", "Kinderfahrrad 20 Zoll", "Sofa", "Esstisch", "Klavier"]
    );
    assert_eq!(
        titles(&search(&visitor, &[("sort", "price_desc")]).await),
        ["Esstisch", "Sofa", "Kinderfahrrad 20 Zoll", "Umzugskartons", "Klavier"]
    );
    assert_eq!(titles(&search(&visitor, &[]).await)[0], "Esstisch", "newest first");
    // category and place
    assert_eq!(titles(&search(&visitor, &[("category", "home-garden")]).await).len(), 5);
    assert_eq!(titles(&search(&visitor, &[("category", "electronics")]).await).len(), 0);
    assert_eq!(titles(&search(&visitor, &[("place", "10")]).await).len(), 5);
    assert_eq!(titles(&search(&visitor, &[("place", "80")]).await).len(), 0);
    assert_eq!(titles(&search(&visitor, &[("place", "berlin")]).await).len(), 5);

    // a bad filter is the user's mistake, named with its field
    let res = visitor.call("/api/listings/search", &[("params[min]", "viel")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // the pages themselves render on the server
    let (status, html) = visitor.html("/search?q=sofa&sort=price_asc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sofa") && !html.contains("Klavier"), "{html}");
    let (status, html) = visitor.html("/c/home-garden/furniture").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Esstisch"));
    assert_eq!(visitor.html("/c/nonsense").await.0, StatusCode::NOT_FOUND);
    let res = visitor.get("/search/?q=sofa").await;
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location(&res), "/search?q=sofa");
    assert_eq!(location(&visitor.get("/c/home-garden//").await), "/c/home-garden");
    // a search form sent without JavaScript names empty fields too; the address does not
    let res = visitor.get("/search?q=sofa&category=&min=+&max=&place=&sort=price_asc").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/search?q=sofa&sort=price_asc");
    assert_eq!(location(&visitor.get("/c/home-garden?q=&min=").await), "/c/home-garden");
    assert_eq!(visitor.get("/search?q=sofa").await.status(), StatusCode::OK);
    let (_, html) = visitor.html("/").await;
    assert!(html.contains("Esstisch"), "latest listings on the start page");
    let (status, html) = visitor.html("/search?min=viel").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Bitte einen Betrag wie 12,50 eingeben."), "error next to the field");
}

#[db_test]
async fn watch_list_keeps_favourites_and_reports_removed_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, buyer) = two_people(&app).await;
    let a = create(&seller, "Gartenstuhl", "", ("fixed", "15")).await;
    let b = create(&seller, "Sonnenschirm", "", ("fixed", "25")).await;
    for id in [&a, &b] {
        let res = buyer
            .form_post(
                &format!("/listings/{id}"),
                "/api/listings/favourite",
                &[("id", id), ("on", "1")],
            )
            .await;
        assert_eq!(location(&res), format!("/listings/{id}"));
    }
    assert_eq!(get_listing(&buyer, &a).await.1["favourite"], true);
    // "Download my data" holds one's listings and watch list.
    let export: Value = seller.get("/account/export").await.json().await.unwrap();
    let mine: Vec<_> = export["listings"].as_array().unwrap().iter().map(|l| &l["title"]).collect();
    assert_eq!(mine, ["Sonnenschirm", "Gartenstuhl"]);
    let export: Value = buyer.get("/account/export").await.json().await.unwrap();
    assert_eq!(export["watch_list"].as_array().unwrap().len(), 2);
    assert_eq!(export["listings"].as_array().unwrap().len(), 0);
    let (_, html) = buyer.html("/profile?section=watch-list").await;
    assert!(html.contains("Gartenstuhl") && html.contains("Sonnenschirm"));

    seller.call("/api/listings/status", &[("id", &a), ("status", "sold")]).await;
    let (_, html) = buyer.html("/profile?section=watch-list").await;
    assert!(html.contains("zurzeit nicht zu sehen") && html.contains("Gartenstuhl"), "named");
    // with nothing visible left, the list is not called empty while it names entries
    seller.call("/api/listings/status", &[("id", &b), ("status", "inactive")]).await;
    let (_, html) = buyer.html("/profile?section=watch-list").await;
    assert!(html.contains("Sonnenschirm") && !html.contains("Merkliste ist leer"), "{html}");
    seller.call("/api/listings/status", &[("id", &b), ("status", "active")]).await;
    let list: Value = buyer.call("/api/listings/watch-list", &[]).await.json().await.unwrap();
    assert_eq!(list["listings"].as_array().unwrap().len(), 1);
    assert_eq!(list["removed"][0]["title"], "Gartenstuhl");
    assert!(!html.contains(&format!("href=\"/listings/{a}\"")), "no link to the gone listing");
    let res = buyer
        .form_post(
            "/profile",
            "/api/listings/favourite",
            &[("id", &a), ("next", "/profile?section=watch-list")],
        )
        .await;
    assert_eq!(location(&res), "/profile?section=watch-list");
    let list: Value = buyer.call("/api/listings/watch-list", &[]).await.json().await.unwrap();
    assert_eq!(list["removed"].as_array().unwrap().len(), 0);

    let res = buyer.call("/api/listings/favourite", &[("id", &b)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(get_listing(&buyer, &b).await.1["favourite"], false);
    let res = app.browser().call("/api/listings/favourite", &[("id", &b), ("on", "1")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[db_test]
async fn pagination_returns_every_seeded_listing_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = marktchat_services::Database::connect(&app.db_url).await.unwrap();
    let opts = marktchat_services::seed::SeedOptions {
        users: 20,
        listings: 1200,
        images: false,
        seed: 42,
        password: None,
    };
    marktchat_services::seed::seed(&db, None, &opts, &mut |_, _, _| {}).await.unwrap();
    let (public,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM listings WHERE status IN ('active', 'reserved')")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(public >= 1000, "{public}");
    let visitor = app.browser();
    for sort in ["newest", "price_asc", "price_desc"] {
        let mut seen = std::collections::HashSet::new();
        let mut after = String::new();
        let mut pages = 0;
        loop {
            let page = search(&visitor, &[("sort", sort), ("after", &after)]).await;
            for l in page["listings"].as_array().unwrap() {
                assert!(seen.insert(l["id"].as_str().unwrap().to_owned()), "{sort}: twice");
            }
            pages += 1;
            match page["next"].as_str() {
                Some(n) => after = n.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len() as i64, public, "{sort}: every public listing once");
        assert!(pages > 40, "{sort}: {pages} pages");
    }
}

#[db_test]
async fn new_listing_page_asks_for_a_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.browser().get("/listings/new").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/login?next=%2Flistings%2Fnew");
    let (seller, _) = two_people(&app).await;
    let (status, html) = seller.html("/listings/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("Elektronik") || html.contains("Electronics"), "categories listed");
}

#[db_test]
async fn too_many_images_on_edit_are_refused_before_anything_is_written(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _) = two_people(&app).await;
    let png = |w| marktchat_services::images::samples::encoded(w, 20, image::ImageFormat::Png);
    let nine: Vec<_> = (0..9).map(|i| ("p.png", png(20 + i))).collect();
    let res = save(&seller, form(&fields("Neun Bilder", "", ("free", "")), nine)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: String = res.json().await.unwrap();
    let files = || walk(&app.data_dir().join("images"));
    assert_eq!(files(), 18, "display and thumbnail of nine pictures");

    let mut edit = fields("Neun Bilder", "", ("free", ""));
    edit.push(("id", id.clone()));
    let res = save(&seller, form(&edit, vec![("a.png", png(40)), ("b.png", png(41))])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["problem"]["TooManyImages"]["max"], 10, "{err}");
    assert_eq!(files(), 18, "nothing written");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

#[db_test]
async fn odd_input_gets_clear_answers_not_crashes(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, buyer) = two_people(&app).await;
    // ids that are no listing id, with a line break aimed at the redirect header
    let res = buyer.call("/api/listings/favourite", &[("id", "x\r\nSet-Cookie: a=b")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = buyer.call("/api/listings/get", &[("id", "../etc")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // a redirect target elsewhere is ignored
    let id = create(&buyer, "Lampe", "", ("free", "")).await;
    let res = buyer
        .form_post("/", "/api/listings/favourite", &[("id", &id), ("next", "/\t/evil.example")])
        .await;
    assert_eq!(location(&res), format!("/listings/{id}"));
    // absurd prices in a search
    let res = buyer.call("/api/listings/search", &[("params[min]", "100000000000000000")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // bodies: 1 MB for ordinary forms
    let big = "x".repeat(2 * 1024 * 1024);
    let res = buyer.call("/api/login", &[("email", &big), ("password", "x")]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // arguments missing: the function never runs, the caller still gets a 400 that says why
    let res = buyer.call("/api/listings/get", &[]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let error: Value = res.json().await.unwrap();
    assert!(error.get("Request").is_some(), "{error}");
    // the upload route without a multipart body
    let res = buyer.call("/api/listings/save", &[("title", "Lampe")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = buyer
        .client
        .post(app.url("/api/listings/save"))
        .header("content-type", "multipart/form-data")
        .body("--x--")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // the server still answers
    assert_eq!(buyer.get("/healthz").await.status(), StatusCode::OK);
}

/// Sends `body` in chunks (no declared length) and returns the status line the
/// server answers with.
async fn post_chunked(app: &TestApp, path: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr,
        app.origin()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // the server may answer and stop reading before everything is sent
    for chunk in body.chunks(64 * 1024) {
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(chunk);
        framed.extend_from_slice(b"\r\n");
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(8), read).await;
    String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned()
}

#[db_test]
async fn bodies_without_a_declared_length_are_capped_too(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut big = b"password=x&email=".to_vec();
    big.resize(4 * 1024 * 1024, b'x');
    let status = post_chunked(&app, "/api/login", &big).await;
    assert!(status.starts_with("HTTP/1.1 400"), "{status}");
    // a small chunked body is read as usual: wrong credentials, not a size problem
    let status = post_chunked(&app, "/api/login", b"email=a%40b.de&password=wrong-wrong").await;
    assert!(status.starts_with("HTTP/1.1 401"), "{status}");
}

/// Saves a listing with pictures and returns its id and the pictures' hashes.
async fn create_with_pictures(
    b: &Browser,
    title: &str,
    pictures: &[&[u8]],
) -> (String, Vec<String>) {
    let files = pictures.iter().map(|p| ("bild.jpg", p.to_vec())).collect();
    let res = save(b, form(&fields(title, "", ("free", "")), files)).await;
    assert_eq!(res.status(), StatusCode::OK, "{title}");
    let id: String = res.json().await.unwrap();
    let (_, l) = get_listing(b, &id).await;
    let hashes = l["listing"]["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["hash"].as_str().unwrap().to_owned())
        .collect();
    (id, hashes)
}

async fn served(b: &Browser, hash: &str) -> (StatusCode, StatusCode) {
    let display = b.get(&format!("/images/{hash}.jpg")).await.status();
    let thumb = b.get(&format!("/images/{hash}-thumb.jpg")).await.status();
    (display, thumb)
}

#[db_test]
async fn pictures_no_listing_shows_are_deleted_from_disk(backend: Backend) {
    use std::time::Duration;
    let app = spawn_app(backend).await;
    let (seller, buyer) = two_people(&app).await;
    let services = &app.running.services;
    let picture = |w| marktchat_services::images::samples::encoded(w, 30, image::ImageFormat::Png);
    let (one, two, three) = (picture(40), picture(50), picture(60));
    let (a, a_hashes) = create_with_pictures(&seller, "Regal", &[&one, &two]).await;
    // the same picture on a second listing is stored once
    let (b, b_hashes) = create_with_pictures(&seller, "Kommode", &[&two, &two]).await;
    assert_eq!(b_hashes.len(), 1, "the same picture twice is kept once");
    assert_eq!(a_hashes[1], b_hashes[0]);
    assert_ne!(a_hashes[0], a_hashes[1]);
    let (_, c_hashes) = create_with_pictures(&buyer, "Truhe", &[&three]).await;
    let (h1, h2, h3) = (a_hashes[0].clone(), a_hashes[1].clone(), c_hashes[0].clone());

    // nothing to do while every picture is shown
    assert_eq!(services.prune_images(Duration::ZERO).await.unwrap(), 0);
    // a picture taken off a listing goes; one still shown elsewhere stays
    let mut edit = fields("Regal", "", ("free", ""));
    edit.push(("id", a.clone()));
    edit.push(("remove_image", h1.clone()));
    assert_eq!(save(&seller, form(&edit, vec![])).await.status(), StatusCode::OK);
    let res = seller
        .call("/api/listings/status", &[("id", &b), ("status", "deleted"), ("confirm", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // not before the grace period is over (uploads being saved are written first)
    assert_eq!(services.prune_images(Duration::from_secs(3600)).await.unwrap(), 0);
    assert_eq!(served(&buyer, &h1).await, (StatusCode::OK, StatusCode::OK));
    assert_eq!(services.prune_images(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(served(&buyer, &h1).await, (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(served(&buyer, &h2).await, (StatusCode::OK, StatusCode::OK), "still on the Regal");

    // the pictures of a deleted account go too
    let res = buyer
        .call("/api/profile/delete", &[("current_password", PASSWORD), ("confirm", "yes")])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(services.prune_images(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(served(&seller, &h3).await, (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(served(&seller, &h2).await, (StatusCode::OK, StatusCode::OK));
    // and a picture uploaded again is stored again
    let (_, again) = create_with_pictures(&seller, "Neues Regal", &[&one]).await;
    assert_eq!(again[0], h1);
    assert_eq!(served(&seller, &h1).await, (StatusCode::OK, StatusCode::OK));
}

/// A category that does not exist is a "not found" page with a title of its own, like
/// every page (the tab said only "marktchat").
#[db_test]
async fn an_unknown_category_is_not_found_and_says_so_in_its_title(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let (status, html) = visitor.html("/c/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<title>Kategorie nicht gefunden · marktchat</title>"), "{html}");
    let (status, html) = visitor.html("/c/home-garden").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Haus &amp; Garten · marktchat</title>"), "{html}");
}

/// What people type into a title stays text in the page's `<title>` too (leptos_meta
/// writes the title as it is given: `PageTitle` escapes it).
#[db_test]
async fn a_hostile_listing_title_stays_text_in_the_page_title(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, buyer) = two_people(&app).await;
    let title = r#"</title><meta http-equiv="refresh" content="0;url=https://evil.example">"#;
    let id = create(&seller, title, "", ("fixed", "5")).await;
    let (status, html) = buyer.html(&format!("/listings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let head = &html[..html.find("</head>").expect("a head")];
    assert!(!head.contains("<meta http-equiv"), "{head}");
    assert!(
        head.contains("<title>&lt;/title&gt;&lt;meta http-equiv=\"refresh\""),
        "the title as text: {head}"
    );
}

/// What a person typed into a failed form reaches neither an address nor the log,
/// even when the server logs every request (`RUST_LOG=debug`).
#[db_test]
async fn a_failed_form_leaves_nothing_typed_in_addresses_or_the_log(backend: Backend) {
    const TITLE: &str = "Hx";
    const SECRET: &str = "Telefon 0170-5550123 Schlüssel";
    let server = common::ServerProcess::start_logging(backend, &[], "debug").await;
    let seller = common::browser_for(&server.url(""), Default::default());
    let res = seller.register("log@example.de", "Lena Log", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let res =
        save_no_js(&seller, "/listings/new", form(&fields(TITLE, SECRET, ("fixed", "12")), vec![]))
            .await;
    assert_eq!(location(&res), "/listings/new");
    let (_, html) = seller.html("/listings/new").await;
    assert!(html.contains(SECRET), "the form shows it again");
    // A failed login and a failed registration too (server functions' own redirects).
    let stranger = common::browser_for(&server.url(""), Default::default());
    let res = stranger
        .form_post("/login", "/api/login", &[("email", "nobody@example.de"), ("password", "x")])
        .await;
    assert_eq!(location(&res), server.url("/login"));
    let res = stranger.register("x@example.de", "Q", "short").await;
    assert_eq!(location(&res), server.url("/register"));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(log.contains("/api/listings/save"), "the log covers the posts");
    for typed in
        [SECRET, "5550123", "Schl%C3%BCssel", "nobody@example.de", "x%40example.de", "__err"]
    {
        assert!(!log.contains(typed), "{typed:?} is in the server log");
    }
}
