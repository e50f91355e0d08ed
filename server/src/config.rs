//! Server configuration: one struct read from `OHNET_*` environment variables (or the same
//! settings as flags), with defaults that make `ohnet serve` work with no setup.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// Settings as given on the command line or in the environment, before validation.
#[derive(Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// Address to listen on [env: OHNET_ADDR] [default: 127.0.0.1:3000]
    #[arg(long, global = true, env = "OHNET_ADDR", hide_env = true)]
    pub addr: Option<String>,
    /// Folder for the SQLite database and other state [env: OHNET_DATA_DIR] [default: ./data]
    #[arg(long, global = true, env = "OHNET_DATA_DIR", hide_env = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL [env: OHNET_DATABASE_URL] [default: SQLite file ohnet.sqlite in the data dir]
    #[arg(long, global = true, env = "OHNET_DATABASE_URL", hide_env = true)]
    pub database_url: Option<String>,
    /// Folder of authored content [env: OHNET_CONTENT_DIR] [default: ./content]
    #[arg(long, global = true, env = "OHNET_CONTENT_DIR", hide_env = true)]
    pub content_dir: Option<PathBuf>,
    /// Folder of built browser assets [env: OHNET_SITE_DIR] [default: ./target/site]
    #[arg(long, global = true, env = "OHNET_SITE_DIR", hide_env = true)]
    pub site_dir: Option<PathBuf>,
    /// Public URL of the site, used in emails and feeds [env: OHNET_BASE_URL] [default: http://<addr>]
    #[arg(long, global = true, env = "OHNET_BASE_URL", hide_env = true)]
    pub base_url: Option<String>,
    /// Log filter, e.g. `info` or `ohnet=debug,info` [env: OHNET_LOG] [default: info]
    #[arg(long, global = true, env = "OHNET_LOG", hide_env = true)]
    pub log: Option<String>,
    /// Log format: `text` or `json` [env: OHNET_LOG_FORMAT] [default: text]
    #[arg(long, global = true, env = "OHNET_LOG_FORMAT", hide_env = true)]
    pub log_format: Option<String>,
    /// SMTP server URL, e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.org`
    /// [env: OHNET_SMTP_URL] [default: none: mail is written to <data dir>/mail-spool]
    #[arg(long, global = true, env = "OHNET_SMTP_URL", hide_env = true)]
    pub smtp_url: Option<String>,
    /// Sender of outgoing mail [env: OHNET_MAIL_FROM] [default: ohnet <no-reply@localhost>]
    #[arg(long, global = true, env = "OHNET_MAIL_FROM", hide_env = true)]
    pub mail_from: Option<String>,
    /// Comma-separated email domains approved automatically once the address is confirmed
    /// [env: OHNET_AUTO_APPROVE_DOMAINS] [default: none]
    #[arg(
        long,
        global = true,
        env = "OHNET_AUTO_APPROVE_DOMAINS",
        hide_env = true
    )]
    pub auto_approve_domains: Option<String>,
    /// OpenID Connect issuer URL for single sign-on [env: OHNET_OIDC_ISSUER] [default: none:
    /// single sign-on is off]
    #[arg(long, global = true, env = "OHNET_OIDC_ISSUER", hide_env = true)]
    pub oidc_issuer: Option<String>,
    /// Client id registered with the OpenID Connect provider [env: OHNET_OIDC_CLIENT_ID]
    #[arg(long, global = true, env = "OHNET_OIDC_CLIENT_ID", hide_env = true)]
    pub oidc_client_id: Option<String>,
    /// Client secret from the OpenID Connect provider (prefer the environment variable to the
    /// flag, which other users can see) [env: OHNET_OIDC_CLIENT_SECRET]
    #[arg(long, global = true, env = "OHNET_OIDC_CLIENT_SECRET", hide_env = true)]
    pub oidc_client_secret: Option<String>,
    /// Largest form post accepted, in bytes [env: OHNET_MAX_FORM_BYTES] [default: 1048576]
    #[arg(long, global = true, env = "OHNET_MAX_FORM_BYTES", hide_env = true)]
    pub max_form_bytes: Option<String>,
    /// Largest file upload accepted, in bytes [env: OHNET_MAX_UPLOAD_BYTES] [default: 20971520]
    #[arg(long, global = true, env = "OHNET_MAX_UPLOAD_BYTES", hide_env = true)]
    pub max_upload_bytes: Option<String>,
    /// Longest forum post accepted, in characters [env: OHNET_MAX_POST_CHARS] [default: 20000]
    #[arg(long, global = true, env = "OHNET_MAX_POST_CHARS", hide_env = true)]
    pub max_post_chars: Option<String>,
    /// Most database connections this process holds open [env: OHNET_DB_POOL_SIZE] [default: 8]
    #[arg(long, global = true, env = "OHNET_DB_POOL_SIZE", hide_env = true)]
    pub db_pool_size: Option<String>,
    /// On PostgreSQL, the longest one statement may run, in seconds
    /// [env: OHNET_DB_STATEMENT_TIMEOUT] [default: 30]
    #[arg(
        long,
        global = true,
        env = "OHNET_DB_STATEMENT_TIMEOUT",
        hide_env = true
    )]
    pub db_statement_timeout: Option<String>,
    /// How long a node's claim on a background job lasts, in seconds, before another node may
    /// take the job over [env: OHNET_JOB_LEASE_SECONDS] [default: 300]
    #[arg(long, global = true, env = "OHNET_JOB_LEASE_SECONDS", hide_env = true)]
    pub job_lease_seconds: Option<String>,
    /// Comma-separated addresses or networks (CIDR) of reverse proxies whose
    /// `X-Forwarded-For` is believed [env: OHNET_TRUSTED_PROXIES] [default: none]
    #[arg(long, global = true, env = "OHNET_TRUSTED_PROXIES", hide_env = true)]
    pub trusted_proxies: Option<String>,
    /// Where uploaded files and lesson media are kept: `database`, or an S3-compatible bucket
    /// as `s3://bucket/prefix` (credentials, region and endpoint from the standard `AWS_*`
    /// variables) [env: OHNET_FILE_STORE] [default: database]
    #[arg(long, global = true, env = "OHNET_FILE_STORE", hide_env = true)]
    pub file_store: Option<String>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Validated configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Socket address the HTTP server listens on.
    pub addr: SocketAddr,
    /// Folder for the SQLite database and other state; created if missing.
    pub data_dir: PathBuf,
    /// sea-orm database URL (`sqlite://…` by default).
    pub database_url: String,
    /// Folder of authored content (`pages/`, `modules/`, …).
    pub content_dir: PathBuf,
    /// Folder holding `manifest.json` and `pkg/` from `./x build`.
    pub site_dir: PathBuf,
    /// Public URL of the site, without a trailing slash.
    pub base_url: String,
    /// `tracing` filter directives.
    pub log: String,
    /// Log line format.
    pub log_format: LogFormat,
    /// Largest form post (and server function call) accepted, in bytes.
    pub max_form_bytes: usize,
    /// Largest upload (a multipart form with files) accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` header names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Longest forum post accepted, in characters.
    pub max_post_chars: usize,
    /// Most database connections this process holds open.
    pub db_pool_size: u32,
    /// On PostgreSQL, the longest one statement may run.
    pub db_statement_timeout: std::time::Duration,
    /// How long a claim on a background job lasts.
    pub job_lease: std::time::Duration,
    /// Where stored files' bytes are kept.
    pub files: domain::files::FileStore,
    /// SMTP server URL; `None` writes mail to `<data dir>/mail-spool` instead.
    pub smtp_url: Option<String>,
    /// Sender of outgoing mail.
    pub mail_from: String,
    /// Email domains approved automatically once confirmed (lowercase).
    pub auto_approve_domains: Vec<String>,
    /// Single sign-on provider, when all three `OHNET_OIDC_*` settings are given.
    pub sso: Option<domain::accounts::SsoSettings>,
    /// True when `base_url` was derived from `addr` rather than set.
    base_url_derived: bool,
}

