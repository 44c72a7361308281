//! `zorgtui`: parse the command line, start logging, then run the explorer or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use zorgtui::api::spec_cache::{Completion, SpecCache};
use zorgtui::api::{Catalogue, builtin, spec_source};
use zorgtui::app::{Appearance, Keymap, Preferences, SpecChooses};
use zorgtui::cli::{self, Args};
use zorgtui::config::spec_profile::{self, Remembered};
use zorgtui::config::{AppDirs, Config, Profile};
use zorgtui::demo::{self, DemoOptions, DemoServers};
use zorgtui::run::RunOptions;
use zorgtui::run::collection::OpenedCollection;
use zorgtui::{logging, run};

/// mimalloc, not the system's: opening a big spec builds a tree of millions of small values, and with glibc's
/// allocator that took half the time of a JSON spec's first frame (`bench/specs.sh`: 316 ms against 155 ms on 11 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A jq filter's own process (see `json::filter_worker`): no logging, no command line for people.
    if std::env::args_os().nth(1).is_some_and(|first| first == zorgtui::json::WORKER_ARG) {
        return ExitCode::from(u8::try_from(zorgtui::json::worker_main()).unwrap_or(1));
    }
    // Filters run in children of this binary, so that none can take the program down.
    if let Ok(exe) = std::env::current_exe() {
        zorgtui::json::use_worker(exe);
    }
    let args = Args::parse();
    let dirs = AppDirs::discover();
    let _log = match logging::init(&dirs.state_dir) {
        Ok(guard) => guard,
        Err(refused) => {
            eprintln!("zorgtui: running without a log: {}", zorgtui::text::escape_controls(&refused.to_string()));
            None
        }
    };
    match start(&args, &dirs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let text = zorgtui::text::escape_controls(&format!("{error:#}")).into_owned();
            tracing::error!("{text}");
            eprintln!("zorgtui: {text}");
            ExitCode::FAILURE
        }
    }
}

fn start(args: &Args, dirs: &AppDirs) -> anyhow::Result<()> {
    // Completions and the manual need no configuration: they work even with a broken one.
    if let Some(command) = &args.command
        && cli::print_documents(command, &mut std::io::stdout().lock())?
    {
        return Ok(());
    }
    if args.demo && args.command.is_some() {
        anyhow::bail!(
            "--demo starts the explorer with demo servers of its own; for the command-line doors run `zorgtui \
             demo-server` and use the flags it prints"
        );
    }
    let config = match Config::load(&dirs.config_file) {
        Ok(config) => config,
        // The viewer needs no profile: a broken file is reported, and the defaults do.
        Err(error) if matches!(args.command, Some(cli::Command::View { .. })) => {
            eprintln!("zorgtui: {error} (view goes on without it)");
            Config::parse("", &dirs.config_file)?
        }
        Err(error) => return Err(error.into()),
    };
    let overrides = args.overrides();
    let mut profile = config.select(args.profile.as_deref(), &overrides)?;
    let keys = match Keymap::with_remaps(&config.keys) {
        Ok(keys) => std::sync::Arc::new(keys),
        Err(e) => {
            let error = config.error_at(e.line, e.column, e.message);
            // The viewer needs no profile, and its keys have defaults: it goes on, as past a broken file.
            if !matches!(args.command, Some(cli::Command::View { .. })) {
                return Err(error.into());
            }
            eprintln!("zorgtui: {error} (view goes on with the default keys)");
            std::sync::Arc::default()
        }
    };
    // NO_COLOR (no-color.org): set and not empty means no colour at all.
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let preferences = Preferences { keys, appearance: Appearance { theme: config.theme, color } };
    let runtime = zorgtui::run::runtime()?;
    let remembered = remembered(dirs);
    // A spec with no profile named brings its own API and sign-in (config::spec_profile).
    let spec_decides = args.profile.is_none() && !args.demo && profile.spec.is_some() && args.spec.is_some();
    let mut catalogue = None;
    let mut notices = Vec::new();
    // A Postman collection is the catalogue, and (unless a profile was named) brings its API and sign-in.
    let opened = runtime.block_on(OpenedCollection::open(&profile))?;
    if let Some(opened) = &opened {
        // With --demo, the demo's servers decide the profile once they are up.
        if !args.demo {
            let named = (args.profile.is_some() || args.collection.is_none()).then(|| profile.clone());
            let (chosen, said) = opened.profile(&config, named.as_ref(), &overrides);
            profile = chosen;
            notices = said;
        }
        catalogue = Some(opened.collection.catalogue.clone());
    }
    let mut completion = None;
    if spec_decides && let Some(source) = profile.spec.clone().filter(|s| !spec_source::is_url(s)) {
        let (spec, later) = initial_catalogue(&profile, dirs)?;
        completion = later;
        let (chosen, said) = spec_profile::for_spec(&config, &spec, &overrides, &remembered);
        profile = Profile { spec: Some(source), ..chosen };
        notices = said;
        catalogue = Some(spec);
    }
    if let Some(command) = &args.command {
        // A command has no first frame to hurry: the cache gets the whole entry now.
        if let Some(completion) = completion.take() {
            completion.catalogue()?;
        }
        for notice in &notices {
            eprintln!("zorgtui: {}", zorgtui::text::escape_controls(notice));
        }
        return runtime.block_on(cli::run(command, args, &profile, dirs, &preferences));
    }
    let catalogue = if let Some(catalogue) = catalogue {
        catalogue
    } else {
        let (catalogue, later) = initial_catalogue(&profile, dirs)?;
        completion = later;
        catalogue
    };
    let spec_chooses = (spec_decides && profile.spec.as_deref().is_some_and(spec_source::is_url))
        .then(|| SpecChooses { config: std::sync::Arc::new(config.clone()), overrides: overrides.clone() });
    let options = RunOptions {
        preferences,
        profiles: config.profiles.values().cloned().collect(),
        spec_chooses,
        remembered,
        notices,
        collection: opened.as_ref().map(OpenedCollection::info),
        completion,
        ..RunOptions::from_env(args.demo, args.no_browser)
    };
    if args.demo {
        return runtime.block_on(run_demo(args, dirs, &config, catalogue, options, opened));
    }
    tracing::info!(profile = %profile.label(), operations = catalogue.operations.len(), "starting");
    runtime.block_on(run::run(profile, catalogue, options, dirs))
}

