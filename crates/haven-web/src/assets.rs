//! Static files embedded in the binary under content-hashed names, so browsers may cache them
//! for a year: a changed file gets a new name, and pages link to the new name.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

struct Source {
    stem: &'static str,
    extension: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const SOURCES: &[Source] = &[
    Source {
        stem: "haven",
        extension: "css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/haven.css"),
    },
    Source {
        stem: "locate",
        extension: "js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/locate.js"),
    },
];

/// One embedded file.
#[derive(Debug)]
pub(crate) struct Asset {
    /// `stem.HASH.ext`.
    pub name: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// All embedded files.
#[derive(Debug)]
pub(crate) struct Assets {
    files: Vec<Asset>,
}

impl Assets {
    /// Hashes every embedded file once.
    pub fn embedded() -> Self {
        let files = SOURCES
            .iter()
            .map(|source| {
                let digest = Sha256::digest(source.bytes);
                let short = hex::encode(&digest[..6]);
                Asset {
                    name: format!("{}.{short}.{}", source.stem, source.extension),
                    content_type: source.content_type,
                    bytes: source.bytes,
                }
            })
            .collect();
        Self { files }
    }

    /// The public URL of the stylesheet.
    pub fn stylesheet_url(&self) -> String {
        self.url_of("haven")
    }

    /// The public URL of the "use my location" script.
    pub fn locate_script_url(&self) -> String {
        self.url_of("locate")
    }

    fn url_of(&self, stem: &str) -> String {
        self.files
            .iter()
            .find(|a| a.name.split('.').next() == Some(stem))
            .map(|a| format!("/static/{}", a.name))
            .unwrap_or_default()
    }

    fn get(&self, name: &str) -> Option<&Asset> {
        self.files.iter().find(|a| a.name == name)
    }
}

/// `GET /static/{name}`.
pub(crate) async fn serve(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some(asset) = state.assets().get(&name) else {
        return AppError::not_found().into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.bytes,
    )
        .into_response()
}
