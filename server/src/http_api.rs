//! Plain HTTP endpoints outside the Leptos app. Errors use the app's `AppError`, whose
//! `status_code` is the one mapping from errors to HTTP.

use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use marktchat_app::error::AppError;
use marktchat_services::RequestSession;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/account/export", get(export))
        .route("/images/{name}", get(image))
        .route("/admin/bot/stats.csv", get(bot_stats_csv))
}

/// A stored listing image (`<hash>.jpg` or `<hash>-thumb.jpg`). The name is the
/// content's hash, so the file never changes: browsers may keep it for a year.
async fn image(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.services.images.read(&name).await {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such image\n").into_response(),
    }
}

/// An error answered as JSON: `{"error": <AppError>}` with its status code.
pub struct ApiError(pub AppError);

impl From<marktchat_services::Error> for ApiError {
    fn from(e: marktchat_services::Error) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(serde_json::json!({ "error": self.0 }))).into_response()
    }
}

/// 200 when the database answers, 503 otherwise.
async fn health(State(state): State<AppState>) -> Response {
    match state.services.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// "Download my data": everything stored about the logged-in user, as a JSON file.
/// Anonymous visitors are sent to log in first.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
) -> Result<Response, ApiError> {
    let Some(user) = session.user else {
        return Ok(Redirect::to("/login?next=%2Faccount%2Fexport").into_response());
    };
    let mut data = state.services.accounts().export(&user.id).await?;
    let listings = state.services.listings().export(&user).await?;
    if let (Some(all), serde_json::Value::Object(more)) = (data.as_object_mut(), listings) {
        all.extend(more);
    }
    let body = serde_json::to_vec_pretty(&data)
        .map_err(|e| marktchat_services::Error::internal("cannot write the data export", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"marktchat-data.json\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(serde::Deserialize)]
pub struct CsvQuery {
    /// `hour` (the default) or `day`.
    by: Option<String>,
}

/// The help bot's statistics as CSV: every hour (or day) that has counts, all of
/// them. Admins only; anonymous visitors are sent to log in, others get 403.
async fn bot_stats_csv(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    axum::extract::Query(query): axum::extract::Query<CsvQuery>,
) -> Result<Response, ApiError> {
    use marktchat_services::bot::store::{csv, daily, Stats};
    use marktchat_shared::Timestamp;
    let Some(user) = session.user else {
        return Ok(Redirect::to("/login?next=%2Fadmin%2Fbot").into_response());
    };
    if !user.is_admin() {
        return Err(ApiError(AppError::Forbidden));
    }
    let (by_day, name) = match query.by.as_deref() {
        None | Some("hour") => (false, "marktchat-bot-hourly.csv"),
        Some("day") => (true, "marktchat-bot-daily.csv"),
        Some(_) => return Err(ApiError(AppError::Request("by must be hour or day".into()))),
    };
    let hours = Stats::new(&state.services.db).hourly(Timestamp(0), Timestamp(i64::MAX)).await?;
    let body = if by_day { csv(&daily(&hours)) } else { csv(&hours) };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
