//! A scripted browser for the test authorization server's pages: a cookie jar, redirects followed by hand, the
//! dev login form filled in with any user name.
//!
//! It stops at the redirect to the client's `redirect_uri` and hands back that URL without fetching it, so the
//! caller decides whether to hit its loopback listener ([`Browser::fetch`]) or paste the URL. It only ever
//! fetches loopback addresses.

use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, bail, ensure};
use reqwest::{Method, StatusCode, redirect};
use url::Url;

/// Redirects followed before the browser gives up, as a real browser does on a redirect loop.
const MAX_HOPS: usize = 20;
/// The dev login accepts any password.
const PASSWORD: &str = "x";

/// What the person does on the sign-in pages.
#[derive(Clone, Copy)]
enum Choice<'a> {
    SignInAs(&'a str),
    Cancel,
}

/// A page the browser ended on, or a redirect it did not follow.
enum Landing {
    Redirect(Url),
    Page { url: Url, status: StatusCode, body: String },
}

pub struct Browser {
    http: reqwest::Client,
    prompts: Mutex<Vec<&'static str>>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    /// A browser with an empty cookie jar (nobody signed in yet).
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("a reqwest client with a cookie store builds");
        Self { http, prompts: Mutex::new(Vec::new()) }
    }

    /// Opens `authorize_url`, signs in as `user` (and approves consent if asked) and returns the URL the server
    /// sends the browser to: the client's redirect URI with `code`, `state` and `iss`, or with `error`.
    pub async fn login(&self, authorize_url: &Url, user: &str) -> Result<Url> {
        self.authorize(authorize_url, Choice::SignInAs(user)).await
    }

    /// Opens `authorize_url` and cancels on the sign-in page; returns the redirect with `error=access_denied`.
    /// Fails if no page asked anything (already signed in, consent skipped): there was nothing to cancel.
    pub async fn deny(&self, authorize_url: &Url) -> Result<Url> {
        let answered_before = self.prompts.lock().unwrap().len();
        let landing = self.authorize(authorize_url, Choice::Cancel).await?;
        ensure!(
            self.prompts.lock().unwrap().len() > answered_before,
            "no sign-in page to cancel (already signed in, no consent needed); landed on {landing}"
        );
        Ok(landing)
    }

    /// Does the person's half of the device flow: opens `verification_uri`, types `user_code`, confirms the
    /// device, signs in as `user`. Ends on the server's success page.
    pub async fn approve_device(&self, verification_uri: &Url, user_code: &str, user: &str) -> Result<()> {
        let confirm = self.enter_user_code(verification_uri, user_code).await?;
        let form = Form::parse(&confirm.body, &confirm.url)?;
        let response = self.send(Method::POST, &form.action, Some(&form.fields)).await?;
        let end = self.walk(response, None, Choice::SignInAs(user)).await?;
        match end {
            Landing::Page { status, body, .. } if status.is_success() && body.contains("Sign-in Success") => Ok(()),
            Landing::Page { url, status, body } => {
                bail!("device approval ended on {url} ({status}): {}", excerpt(&body))
            }
            Landing::Redirect(url) => bail!("device approval ended in a redirect to {url}"),
        }
    }

    /// Does the person's "abort" on the device confirmation page; the device's next poll gets `access_denied`.
    pub async fn deny_device(&self, verification_uri: &Url, user_code: &str) -> Result<()> {
        let confirm = self.enter_user_code(verification_uri, user_code).await?;
        let mut form = Form::parse(&confirm.body, &confirm.url)?;
        form.fields.retain(|(name, _)| name != "confirm");
        form.fields.push(("abort".to_owned(), "yes".to_owned()));
        let response = self.send(Method::POST, &form.action, Some(&form.fields)).await?;
        let status = response.status();
        let body = response.text().await?;
        ensure!(body.contains("interrupted"), "device abort answered {status}: {}", excerpt(&body));
        Ok(())
    }

    /// Opens an end-session address (OpenID Connect RP-Initiated Logout), confirms the sign-out the way a person
    /// presses "Yes, sign me out", and returns where the server sends the browser then (the post-logout redirect
    /// URI with its `state`), not yet visited. The cookie jar's session at the server is gone after this.
    pub async fn logout(&self, end_session_url: &Url) -> Result<Url> {
        let page = self.page(end_session_url).await?;
        ensure!(page.status.is_success(), "the end-session page answered {}: {}", page.status, excerpt(&page.body));
        let mut form = Form::parse(&page.body, &page.url)?;
        if !form.fields.iter().any(|(name, _)| name == "logout") {
            form.fields.push(("logout".to_owned(), "yes".to_owned()));
        }
        let mut response = self.send(Method::POST, &form.action, Some(&form.fields)).await?;
        for _ in 0..MAX_HOPS {
            let url = response.url().clone();
            let Some(next) = location(&url, &response)? else {
                let status = response.status();
                bail!("the sign-out ended on {url} ({status}): {}", excerpt(&response.text().await?));
            };
            if next.host() != end_session_url.host() || next.port() != end_session_url.port() {
                return Ok(next);
            }
            response = self.send(Method::GET, &next, None).await?;
        }
        bail!("more than {MAX_HOPS} redirects after the sign-out")
    }

    /// The sign-in pages answered so far, in order: `"login"`, `"consent"`.
    pub fn prompts_answered(&self) -> Vec<&'static str> {
        self.prompts.lock().unwrap().clone()
    }

    /// Opens `url` the way a browser follows a redirect to a loopback listener: GET, following further
    /// redirects on loopback. Returns the final status and body.
    pub async fn fetch(&self, url: &Url) -> Result<(StatusCode, String)> {
        let mut url = url.clone();
        for _ in 0..MAX_HOPS {
            let response = self.send(Method::GET, &url, None).await?;
            if let Some(next) = redirect_target(&url, &response)? {
                url = next;
                continue;
            }
            let status = response.status();
            return Ok((status, response.text().await?));
        }
        bail!("more than {MAX_HOPS} redirects from {url}")
    }

    async fn authorize(&self, authorize_url: &Url, choice: Choice<'_>) -> Result<Url> {
        let redirect_uri = authorize_url
            .query_pairs()
            .find(|(name, _)| name == "redirect_uri")
            .map(|(_, value)| Url::parse(&value))
            .transpose()
            .context("the authorize URL's redirect_uri is not a URL")?;
        let response = self.send(Method::GET, authorize_url, None).await?;
        match self.walk(response, redirect_uri.as_ref(), choice).await? {
            Landing::Redirect(url) => Ok(url),
            Landing::Page { url, status, body } => {
                bail!("the authorization server answered {status} at {url}: {}", excerpt(&body))
            }
        }
    }

    async fn enter_user_code(&self, verification_uri: &Url, user_code: &str) -> Result<Page> {
        let input = self.page(verification_uri).await?;
        let mut form = Form::parse(&input.body, &input.url)?;
        form.fields.retain(|(name, _)| name != "user_code");
        form.fields.push(("user_code".to_owned(), user_code.to_owned()));
        let response = self.send(Method::POST, &form.action, Some(&form.fields)).await?;
        let confirm = Page::read(response).await?;
        ensure!(
            confirm.status.is_success() && confirm.body.contains("name=\"confirm\""),
            "the user code {user_code} was not accepted ({}): {}",
            confirm.status,
            excerpt(&confirm.body)
        );
        Ok(confirm)
    }

    /// Follows redirects and answers the sign-in pages until the browser is sent to `redirect_uri` or ends on a
    /// page that is not a sign-in page.
    async fn walk(
        &self,
        mut response: reqwest::Response,
        redirect_uri: Option<&Url>,
        choice: Choice<'_>,
    ) -> Result<Landing> {
        for _ in 0..MAX_HOPS {
            let url = response.url().clone();
            if let Some(location) = location(&url, &response)? {
                if redirect_uri.is_some_and(|target| same_endpoint(target, &location)) {
                    return Ok(Landing::Redirect(location));
                }
                if !is_loopback(&location) {
                    return Ok(Landing::Redirect(location));
                }
                response = self.send(Method::GET, &location, None).await?;
                continue;
            }
            let page = Page::read(response).await?;
            if page.body.contains("does not support JavaScript") {
                // A self-submitting form (oidc-provider's form_post, e.g. to end a session before another account
                // signs in): a browser posts it at once.
                let form = Form::parse(&page.body, &page.url)?;
                response = self.send(Method::POST, &form.action, Some(&form.fields)).await?;
                continue;
            }
            let Some(prompt) = page.prompt() else {
                return Ok(Landing::Page { url: page.url, status: page.status, body: page.body });
            };
            self.prompts.lock().unwrap().push(prompt);
            response = match (choice, prompt) {
                (Choice::Cancel, _) => {
                    let abort = Url::parse(&format!("{}/abort", page.url.as_str().trim_end_matches('/')))?;
                    self.send(Method::GET, &abort, None).await?
                }
                (Choice::SignInAs(user), "login") => {
                    let form = Form::parse(&page.body, &page.url)?;
                    let fields = [("prompt", "login"), ("login", user), ("password", PASSWORD)].map(owned);
                    self.send(Method::POST, &form.action, Some(&fields)).await?
                }
                (Choice::SignInAs(_), "consent") => {
                    let form = Form::parse(&page.body, &page.url)?;
                    self.send(Method::POST, &form.action, Some(&form.fields)).await?
                }
                (_, other) => bail!("unknown sign-in prompt {other:?} at {}", page.url),
            };
        }
        bail!("more than {MAX_HOPS} redirects")
    }

    async fn page(&self, url: &Url) -> Result<Page> {
        let response = self.send(Method::GET, url, None).await?;
        Page::read(response).await
    }

    async fn send(&self, method: Method, url: &Url, form: Option<&[(String, String)]>) -> Result<reqwest::Response> {
        ensure!(is_loopback(url), "the scripted browser only visits loopback addresses, not {url}");
        let mut request = self.http.request(method, url.clone());
        if let Some(fields) = form {
            request = request.form(fields);
        }
        request.send().await.with_context(|| format!("cannot reach {url}"))
    }
}

