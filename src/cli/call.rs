//! `zorgtui call METHOD PATH [--query k=v]... [--header k:v]... [--body FILE|-]`: one API request with the
//! session's token. The body goes to stdout as received; status and timing to stderr; HTTP ≥ 400 exits non-zero.
//! A 401 triggers one refresh and one retry.

use std::io::{IsTerminal as _, Read as _, Write};

use anyhow::Context as _;

use crate::api::client::{self, StreamError};
use crate::api::request::{self, RequestValues};
use crate::api::{Method, Operation};
use crate::auth::start_with_auth;
use crate::config::{AppDirs, Profile};
use crate::http::{Http, HttpSettings, Purpose};
use crate::text::{SafeLinesStream, escape_controls};

use super::session::Door;
use crate::app::day::HistoryRecord;
use crate::run::day_jobs::Secrets;
use crate::run::recording::Capture;
use crate::workspace::{ExchangeState, HistoryLimits, WorkspaceDirs};

/// What to send, as given on the command line.
pub struct CallArgs<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [String],
    pub headers: &'a [String],
    pub body: Option<&'a str>,
    /// Keep the exchange in the history (`--history`).
    pub history: bool,
}

pub async fn run(profile: &Profile, dirs: &AppDirs, call: &CallArgs<'_>) -> anyhow::Result<()> {
    let mut prepared = prepare(profile, call)?;
    let http = Http::new(&HttpSettings::for_profile(profile), Purpose::Api)?;

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
    let mut capture = history_capture(profile, dirs, call, &prepared, &door);
    // The spec's apiKey and http credentials go on the wire only; the history keeps the call as made.
    let wire = match super::call_credentials::spec_of(profile, dirs, &http).await? {
        Some(catalogue) => {
            let method = Method::parse(call.method).unwrap_or(Method::Get);
            let ask = super::call_credentials::may_ask(call.body);
            let carried = super::call_credentials::carry(
                profile,
                dirs,
                &catalogue,
                &prepared,
                (method, &call_path(call.path)),
                signed_in,
                ask,
            )?;
            for value in carried.values {
                capture = capture.map(|c| c.with_secret(Some(value.clone())));
            }
            carried.wire
        }
        None => prepared.clone(),
    };
    let started = match start_with_auth(&http, &wire, Some(&door.handle)).await {
        Ok((started, retried)) => {
            if retried {
                eprintln!("401 Unauthorized: refreshing the session and trying once more");
            }
            started
        }
        Err(e) => {
            if let Some(capture) = &capture {
                keep(capture, ExchangeState::Failed { message: e.to_string() }).await;
            }
            return Err(e.into());
        }
    };
    if let Some(capture) = &capture {
        capture.head(started.status(), started.reason(), started.headers());
    }
    let (status, reason) = (started.status(), escape_controls(&started.reason()).into_owned());
    // The body is passed on as it arrives and never held: a person reading it gets control characters shown, not
    // run; a pipe gets the bytes as they came.
    let stdout = std::io::stdout();
    let streamed = if stdout.is_terminal() {
        let mut out = EscapingWriter { inner: stdout.lock(), safe: SafeLinesStream::default() };
        let streamed = client::stream(started, &mut Tee { inner: &mut out, capture: capture.as_ref() }).await;
        out.finish()?;
        streamed
    } else {
        client::stream(started, &mut Tee { inner: stdout.lock(), capture: capture.as_ref() }).await
    };
    if let Some(capture) = &capture {
        let state = match &streamed {
            Ok(_) | Err(StreamError::Write(_)) => ExchangeState::Complete,
            Err(e) => ExchangeState::Failed { message: e.to_string() },
        };
        keep(capture, state).await;
    }
    let response = match streamed {
        Ok(response) => response,
        // `zorgtui call … | head` closing the pipe early is not a failure of the call.
        Err(StreamError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => anyhow::bail!("{status} {reason}, but {e}"),
    };
    eprintln!("{status} {reason} in {} ms", response.elapsed.as_millis());
    if status >= 400 {
        anyhow::bail!("the API answered {status} {reason}");
    }
    Ok(())
}

/// Keeps the call in the history, saying so when it cannot be (a full disk): the answer has been printed already.
async fn keep(capture: &Capture, state: ExchangeState) {
    if let Err(message) = capture.keep(state).await {
        eprintln!("not kept in the history: {message}");
    }
}

/// The history's record of this call, when `--history` asks for one and the profile keeps a history.
fn history_capture(
    profile: &Profile,
    dirs: &AppDirs,
    call: &CallArgs<'_>,
    prepared: &request::PreparedRequest,
    door: &Door,
) -> Option<Capture> {
    if !call.history {
        return None;
    }
    if !profile.workspace.history {
        eprintln!("not kept: profile {} keeps no history (history = false)", profile.label());
        return None;
    }
    let record = HistoryRecord {
        profile_key: profile.store_key(),
        limits: HistoryLimits::of(&profile.workspace),
        body_cap: profile.workspace.history_body_max_bytes,
        base: Some(profile.api.clone()),
        operation: None,
        client_secret: profile.client.secret.clone(),
    };
    // Nobody listens: the list is read from the file.
    let (tx, _) = tokio::sync::mpsc::unbounded_channel();
    let token = door.handle.token().borrow().clone();
    let capture = Capture::new(record, prepared, 0, WorkspaceDirs::of(dirs), Secrets::default(), None, tx);
    Some(capture.with_secret(token))
}

/// Passes the body on, showing it to the history's capture on the way.
struct Tee<'a, W: Write> {
    inner: W,
    capture: Option<&'a Capture>,
}

impl<W: Write> Write for Tee<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        if let Some(capture) = self.capture {
            capture.chunk(&bytes[..written]);
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes what passes through it in its safe form, for a terminal.
struct EscapingWriter<W: Write> {
    inner: W,
    safe: SafeLinesStream,
}

impl<W: Write> EscapingWriter<W> {
    fn finish(mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.safe).finish();
        self.inner.write_all(rest.as_bytes())?;
        self.inner.write_all(b"\n")?;
        self.inner.flush()
    }
}

impl<W: Write> Write for EscapingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.inner.write_all(self.safe.push(bytes).as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The path as given, from the root of the API.
fn call_path(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

fn prepare(profile: &Profile, call: &CallArgs<'_>) -> anyhow::Result<request::PreparedRequest> {
    let method = Method::parse(call.method).with_context(|| format!("`{}` is not an HTTP method", call.method))?;
    let path = call_path(call.path);
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
