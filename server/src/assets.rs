//! The built browser assets: `manifest.json`, written by `./x build`, names the content-hashed
//! bundle and stylesheet under `pkg/`, so they can be cached forever. Every file under `pkg/`
//! (with its `.br` and `.gz` copies) and `favicon.svg` is read into memory at start and served
//! from there: no file system or blocking-pool work per request, no cookies, no session lookup.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Contents of `<site dir>/manifest.json`, and the files it names, loaded.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AssetManifest {
    /// Base name of the wasm bundle and its JS glue, e.g. `ohnet.1a2b3c4d5e6f` for
    /// `pkg/ohnet.1a2b3c4d5e6f.js` and `pkg/ohnet.1a2b3c4d5e6f.wasm`.
    pub bundle: String,
    /// File name of the stylesheet under `pkg/`, e.g. `ohnet.0f9e8d7c6b5a.css`.
    pub stylesheet: String,
    /// The site's files in memory (not part of the JSON; read by [`AssetManifest::load`]).
    #[serde(skip)]
    pub files: StaticFiles,
}

/// Why the assets could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// No manifest: the browser assets were never built.
    #[error("{path}: cannot read the asset manifest ({source}); build the site with `./x build`")]
    Missing {
        /// The manifest path looked for.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The manifest is not what `./x build` writes.
    #[error("{path}: invalid asset manifest: {source}")]
    Invalid {
        /// The manifest path.
        path: String,
        /// The parse error.
        source: serde_json::Error,
    },
    /// A built file could not be read.
    #[error("{path}: cannot read the built asset: {source}")]
    Unreadable {
        /// The file or folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl AssetManifest {
    /// Reads the manifest and every file under `pkg/` (and `favicon.svg`) from the site folder.
    pub fn load(site_dir: &Path) -> Result<Self, AssetError> {
        let path = site_dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|source| AssetError::Missing {
            path: path.display().to_string(),
            source,
        })?;
        let mut manifest: AssetManifest =
            serde_json::from_str(&text).map_err(|source| AssetError::Invalid {
                path: path.display().to_string(),
                source,
            })?;
        manifest.files = StaticFiles::load(site_dir)?;
        Ok(manifest)
    }
}

/// `Cache-Control` for content-hashed files: a changed file gets a new name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One file as built, with its precompressed copies when `./x build` made them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StaticFile {
    content_type: HeaderValue,
    /// `None` for files whose name does not change with their content (the favicon): the
    /// browser revalidates them with the ETag.
    cache_control: Option<HeaderValue>,
    /// First 16 hex digits of the SHA-256 of the uncompressed bytes.
    etag: String,
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// The site's static files by URL path (`/pkg/…`, `/favicon.svg`), shared by every request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticFiles(Arc<HashMap<String, StaticFile>>);

impl StaticFiles {
    /// Reads every file under `<site_dir>/pkg` (each with its `.br` and `.gz` copies) and
    /// `<site_dir>/favicon.svg` if there is one.
    pub fn load(site_dir: &Path) -> Result<Self, AssetError> {
        let mut files = HashMap::new();
        load_folder(&site_dir.join("pkg"), "/pkg", &mut files)?;
        let favicon = site_dir.join("favicon.svg");
        if favicon.is_file() {
            files.insert("/favicon.svg".to_owned(), load_file(&favicon, None)?);
        }
        Ok(StaticFiles(Arc::new(files)))
    }

    /// The response for `path`: the best encoding `request` accepts, 304 when its ETag
    /// matches, 404 for an unknown path.
    pub fn respond(&self, path: &str, request: &HeaderMap) -> Response {
        let Some(file) = self.0.get(path) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let (body, encoding) = match (&file.brotli, &file.gzip) {
            (Some(brotli), _) if accepts(request, "br") => (brotli, Some("br")),
            (_, Some(gzip)) if accepts(request, "gzip") => (gzip, Some("gzip")),
            _ => (&file.identity, None),
        };
        let etag = match encoding {
            Some(encoding) => format!("\"{}-{encoding}\"", file.etag),
            None => format!("\"{}\"", file.etag),
        };
        let not_modified = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|tag| tag.trim().trim_start_matches("W/") == etag || tag.trim() == "*");
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(body.clone()));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, file.content_type.clone());
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, etag);
        }
        if let Some(cache_control) = &file.cache_control {
            headers.insert(header::CACHE_CONTROL, cache_control.clone());
        }
        if file.brotli.is_some() || file.gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    }
}

