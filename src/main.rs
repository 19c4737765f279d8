//! `planparse`: Norwegian health-research action plans and meeting minutes → JSON.
#![forbid(unsafe_code)]

mod cli;

fn main() {
    std::process::exit(cli::run());
}
