//! Playing the person's browser when none can be opened: open the sign-in page, press Approve, and follow the
//! redirect to the product's own loopback listener, so the sign-in completes exactly as it would in a browser. The
//! same for a sign-out: open the end-session address, confirm if asked, and follow the redirect back.
//!
//! Only loopback `http` URLs are ever fetched; redirects are followed by hand, one hop, after the same check.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use url::Url;

use super::{DemoError, loopback, pages};
use crate::text::escape_controls;

/// Approves the demo sign-in at `authorize_url` (the URL a browser would have opened) and delivers the result to
/// the `redirect_uri` in it. `Ok` once the client's listener has answered with a success status.
pub async fn approve(authorize_url: &str) -> Result<(), DemoError> {
    let client = client()?;
    let (base, answer) = press_approve(&client, authorize_url).await?;
    deliver(&client, &base, &answer).await
}

/// Approves the demo sign-in at `authorize_url` for a client whose registered redirect is not loopback (Postman's
/// callback page), and hands back the address the browser would have landed on, without opening it: the person
/// pastes that, and so does the explorer for them.
pub async fn approve_to_landing(authorize_url: &str) -> Result<String, DemoError> {
    let client = client()?;
    let (base, answer) = press_approve(&client, authorize_url).await?;
    let location = answer
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| DemoError::Unexpected("a redirect without a Location".to_owned()))?;
    let target = base.join(location).map_err(|_| DemoError::Unexpected("a redirect to a bad URL".to_owned()))?;
    Ok(target.to_string())
}

/// Opens the sign-in page and presses Approve: the server's redirect answer, and the URL it is relative to.
async fn press_approve(client: &reqwest::Client, authorize_url: &str) -> Result<(Url, reqwest::Response), DemoError> {
    let page_url = checked(authorize_url)?;
    let page = client.get(page_url.clone()).send().await.map_err(http)?;
    if page.status().is_redirection() {
        // The server sent the request straight back (an invalid parameter): deliver that, as a browser would.
        return Ok((page_url, page));
    }
    let status = page.status();
    let html = page.text().await.map_err(http)?;
    if status != StatusCode::OK {
        return Err(refused(status, &html));
    }
    let form = Form::find(&html).ok_or_else(|| DemoError::Unexpected("the sign-in page has no form".to_owned()))?;
    let action = page_url.join(&form.action).map_err(|_| DemoError::Unexpected("bad form action".to_owned()))?;
    let action = checked(action.as_str())?;
    let answer =
        client.post(action.clone()).form(&[("session", form.session.as_str()), ("action", "approve")]).send().await;
    let answer = answer.map_err(http)?;
    if !answer.status().is_redirection() {
        let status = answer.status();
        return Err(refused(status, &answer.text().await.map_err(http)?));
    }
    Ok((action, answer))
}

/// Approves the device-flow code in `verification_uri_complete` (`{issuer}/device?user_code=...`), as a person on
/// the device page would.
pub async fn approve_device(verification_uri_complete: &str) -> Result<(), DemoError> {
    let client = client()?;
    let url = checked(verification_uri_complete)?;
    let user_code = url
        .query_pairs()
        .find(|(name, _)| name == "user_code")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| DemoError::Unexpected("the verification URI carries no user_code".to_owned()))?;
    let mut action = url.clone();
    action.set_query(None);
    let answer = client.post(action).form(&[("user_code", user_code.as_str()), ("action", "approve")]).send().await;
    let answer = answer.map_err(http)?;
    let status = answer.status();
    let html = answer.text().await.map_err(http)?;
    if status == StatusCode::OK { Ok(()) } else { Err(refused(status, &html)) }
}

/// Ends the demo session at `end_session_url` (the address a browser would have opened to sign out), pressing
/// "Sign out" if the server asks, and delivers the redirect back to the client's loopback landing if it names one.
/// `Ok` once the landing answered with a success status, or the server said the sign-out is done.
pub async fn end_session(end_session_url: &str) -> Result<(), DemoError> {
    let client = client()?;
    let url = checked(end_session_url)?;
    let mut response = client.get(url.clone()).send().await.map_err(http)?;
    let mut base = url;
    if response.status() == StatusCode::OK {
        // "Sign out of the zorgtui demo?": the request did not say whose sign-in it ends.
        let html = response.text().await.map_err(http)?;
        let form =
            Form::find_any(&html).ok_or_else(|| DemoError::Unexpected("the sign-out page has no form".to_owned()))?;
        let action = base.join(&form.action).map_err(|_| DemoError::Unexpected("bad form action".to_owned()))?;
        base = checked(action.as_str())?;
        response = client.post(base.clone()).form(&form.fields).send().await.map_err(http)?;
        if response.status() == StatusCode::OK {
            return Ok(());
        }
    }
    if !response.status().is_redirection() {
        let status = response.status();
        return Err(refused(status, &response.text().await.map_err(http)?));
    }
    deliver(&client, &base, &response).await
}

