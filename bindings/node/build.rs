//! Links the addon as Node expects.
fn main() {
    napi_build::setup();
}
