//! `zorgtui call METHOD PATH [--query k=v]... [--header k:v]... [--body FILE|-]`: one API request with the
//! session's token. The body goes to stdout as received; status and timing to stderr; HTTP ≥ 400 exits non-zero.
//! A 401 triggers one refresh and one retry.

use std::io::{IsTerminal as _, Read as _, Write as _};

use anyhow::Context as _;

use crate::api::client::{self, HttpSettings, Purpose};
use crate::api::request::{self, RequestValues};
use crate::api::{Method, Operation};
use crate::auth::send_with_auth;
use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;

use super::session::Door;

/// What to send, as given on the command line.
pub struct CallArgs<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [String],
    pub headers: &'a [String],
    pub body: Option<&'a str>,
}

pub async fn run(profile: &Profile, dirs: &AppDirs, call: &CallArgs<'_>) -> anyhow::Result<()> {
    let mut prepared = prepare(profile, call)?;
    let http = client::build_client(&HttpSettings::for_profile(profile), Purpose::Api)?;

    let mut door = Door::open(profile, dirs, false);
    let signed_in = door.restore().await?;
    match client::token_may_go_to(&prepared.url, &profile.api) {
        Ok(()) => prepared.with_token = true,
        Err(refusal) if signed_in => eprintln!("sending without the token: {refusal}"),
        Err(_) => {}
    }
    if !signed_in {
        eprintln!("not signed in: sending without a token (`zorgtui login` signs in)");
    }
    let sent = send_with_auth(&http, &prepared, Some(&door.handle), None).await?;
    if sent.retried {
        eprintln!("401 Unauthorized: refreshing the session and trying once more");
    }
    let response = sent.response;
    eprintln!("{} {} in {} ms", response.status, escape_controls(&response.reason), response.elapsed.as_millis());
    let mut stdout = std::io::stdout().lock();
    if stdout.is_terminal() {
        // A person reads this: control characters from the network are shown, not run.
        stdout.write_all(crate::text::safe_lines(&response.body).as_bytes())?;
        stdout.write_all(b"\n")?;
    } else {
        stdout.write_all(&response.body)?;
    }
    stdout.flush()?;
    if response.status >= 400 {
        anyhow::bail!("the API answered {} {}", response.status, escape_controls(&response.reason));
    }
    Ok(())
}

fn prepare(profile: &Profile, call: &CallArgs<'_>) -> anyhow::Result<request::PreparedRequest> {
    let method = Method::parse(call.method).with_context(|| format!("`{}` is not an HTTP method", call.method))?;
    let path = if call.path.starts_with('/') { call.path.to_string() } else { format!("/{}", call.path) };
    let operation = Operation::bare(method, &path);
    let split = |items: &[String], separator: char, what: &str| -> anyhow::Result<Vec<(String, String)>> {
        items
            .iter()
            .map(|item| {
                item.split_once(separator)
                    .map(|(name, value)| (name.trim().to_string(), value.trim_start().to_string()))
                    .with_context(|| format!("`{item}` is not {what}"))
            })
            .collect()
    };
    let body = match call.body {
        None => None,
        Some("-") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read the body from stdin")?;
            Some(text)
        }
        Some(file) => Some(std::fs::read_to_string(file).with_context(|| format!("cannot read the body from {file}"))?),
    };
    let values = RequestValues {
        path: Vec::new(),
        query: split(call.query, '=', "name=value")?,
        headers: split(call.headers, ':', "name:value")?,
        body,
    };
    Ok(request::prepare(&operation, &profile.api, &values)?)
}
