//! Compiles the API contract in `proto/` into Rust, in pure Rust: `protox` parses the `.proto`
//! files (no system `protoc` needed) and `tonic-prost-build` generates the messages, the server
//! and the client. The encoded descriptor set is saved for gRPC server reflection.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "proto/rota/v1/snapshot.proto",
    "proto/rota/v1/check.proto",
    "proto/rota/v1/recommend.proto",
    "proto/rota/v1/cover.proto",
    "proto/rota/v1/roster.proto",
    "proto/rota/v1/service.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let mut compiler = protox::Compiler::new(["proto"])?;
    compiler.include_source_info(true).include_imports(true);
    compiler.open_files(PROTOS)?;
    std::fs::write(
        out_dir.join("rota_v1_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .emit_rerun_if_changed(false)
        .compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}