fn client() -> Result<reqwest::Client, DemoError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment must not see loopback traffic (or the code in it).
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(http)
}

fn checked(url: &str) -> Result<Url, DemoError> {
    loopback::parse(url).map_err(|_| DemoError::NotLoopback(loopback::origin_of(url)))
}

/// Follows one redirect (to the client's callback), which must be loopback too.
async fn deliver(client: &reqwest::Client, base: &Url, response: &reqwest::Response) -> Result<(), DemoError> {
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| DemoError::Unexpected("a redirect without a Location".to_owned()))?;
    let target = base.join(location).map_err(|_| DemoError::Unexpected("a redirect to a bad URL".to_owned()))?;
    let target = checked(target.as_str())?;
    let callback = client.get(target).send().await.map_err(http)?;
    let status = callback.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(DemoError::Unexpected(format!("the sign-in callback answered {status}")))
    }
}

/// `reqwest` errors name the URL, which may carry the code: drop it.
fn http(error: reqwest::Error) -> DemoError {
    DemoError::Http(error.without_url())
}

/// The server's own explanation from an error page, made safe for a terminal.
fn refused(status: StatusCode, html: &str) -> DemoError {
    let marker = format!("id=\"{}\">", pages::ERROR_ID);
    let message = html
        .split_once(marker.as_str())
        .and_then(|(_, rest)| rest.split_once('<'))
        .map(|(text, _)| unescape(text))
        .unwrap_or_default();
    let message = escape_controls(message.trim()).chars().take(300).collect::<String>();
    if message.is_empty() {
        DemoError::Unexpected(format!("the demo authorization server answered {status}"))
    } else {
        DemoError::Unexpected(format!("the demo authorization server answered {status}: {message}"))
    }
}

/// The sign-in page's form: where it posts and the session it carries.
struct Form {
    action: String,
    session: String,
}

/// Any of the demo's own forms: where it posts and its hidden fields.
struct AnyForm {
    action: String,
    fields: Vec<(String, String)>,
}

impl Form {
    /// Reads the first form the demo's own pages write: its action and hidden inputs.
    fn find_any(html: &str) -> Option<AnyForm> {
        let form = &html[html.find("<form")?..];
        let form = &form[..form.find("</form>").unwrap_or(form.len())];
        let action = attribute(&form[..form.find('>')?], "action")?;
        let fields = form
            .split("<input")
            .skip(1)
            .filter_map(|input| {
                let tag = &input[..input.find('>')?];
                Some((attribute(tag, "name")?, attribute(tag, "value").unwrap_or_default()))
            })
            .collect();
        Some(AnyForm { action, fields })
    }

    /// Reads the form the demo's own sign-in page writes (see `pages::sign_in`); not a general HTML parser.
    fn find(html: &str) -> Option<Form> {
        let form = &html[html.find("<form")?..];
        let action = attribute(&form[..form.find('>')?], "action")?;
        let input = &form[form.find("name=\"session\"")?..];
        let session = attribute(&input[..input.find('>')?], "value")?;
        Some(Form { action, session })
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sign_in_form_back() {
        let response = pages::sign_in(&pages::SignIn {
            user_name: "Demo <User>",
            client_id: "zorgtui-demo",
            redirect_origin: "http://127.0.0.1:1",
            scopes: vec!["openid"],
            action: "/realms/demo/login-actions/authenticate",
            session: "abc_-123",
        });
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(response.into_body(), usize::MAX));
        let html = String::from_utf8(body.unwrap().unwrap().to_vec()).unwrap();
        let form = Form::find(&html).unwrap();
        assert_eq!(form.action, "/realms/demo/login-actions/authenticate");
        assert_eq!(form.session, "abc_-123");
    }

    #[test]
    fn reads_the_sign_out_form_back() {
        let fields = [("confirm", "yes"), ("state", "a&b")];
        let response = pages::sign_out("/realms/demo/protocol/openid-connect/logout", "Demo User", &fields);
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(response.into_body(), usize::MAX));
        let html = String::from_utf8(body.unwrap().unwrap().to_vec()).unwrap();
        let form = Form::find_any(&html).unwrap();
        assert_eq!(form.action, "/realms/demo/protocol/openid-connect/logout");
        assert_eq!(form.fields, [("confirm".to_owned(), "yes".to_owned()), ("state".to_owned(), "a&b".to_owned())]);
    }

    #[test]
    fn error_pages_are_read_and_made_terminal_safe() {
        let html = format!("<p id=\"{}\">Bad &amp; \u{1b}[31mred</p>", pages::ERROR_ID);
        let error = refused(StatusCode::BAD_REQUEST, &html).to_string();
        assert!(error.ends_with("400 Bad Request: Bad & \\u{1b}[31mred"), "{error}");
    }
}
