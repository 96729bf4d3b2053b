//! `playground-proxy`: the playground's native companion. Thin: parse the command line, run.
//! Native only (see Cargo.toml); on wasm32 the binary is an empty stub.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {

    use clap::{Parser, Subcommand};
    use playground_proxy::{emulate, serve};

    #[derive(Parser)]
    #[command(name = "playground-proxy", version, about)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Bridge the browser page to a real Redis over WebSocket (secrets stay here).
        Serve(Box<serve::ServeArgs>),
        /// Serve the playground's engine over RESP/TCP for redis-cli, redis-benchmark, redis-py.
        Emulate(emulate::EmulateArgs),
    }

    pub fn main() -> std::process::ExitCode {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
            )
            .with_writer(std::io::stderr)
            .init();
        let cli = Cli::parse();
        // `emulate` runs on one thread, like Redis's event loop: every command goes through the one
        // engine anyway, and worker threads would only hand its lock back and forth (measured:
        // a third of the time in futex waits and wake-ups under redis-benchmark -P 16). `serve`
        // relays independent sessions, which threads do help.
        let built = match &cli.command {
            // Scripts run on the blocking pool (see emulate.rs): deep Lua tables and JSON recurse.
            Command::Emulate(_) => {
                tokio::runtime::Builder::new_current_thread().enable_all().thread_stack_size(64 << 20).build()
            }
            Command::Serve(_) => tokio::runtime::Runtime::new(),
        };
        let runtime = match built {
            Ok(r) => r,
            Err(e) => {
                eprintln!("playground-proxy: cannot start the runtime: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        let result = match cli.command {
            Command::Serve(args) => runtime.block_on(serve::run(*args)).map_err(|e| e.to_string()),
            Command::Emulate(args) => runtime.block_on(emulate::run(args)).map_err(|e| e.to_string()),
        };
        match result {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("playground-proxy: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}
