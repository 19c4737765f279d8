//! `planparse convert FILE|DIR... [-o OUTDIR] [--pretty]`: documents to JSON.

use std::path::PathBuf;

use planparse::pipeline::{self, Options};

#[derive(clap::Args)]
pub struct Args {
    /// Input files or folders (.pdf, .docx, .txt, .md)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (one <name>.json per input); without it, JSON goes to stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Indent the JSON
    #[arg(long)]
    pretty: bool,
}

pub fn run(args: Args) -> i32 {
    let opts = Options::default();
    let mut failed = false;
    for path in &args.inputs {
        let bytes = match super::read_input(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("planparse: {e}");
                failed = true;
                continue;
            }
        };
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        match pipeline::convert_bytes(&name, &bytes, &opts) {
            Ok(doc) => {
                let json = if args.pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) };
                let json = match json {
                    Ok(j) => j,
                    Err(e) => {
                        eprintln!("planparse: {}: cannot serialize: {e}", path.display());
                        failed = true;
                        continue;
                    }
                };
                match &args.output {
                    Some(dir) => {
                        let target = dir.join(format!("{name}.json"));
                        if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&target, json)) {
                            eprintln!("planparse: {}: cannot write: {e}", target.display());
                            failed = true;
                        }
                    }
                    None => println!("{json}"),
                }
            }
            Err(e) => {
                eprintln!("planparse: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }
}
