//! The built browser assets: `manifest.json`, written by `./x build`, names the content-hashed
//! bundle and stylesheet under `pkg/`, so they can be cached forever.

use std::path::Path;

use serde::Deserialize;

/// Contents of `<site dir>/manifest.json`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AssetManifest {
    /// Base name of the wasm bundle and its JS glue, e.g. `ohnet.1a2b3c4d5e6f` for
    /// `pkg/ohnet.1a2b3c4d5e6f.js` and `pkg/ohnet.1a2b3c4d5e6f.wasm`.
    pub bundle: String,
    /// File name of the stylesheet under `pkg/`, e.g. `ohnet.0f9e8d7c6b5a.css`.
    pub stylesheet: String,
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
}

impl AssetManifest {
    /// Reads the manifest from the site folder.
    pub fn load(site_dir: &Path) -> Result<Self, AssetError> {
        let path = site_dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|source| AssetError::Missing {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| AssetError::Invalid {
            path: path.display().to_string(),
            source,
        })
    }
}
