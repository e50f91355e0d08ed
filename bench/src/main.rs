//! `bench-hello`: the bare axum server `./x bench` measures ohnet against. It answers every
//! request with a fixed "hello" on the same runtime (multi-threaded tokio) and HTTP stack
//! (axum, hyper) as ohnet, with no layers, so its figures are the ceiling on this machine.
//!
//! Listens on the address given as the first argument (default `127.0.0.1:0`, a free port)
//! and prints `listening on <addr>` once it accepts connections.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> ExitCode {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let addr: SocketAddr = match addr.parse() {
        Ok(addr) => addr,
        Err(err) => {
            eprintln!("bench-hello: {addr}: {err}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("bench-hello: cannot listen on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(bound) => println!("listening on {bound}"),
        Err(err) => {
            eprintln!("bench-hello: {err}");
            return ExitCode::FAILURE;
        }
    }
    let app = Router::new().fallback(get(|| async { "hello" }));
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-hello: {err}");
            ExitCode::FAILURE
        }
    }
}
