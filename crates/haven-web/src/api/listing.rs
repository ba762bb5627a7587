//! `GET /api/organisation/listing`: an organisation's own listing, for its integrations, read
//! with an API token. Straight from the store, so it includes what the public snapshot has not
//! picked up yet; confidential locations are still redacted, as everywhere outside the store.

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use crate::AppError;
use crate::access::ActingToken;
use crate::state::AppState;

pub(crate) async fn own(
    State(state): State<AppState>,
    acting: ActingToken,
) -> Result<Json<Value>, AppError> {
    let listing = acting.tenant.listing.ok_or_else(AppError::not_found)?;
    let dataset = haven_hsds::redact::public_dataset(&state.store().dataset().await?);
    haven_hsds::export::organization_full(&dataset, listing.as_uuid())
        .map(Json)
        .ok_or_else(AppError::not_found)
}
