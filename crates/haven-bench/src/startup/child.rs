//! A child process that cannot outlive the benchmark: killed and reaped when dropped, so an
//! error, a timeout or a panic never leaves a server holding gigabytes, or a generator
//! writing, behind.

use std::io;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How often a waiting loop looks again.
pub(crate) const POLL: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub(crate) struct Guard {
    child: Child,
}

impl Guard {
    pub(crate) fn spawn(command: &mut Command) -> io::Result<Self> {
        Ok(Self {
            child: command.spawn()?,
        })
    }

    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// The exit status if the process has ended.
    pub(crate) fn exited(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Waits for the process to end, up to `deadline`; `None` if it is still running then.
    pub(crate) fn wait_until(&mut self, deadline: Instant) -> io::Result<Option<ExitStatus>> {
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Asks the process to stop with SIGTERM (`haven serve` then finishes in-flight requests
    /// and closes the database cleanly), and kills it if it has not ended within `grace`.
    pub(crate) fn terminate(mut self, grace: Duration) -> io::Result<ExitStatus> {
        if self.child.try_wait()?.is_none() {
            // Through kill(1): sending a signal from Rust needs libc and `unsafe`, which the
            // workspace forbids. If kill(1) is missing, the Drop below sends SIGKILL instead.
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
        }
        if let Some(status) = self.wait_until(Instant::now() + grace)? {
            return Ok(status);
        }
        self.child.kill()?;
        self.child.wait()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `command` without the caller's Haven settings: any `HAVEN_*` variable (a configuration
/// file, another database, a snapshot directory, a listen address) would change what is
/// measured.
pub(crate) fn without_haven_settings(command: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("HAVEN_") {
            command.env_remove(name);
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_kills_its_process() {
        let mut guard = Guard::spawn(Command::new("sleep").arg("60")).unwrap();
        let pid = guard.id();
        assert!(guard.exited().unwrap().is_none());
        drop(guard);
        // Reaped, so the pid no longer names our child.
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        assert!(!status.contains("State:\tS"), "{status}");
    }

    #[test]
    fn terminate_stops_a_process_that_honours_sigterm() {
        let guard = Guard::spawn(Command::new("sleep").arg("60")).unwrap();
        let started = Instant::now();
        let status = guard.terminate(Duration::from_secs(10)).unwrap();
        assert!(!status.success());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
