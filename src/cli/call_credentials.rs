//! `zorgtui --spec X call …`: the spec's apiKey and http credentials, as the explorer sends them. The operation is
//! the one whose path template the call's path matches; its `security` names the schemes; their values come from
//! where the explorer keeps them (`credentials.json`, 0600, or the OS keyring), and one not kept yet is typed
//! without echo when stdin is a terminal, then kept. They go only to the spec's servers, and only on the wire: the
//! history keeps the call as made, and is scrubbed of the values.

use std::io::IsTerminal as _;

use crate::api::credentials::{self, CredentialUse, Credentials};
use crate::api::request::PreparedRequest;
use crate::api::spec_cache::SpecCache;
use crate::api::{Catalogue, Method, spec_source};
use crate::config::spec_profile::{REMEMBERED_FILE, Remembered, origin_of};
use crate::config::{AppDirs, Profile};
use crate::http::Http;
use crate::secret::Secret;
use crate::workspace::credentials::CredentialStore;

/// The catalogue of the profile's spec, when it has one: from the cache when unchanged, as the explorer reads it.
pub async fn spec_of(profile: &Profile, dirs: &AppDirs, http: &Http) -> anyhow::Result<Option<Catalogue>> {
    let Some(source) = profile.spec.as_deref() else { return Ok(None) };
    let cache = SpecCache::new(&dirs.cache_dir);
    if !spec_source::is_url(source) {
        let (cache, path, limit) = (cache, std::path::PathBuf::from(source), profile.limits.document);
        let loaded = tokio::task::spawn_blocking(move || cache.load_file(&path, limit)).await?;
        return Ok(Some(loaded?));
    }
    let mut last = None;
    spec_source::load(http, source, Some(&cache), |result| last = Some(result)).await;
    match last {
        Some(result) => Ok(Some(result?)),
        None => anyhow::bail!("{source}: nothing was read"),
    }
}

/// What the call carries besides the session's token.
pub struct Carried {
    /// The request as it goes on the wire.
    pub wire: PreparedRequest,
    /// The values put in, for scrubbing what is kept.
    pub values: Vec<Secret>,
}

/// `prepared` with the credentials its operation names put in; asks for (and keeps) a value not kept yet when
/// `may_ask` (stdin is a terminal the body is not read from).
pub fn carry(
    profile: &Profile,
    dirs: &AppDirs,
    catalogue: &Catalogue,
    prepared: &PreparedRequest,
    (method, path): (Method, &str),
    signed_in: bool,
    may_ask: bool,
) -> anyhow::Result<Carried> {
    let unchanged = || Carried { wire: prepared.clone(), values: Vec::new() };
    let Some(op) = catalogue.operation_at(method, path) else { return Ok(unchanged()) };
    let uses = credentials::uses_for(catalogue, op, signed_in);
    if uses.is_empty() {
        return Ok(unchanged());
    }
    let mut servers = vec![profile.api.clone()];
    servers.extend(catalogue.servers.iter().map(|s| s.url.trim_end_matches('/').to_string()));
    let origin = origin_of(&prepared.url).filter(|_| credentials::may_go_to(&prepared.url, &servers));
    let Some(origin) = origin else {
        let names: Vec<&str> = uses.iter().map(|u| u.scheme.as_str()).collect();
        let host = crate::http::host_of(&prepared.url);
        eprintln!("sending without {}: {host} is not one of the spec's servers", names.join(", "));
        return Ok(unchanged());
    };
    let store = CredentialStore::new(profile.token_store, &dirs.data_dir);
    let kept = store.read(&origin).map_err(|message| anyhow::anyhow!("the kept credentials: {message}"))?;
    let mut pairs: Vec<(CredentialUse, Secret)> = Vec::new();
    for credential in &uses {
        let value = match kept.get(&credential.scheme) {
            Some(value) => value.clone(),
            None if may_ask => ask_and_keep(&store, dirs, &origin, credential)?,
            None => anyhow::bail!(
                "{} needs a value for {} ({}), and none is kept for {origin}: run the call on a terminal to type \
                 it, or send the request once in the explorer",
                op.key(),
                credential.scheme,
                credential.placement.describe()
            ),
        };
        pairs.push((credential.clone(), value));
    }
    let mut wire = credentials::apply(prepared, &pairs);
    let carried = Credentials { api: origin, uses, in_keyring: false };
    if carried.sets_authorization() {
        // The Authorization header is the credential: the session's token stays home.
        wire.with_token = false;
    }
    Ok(Carried { wire, values: pairs.into_iter().map(|(_, value)| value).collect() })
}

/// Asks for the value, keeps it, and names its scheme in `apis.json` as the explorer does (it asks for a scheme
/// not named there).
fn ask_and_keep(
    store: &CredentialStore,
    dirs: &AppDirs,
    origin: &str,
    credential: &CredentialUse,
) -> anyhow::Result<Secret> {
    let what = format!("{} for {origin}, {}", credential.scheme, credential.placement.describe());
    let value = super::secret::read_secret(&what)?;
    let remembered_at = dirs.data_dir.join(REMEMBERED_FILE);
    let kept = store.keep(origin, &credential.scheme, &value).and_then(|()| {
        let mut remembered = Remembered::load(&remembered_at)?;
        if let Some(api) = remembered.api_mut(origin)
            && !api.credentials.contains(&credential.scheme)
        {
            api.credentials.push(credential.scheme.clone());
        }
        remembered.save(&remembered_at)
    });
    match kept {
        Ok(()) => eprintln!("kept for {origin}: the next call and the explorer use it"),
        Err(message) => eprintln!("not kept ({message}): used for this call only"),
    }
    Ok(value)
}

/// Whether a value may be asked for: stdin is a terminal, and the body does not come from it.
pub fn may_ask(body: Option<&str>) -> bool {
    std::io::stdin().is_terminal() && body != Some("-")
}
