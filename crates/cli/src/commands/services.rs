//! `musync services`: every service musync knows, from its registry.

use crate::output;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(json: bool) -> Result<ExitCode> {
    let services = musync_services::SERVICES;
    if json {
        output::json(&services)?;
        return Ok(ExitCode::SUCCESS);
    }
    for info in services {
        let ro = if info.read_only() {
            "  (read-only)"
        } else {
            ""
        };
        println!(
            "{}\t{}{ro}\n  {}",
            info.kind.as_str(),
            info.kind.display_name(),
            info.description
        );
        for option in info.options {
            let how = match (option.is_asked(), option.env) {
                (true, _) => format!("--{}", option.name),
                (false, Some(env)) => env.to_owned(),
                (false, None) => continue,
            };
            println!("    {how}: {}", option.help);
        }
    }
    Ok(ExitCode::SUCCESS)
}
