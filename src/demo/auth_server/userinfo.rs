//! The userinfo endpoint (OpenID Connect Core §5.3): the demo user's claims for a valid access token.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Ctx;
use crate::demo::REALM;
use crate::demo::tokens::bearer;

/// `GET` or `POST {issuer}/protocol/openid-connect/userinfo` with `Authorization: Bearer`.
pub(super) async fn userinfo(State(ctx): Ctx, headers: HeaderMap) -> Response {
    let grant = bearer(&headers).and_then(|token| ctx.tokens.access(token));
    let Some(grant) = grant else {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_token", "Token verification failed");
    };
    // Keycloak answers userinfo only for tokens granted `openid`.
    if !grant.scopes.contains("openid") {
        return refuse(StatusCode::FORBIDDEN, "insufficient_scope", "The access token was not granted openid");
    }
    Json(Value::Object(ctx.user.claims())).into_response()
}

fn refuse(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response = (status, Json(json!({ "error": error, "error_description": description }))).into_response();
    let challenge = format!("Bearer realm=\"{REALM}\", error=\"{error}\", error_description=\"{description}\"");
    if let Ok(challenge) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}