struct Page {
    url: Url,
    status: StatusCode,
    body: String,
}

impl Page {
    async fn read(response: reqwest::Response) -> Result<Page> {
        let url = response.url().clone();
        let status = response.status();
        let body = response.text().await?;
        Ok(Page { url, status, body })
    }

    /// The dev interaction pages carry `<input type="hidden" name="prompt" value="login|consent"/>`.
    fn prompt(&self) -> Option<&'static str> {
        ["login", "consent"]
            .into_iter()
            .find(|prompt| self.body.contains(&format!("name=\"prompt\" value=\"{prompt}\"")))
    }
}

/// The first form on a page: where it posts and its named inputs with values.
struct Form {
    action: Url,
    fields: Vec<(String, String)>,
}

impl Form {
    fn parse(html: &str, page: &Url) -> Result<Form> {
        let start = html.find("<form").ok_or_else(|| anyhow!("no form on {page}: {}", excerpt(html)))?;
        let html = &html[start..];
        let end = html.find("</form>").unwrap_or(html.len());
        let form = &html[..end];
        let tag_end = form.find('>').unwrap_or(form.len());
        let action = attribute(&form[..tag_end], "action").unwrap_or_default();
        let action = page.join(&unescape(&action)).with_context(|| format!("bad form action on {page}"))?;
        let fields = form
            .split("<input")
            .skip(1)
            .filter_map(|input| {
                let tag = &input[..input.find('>').unwrap_or(input.len())];
                Some((attribute(tag, "name")?, unescape(&attribute(tag, "value").unwrap_or_default())))
            })
            .collect();
        Ok(Form { action, fields })
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let at = tag.find(&marker).or_else(|| tag.find(&format!("\n{name}=\"")))? + marker.len();
    let rest = &tag[at..];
    Some(rest[..rest.find('"')?].to_owned())
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn owned((name, value): (&str, &str)) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

fn location(base: &Url, response: &reqwest::Response) -> Result<Option<Url>> {
    if !response.status().is_redirection() {
        return Ok(None);
    }
    let header = response
        .headers()
        .get(reqwest::header::LOCATION)
        .ok_or_else(|| anyhow!("{} from {base} without a Location", response.status()))?;
    let text = header.to_str().context("a Location header that is not text")?;
    Ok(Some(base.join(text).with_context(|| format!("bad Location {text:?} from {base}"))?))
}

fn redirect_target(base: &Url, response: &reqwest::Response) -> Result<Option<Url>> {
    let next = location(base, response)?;
    if let Some(url) = &next {
        ensure!(is_loopback(url), "{base} redirected off loopback, to {url}");
    }
    Ok(next)
}

/// Whether `url` is the client's `redirect_uri` (the one in the authorize URL), ignoring the query.
fn same_endpoint(redirect_uri: &Url, url: &Url) -> bool {
    redirect_uri.scheme() == url.scheme()
        && redirect_uri.host() == url.host()
        && redirect_uri.port_or_known_default() == url.port_or_known_default()
        && redirect_uri.path() == url.path()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// The visible text of a page, shortened, for error messages: oidc-provider's error page puts `error`,
/// `error_description`, `state` and `iss` in its body.
fn excerpt(html: &str) -> String {
    let body = html.find("</head>").map_or(html, |end| &html[end..]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words = unescape(&text).split_whitespace().collect::<Vec<_>>().join(" ");
    words.chars().take(400).collect()
}
