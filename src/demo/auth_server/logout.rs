//! The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0): ends the browser's session here, and what
//! was signed in with it, then sends the browser back to the client's `post_logout_redirect_uri` with its `state`.
//!
//! An `id_token_hint` must be an ID token this server signed, and names the session to end; a `client_id` must
//! agree with it; a `post_logout_redirect_uri` must be loopback (what the demo's clients register) and needs the
//! client to be known. A request that fails any of these gets a page, never a redirect. Without a hint the person is
//! asked first, as Keycloak asks, so that a link from elsewhere cannot sign them out.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use url::Url;

use super::{AuthContext, Ctx, Params};
use crate::demo::browser_sessions::BrowserSessions;
use crate::demo::{loopback, pages};

/// `GET {issuer}/protocol/openid-connect/logout`.
pub(super) async fn logout(State(ctx): Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    end_session(&ctx, &headers, query.unwrap_or_default().as_bytes())
}

/// `POST {issuer}/protocol/openid-connect/logout`: the same as a form (which the confirmation page posts).
pub(super) async fn confirmed(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
    end_session(&ctx, &headers, &body)
}

/// A request the endpoint refuses, in words for the page.
fn refuse(message: impl Into<String>) -> Response {
    pages::error(StatusCode::BAD_REQUEST, "This sign-out request is not valid", &message.into())
}

fn end_session(ctx: &AuthContext, headers: &HeaderMap, form: &[u8]) -> Response {
    let params = match Params::parse(form) {
        Ok(params) => params,
        Err(name) => return refuse(format!("The parameter {name} was given more than once.")),
    };
    let hint = match params.get("id_token_hint").map(|token| (token, ctx.signer.verify(token))) {
        None => None,
        Some((_, Some(claims))) if claims.get("iss").and_then(Value::as_str) == Some(ctx.issuer.as_str()) => {
            Some(claims)
        }
        Some(_) => return refuse("The id_token_hint is not an ID token this server issued."),
    };
    let hinted_client = hint.as_ref().and_then(|claims| claims.get("aud")).and_then(Value::as_str);
    let client_id = match (params.get("client_id"), hinted_client) {
        (Some(given), Some(hinted)) if given != hinted => {
            return refuse(format!("The id_token_hint was issued to another client than {given}."));
        }
        (Some(given), _) if !ctx.clients.find(given).is_some_and(|(_, kind)| kind.has_people()) => {
            return refuse(format!("The client {given} is not known here, or has no browser sign-in."));
        }
        (given, hinted) => given.or(hinted),
    };
    let redirect = match (params.get("post_logout_redirect_uri"), client_id) {
        (None, _) => None,
        (Some(_), None) => {
            return refuse("A post_logout_redirect_uri needs the client: send client_id or id_token_hint.");
        }
        (Some(uri), Some(_)) => match loopback::parse(uri) {
            Ok(url) => Some(url),
            Err(why) => {
                return refuse(format!(
                    "The post_logout_redirect_uri ({}) {}; the demo only returns to loopback addresses.",
                    loopback::origin_of(uri),
                    why.describe()
                ));
            }
        },
    };
    let state = params.get("state");
    if hint.is_none() && params.get("confirm") != Some("yes") {
        let action = format!("{}/protocol/openid-connect/logout", ctx.realm_path);
        let mut fields = vec![("confirm", "yes")];
        fields.extend(client_id.map(|id| ("client_id", id)));
        fields.extend(params.get("post_logout_redirect_uri").map(|uri| ("post_logout_redirect_uri", uri)));
        fields.extend(state.map(|state| ("state", state)));
        return pages::sign_out(&action, &ctx.user.name, &fields);
    }

    let sid = hint.as_ref().and_then(|claims| claims.get("sid")).and_then(Value::as_str);
    let ended = ctx.browsers.end(headers, sid);
    ctx.tokens.end_browser_sessions(&ended);
    tracing::info!(sessions = ended.len(), client_id, "demo: signed out at the server");
    let mut response = match redirect {
        Some(url) => back_to(url, state),
        None => pages::signed_out(),
    };
    response.headers_mut().insert(header::SET_COOKIE, BrowserSessions::clear_cookie(&ctx.realm_path));
    response
}

/// `303` to the post-logout redirect URI, `state` added to its query when the request had one.
fn back_to(mut url: Url, state: Option<&str>) -> Response {
    if let Some(state) = state {
        url.query_pairs_mut().append_pair("state", state);
    }
    let mut response = Redirect::to(url.as_str()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
