//! The OpenAPI document's shared parts: the bearer scheme, the error body every 4xx and 5xx
//! carries, and the error answers every operation can give (a malformed request, no sign-in, a
//! rate limit, an oversized body), so the document does not promise fewer answers than the
//! server gives. Schemathesis checks the server against it in CI (`scripts/fuzz-api`).

use utoipa::{
    Modify,
    openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, OpenApi, RefOr, ResponseBuilder, Type,
        path::Operation,
        schema::Schema,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// Adds the bearer scheme, the `Error` schema and the common error answers.
pub struct Shared;

const ERROR_SCHEMA: &str = "Error";

impl Modify for Shared {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API key")
                    .build(),
            ),
        );
        components
            .schemas
            .insert(ERROR_SCHEMA.into(), RefOr::T(error_schema()));
        for item in openapi.paths.paths.values_mut() {
            for method in [
                HttpMethod::Get,
                HttpMethod::Post,
                HttpMethod::Put,
                HttpMethod::Patch,
                HttpMethod::Delete,
            ] {
                let operation = match method {
                    HttpMethod::Get => item.get.as_mut(),
                    HttpMethod::Post => item.post.as_mut(),
                    HttpMethod::Put => item.put.as_mut(),
                    HttpMethod::Patch => item.patch.as_mut(),
                    HttpMethod::Delete => item.delete.as_mut(),
                    _ => None,
                };
                if let Some(operation) = operation {
                    add_common_errors(operation);
                }
            }
        }
    }
}

/// `{"error": {"code", "message", "field"?}}`.
fn error_schema() -> Schema {
    let detail = ObjectBuilder::new()
        .property("code", ObjectBuilder::new().schema_type(Type::String))
        .required("code")
        .property("message", ObjectBuilder::new().schema_type(Type::String))
        .required("message")
        .property(
            "field",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("the request field at fault, when there is one")),
        );
    Schema::Object(
        ObjectBuilder::new()
            .property("error", detail)
            .required("error")
            .description(Some("The body of every 4xx and 5xx answer of the API."))
            .build(),
    )
}

fn add_common_errors(operation: &mut Operation) {
    let signed_in = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    let has_body = operation.request_body.is_some();
    let mut common = vec![
        ("400", "malformed request: bad JSON, query or path"),
        ("429", "rate limited; `Retry-After` says when to try again"),
        ("500", "the server failed; the details are in its log"),
    ];
    if signed_in {
        common.push(("401", "not signed in, or the token is no longer valid"));
    }
    if has_body {
        common.push(("413", "the request body is larger than the server accepts"));
        common.push(("422", "a field is not acceptable"));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in common {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| ResponseBuilder::new().description(description).into());
    }
    // Every error answer carries the error body.
    for (status, response) in responses.iter_mut() {
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        if let RefOr::T(response) = response
            && response.content.is_empty()
        {
            response.content.insert(
                "application/json".into(),
                ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name(ERROR_SCHEMA)))
                    .build(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn the_web_apps_copy_of_the_document_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json");
        let committed = std::fs::read_to_string(&path).expect("web/openapi.json is readable");
        let current = crate::openapi_document()
            .to_pretty_json()
            .expect("the document serialises");
        assert!(
            committed.trim_end() == current,
            "web/openapi.json differs from the API's document: run scripts/gen-api and commit the result"
        );
    }
}