/// Single sign-on needs all three settings or none; the issuer must be a URL.
fn sso_settings(
    issuer: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
) -> Result<Option<domain::accounts::SsoSettings>, ConfigError> {
    let given = |value: Option<String>| {
        value
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    match (given(issuer), given(client_id), given(client_secret)) {
        (None, None, None) => Ok(None),
        (Some(issuer), Some(client_id), Some(client_secret)) => {
            if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                return Err(invalid(
                    "OHNET_OIDC_ISSUER",
                    format!("`{issuer}` must be an https:// URL"),
                ));
            }
            Ok(Some(domain::accounts::SsoSettings {
                issuer,
                client_id,
                client_secret,
            }))
        }
        (None, _, _) => Err(invalid(
            "OHNET_OIDC_ISSUER",
            "is needed when the other OHNET_OIDC_* settings are given",
        )),
        (_, None, _) => Err(invalid(
            "OHNET_OIDC_CLIENT_ID",
            "is needed when the other OHNET_OIDC_* settings are given",
        )),
        (_, _, None) => Err(invalid(
            "OHNET_OIDC_CLIENT_SECRET",
            "is needed when the other OHNET_OIDC_* settings are given",
        )),
    }
}

/// A setting with a bad value; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    /// The environment variable (and flag) at fault.
    pub variable: &'static str,
    /// What is wrong with its value.
    pub message: String,
}

