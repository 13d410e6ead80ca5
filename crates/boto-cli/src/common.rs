//! What every command shares: global options, building clients, reading
//! parameters, printing results, errors and exit codes.

use std::io::Write as _;
use std::path::PathBuf;

use boto_core::{blocking, Value};

/// aws-cli's exit code for a failed call.
pub const EXIT_FAILURE: u8 = 255;
/// aws-cli's exit code for bad command-line usage.
pub const EXIT_USAGE: u8 = 252;

/// Options every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Send requests to this URL instead of the service's endpoint.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// The region.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// The profile of the shared config files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Log requests and responses (bodies redacted) on stderr.
    #[arg(long, global = true)]
    pub debug: bool,
}

/// A command's failure, with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad usage (unreadable --params, bad JSON): exit 252.
    Usage(String),
    /// The call failed: exit 255.
    Call(boto_core::Error),
    /// Anything else: exit 255.
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            _ => EXIT_FAILURE,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) => write!(f, "usage error: {m}"),
            CliError::Call(boto_core::Error::Validation(v)) => write!(f, "\n{v}"),
            CliError::Call(e) => write!(f, "\n{e}"),
            CliError::Other(m) => write!(f, "{m}"),
        }
    }
}

impl From<boto_core::Error> for CliError {
    fn from(e: boto_core::Error) -> CliError {
        CliError::Call(e)
    }
}

pub fn init_logging(debug: bool) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    if debug {
        // Debug for boto-rs, info for the HTTP and TLS stacks (targets match by
        // prefix, as in an `EnvFilter` directive: `hyper` covers `hyper_util` too).
        let targets = Targets::new().with_default(LevelFilter::DEBUG).with_targets([
            ("hyper", LevelFilter::INFO),
            ("hyper_util", LevelFilter::INFO),
            ("rustls", LevelFilter::INFO),
        ]);
        let _ = tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .with(targets)
            .try_init();
    }
}

/// A blocking client for `service` with the global options applied.
pub fn client(global: &GlobalArgs, service: &str) -> Result<blocking::Client, CliError> {
    let global = global.clone();
    blocking::Client::builder(service)
        .with(move |mut b| {
            if let Some(r) = global.region {
                b = b.region(r);
            }
            if let Some(u) = global.endpoint_url {
                b = b.endpoint_url(u);
            }
            if let Some(p) = global.profile {
                b = b.profile(p);
            }
            b
        })
        .build()
        .map_err(|e| match e {
            boto_core::Error::Model(m) => CliError::Usage(m.to_string()),
            other => CliError::Call(other),
        })
}

/// Reads `--params`: inline JSON, or `@file.json`; `{}` when absent.
pub fn read_params(params: Option<&str>) -> Result<Value, CliError> {
    let Some(text) = params else { return Ok(Value::map()) };
    let text = match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("cannot read {path}: {e}")))?,
        None => text.to_owned(),
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| CliError::Usage(format!("--params is not valid JSON: {e}")))?;
    if !json.is_object() {
        return Err(CliError::Usage("--params must be a JSON object".into()));
    }
    Ok(Value::from(json))
}

/// Prints a result as pretty JSON on stdout.
pub fn print_json(value: &Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(&value.to_json()).map_err(|e| CliError::Other(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| CliError::Other(format!("cannot write the result: {e}")))
}

/// Writes the streaming members of `value` to `outfile` (the first one),
/// replacing them in the result by a note, as aws-cli does with outfile.
pub fn save_streams(client: &blocking::Client, value: &mut Value, outfile: Option<&PathBuf>) -> Result<(), CliError> {
    let Some(map) = value.as_map_mut() else { return Ok(()) };
    for v in map.values_mut() {
        if let Value::Stream(body) = v {
            let Some(path) = outfile else {
                return Err(CliError::Usage("this operation returns a streaming body: give --outfile FILE".into()));
            };
            let body = body.clone();
            let mut reader = client.body_reader(body).map_err(CliError::Call)?;
            let tmp = path.with_extension("boto-partial");
            let mut write = || -> std::io::Result<()> {
                let mut f = std::fs::File::create(&tmp)?;
                std::io::copy(&mut reader, &mut f)?;
                f.sync_all()?;
                std::fs::rename(&tmp, path)
            };
            if let Err(e) = write() {
                let _ = std::fs::remove_file(&tmp);
                return Err(CliError::Other(format!("cannot write {}: {e}", path.display())));
            }
            *v = Value::Null;
        }
    }
    map.retain(|_, v| !v.is_null());
    Ok(())
}
