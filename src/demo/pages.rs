//! The few HTML pages a person's browser sees: sign-in, device approval, and errors.
//!
//! Every value put into a page is HTML-escaped; the pages load nothing and run no script.

use std::fmt::Write as _;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Id of the element that holds an error page's message, which [`approve`](super::approve) reads back.
pub(crate) const ERROR_ID: &str = "error";

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;\
color:#1d2733}h1{font-size:1.4rem}code,.code{font-family:ui-monospace,monospace}.card{border:1px solid #cdd5df;\
border-radius:.5rem;padding:1rem 1.25rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem;\
border-radius:.4rem;border:1px solid #5a6b7d;cursor:pointer}button.primary{background:#1f5fa8;color:#fff;\
border-color:#1f5fa8}ul{padding-left:1.2rem}.muted{color:#5a6b7d;font-size:.9rem}#error{color:#a11d1d}";

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><title>{title}</title><style>{STYLE}</style></head>\
         <body><main>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // No form-action: browsers apply it to the redirect after the form, which goes to the client's loopback port.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    response
}

/// What the sign-in page shows and posts.
pub(crate) struct SignIn<'a> {
    pub(crate) user_name: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) redirect_origin: &'a str,
    pub(crate) scopes: Vec<&'a str>,
    pub(crate) action: &'a str,
    pub(crate) session: &'a str,
}

pub(crate) fn sign_in(view: &SignIn<'_>) -> Response {
    let scopes = view.scopes.iter().fold(String::new(), |mut list, scope| {
        let _ = write!(list, "<li class=\"code\">{}</li>", escape(scope));
        list
    });
    let body = format!(
        "<h1>Sign in to the zorgtui demo</h1><div class=\"card\"><p>You are signing in as <strong>{user}</strong>. \
         There is no password: this is a demo server running inside zorgtui on your own machine.</p>\
         <p><span class=\"code\">{client}</span> asks for:</p><ul>{scopes}</ul>\
         <p class=\"muted\">After approving, your browser returns to {origin}.</p>\
         <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"session\" value=\"{session}\">\
         <button class=\"primary\" type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form></div>",
        user = escape(view.user_name),
        client = escape(view.client_id),
        origin = escape(view.redirect_origin),
        action = escape(view.action),
        session = escape(view.session),
    );
    page(StatusCode::OK, "Sign in to the zorgtui demo", &body)
}

/// "Sign out?": asked when a sign-out request does not say (by an `id_token_hint`) which sign-in it ends. The form
/// posts `fields` back to `action`.
pub(crate) fn sign_out(action: &str, user_name: &str, fields: &[(&str, &str)]) -> Response {
    let hidden = fields.iter().fold(String::new(), |mut html, (name, value)| {
        let _ = write!(html, "<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value));
        html
    });
    let body = format!(
        "<h1>Sign out of the zorgtui demo?</h1><div class=\"card\"><p>You are signed in as <strong>{user}</strong>. \
         Signing out here means the next sign-in asks again.</p>\
         <form method=\"post\" action=\"{action}\">{hidden}\
         <button class=\"primary\" type=\"submit\">Sign out</button></form></div>",
        user = escape(user_name),
        action = escape(action),
    );
    page(StatusCode::OK, "Sign out of the zorgtui demo?", &body)
}

/// After a sign-out that has nowhere to send the browser back to.
pub(crate) fn signed_out() -> Response {
    let title = "Signed out";
    page(
        StatusCode::OK,
        title,
        "<h1>Signed out</h1><p>You are signed out of the zorgtui demo. You can close this page.</p>",
    )
}

/// An error shown instead of redirecting, because where to redirect is not known to be safe.
pub(crate) fn error(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!("<h1>{}</h1><p id=\"{ERROR_ID}\">{}</p>", escape(title), escape(message));
    page(status, title, &body)
}

/// The device-flow page: enter (or confirm) the code shown in the terminal.
pub(crate) fn device(action: &str, user_name: &str, user_code: &str, problem: Option<&str>) -> Response {
    let problem = problem.map_or_else(String::new, |text| format!("<p id=\"{ERROR_ID}\">{}</p>", escape(text)));
    let body = format!(
        "<h1>Connect a device to the zorgtui demo</h1><div class=\"card\">{problem}\
         <p>Signing in as <strong>{user}</strong>. Check that the code matches the one in your terminal.</p>\
         <form method=\"post\" action=\"{action}\"><p><label>Code <input name=\"user_code\" class=\"code\" \
         value=\"{code}\" autocomplete=\"off\" autofocus></label></p>\
         <button class=\"primary\" type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form></div>",
        user = escape(user_name),
        action = escape(action),
        code = escape(user_code),
    );
    let status = if problem.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    page(status, "Connect a device to the zorgtui demo", &body)
}

/// After a device decision.
pub(crate) fn device_done(approved: bool) -> Response {
    let (title, text) = if approved {
        ("Device connected", "You can go back to your terminal; zorgtui will finish signing in by itself.")
    } else {
        ("Device refused", "The request was denied. You can close this page.")
    };
    page(StatusCode::OK, title, &format!("<h1>{title}</h1><p>{text}</p>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_attribute_and_element_context() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
