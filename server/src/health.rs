//! `GET /health`: is the process up and can it reach its database?

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::router::AppState;

/// The health report.
#[derive(Debug, Serialize)]
pub struct HealthReport {
    /// `ok` when every check passed, otherwise `degraded`.
    pub status: &'static str,
    /// `ok` or `unavailable`.
    pub database: &'static str,
    /// The running version.
    pub version: &'static str,
}

/// 200 with the report when healthy, 503 when the database does not answer.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthReport>) {
    let database_ok = domain::db::ping(state.services.db()).await;
    let report = HealthReport {
        status: if database_ok { "ok" } else { "degraded" },
        database: if database_ok { "ok" } else { "unavailable" },
        version: env!("CARGO_PKG_VERSION"),
    };
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}
