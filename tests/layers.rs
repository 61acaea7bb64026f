//! The layers hold: reads the `crate::…` edges between the top-level modules
//! under `src/` (test files left out) and fails on a forbidden edge or an
//! import cycle longer than two modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → the modules it names as `crate::name`.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect(&src, &mut files);
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let name = relative.file_stem().unwrap().to_string_lossy().to_string();
        if name == "tests" || name.ends_with("_tests") || name == "proptests" {
            continue;
        }
        let module = match relative.components().next() {
            Some(first) if relative.components().count() > 1 => {
                first.as_os_str().to_string_lossy().to_string()
            }
            _ => name,
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let used = edges.entry(module.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let target: String = text[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !target.is_empty() && target != module {
                used.insert(target);
            }
        }
    }
    edges
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn the_cores_import_neither_the_engine_nor_the_store_nor_each_other() {
    let edges = edges();
    for (from, to) in [
        // Her core knows no desk, no store, no engine, no Telegram.
        ("conversation", "desk"),
        ("conversation", "store"),
        ("conversation", "engine"),
        ("conversation", "telegram"),
        ("conversation", "ui"),
        // The desk knows no engine, store or Telegram.
        ("desk", "engine"),
        ("desk", "store"),
        ("desk", "telegram"),
        // What the shells show and read sits above both cores.
        ("desk", "ui"),
        // The reply type sits below both cores.
        ("reply", "conversation"),
        ("reply", "desk"),
        // The store never reaches up into the engine or the shells.
        ("store", "engine"),
        ("store", "telegram"),
        ("store", "desk"),
        // The store keeps her session (domain) and never steps her core.
        ("store", "conversation"),
    ] {
        assert!(
            !edges.get(from).is_some_and(|t| t.contains(to)),
            "{from} imports {to}"
        );
    }
}

#[test]
fn no_import_cycle_is_longer_than_two_modules() {
    let edges = edges();
    // Every module reachable from each one, and whether it leads back.
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    assert!(path.len() <= 2, "cycle: {} → {start}", path.join(" → "));
                    continue;
                }
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
}
