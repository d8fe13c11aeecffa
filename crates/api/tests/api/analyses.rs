//! `POST /analyses`: the classes name the sizes they depend on, and the document says what
//! "space" counts.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

const GRID: &str = "def count(grid):\n    c = 0\n    for i in range(len(grid)):\n        for j in range(len(grid[0])):\n            c += grid[i][j]\n    return c\n";

#[tokio::test]
async fn an_analysis_says_what_each_size_letter_stands_for() {
    let app = spawn_app().await;
    let token = app.register("alice").await;
    let response = app
        .post(
            &token,
            "/api/v1/analyses",
            json!({"code": GRID, "mode": "static"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["time_complexity"], "O(n*m)", "{body}");
    assert_eq!(
        body["variables"],
        json!({"n": "len(grid)", "m": "len(grid[0])"}),
        "{body}"
    );
    assert_eq!(body["functions"][0]["time_complexity"], "O(n*m)");

    let one = app
        .post(
            &token,
            "/api/v1/analyses",
            json!({"code": "def s(nums):\n    t = 0\n    for x in nums:\n        t += x\n    return t\n", "mode": "static"}),
        )
        .await;
    let body: Value = one.json().await.unwrap();
    assert_eq!(body["time_complexity"], "O(n)");
    assert_eq!(body["variables"], json!({"n": "len(nums)"}));
}

#[tokio::test]
async fn the_api_document_describes_variables_and_auxiliary_space() {
    let app = spawn_app().await;
    let openapi: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let analysis = &openapi["components"]["schemas"]["Analysis"]["properties"];
    assert_eq!(analysis["variables"]["type"], "object", "{analysis}");
    let space = analysis["space_complexity"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(space.contains("auxiliary"), "{space}");
    assert!(space.contains("not counted"), "{space}");
}
