//! The shipped artefacts carry no test code: the `layanan` binary and the FFI library
//! (what the apps link) depend on no test crate and enable no `testing` feature, so no
//! test vault (`StaticKeyVault`) or test helper can be reached in a release build.
//!
//! It asks cargo itself (`cargo tree -e normal`) rather than reading manifests, so a
//! `testing` feature switched on three crates away is caught too. It looks at the host
//! platform only (offline, other platforms' crates may not be downloaded); our manifests
//! have no platform-specific dependency on a test crate or feature.
//! Release builds must select the package (`cargo build -p layanan-cli`, as the README
//! and `bindings/generate.sh` do): a build of the whole workspace unifies features with
//! the test crates.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::Path;
use std::process::Command;

/// Crates that exist for tests only; none may be a normal dependency of a shipped one.
const TEST_CRATES: [&str; 1] = ["layanan-tests"];

/// One package of the tree: its name and the features cargo enables on it.
#[derive(Debug)]
struct Node {
    name: String,
    features: Vec<String>,
}

/// The normal (non-dev, non-build) dependency tree of `package`, as cargo resolves it
/// for `cargo build -p package`.
fn normal_tree(package: &str) -> Vec<Node> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--offline", "--manifest-path"])
        .arg(&manifest)
        .args(["-p", package, "-e", "normal"])
        .args(["--prefix", "none", "--no-dedupe", "-f", "{p}|{f}"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let nodes: Vec<Node> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (package, features) = line.split_once('|').unwrap();
            Node {
                // "{p}" is "name vX.Y.Z (path)"; a trailing " (*)" marks a repeat.
                name: package.split_whitespace().next().unwrap().to_owned(),
                features: features
                    .trim()
                    .trim_end_matches("(*)")
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect();
    assert_eq!(nodes.first().map(|n| n.name.as_str()), Some(package));
    nodes
}

fn assert_no_test_code(package: &str, must_contain: &[&str]) {
    let tree = normal_tree(package);
    // The parse found the tree it should have: the crates we ship really are in it.
    for name in must_contain {
        assert!(
            tree.iter().any(|n| n.name == *name),
            "{name} is missing from the normal dependencies of {package}: {tree:?}"
        );
    }
    for node in &tree {
        assert!(
            !TEST_CRATES.contains(&node.name.as_str()),
            "{package} depends on the test crate {} in a normal build",
            node.name
        );
        assert!(
            !node.features.iter().any(|f| f == "testing"),
            "{package} enables the `testing` feature of {} in a normal build",
            node.name
        );
    }
}

#[test]
fn the_layanan_binary_carries_no_test_crate_or_testing_feature() {
    assert_no_test_code(
        "layanan-cli",
        &[
            "layanan-ffi",
            "layanan-device",
            "layanan-server",
            "layanan-netsim",
        ],
    );
}

#[test]
fn the_ffi_library_carries_no_test_vault() {
    // `StaticKeyVault` and the schema internals exist only with layanan-device's
    // `testing` feature.
    assert_no_test_code("layanan-ffi", &["layanan-device", "layanan-protocol"]);
}