/// A size in bytes from `text` (at least 1 KiB), or `default` when not given.
fn byte_limit(
    variable: &'static str,
    text: Option<&str>,
    default: usize,
) -> Result<usize, ConfigError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|bytes| *bytes >= 1024)
            .ok_or_else(|| {
                invalid(
                    variable,
                    format!("`{text}` must be a whole number of bytes, at least 1024"),
                )
            }),
    }
}

/// Proxy addresses or networks, e.g. `10.0.0.5, 192.168.0.0/16`.
fn trusted_proxies(text: Option<&str>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let mut networks = Vec::new();
    for entry in text.unwrap_or_default().split(',').map(str::trim) {
        if entry.is_empty() {
            continue;
        }
        let network = entry
            .parse::<ipnet::IpNet>()
            .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map_err(|_| {
                invalid(
                    "OHNET_TRUSTED_PROXIES",
                    format!("`{entry}` is not an IP address or network like 10.0.0.0/8"),
                )
            })?;
        networks.push(network);
    }
    Ok(networks)
}

/// A whole number within `range` from `text`, or `default` when it is unset or blank; anything
/// else is refused naming `variable` ("must be a whole number{unit} from … to …").
fn whole_number<T>(
    variable: &'static str,
    text: Option<&str>,
    default: T,
    range: std::ops::RangeInclusive<T>,
    unit: &str,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match text.map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<T>()
            .ok()
            .filter(|number| range.contains(number))
            .ok_or_else(|| {
                invalid(
                    variable,
                    format!(
                        "`{text}` must be a whole number{unit} from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
            }),
    }
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

impl Config {
    /// Validates the settings, filling in defaults.
    pub fn from_args(args: ConfigArgs) -> Result<Self, ConfigError> {
        let addr: SocketAddr = match args.addr.as_deref().map(str::trim) {
            None | Some("") => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(text) => text.parse().map_err(|_| {
                invalid(
                    "OHNET_ADDR",
                    format!("`{text}` is not an address and port like 127.0.0.1:3000"),
                )
            })?,
        };
        let data_dir = args.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        let database_url = match args.database_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => {
                let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
                if !(postgres || url.starts_with("sqlite:")) {
                    return Err(invalid(
                        "OHNET_DATABASE_URL",
                        format!("`{url}` must start with sqlite: or postgres://"),
                    ));
                }
                url
            }
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("ohnet.sqlite").display()
            ),
        };
        let base_url_derived = args
            .base_url
            .as_deref()
            .is_none_or(|url| url.trim().is_empty());
        let base_url = match args.base_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_owned();
                let rest = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                match rest {
                    Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => url,
                    _ => {
                        return Err(invalid(
                            "OHNET_BASE_URL",
                            format!("`{url}` must be an http:// or https:// URL"),
                        ));
                    }
                }
            }
            None => format!("http://{addr}"),
        };
        let log = args.log.unwrap_or_else(|| "info".to_owned());
        if let Err(err) = tracing_subscriber::EnvFilter::try_new(&log) {
            return Err(invalid(
                "OHNET_LOG",
                format!("`{log}` is not a log filter: {err}"),
            ));
        }
        let log_format = match args.log_format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "OHNET_LOG_FORMAT",
                    format!("`{other}` must be `text` or `json`"),
                ));
            }
        };
        let max_form_bytes = byte_limit(
            "OHNET_MAX_FORM_BYTES",
            args.max_form_bytes.as_deref(),
            1024 * 1024,
        )?;
        let max_upload_bytes = byte_limit(
            "OHNET_MAX_UPLOAD_BYTES",
            args.max_upload_bytes.as_deref(),
            20 * 1024 * 1024,
        )?;
        let trusted_proxies = trusted_proxies(args.trusted_proxies.as_deref())?;
        let max_post_chars = whole_number(
            "OHNET_MAX_POST_CHARS",
            args.max_post_chars.as_deref(),
            20_000_usize,
            100..=1_000_000,
            "",
        )?;
        let db_pool_size = whole_number(
            "OHNET_DB_POOL_SIZE",
            args.db_pool_size.as_deref(),
            domain::db::DEFAULT_POOL_SIZE,
            1..=64,
            "",
        )?;
        let db_statement_timeout = std::time::Duration::from_secs(whole_number(
            "OHNET_DB_STATEMENT_TIMEOUT",
            args.db_statement_timeout.as_deref(),
            domain::db::DEFAULT_STATEMENT_TIMEOUT.as_secs(),
            1..=3_600,
            " of seconds",
        )?);
        let job_lease = std::time::Duration::from_secs(whole_number(
            "OHNET_JOB_LEASE_SECONDS",
            args.job_lease_seconds.as_deref(),
            300,
            2..=3_600,
            " of seconds",
        )?);
        let files =
            domain::files::FileStore::from_setting(args.file_store.as_deref().unwrap_or(""), [])
                .map_err(|err| match err {
                    domain::Error::Invalid { message, .. } => invalid("OHNET_FILE_STORE", message),
                    other => invalid("OHNET_FILE_STORE", other.to_string()),
                })?;
        let smtp_url = args.smtp_url.filter(|url| !url.trim().is_empty());
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(invalid(
                "OHNET_SMTP_URL",
                "must start with smtp:// or smtps://".to_owned(),
            ));
        }
        let mail_from = args
            .mail_from
            .filter(|from| !from.trim().is_empty())
            .unwrap_or_else(|| "ohnet <no-reply@localhost>".to_owned());
        if !mail_from.contains('@') {
            return Err(invalid(
                "OHNET_MAIL_FROM",
                format!("`{mail_from}` must be an address like `ohnet <no-reply@example.org>`"),
            ));
        }
        let mut auto_approve_domains = Vec::new();
        for domain in args
            .auto_approve_domains
            .as_deref()
            .unwrap_or_default()
            .split(',')
        {
            let domain = domain.trim().trim_start_matches('@').to_lowercase();
            if domain.is_empty() {
                continue;
            }
            if !domain.contains('.') || domain.contains(char::is_whitespace) || domain.contains('@')
            {
                return Err(invalid(
                    "OHNET_AUTO_APPROVE_DOMAINS",
                    format!("`{domain}` is not an email domain like police.uk"),
                ));
            }
            auto_approve_domains.push(domain);
        }
        let sso = sso_settings(
            args.oidc_issuer,
            args.oidc_client_id,
            args.oidc_client_secret,
        )?;
        Ok(Config {
            sso,
            smtp_url,
            mail_from,
            auto_approve_domains,
            addr,
            data_dir,
            database_url,
            max_form_bytes,
            max_upload_bytes,
            trusted_proxies,
            max_post_chars,
            db_pool_size,
            db_statement_timeout,
            job_lease,
            files,
            content_dir: args.content_dir.unwrap_or_else(|| PathBuf::from("content")),
            site_dir: args
                .site_dir
                .unwrap_or_else(|| PathBuf::from("target").join("site")),
            base_url,
            log,
            log_format,
            base_url_derived,
        })
    }

    /// Records the address actually bound (port 0 asks the OS for a free port); a base URL
    /// derived from the address follows it.
    pub fn with_bound_addr(mut self, bound: SocketAddr) -> Self {
        self.addr = bound;
        if self.base_url_derived {
            self.base_url = format!("http://{bound}");
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_work_with_no_settings() {
        let config = Config::from_args(ConfigArgs::default()).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.base_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/ohnet.sqlite?mode=rwc");
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.db_pool_size, 8);
        assert_eq!(config.files.describe(), "the database");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases = [
            ConfigArgs {
                addr: Some("nowhere".into()),
                ..Default::default()
            },
            ConfigArgs {
                base_url: Some("ftp://x".into()),
                ..Default::default()
            },
            ConfigArgs {
                log: Some("[[".into()),
                ..Default::default()
            },
            ConfigArgs {
                log_format: Some("xml".into()),
                ..Default::default()
            },
            ConfigArgs {
                max_form_bytes: Some("lots".into()),
                ..Default::default()
            },
            ConfigArgs {
                max_upload_bytes: Some("12".into()),
                ..Default::default()
            },
            ConfigArgs {
                trusted_proxies: Some("10.0.0.1, proxy.example".into()),
                ..Default::default()
            },
            ConfigArgs {
                database_url: Some("mysql://x".into()),
                ..Default::default()
            },
            ConfigArgs {
                db_pool_size: Some("0".into()),
                ..Default::default()
            },
            ConfigArgs {
                db_statement_timeout: Some("forever".into()),
                ..Default::default()
            },
            ConfigArgs {
                job_lease_seconds: Some("1".into()),
                ..Default::default()
            },
            ConfigArgs {
                oidc_issuer: Some("https://login.example".into()),
                oidc_client_id: Some("ohnet".into()),
                ..Default::default()
            },
            ConfigArgs {
                file_store: Some("/srv/ohnet-files".into()),
                ..Default::default()
            },
        ];
        let variables: Vec<&str> = cases
            .into_iter()
            .map(|args| Config::from_args(args).unwrap_err().variable)
            .collect();
        assert_eq!(
            variables,
            [
                "OHNET_ADDR",
                "OHNET_BASE_URL",
                "OHNET_LOG",
                "OHNET_LOG_FORMAT",
                "OHNET_MAX_FORM_BYTES",
                "OHNET_MAX_UPLOAD_BYTES",
                "OHNET_TRUSTED_PROXIES",
                "OHNET_DATABASE_URL",
                "OHNET_DB_POOL_SIZE",
                "OHNET_DB_STATEMENT_TIMEOUT",
                "OHNET_JOB_LEASE_SECONDS",
                "OHNET_OIDC_CLIENT_SECRET",
                "OHNET_FILE_STORE"
            ]
        );
    }

    #[test]
    fn a_file_store_that_is_not_a_bucket_is_explained() {
        let err = Config::from_args(ConfigArgs {
            file_store: Some("/srv/files".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "OHNET_FILE_STORE: `/srv/files`: must be `database` or `s3://bucket/prefix`"
        );
    }

    #[test]
    fn trusted_proxies_take_addresses_and_networks() {
        let config = Config::from_args(ConfigArgs {
            trusted_proxies: Some("10.0.0.5, 192.168.0.0/16,".into()),
            ..Default::default()
        })
        .unwrap();
        let listed: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(listed, ["10.0.0.5/32", "192.168.0.0/16"]);
    }

    #[test]
    fn derived_base_url_follows_the_bound_port() {
        let config = Config::from_args(ConfigArgs {
            addr: Some("127.0.0.1:0".into()),
            ..Default::default()
        })
        .unwrap()
        .with_bound_addr(SocketAddr::from(([127, 0, 0, 1], 41234)));
        assert_eq!(config.base_url, "http://127.0.0.1:41234");
        let explicit = Config::from_args(ConfigArgs {
            base_url: Some("https://ohnet.example".into()),
            ..Default::default()
        })
        .unwrap()
        .with_bound_addr(SocketAddr::from(([127, 0, 0, 1], 41234)));
        assert_eq!(explicit.base_url, "https://ohnet.example");
    }

    #[test]
    fn base_url_trailing_slash_is_dropped() {
        let config = Config::from_args(ConfigArgs {
            base_url: Some("https://ohnet.example/".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(config.base_url, "https://ohnet.example");
    }
}
