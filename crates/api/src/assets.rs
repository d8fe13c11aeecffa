//! The web app, embedded in the binary from `web/dist` at compile time, served as the API's
//! fallback.
//!
//! Rules: files under `/assets/` carry a content hash in their name and are cached forever;
//! every other file and `index.html` is revalidated (`no-cache` plus an `ETag`). Any other GET of
//! a page route (`/`, `/runs/…`, `/signin`) gets `index.html`, so the client-side router can
//! answer it. Nothing under `/api/` ever falls back to the page: an unknown API path is a JSON
//! 404, because a script calling a wrong URL must not receive HTML with a 200. A missing file
//! (a path with an extension, or anything under `/assets/`) is a plain 404 too.
//!
//! When the binary was built without `web/dist` (no `npm run build` first), the page says so
//! instead of failing the build.

use std::borrow::Cow;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

use crate::error::ApiError;

#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct WebDist;

/// Hashed assets never change under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is revalidated on each use, so a new release is picked up at once.
const NO_CACHE: &str = "no-cache";
const INDEX: &str = "index.html";
const HASHED_DIR: &str = "assets/";

const NOT_BUILT_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Code Remote</title></head><body><h1>Code Remote</h1>\
<p>The web app was not built into this binary. Run <code>npm ci &amp;&amp; npm run build</code> \
in <code>web/</code>, then rebuild the binary. The API is available under <code>/api/v1</code>.</p>\
</body></html>";

/// One file to serve.
struct Asset {
    bytes: Cow<'static, [u8]>,
    etag: String,
}

/// Finds a file by its path relative to the web root (no leading slash).
type Lookup = fn(&str) -> Option<Asset>;

fn embedded(path: &str) -> Option<Asset> {
    WebDist::get(path).map(|file| Asset {
        etag: etag_of(&file.metadata.sha256_hash()),
        bytes: file.data,
    })
}

fn etag_of(hash: &[u8]) -> String {
    let hex: String = hash
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// The web app as a fallback router: merge it last, after every API route.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    router_from(embedded)
}

fn router_from<S: Clone + Send + Sync + 'static>(lookup: Lookup) -> Router<S> {
    Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap| async move {
            serve(lookup, &method, &uri, &headers)
        },
    )
}

fn serve(lookup: Lookup, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::NotFound("API route").into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let relative = path.trim_start_matches('/');
    if !relative.is_empty()
        && let Some(asset) = lookup(relative)
    {
        let cache = if relative.starts_with(HASHED_DIR) {
            IMMUTABLE
        } else {
            NO_CACHE
        };
        return file_response(relative, asset, cache, headers);
    }
    if looks_like_a_file(relative) {
        return (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, NO_CACHE)],
            "Not found",
        )
            .into_response();
    }
    match lookup(INDEX) {
        Some(index) => file_response(INDEX, index, NO_CACHE, headers),
        None => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, NO_CACHE),
            ],
            NOT_BUILT_PAGE,
        )
            .into_response(),
    }
}

/// Page routes never have an extension in their last segment; files do. `/assets/` holds
/// only files.
fn looks_like_a_file(relative: &str) -> bool {
    relative.starts_with(HASHED_DIR)
        || relative
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

fn file_response(path: &str, asset: Asset, cache: &'static str, headers: &HeaderMap) -> Response {
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == asset.etag));
    let etag =
        HeaderValue::from_str(&asset.etag).expect("a quoted hex string is a valid header value");
    if not_modified {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
        )
            .into_response();
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type = if mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
    {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    let content_type =
        HeaderValue::from_str(&content_type).expect("a MIME type is a valid header value");
    let mut response = Response::new(Body::from(asset.bytes));
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, content_type);
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response_headers.insert(header::ETAG, etag);
    response
}

#[cfg(test)]
mod tests {
    use axum::{body::to_bytes, http::Request};
    use tower::ServiceExt;

    use super::*;

