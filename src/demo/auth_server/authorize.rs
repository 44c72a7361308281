//! The authorization endpoint: validate the request, show the sign-in page, turn the person's answer into a
//! redirect to the client's loopback URI with a code (or `access_denied`), `state` and `iss` (RFC 9207).
//!
//! A request whose client or redirect URI is wrong gets an HTML error page and never a redirect; any other mistake
//! goes back to the (validated) redirect URI as an error, as RFC 6749 §4.1.2.1 says and Keycloak does.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use super::{Ctx, Params};
use crate::demo::CLIENT_ID;
use crate::demo::ids::{is_pkce_text, random_secret, unix_now};
use crate::demo::loopback;
use crate::demo::pages;
use crate::demo::scopes::ScopeSet;
use crate::demo::tokens::Grant;

/// How long a sign-in page stays answerable.
const SIGN_IN_TTL: Duration = Duration::from_secs(600);

/// Validated authorization requests waiting for the person's answer, by the session id the page posts back.
#[derive(Default)]
pub(crate) struct SignIns(Mutex<HashMap<String, SignIn>>);

struct SignIn {
    /// Exactly as the client sent it: the token request must repeat it byte for byte.
    redirect_uri: String,
    redirect: Url,
    state: Option<String>,
    scopes: ScopeSet,
    challenge: String,
    nonce: Option<String>,
    expires: Instant,
}

impl SignIns {
    fn insert(&self, sign_in: SignIn) -> String {
        let session = random_secret();
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        map.retain(|_, pending| pending.expires > now);
        map.insert(session.clone(), sign_in);
        session
    }

    /// The sign-in for `session`, once.
    fn take(&self, session: &str) -> Option<SignIn> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(session).filter(|pending| pending.expires > Instant::now())
    }
}

/// `GET {issuer}/protocol/openid-connect/auth`.
pub(super) async fn show(State(ctx): Ctx, RawQuery(query): RawQuery) -> Response {
    let refuse = |message: String| pages::error(StatusCode::BAD_REQUEST, "This sign-in request is not valid", &message);
    let params = match Params::parse(query.unwrap_or_default().as_bytes()) {
        Ok(params) => params,
        Err(name) => return refuse(format!("The parameter {name} was given more than once.")),
    };
    match params.get("client_id") {
        None => return refuse("The request names no client_id.".to_owned()),
        Some(CLIENT_ID) => {}
        Some(other) => {
            return refuse(format!("The client {other} is not known here; the demo knows only {CLIENT_ID}."));
        }
    }
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return refuse("The request names no redirect_uri.".to_owned());
    };
    let redirect = match loopback::parse(redirect_uri) {
        Ok(url) => url,
        Err(why) => {
            let origin = loopback::origin_of(redirect_uri);
            return refuse(format!(
                "The redirect_uri ({origin}) {}; the demo only returns to loopback addresses.",
                why.describe()
            ));
        }
    };

    // From here on the redirect URI is known to be safe, so errors go back to the client.
    let state = params.get("state").map(str::to_owned);
    let fail = |error: &str, description: &str| {
        let pairs = [("error", error), ("error_description", description)];
        redirect_to(&redirect, &pairs, state.as_deref(), &ctx.issuer)
    };
    match params.get("response_type") {
        Some("code") => {}
        None => return fail("invalid_request", "Missing parameter: response_type"),
        Some(_) => return fail("unsupported_response_type", "Only response_type=code is supported"),
    }
    if params.get("response_mode").is_some_and(|mode| mode != "query") {
        return fail("invalid_request", "Only response_mode=query is supported");
    }
    let Some(challenge) = params.get("code_challenge") else {
        return fail("invalid_request", "Missing parameter: code_challenge (PKCE is required)");
    };
    match params.get("code_challenge_method") {
        Some("S256") => {}
        None => return fail("invalid_request", "Missing parameter: code_challenge_method (use S256)"),
        Some(_) => return fail("invalid_request", "Invalid parameter: code_challenge_method (only S256 is supported)"),
    }
    if !is_pkce_text(challenge) {
        return fail("invalid_request", "Invalid parameter: code_challenge");
    }

    let scopes = ScopeSet::grant(params.get("scope"));
    let sign_in = SignIn {
        redirect_uri: redirect_uri.to_owned(),
        redirect: redirect.clone(),
        state: state.clone(),
        scopes: scopes.clone(),
        challenge: challenge.to_owned(),
        nonce: params.get("nonce").map(str::to_owned),
        expires: Instant::now() + SIGN_IN_TTL,
    };
    let session = ctx.sign_ins.insert(sign_in);
    tracing::info!(client_id = CLIENT_ID, scope = %scopes, "demo: sign-in page shown");
    let origin = redirect.origin().ascii_serialization();
    let action = format!("{}/login-actions/authenticate", ctx.realm_path);
    pages::sign_in(&pages::SignIn {
        user_name: &ctx.user.name,
        client_id: CLIENT_ID,
        redirect_origin: &origin,
        scopes: scopes.iter().collect(),
        action: &action,
        session: &session,
    })
}

/// `POST {issuer}/login-actions/authenticate`: the Approve or Deny button.
pub(super) async fn decide(State(ctx): Ctx, body: Bytes) -> Response {
    let expired = || {
        pages::error(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired",
            "This sign-in page has expired or was already answered. Start signing in again from zorgtui.",
        )
    };
    let Ok(params) = Params::parse(&body) else { return expired() };
    let Some(sign_in) = params.get("session").and_then(|session| ctx.sign_ins.take(session)) else {
        return expired();
    };
    match params.get("action") {
        Some("approve") => {
            let grant = Grant {
                client_id: CLIENT_ID.to_owned(),
                scopes: sign_in.scopes,
                nonce: sign_in.nonce,
                auth_time: unix_now(),
            };
            let code = ctx.tokens.new_code(grant, sign_in.redirect_uri, sign_in.challenge);
            tracing::info!(client_id = CLIENT_ID, "demo: sign-in approved");
            redirect_to(&sign_in.redirect, &[("code", &code)], sign_in.state.as_deref(), &ctx.issuer)
        }
        Some("deny") => {
            tracing::info!(client_id = CLIENT_ID, "demo: sign-in denied");
            let pairs = [("error", "access_denied"), ("error_description", "The person denied the request")];
            redirect_to(&sign_in.redirect, &pairs, sign_in.state.as_deref(), &ctx.issuer)
        }
        _ => pages::error(StatusCode::BAD_REQUEST, "Unknown answer", "Use the Approve or Deny button."),
    }
}

/// `303` to the client's redirect URI with `pairs`, `state` (when the request had one) and `iss` added to its query.
fn redirect_to(redirect: &Url, pairs: &[(&str, &str)], state: Option<&str>, issuer: &str) -> Response {
    let mut target = redirect.clone();
    {
        let mut query = target.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        query.append_pair("iss", issuer);
    }
    let mut response = Redirect::to(target.as_str()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