/// The routes serving [`StaticFiles`]: `/pkg/…` and `/favicon.svg`. Mount them outside the
/// session and CSRF layers, so they neither query the database nor set cookies.
pub fn routes<S: Clone + Send + Sync + 'static>(files: StaticFiles) -> Router<S> {
    Router::new()
        .route("/pkg/{*file}", get(serve))
        .route("/favicon.svg", get(serve))
        .with_state(files)
}

async fn serve(State(files): State<StaticFiles>, uri: Uri, headers: HeaderMap) -> Response {
    files.respond(uri.path(), &headers)
}

fn load_folder(
    dir: &Path,
    url: &str,
    files: &mut HashMap<String, StaticFile>,
) -> Result<(), AssetError> {
    let unreadable = |source| AssetError::Unreadable {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let url = format!("{url}/{name}");
        if entry.file_type().map_err(unreadable)?.is_dir() {
            load_folder(&path, &url, files)?;
        } else if !name.ends_with(".br") && !name.ends_with(".gz") {
            files.insert(
                url,
                load_file(&path, Some(HeaderValue::from_static(IMMUTABLE)))?,
            );
        }
    }
    Ok(())
}

fn load_file(path: &Path, cache_control: Option<HeaderValue>) -> Result<StaticFile, AssetError> {
    let read = |path: &Path| {
        std::fs::read(path)
            .map(Bytes::from)
            .map_err(|source| AssetError::Unreadable {
                path: path.display().to_string(),
                source,
            })
    };
    let copy = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let copy = Path::new(&name);
        copy.is_file().then(|| read(copy)).transpose()
    };
    let identity = read(path)?;
    let digest = Sha256::digest(&identity);
    Ok(StaticFile {
        content_type: HeaderValue::from_static(content_type(path)),
        cache_control,
        etag: hex::encode(&digest[..8]),
        brotli: copy(".br")?,
        gzip: copy(".gz")?,
        identity,
    })
}

/// The media type for a built file, by extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("css") => "text/css",
        Some("js" | "mjs") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

/// True when `Accept-Encoding` lists `coding` (or `*`) without `q=0`.
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            (name.eq_ignore_ascii_case(coding) || name == "*")
                && parts.all(|parameter| {
                    parameter
                        .trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_none_or(|q| q > 0.0)
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encodings(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn encodings_refused_with_q_zero_are_not_used() {
        assert!(accepts(&encodings("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&encodings("gzip;q=0.5"), "gzip"));
        assert!(!accepts(&encodings("gzip, br;q=0"), "br"));
        assert!(accepts(&encodings("*"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    fn files() -> (tempfile::TempDir, StaticFiles) {
        let temp = tempfile::tempdir().unwrap();
        let pkg = temp.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("a.0123.css"), "body{}").unwrap();
        std::fs::write(pkg.join("a.0123.css.br"), "brotli").unwrap();
        std::fs::write(pkg.join("a.0123.css.gz"), "gzip").unwrap();
        std::fs::write(temp.path().join("favicon.svg"), "<svg/>").unwrap();
        let files = StaticFiles::load(temp.path()).unwrap();
        (temp, files)
    }

    #[tokio::test]
    async fn best_accepted_encoding_is_served_with_its_own_etag() {
        let (_temp, files) = files();
        let response = files.respond("/pkg/a.0123.css", &encodings("gzip, br"));
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers[header::CONTENT_ENCODING], "br");
        assert_eq!(headers[header::CONTENT_TYPE], "text/css");
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE);
        assert!(!headers.contains_key(header::SET_COOKIE));
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(body, "brotli");

        let plain = files.respond("/pkg/a.0123.css", &HeaderMap::new());
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        assert_ne!(plain.headers()[header::ETAG], headers[header::ETAG]);

        let mut again = encodings("gzip, br");
        again.insert(header::IF_NONE_MATCH, headers[header::ETAG].clone());
        let response = files.respond("/pkg/a.0123.css", &again);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn favicon_is_revalidated_and_unknown_files_are_404() {
        let (_temp, files) = files();
        let favicon = files.respond("/favicon.svg", &HeaderMap::new());
        assert_eq!(favicon.headers()[header::CONTENT_TYPE], "image/svg+xml");
        assert!(!favicon.headers().contains_key(header::CACHE_CONTROL));
        assert!(favicon.headers().contains_key(header::ETAG));
        // Compressed copies are not files of their own.
        for missing in ["/pkg/missing.css", "/pkg/a.0123.css.br"] {
            let response = files.respond(missing, &HeaderMap::new());
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
            assert!(!response.headers().contains_key(header::CACHE_CONTROL));
        }
    }
}
