//! Writes synthetic FAERS zips and their manifest into a folder.
//!
//! ```text
//! cargo run --release -p faers-synth --example synth -- OUT_DIR            # demo preset
//! cargo run --release -p faers-synth --example synth -- OUT_DIR full 2024 3
//! FAERS_SYNTH_SEED=7 cargo run --release -p faers-synth --example synth -- OUT_DIR
//! ```

use faers_synth::{write_quarters, SynthOptions};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: synth OUT_DIR [full YEAR QUARTER]");
        std::process::exit(2);
    };
    let options = match args.get(1).map(String::as_str) {
        Some("full") => {
            let year = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2024);
            let quarter = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
            SynthOptions::full_size(year, quarter)
        }
        _ => SynthOptions::demo(),
    };
    let mut options = options;
    if let Some(seed) = std::env::var("FAERS_SYNTH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        options.seed = seed;
    }
    let start = std::time::Instant::now();
    match write_quarters(&options, &out) {
        Ok(summary) => {
            for z in &summary.zips {
                println!(
                    "{} {}: {} reports, {} bytes of text, rows {:?}",
                    z.file_name, z.quarter, z.reports, z.uncompressed_bytes, z.table_rows
                );
            }
            println!("{:.1} s", start.elapsed().as_secs_f64());
        }
        Err(e) => {
            eprintln!("synth: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
