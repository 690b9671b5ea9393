//! The `cmd` driver: a program of the platform team provisions the resource (a Terraform or
//! OpenTofu wrapper, a cloud API script).
//!
//! `inputs.values.command: [PROGRAM, ARG...]` runs without a shell: a `PROGRAM` with a `/`
//! that is relative resolves against the folder of the platform document that defines it, a
//! bare name is looked up on `PATH`. The child runs in that folder with only `PATH`, `HOME`
//! and `inputs.values.env` in its environment, in a process group of its own that is killed
//! when `inputs.values.timeout` (seconds, default 60) passes. The request is written as JSON
//! on its standard input and the answer read from its standard output; see [`protocol`] for
//! both shapes, and `protocol: score-k8s` for the JSON of score-k8s `cmd://` provisioners.

mod process;
pub mod protocol;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::world::{Answer, Call, WorldDriver};
use crate::Result;
pub use process::{MAX_OUTPUT_BYTES, STDERR_LINES};
use protocol::Protocol;

/// The name of the `cmd` driver.
pub const CMD_DRIVER: &str = "cmd";

/// The `cmd` driver (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct CmdDriver;

impl WorldDriver for CmdDriver {
    fn call(&self, call: &Call<'_>) -> Result<Answer> {
        let protocol = Protocol::of(call)?;
        if !protocol.handles(call.action) {
            return Ok(Answer::default());
        }
        let (program, args) = command(call)?;
        // Absolute, so that the program's path means the same in the child's folder.
        let folder = call.folder.and_then(|f| std::path::absolute(f).ok());
        let run = process::Run {
            program: resolve_program(&program, folder.as_deref()),
            args,
            env: env(call)?,
            folder,
            timeout: call.timeout()?,
        };
        let stdout = process::run(&run, protocol.request(call).to_string().as_bytes())
            .map_err(|message| call.error(message))?;
        protocol.answer(call, &stdout)
    }
}

/// `inputs.values.command` as a program and its arguments.
fn command(call: &Call<'_>) -> Result<(String, Vec<String>)> {
    let words = call
        .value("command")
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|w| w.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .filter(|w| w.first().is_some_and(|p| !p.is_empty()));
    let Some(mut words) = words else {
        return Err(call.error(
            "`inputs.values.command` must be a list of texts, the program first ([PROGRAM, ARG...])"
                .to_owned(),
        ));
    };
    let program = words.remove(0);
    Ok((program, words))
}

/// A relative program with a `/` resolves against `folder`; a bare name stays (looked up on
/// `PATH`); an absolute path stays.
fn resolve_program(program: &str, folder: Option<&Path>) -> PathBuf {
    let path = PathBuf::from(program);
    match folder {
        Some(folder) if program.contains('/') && path.is_relative() => folder.join(path),
        _ => path,
    }
}

/// `PATH`, `HOME` and `inputs.values.env`.
fn env(call: &Call<'_>) -> Result<Vec<(String, String)>> {
    let mut env: Vec<(String, String)> = ["PATH", "HOME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_owned(), v)))
        .collect();
    match call.value("env") {
        None => {}
        Some(Value::Object(extra)) => {
            for (name, value) in extra {
                let Some(text) = value.as_str() else {
                    return Err(call.error(format!("`inputs.values.env.{name}` must be text")));
                };
                env.retain(|(n, _)| n != name);
                env.push((name.clone(), text.to_owned()));
            }
        }
        Some(_) => {
            return Err(
                call.error("`inputs.values.env` must be a mapping of names to texts".to_owned())
            );
        }
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_resolve_as_documented() {
        let folder = Path::new("/platform");
        assert_eq!(
            resolve_program("./scripts/db.sh", Some(folder)),
            Path::new("/platform/./scripts/db.sh")
        );
        assert_eq!(
            resolve_program("python3", Some(folder)),
            Path::new("python3")
        );
        assert_eq!(
            resolve_program("/bin/sh", Some(folder)),
            Path::new("/bin/sh")
        );
    }
}
