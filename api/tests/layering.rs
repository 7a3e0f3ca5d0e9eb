//! The rule of dependency between the API's modules (docs/architecture.md, "Layers"): a module names only modules of
//! lower layers, never one of its own layer or above, so capabilities stay apart and nothing cycles. Lemmy gets this
//! from separate crates; here a scan of the source keeps it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first. The modules of the foundation (shared plumbing) may name each other, and so may those
/// of the wiring at the top (the app, its document and its commands); everywhere else a module names only modules
/// of lower layers.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &["clock", "config", "csv_file", "db", "error", "http", "keys", "schema", "state", "telemetry", "token_key"],
    ),
    ("the audit trail", &["audit"]),
    ("regions and identity", &["regions", "identity"]),
    ("the operation log", &["oplog"]),
    ("catalog, working days, notices", &["catalog", "calendar", "notices"]),
    ("who sees what", &["access"]),
    ("records", &["records"]),
    (
        "capabilities over records",
        &[
            "authorization",
            "objections",
            "portal",
            "intake",
            "statistics",
            "auditor",
            "backups",
            "dbadmin",
            "performance",
        ],
    ),
    ("health checks over capabilities", &["ops"]),
    ("checks over operations", &["prework"]),
    ("demo data", &["demo"]),
    ("wiring", &["app", "cli", "lib", "main", "openapi", "server"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a source file belongs to (`records` for `src/records/store.rs`, `server` for
/// `src/server.rs`).
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(source_root()).unwrap_or(file);
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every top-level module `source` names as `crate::<module>` (in `use` lines and in paths alike).
fn named_modules(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (index, _) in source.match_indices("crate::") {
        let preceded_by_ident =
            source[..index].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if preceded_by_ident {
            continue;
        }
        let name: String =
            source[index + "crate::".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

/// A module of layer `from` may name one of layer `to`.
fn allowed(from: usize, to: usize) -> bool {
    let shared_within = from == 0 || from == LAYERS.len() - 1;
    to < from || (to == from && shared_within)
}

#[test]
fn every_module_has_a_layer() {
    let mut files = Vec::new();
    rust_files(&source_root(), &mut files);
    let unplaced: BTreeSet<String> = files.iter().map(|f| module_of(f)).filter(|m| layer_of(m).is_none()).collect();
    assert!(unplaced.is_empty(), "modules without a layer (add them to LAYERS): {unplaced:?}");
}

#[test]
fn no_module_names_one_of_its_own_layer_or_above() {
    let mut files = Vec::new();
    rust_files(&source_root(), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(file);
        let Some(from) = layer_of(&module) else { continue };
        let source = std::fs::read_to_string(file).unwrap_or_default();
        for named in named_modules(&source) {
            let Some(to) = layer_of(&named) else { continue };
            if named != module && !allowed(from, to) {
                violations.push(format!(
                    "{} ({}) names crate::{named} ({})",
                    file.strip_prefix(source_root()).unwrap_or(file).display(),
                    LAYERS[from].0,
                    LAYERS[to].0
                ));
            }
        }
    }
    assert!(violations.is_empty(), "the rule of dependency is broken:\n{}", violations.join("\n"));
}

#[test]
fn the_scan_sees_use_lines_and_paths_but_not_other_crates() {
    let source =
        "use crate::records::store;\nlet x = crate::portal::routes::f();\nuse credit_types::crate_like;\n$crate::x";
    let named: Vec<String> = named_modules(source).into_iter().collect();
    assert_eq!(named, ["portal", "records"]);
    assert!(allowed(5, 2) && !allowed(5, 5) && !allowed(2, 5) && allowed(0, 0));
    let wiring = LAYERS.len() - 1;
    assert!(allowed(wiring, wiring), "the wiring layer's modules may name each other");
}
