//! `layanan`: the terminal shell. The profile commands and the demo grow here with
//! the demo issue.
fn main() {
    let _ = layanan::core_version();
}
