//! The device authorization endpoint (RFC 8628 §3.1) and the page where a person approves the code.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Ctx, OAuthError, Params, no_store};
use crate::demo::device_codes::normalize_user_code;
use crate::demo::ids::unix_now;
use crate::demo::pages;
use crate::demo::scopes::ScopeSet;
use crate::demo::tokens::Grant;

/// `POST {issuer}/protocol/openid-connect/auth/device`.
pub(super) async fn authorize(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let params = match Params::parse(&body) {
        Ok(params) => params,
        Err(name) => {
            return OAuthError::invalid_request(format!("Parameter {name} given more than once")).into_response();
        }
    };
    let client = match ctx.clients.authenticate(&headers, &params) {
        Ok(client) if client.kind.has_people() => client,
        Ok(_) => {
            let description = "The machine client signs in as itself, with client_credentials";
            return OAuthError::new("unauthorized_client", description).into_response();
        }
        Err(error) => return error.into_response(),
    };
    let client_id = client.id.to_owned();
    let scopes = ScopeSet::grant(params.get("scope"));
    tracing::info!(client_id = %client_id, scope = %scopes, "demo: device authorization started");
    let grant = Grant { client_id, scopes, nonce: None, auth_time: unix_now(), sid: None };
    let device = ctx.devices.start(grant);
    let verification_uri = format!("{}/device", ctx.issuer);
    let body = json!({
        "device_code": device.device_code,
        "user_code": device.user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": format!("{verification_uri}?user_code={}", device.user_code),
        "expires_in": ctx.devices.ttl.as_secs().max(1),
        "interval": whole_seconds_up(ctx.devices.interval),
    });
    no_store(Json(body).into_response())
}

/// `GET {issuer}/device[?user_code=...]`.
pub(super) async fn page(State(ctx): Ctx, RawQuery(query): RawQuery) -> Response {
    let typed = Params::parse(query.unwrap_or_default().as_bytes())
        .ok()
        .and_then(|params| params.get("user_code").map(str::to_owned))
        .unwrap_or_default();
    // Show the code as the terminal shows it when it is one; otherwise as typed, escaped by the page.
    let shown = normalize_user_code(&typed).unwrap_or(typed);
    pages::device(&action(&ctx.realm_path), &ctx.user.name, &shown, None)
}

/// `POST {issuer}/device`: the Approve or Deny button.
pub(super) async fn decide(State(ctx): Ctx, body: Bytes) -> Response {
    let params = Params::parse(&body).ok();
    let typed = params.as_ref().and_then(|p| p.get("user_code")).unwrap_or_default();
    let approve = match params.as_ref().and_then(|p| p.get("action")) {
        Some("approve") => true,
        Some("deny") => false,
        _ => return pages::device(&action(&ctx.realm_path), &ctx.user.name, typed, Some("Use Approve or Deny.")),
    };
    match ctx.devices.decide(typed, approve) {
        Ok(()) => {
            tracing::info!(approved = approve, "demo: device decision taken");
            pages::device_done(approve)
        }
        Err(why) => pages::device(&action(&ctx.realm_path), &ctx.user.name, typed, Some(why.describe())),
    }
}

/// Seconds, rounded up: a client waiting the announced interval then never polls sooner than the server wants.
fn whole_seconds_up(duration: std::time::Duration) -> u64 {
    (duration.as_secs() + u64::from(duration.subsec_nanos() > 0)).max(1)
}

fn action(realm_path: &str) -> String {
    format!("{realm_path}/device")
}
