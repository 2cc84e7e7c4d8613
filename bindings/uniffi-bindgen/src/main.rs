//! `cargo run -p layanan-uniffi-bindgen -- generate --library target/debug/liblayanan.so ...`
fn main() {
    uniffi::uniffi_bindgen_main()
}
