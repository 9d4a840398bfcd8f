//! The bare baseline for page benchmarks: axum and sqlx, nothing else. It runs the
//! very SQL the app runs for each page (taken from `marktchat_services`, so the two
//! cannot drift apart) and writes minimal HTML: no sessions, no Leptos, no layout, no
//! per-request cache. What marktchat does on top of that is what the ratio measures.
//!
//! Pages: `/` (latest listings), `/search?…` (every search parameter the app takes),
//! `/c/{top}` and `/c/{top}/{sub}` (category pages), `/listings/{id}`.

pub mod botload;
pub mod chatload;
pub mod relay;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use marktchat_services::db::SqlArg;
use marktchat_services::listings::{listing_sql, Listings, LISTING_IMAGES_SQL};
use marktchat_services::Database;
use marktchat_shared::search::{Search, SearchParams, PAGE_SIZE};
use sqlx::Row;

pub fn router(db: Database) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/c/{top}", get(top_category))
        .route("/c/{top}/{sub}", get(sub_category))
        .route("/listings/{id}", get(listing))
        .with_state(db)
}

async fn home(State(db): State<Database>) -> Response {
    list(&db, SearchParams::default()).await
}

async fn search(State(db): State<Database>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    list(&db, SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))).await
}

async fn top_category(State(db): State<Database>, Path(top): Path<String>) -> Response {
    list(&db, SearchParams { category: top, ..SearchParams::default() }).await
}

async fn sub_category(
    State(db): State<Database>,
    Path((top, sub)): Path<(String, String)>,
) -> Response {
    list(&db, SearchParams { category: format!("{top}/{sub}"), ..SearchParams::default() }).await
}

async fn list(db: &Database, params: SearchParams) -> Response {
    let Ok(search) = Search::parse(&params) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "bad search").into_response();
    };
    let (sql, args) = Listings::new(db).search_sql(&search, PAGE_SIZE);
    let mut query = sqlx::query(&sql);
    for a in args {
        query = match a {
            SqlArg::Text(s) => query.bind(s),
            SqlArg::Int(i) => query.bind(i),
        };
    }
    let rows = match query.fetch_all(db.pool()).await {
        Ok(rows) => rows,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    // The result count, as the product's search page shows it.
    let (sql, args) = Listings::new(db).count_sql(&search);
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for a in args {
        query = match a {
            SqlArg::Text(s) => query.bind(s),
            SqlArg::Int(i) => query.bind(i),
        };
    }
    let count = match query.fetch_one(db.pool()).await {
        Ok(count) => count,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let mut html = format!("<!DOCTYPE html><html><body><p>{count}</p><ul>");
    for row in rows.iter().take(PAGE_SIZE) {
        let id: String = row.get("id");
        let title: String = row.get("title");
        html.push_str(&format!("<li><a href=\"/listings/{id}\">{}</a></li>", escape(&title)));
    }
    html.push_str("</ul></body></html>");
    Html(html).into_response()
}

async fn listing(State(db): State<Database>, Path(id): Path<String>) -> Response {
    let row = match sqlx::query(&listing_sql()).bind(&id).fetch_optional(db.pool()).await {
        Ok(Some(row)) => row,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such listing").into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let images = match sqlx::query(LISTING_IMAGES_SQL).bind(&id).fetch_all(db.pool()).await {
        Ok(images) => images,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let title: String = row.get("title");
    let description: String = row.get("description");
    let seller: String = row.get("seller_name");
    let mut html = format!(
        "<!DOCTYPE html><html><body><h1>{}</h1><p>{}</p><p>{}</p>",
        escape(&title),
        escape(&description),
        escape(&seller)
    );
    for image in &images {
        let hash: String = image.get("hash");
        html.push_str(&format!("<img src=\"/images/{hash}.jpg\">"));
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
