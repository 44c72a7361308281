//! The authorization endpoint: validate the request, show the sign-in page, turn the person's answer into a
//! redirect to the client's loopback URI with a code (or `access_denied`), `state` and `iss` (RFC 9207).
//!
//! A browser whose session at the server is alive (it approved before, see `browser_sessions`) comes straight back
//! with a code, as at Keycloak, unless the client asks for `prompt=login`; `prompt=none` never shows the page.
//!
//! A request whose client or redirect URI is wrong gets an HTML error page and never a redirect; any other mistake
//! goes back to the (validated) redirect URI as an error, as RFC 6749 §4.1.2.1 says and Keycloak does.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tokio::time::Instant;
use url::Url;

use super::{Ctx, Params};
use crate::demo::browser_sessions::BrowserSession;
use crate::demo::clients::{CLIENT_ID, CONFIDENTIAL_CLIENT_ID, Kind};
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
    client_id: &'static str,
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

/// What the client asked about a browser that is signed in here already (OpenID Connect Core 3.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    /// Nothing: a signed-in browser comes straight back.
    Default,
    /// `login`: ask again all the same.
    Login,
    /// `none`: never ask; without a session, say `login_required`.
    Never,
}

/// `GET {issuer}/protocol/openid-connect/auth`.
pub(super) async fn show(State(ctx): Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let refuse = |message: String| pages::error(StatusCode::BAD_REQUEST, "This sign-in request is not valid", &message);
    let params = match Params::parse(query.unwrap_or_default().as_bytes()) {
        Ok(params) => params,
        Err(name) => return refuse(format!("The parameter {name} was given more than once.")),
    };
    let client_id = match params.get("client_id").map(|id| (id, ctx.clients.find(id))) {
        None => return refuse("The request names no client_id.".to_owned()),
        Some((_, Some((id, Kind::Public | Kind::Confidential)))) => id,
        Some((id, Some((_, Kind::Machine)))) => {
            return refuse(format!("The client {id} signs in as itself (client credentials): it has no sign-in page."));
        }
        Some((other, None)) => {
            return refuse(format!(
                "The client {other} is not known here; the demo knows {CLIENT_ID} and {CONFIDENTIAL_CLIENT_ID}."
            ));
        }
    };
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return refuse("The request names no redirect_uri.".to_owned());
    };
    let redirect = match checked_redirect(&ctx, client_id, redirect_uri) {
        Ok(url) => url,
        Err(message) => return refuse(message),
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
    let prompt = match params.get("prompt").map(|p| p.split_ascii_whitespace().collect::<Vec<_>>()).as_deref() {
        // The demo has no consent page and one account: asking for them changes nothing.
        None | Some(["consent" | "select_account"]) => Prompt::Default,
        Some(["login"]) => Prompt::Login,
        Some(["none"]) => Prompt::Never,
        Some(_) => return fail("invalid_request", "Unsupported prompt (the demo knows login and none)"),
    };

    let scopes = ScopeSet::grant(params.get("scope"));
    let nonce = params.get("nonce").map(str::to_owned);
    match (prompt, ctx.browsers.find(&headers)) {
        (Prompt::Default | Prompt::Never, Some(session)) => {
            tracing::info!(client_id, scope = %scopes, "demo: signed in already; no page shown");
            let grant = grant(client_id, scopes, nonce, &session);
            let code = ctx.tokens.new_code(grant, redirect_uri.to_owned(), challenge.to_owned());
            return redirect_to(&redirect, &[("code", &code)], state.as_deref(), &ctx.issuer);
        }
        (Prompt::Never, None) => return fail("login_required", "The person is not signed in here"),
        (Prompt::Default | Prompt::Login, _) => {}
    }
    let sign_in = SignIn {
        client_id,
        redirect_uri: redirect_uri.to_owned(),
        redirect: redirect.clone(),
        state: state.clone(),
        scopes: scopes.clone(),
        challenge: challenge.to_owned(),
        nonce,
        expires: Instant::now() + SIGN_IN_TTL,
    };
    let session = ctx.sign_ins.insert(sign_in);
    tracing::info!(client_id, scope = %scopes, "demo: sign-in page shown");
    let origin = redirect.origin().ascii_serialization();
    let action = format!("{}/login-actions/authenticate", ctx.realm_path);
    pages::sign_in(&pages::SignIn {
        user_name: &ctx.user.name,
        client_id,
        redirect_origin: &origin,
        scopes: scopes.iter().collect(),
        action: &action,
        session: &session,
    })
}

/// What a code from this browser session grants.
fn grant(client_id: &str, scopes: ScopeSet, nonce: Option<String>, session: &BrowserSession) -> Grant {
    Grant {
        client_id: client_id.to_owned(),
        scopes,
        nonce,
        auth_time: session.auth_time,
        sid: Some(session.sid.clone()),
    }
}

/// `POST {issuer}/login-actions/authenticate`: the Approve or Deny button.
pub(super) async fn decide(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Response {
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
            let (session, cookie) = ctx.browsers.start(&headers, unix_now(), &ctx.realm_path);
            let grant = grant(sign_in.client_id, sign_in.scopes, sign_in.nonce, &session);
            let code = ctx.tokens.new_code(grant, sign_in.redirect_uri, sign_in.challenge);
            tracing::info!(client_id = sign_in.client_id, "demo: sign-in approved");
            let mut response =
                redirect_to(&sign_in.redirect, &[("code", &code)], sign_in.state.as_deref(), &ctx.issuer);
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Some("deny") => {
            tracing::info!(client_id = sign_in.client_id, "demo: sign-in denied");
            let pairs = [("error", "access_denied"), ("error_description", "The person denied the request")];
            redirect_to(&sign_in.redirect, &pairs, sign_in.state.as_deref(), &ctx.issuer)
        }
        _ => pages::error(StatusCode::BAD_REQUEST, "Unknown answer", "Use the Approve or Deny button."),
    }
}

/// The redirect URI, when it is one the client may use: the one a paste client registered, else any loopback one.
fn checked_redirect(ctx: &super::AuthContext, client_id: &str, redirect_uri: &str) -> Result<Url, String> {
    match ctx.clients.registered_redirect(client_id).map(|uri| (uri, Url::parse(uri))) {
        Some((uri, Ok(url))) if uri == redirect_uri => Ok(url),
        Some(_) => Err(format!(
            "The redirect_uri ({}) is not the one {client_id} registered.",
            loopback::origin_of(redirect_uri)
        )),
        None => loopback::parse(redirect_uri).map_err(|why| {
            format!(
                "The redirect_uri ({}) {}; the demo only returns to loopback addresses.",
                loopback::origin_of(redirect_uri),
                why.describe()
            )
        }),
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
