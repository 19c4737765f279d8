//! `planparse export` (being implemented).

#[derive(clap::Args)]
pub struct Args {
    /// Arguments
    args: Vec<String>,
}

pub fn run(_args: Args) -> i32 {
    eprintln!("planparse export: not implemented yet");
    super::EXIT_FAILED
}
