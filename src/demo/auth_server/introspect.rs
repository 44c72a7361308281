//! Token introspection (RFC 7662): what the server knows about one of the calling client's tokens, so the claims
//! view has something to show for the demo's opaque access tokens.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{Ctx, OAuthError, Params, no_store};
use crate::demo::clients::Kind;
use crate::demo::ids::unix_now;

/// `POST {issuer}/protocol/openid-connect/token/introspect`: every client may ask about its own tokens; any other
/// token, and one that is dead, is only `{"active": false}`.
pub(super) async fn introspect(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let params = match Params::parse(&body) {
        Ok(params) => params,
        Err(name) => {
            return OAuthError::invalid_request(format!("Parameter {name} given more than once")).into_response();
        }
    };
    let client = match ctx.clients.authenticate(&headers, &params) {
        Ok(client) => client,
        Err(error) => return error.into_response(),
    };
    let Some(token) = params.get("token") else {
        return OAuthError::invalid_request("Missing form parameter: token").into_response();
    };
    let Some(found) = ctx.tokens.introspect(token, client.id) else {
        return no_store(Json(json!({ "active": false })).into_response());
    };
    let mut answer = Map::new();
    answer.insert("active".into(), true.into());
    answer.insert("token_type".into(), found.token_type.into());
    answer.insert("scope".into(), found.grant.scopes.to_string().into());
    answer.insert("client_id".into(), client.id.into());
    answer.insert("iss".into(), ctx.issuer.clone().into());
    if let Some(seconds) = found.expires_in {
        answer.insert("exp".into(), (unix_now() + seconds).into());
    }
    if client.kind == Kind::Machine {
        // Keycloak names a machine client's service account; the demo says which client it is.
        answer.insert("sub".into(), format!("service-account-{}", client.id).into());
    } else {
        answer.insert("sub".into(), ctx.user.id.clone().into());
        answer.insert("username".into(), ctx.user.preferred_username.clone().into());
        answer.insert("auth_time".into(), found.grant.auth_time.into());
    }
    if let Some(sid) = found.grant.sid {
        answer.insert("sid".into(), sid.into());
    }
    no_store(Json(Value::Object(answer)).into_response())
}
