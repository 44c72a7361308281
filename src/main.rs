//! `zorgtui`: parse the command line, start logging, then run the explorer or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use zorgtui::api::{Catalogue, builtin, openapi, spec_source};
use zorgtui::cli::{self, Args};
use zorgtui::config::{AppDirs, Config, Profile};
use zorgtui::{logging, run};

fn main() -> ExitCode {
    let args = Args::parse();
    let dirs = AppDirs::discover();
    let _log = logging::init(&dirs.state_dir);
    match start(&args, &dirs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("zorgtui: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn start(args: &Args, dirs: &AppDirs) -> anyhow::Result<()> {
    let config = Config::load(&dirs.config_file)?;
    let profile = config.select(args.profile.as_deref(), &args.overrides())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    if let Some(command) = &args.command {
        return runtime.block_on(cli::run(command, args, &profile, dirs));
    }
    let catalogue = initial_catalogue(&profile)?;
    tracing::info!(profile = %profile.name, operations = catalogue.operations.len(), "starting");
    runtime.block_on(run::run(profile, catalogue))
}

/// The catalogue for the first frame: a local spec is read now (a broken one stops start-up with its reason); a
/// spec from a URL is fetched after the first frame, so the built-in catalogue shows until it arrives.
fn initial_catalogue(profile: &Profile) -> anyhow::Result<Catalogue> {
    match &profile.spec {
        Some(source) if !spec_source::is_url(source) => Ok(openapi::load_file(std::path::Path::new(source))?),
        _ => Ok(builtin::catalogue()),
    }
}
