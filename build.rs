//! Compiles the texts in: every `locales/<lang>/*.ftl` file becomes part of the
//! binary, so a release binary copied anywhere has its words. A new language is
//! still only a new folder (and a rebuild).

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut folders: Vec<_> = fs::read_dir(&root)
        .expect("locales/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        println!("cargo:rerun-if-changed={}", folder.display());
        let lang = folder.file_name().unwrap().to_string_lossy().to_string();
        let mut ftl: Vec<_> = fs::read_dir(&folder)
            .expect("a language folder is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        ftl.sort();
        for file in ftl {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            files.push((lang.clone(), name, file));
        }
    }
    let mut out =
        String::from("/// (language, file name, Fluent source) of every embedded locale file.\n");
    out.push_str("pub static EMBEDDED: &[(&str, &str, &str)] = &[\n");
    for (lang, name, path) in files {
        writeln!(
            out,
            "    ({lang:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_locales.rs");
    fs::write(dest, out).unwrap();
}