    fn fake(path: &str) -> Option<Asset> {
        let bytes: &'static [u8] = match path {
            "index.html" => b"<!doctype html><title>app</title>",
            "assets/index-Ab12Cd.js" => b"console.log('app')",
            "assets/index-Ab12Cd.css" => b"body{}",
            "favicon.svg" => b"<svg/>",
            _ => return None,
        };
        Some(Asset {
            bytes: Cow::Borrowed(bytes),
            etag: format!("\"{}\"", bytes.len()),
        })
    }

    async fn get(path: &str) -> Response {
        request(Request::get(path).body(Body::empty()).unwrap()).await
    }

    async fn request(request: Request<Body>) -> Response {
        router_from::<()>(fake).oneshot(request).await.unwrap()
    }

    fn header(response: &Response, name: header::HeaderName) -> &str {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    async fn body_text(response: Response) -> String {
        String::from_utf8(
            to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn hashed_assets_are_cached_forever_with_their_content_type() {
        let script = get("/assets/index-Ab12Cd.js").await;
        assert_eq!(script.status(), StatusCode::OK);
        assert_eq!(header(&script, header::CACHE_CONTROL), IMMUTABLE);
        assert_eq!(
            header(&script, header::CONTENT_TYPE),
            "text/javascript; charset=utf-8"
        );
        let style = get("/assets/index-Ab12Cd.css").await;
        assert_eq!(
            header(&style, header::CONTENT_TYPE),
            "text/css; charset=utf-8"
        );
        assert_eq!(body_text(style).await, "body{}");
    }

    #[tokio::test]
    async fn the_index_page_is_never_cached_without_revalidation() {
        let index = get("/").await;
        assert_eq!(index.status(), StatusCode::OK);
        assert_eq!(header(&index, header::CACHE_CONTROL), NO_CACHE);
        assert_eq!(
            header(&index, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert!(body_text(index).await.contains("<title>app</title>"));
    }

    #[tokio::test]
    async fn page_routes_fall_back_to_the_index_page() {
        for path in [
            "/runs/0193f1c2-7f00-7000-8000-000000000001",
            "/signin",
            "/register",
            "/runs/abc?x=1",
        ] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&response, header::CACHE_CONTROL), NO_CACHE, "{path}");
            assert!(
                body_text(response).await.contains("<title>app</title>"),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn unknown_api_paths_answer_a_json_404_and_never_the_page() {
        for path in [
            "/api/v2/executions",
            "/api/",
            "/api",
            "/api/v1/nothing/here",
        ] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(
                header(&response, header::CONTENT_TYPE).starts_with("application/json"),
                "{path}"
            );
            let body: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
            assert_eq!(body["error"]["code"], "not_found", "{path}");
            assert!(body["error"]["message"].is_string(), "{path}");
        }
        let post = request(Request::post("/api/v9/x").body(Body::empty()).unwrap()).await;
        assert_eq!(post.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn missing_files_are_404_rather_than_the_page() {
        for path in [
            "/assets/gone-123.js",
            "/assets/",
            "/robots.txt",
            "/deep/path/logo.png",
        ] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_ne!(
                body_text(response).await,
                "<!doctype html><title>app</title>",
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn other_root_files_are_served_and_revalidated() {
        let icon = get("/favicon.svg").await;
        assert_eq!(icon.status(), StatusCode::OK);
        assert_eq!(header(&icon, header::CONTENT_TYPE), "image/svg+xml");
        assert_eq!(header(&icon, header::CACHE_CONTROL), NO_CACHE);
    }

    #[tokio::test]
    async fn a_matching_etag_answers_304_without_a_body() {
        let first = get("/").await;
        let etag = header(&first, header::ETAG).to_owned();
        assert!(!etag.is_empty());
        let again = request(
            Request::get("/")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(body_text(again).await.is_empty());
    }

    #[tokio::test]
    async fn writes_to_page_routes_are_not_allowed() {
        let response = request(Request::post("/runs/1").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header(&response, header::ALLOW), "GET, HEAD");
    }

    #[tokio::test]
    async fn the_embedded_app_answers_the_root_with_a_page_whether_or_not_it_was_built() {
        let response = router::<()>()
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(header(&response, header::CONTENT_TYPE).starts_with("text/html"));
        assert!(body_text(response).await.contains("Code Remote"));
    }
}
