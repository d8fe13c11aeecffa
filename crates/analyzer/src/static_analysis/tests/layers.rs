//! The analyzer's layers import only from the layers below them (docs/analyzer.md): syntax,
//! then domain, facts, summaries, the interpreter and the report.

use std::path::{Path, PathBuf};

/// Layers from the bottom up; a module may use its own layer and those before it.
const LAYERS: [&str; 6] = ["syntax", "domain", "facts", "summaries", "interp", "report"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == module)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source directory is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layer a source file belongs to: its first path component under `static_analysis`.
fn file_layer(root: &Path, file: &Path) -> Option<usize> {
    let relative = file.strip_prefix(root).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    layer_of(first.trim_end_matches(".rs"))
}

#[test]
fn no_layer_imports_from_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/static_analysis");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 20, "found only {} source files", files.len());
    let mut upward = Vec::new();
    for file in &files {
        let Some(own) = file_layer(&root, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for (at, _) in text.match_indices("static_analysis::") {
            let rest = &text[at + "static_analysis::".len()..];
            let used: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if let Some(layer) = layer_of(&used)
                && layer > own
            {
                upward.push(format!("{} uses {used}", file.display()));
            }
        }
        if text.replace("use super::*;", "").contains("use super::") {
            upward.push(format!(
                "{} uses `super::`: name the layer instead",
                file.display()
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "imports from a higher layer:\n{}",
        upward.join("\n")
    );
}
