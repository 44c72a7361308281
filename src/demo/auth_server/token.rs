//! The token endpoint (authorization code with PKCE, refresh token with rotation, device code, client credentials)
//! and revocation.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{AuthContext, Ctx, DEVICE_GRANT, OAuthError, Params, no_store};
use crate::demo::clients::{Authenticated, Kind};
use crate::demo::device_codes::Poll;
use crate::demo::ids::unix_now;
use crate::demo::scopes::ScopeSet;
use crate::demo::tokens::{Grant, GrantError, Issued, RevokeError};

/// `POST {issuer}/protocol/openid-connect/token`.
pub(super) async fn token(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
    match exchange(&ctx, &headers, &body) {
        Ok(issued) => token_response(&ctx, &issued),
        Err(error) => {
            tracing::info!(error = error.error, description = %error.description, "demo: token request refused");
            error.into_response()
        }
    }
}

fn exchange(ctx: &AuthContext, headers: &HeaderMap, body: &[u8]) -> Result<Issued, OAuthError> {
    let params = Params::parse(body)
        .map_err(|name| OAuthError::invalid_request(format!("Parameter {name} given more than once")))?;
    let client = ctx.clients.authenticate(headers, &params)?;
    let client_id = client.id.to_owned();
    let required = |name: &'static str| {
        params.get(name).ok_or_else(|| OAuthError::invalid_request(format!("Missing form parameter: {name}")))
    };
    let grant_type = required("grant_type")?;
    allowed(client, grant_type)?;
    let issued = match grant_type {
        "authorization_code" => {
            let (code, redirect_uri) = (required("code")?, required("redirect_uri")?);
            let verifier = required("code_verifier")?;
            ctx.tokens.redeem_code(code, &client_id, redirect_uri, verifier).map_err(grant_error)?
        }
        "refresh_token" => {
            let scope = params.get("scope").map(ScopeSet::parse);
            ctx.tokens.refresh(required("refresh_token")?, &client_id, scope.as_ref()).map_err(grant_error)?
        }
        DEVICE_GRANT => match ctx.devices.poll(required("device_code")?, &client_id) {
            Poll::Approved(grant) => ctx.tokens.issue(grant),
            Poll::Pending => return Err(OAuthError::new("authorization_pending", "The person has not answered yet")),
            Poll::SlowDown => {
                return Err(OAuthError::new("slow_down", "Polling too fast; add 5 seconds to the interval"));
            }
            Poll::Expired => return Err(OAuthError::new("expired_token", "The device code has expired")),
            Poll::Denied => return Err(OAuthError::new("access_denied", "The person denied the request")),
            Poll::Invalid => return Err(OAuthError::new("invalid_grant", "Invalid device code")),
        },
        "client_credentials" => {
            // No person: the scopes about one are not granted, and there is no refresh token (RFC 6749 §4.4.3).
            let scopes =
                ScopeSet::grant(params.get("scope")).without(&["openid", "offline_access", "profile", "email"]);
            let grant = Grant { client_id: client_id.clone(), scopes, nonce: None, auth_time: unix_now(), sid: None };
            ctx.tokens.issue_access_only(grant)
        }
        _ => return Err(OAuthError::new("unsupported_grant_type", "Unsupported grant_type")),
    };
    tracing::info!(client_id = %client_id, scope = %issued.grant.scopes, "demo: tokens issued");
    Ok(issued)
}

/// Which client may use which grant: a machine client only its client credentials, everyone else only the grants
/// a person signs in with.
fn allowed(client: Authenticated, grant_type: &str) -> Result<(), OAuthError> {
    let person_grant = matches!(grant_type, "authorization_code" | "refresh_token" | DEVICE_GRANT);
    let machine_grant = grant_type == "client_credentials";
    let refused = match client.kind {
        Kind::Machine => person_grant,
        Kind::Public | Kind::Confidential => machine_grant,
    };
    if refused {
        let description = if machine_grant {
            "Only the machine client (zorgtui-demo-machine) may use client_credentials"
        } else {
            "The machine client may only use client_credentials"
        };
        return Err(OAuthError::new("unauthorized_client", description));
    }
    Ok(())
}

fn grant_error(error: GrantError) -> OAuthError {
    match error {
        GrantError::InvalidGrant(description) => OAuthError::new("invalid_grant", description),
        GrantError::InvalidScope(description) => OAuthError::new("invalid_scope", description),
    }
}

/// The JSON a Keycloak token endpoint sends, with an id token when `openid` was granted.
fn token_response(ctx: &AuthContext, issued: &Issued) -> Response {
    let mut body = Map::new();
    body.insert("access_token".into(), issued.access_token.clone().into());
    body.insert("expires_in".into(), issued.expires_in.into());
    if let Some(refresh_token) = &issued.refresh_token {
        body.insert("refresh_expires_in".into(), issued.refresh_expires_in.into());
        body.insert("refresh_token".into(), refresh_token.clone().into());
    }
    body.insert("token_type".into(), "Bearer".into());
    if issued.grant.scopes.contains("openid") {
        body.insert("id_token".into(), id_token(ctx, issued).into());
    }
    body.insert("not-before-policy".into(), 0.into());
    if issued.grant.client_id != crate::demo::MACHINE_CLIENT_ID {
        body.insert("session_state".into(), issued.session.clone().into());
    }
    body.insert("scope".into(), issued.grant.scopes.to_string().into());
    no_store(Json(Value::Object(body)).into_response())
}

fn id_token(ctx: &AuthContext, issued: &Issued) -> String {
    let now = unix_now();
    let mut claims = ctx.user.claims();
    let standard = json!({
        "iss": ctx.issuer,
        "aud": issued.grant.client_id,
        "azp": issued.grant.client_id,
        "typ": "ID",
        "iat": now,
        "exp": now + issued.expires_in,
        "auth_time": issued.grant.auth_time,
        "sid": issued.session,
    });
    if let Value::Object(standard) = standard {
        claims.extend(standard);
    }
    if let Some(nonce) = &issued.grant.nonce {
        claims.insert("nonce".into(), nonce.clone().into());
    }
    ctx.signer.sign(&Value::Object(claims))
}

/// `POST {issuer}/protocol/openid-connect/revoke` (RFC 7009): 200 whether or not the token was known, an error
/// for another client's token. A refresh token takes its access tokens with it.
pub(super) async fn revoke(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let revoked = Params::parse(&body)
        .map_err(|name| OAuthError::invalid_request(format!("Parameter {name} given more than once")))
        .and_then(|params| {
            let client = ctx.clients.authenticate(&headers, &params)?;
            let token =
                params.get("token").ok_or_else(|| OAuthError::invalid_request("Missing form parameter: token"))?;
            ctx.tokens.revoke(token, client.id).map_err(|RevokeError::OtherClient| {
                OAuthError::new("invalid_token", "The token was issued to another client")
            })
        });
    match revoked {
        Ok(()) => {
            tracing::info!("demo: token revoked");
            no_store(StatusCode::OK.into_response())
        }
        Err(error) => error.into_response(),
    }
}