/// The explorer against the in-process demo servers, which stand in for an open collection's servers (its realm,
/// client and redirect); they live as long as this runs and stop when the explorer does.
async fn run_demo(
    args: &Args,
    dirs: &AppDirs,
    config: &Config,
    catalogue: Catalogue,
    mut options: RunOptions,
    mut opened: Option<OpenedCollection>,
) -> anyhow::Result<()> {
    let demo_options = opened.as_ref().map_or_else(DemoOptions::default, |o| o.demo_options(DemoOptions::default()));
    let servers = demo::start(demo_options).await?;
    let profile = match &mut opened {
        Some(opened) => {
            let (profile, said) = opened.demo_profile(&servers, config, &args.overrides());
            options.notices = said;
            options.collection = Some(opened.info());
            profile
        }
        None => demo_profile(&servers, args),
    };
    tracing::info!(issuer = servers.issuer(), api = servers.api_base(), "demo servers up");
    // A demo session dies with its servers: its tokens live in a directory that goes with them.
    let scratch = tempfile::tempdir()?;
    let demo_dirs = AppDirs { data_dir: scratch.path().to_path_buf(), ..dirs.clone() };
    run::run(profile, catalogue, options, &demo_dirs).await
}

/// What the person said about spec-born APIs before; a file that cannot be read is said and set aside.
fn remembered(dirs: &AppDirs) -> Remembered {
    Remembered::load(&dirs.data_dir.join(spec_profile::REMEMBERED_FILE)).unwrap_or_else(|message| {
        eprintln!("zorgtui: {} (going on without it)", zorgtui::text::escape_controls(&message));
        Remembered::default()
    })
}

/// A profile for the in-process demo servers. Only the scope can be changed from the command line.
fn demo_profile(servers: &DemoServers, args: &Args) -> Profile {
    let mut profile = Profile::new("demo", servers.issuer(), servers.api_base(), servers.client_id());
    profile.scope = args.scope.clone().unwrap_or_else(|| {
        "openid offline_access users:read organizations:read api-requirements-versions:read api-specifications:read"
            .to_string()
    });
    profile
}

/// The catalogue for the first frame: a local spec is read now, or taken from the cache when it was read before
/// (a broken one stops start-up with its reason), a big one without its example bodies, which the completion
/// makes; a spec from a URL is loaded after the first frame, so the built-in catalogue shows until it arrives.
fn initial_catalogue(profile: &Profile, dirs: &AppDirs) -> anyhow::Result<(Catalogue, Option<Completion>)> {
    match &profile.spec {
        Some(source) if !spec_source::is_url(source) => {
            let cache = SpecCache::new(&dirs.cache_dir);
            Ok(cache.load_file_soon(std::path::Path::new(source), profile.limits.document)?)
        }
        _ => Ok((builtin::catalogue(), None)),
    }
}
