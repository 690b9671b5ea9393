//! Running the program of a `cmd` definition: no shell, its own process group, a timeout
//! that kills the group, output capped.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::super::world::tail;

/// The most bytes read from the program's standard output; more is an error.
pub const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;

/// How many last lines of standard error an error shows (after secret values are scrubbed
/// by the plan's secret check).
pub const STDERR_LINES: usize = 10;

/// The most bytes of standard error kept.
const MAX_STDERR_BYTES: usize = 64 * 1024;

/// What to run.
pub(super) struct Run {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub folder: Option<PathBuf>,
    pub timeout: Duration,
}

/// Runs `run` with `input` on its standard input; its standard output, or why it failed (a
/// message that may hold the last lines of its standard error: scrub it before showing it).
pub(super) fn run(run: &Run, input: &[u8]) -> Result<Vec<u8>, String> {
    let mut command = Command::new(&run.program);
    command
        .args(&run.args)
        .env_clear()
        .envs(run.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(folder) = &run.folder {
        command.current_dir(folder);
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", run.program.display()))?;
    let stdout = reader(child.stdout.take(), MAX_OUTPUT_BYTES + 1);
    let stderr = reader(child.stderr.take(), MAX_STDERR_BYTES);
    // Written on a thread: a program that reads nothing must not block the timeout. A
    // program that does not read its input is not an error by itself.
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        std::thread::spawn(move || drop(stdin.write_all(&input)))
    });
    let status = wait(&mut child, run.timeout);
    if let Some(writer) = writer {
        // The child is gone (or killed): its end of the pipe is closed, the write returns.
        let _ = writer.join();
    }
    let err_text = stderr.recv_timeout(run.timeout).unwrap_or_default();
    let err_tail = tail(&String::from_utf8_lossy(&err_text), STDERR_LINES, 4000);
    let with_stderr = |message: String| {
        if err_tail.is_empty() {
            message
        } else {
            format!("{message}; the last lines of its standard error:\n{err_tail}")
        }
    };
    let Some(status) = status else {
        return Err(with_stderr(format!(
            "`{}` did not finish within {} seconds and was killed with its process group",
            run.program.display(),
            run.timeout.as_secs_f64()
        )));
    };
    // A program that leaves a child holding its output open gets the same time to let go.
    let out = stdout.recv_timeout(run.timeout).unwrap_or_default();
    if !status.success() {
        return Err(with_stderr(format!(
            "`{}` failed ({status})",
            run.program.display()
        )));
    }
    if out.len() > MAX_OUTPUT_BYTES {
        return Err(format!(
            "`{}` wrote more than {MAX_OUTPUT_BYTES} bytes to its standard output",
            run.program.display()
        ));
    }
    Ok(out)
}

/// Reads `from` to its end on a thread, keeping at most `max` bytes (the rest is drained).
fn reader(from: Option<impl Read + Send + 'static>, max: usize) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut from) = from {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = from.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                let room = max.saturating_sub(kept.len());
                kept.extend_from_slice(&buffer[..n.min(room)]);
            }
        }
        let _ = tx.send(kept);
    });
    rx
}

/// Waits for the child until `timeout`; then kills its process group and returns `None`.
fn wait(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                kill_group(child);
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Kills the child's process group (the child is its leader), or the child alone where
/// there are no process groups.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let pid = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        if let Some(pid) = pid {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            return;
        }
    }
    let _ = child.kill();
}
