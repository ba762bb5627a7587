//! One `haven serve` on a database: launched on a free loopback port (port 0; the server
//! prints the address it got), polled until `/readyz` answers 200, then stopped.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::child::{self, Guard, POLL};
use super::{http, logs};

/// How long one probe may take; a server that accepted must answer `/readyz` at once.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a stopping server may take to finish before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(60);

/// A running server; killed when dropped.
#[derive(Debug)]
pub(crate) struct Server {
    child: Guard,
    announced: Receiver<SocketAddr>,
    address: Option<SocketAddr>,
    log: PathBuf,
}

impl Server {
    /// Launches `haven serve` on the SQLite file `database`, in `dir` (where the server may
    /// write its outbox), its log to `log` (replaced).
    pub(crate) fn start(
        haven: &Path,
        database: &Path,
        dir: &Path,
        log: &Path,
    ) -> anyhow::Result<Self> {
        let stderr = File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let url = format!("sqlite://{}", database.display());
        let mut command = Command::new(haven);
        child::without_haven_settings(&mut command)
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &url])
            .current_dir(dir)
            .env("RUST_LOG", logs::FILTER)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        let mut child = Guard::spawn(&mut command)
            .with_context(|| format!("launching {} serve", haven.display()))?;
        let stdout = child
            .child()
            .stdout
            .take()
            .context("haven serve's output was not captured")?;
        // The address is printed once the directory is loaded; a thread reads it so that the
        // wait below keeps its deadline. It ends when the server does.
        let (tell, announced) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = announced_address(&line) {
                    let _ = tell.send(address);
                }
            }
        });
        Ok(Self {
            child,
            announced,
            address: None,
            log: log.to_owned(),
        })
    }

    /// Waits until `/readyz` answers 200, looking every 50 ms, up to `deadline`.
    pub(crate) fn wait_ready(&mut self, deadline: Instant) -> anyhow::Result<()> {
        loop {
            match self.address {
                None => match self.announced.recv_timeout(POLL) {
                    Ok(address) => self.address = Some(address),
                    Err(RecvTimeoutError::Timeout) => {}
                    // Output closed: the server is ending; the check below says how.
                    Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
                },
                Some(address) => {
                    if matches!(http::status(address, "/readyz", PROBE_TIMEOUT), Ok(200)) {
                        return Ok(());
                    }
                    std::thread::sleep(POLL);
                }
            }
            self.check_running("before it was ready")?;
            if Instant::now() >= deadline {
                bail!(
                    "haven serve was not ready (no 200 from /readyz) within the limit; gave up \
                     and stopped it (log: {})",
                    self.log.display()
                );
            }
        }
    }

    /// Waits until the log has a line containing one of `messages` and answers that line, up
    /// to `deadline`.
    pub(crate) fn wait_for_log(
        &mut self,
        messages: &[&str],
        deadline: Instant,
    ) -> anyhow::Result<String> {
        loop {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            if let Some(line) = log.lines().find(|l| messages.iter().any(|m| l.contains(m))) {
                return Ok(line.to_owned());
            }
            self.check_running("while waiting for its log")?;
            if Instant::now() >= deadline {
                bail!(
                    "haven serve did not log any of {messages:?} within the limit (log: {})",
                    self.log.display()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// The server's peak resident memory so far, in bytes.
    pub(crate) fn peak_rss(&self) -> Option<u64> {
        crate::system::peak_rss_bytes_of(self.child.id())
    }

    /// Stops the server (SIGTERM, then SIGKILL after a grace period) and answers its log.
    pub(crate) fn stop(self) -> anyhow::Result<String> {
        self.child
            .terminate(STOP_GRACE)
            .context("stopping haven serve")?;
        std::fs::read_to_string(&self.log)
            .with_context(|| format!("reading {}", self.log.display()))
    }

    fn check_running(&mut self, when: &str) -> anyhow::Result<()> {
        if let Some(status) = self.child.exited().context("watching haven serve")? {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            bail!(
                "haven serve ended ({status}) {when}; the end of its log ({}):\n{}",
                self.log.display(),
                tail(&log, 20)
            );
        }
        Ok(())
    }
}

/// The address in `haven serve`'s banner (`… http://127.0.0.1:PORT/`).
fn announced_address(line: &str) -> Option<SocketAddr> {
    let (_, rest) = line.split_once("http://")?;
    rest.trim().trim_end_matches('/').parse().ok()
}

/// The last `lines` lines of `text`.
pub(crate) fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_gives_the_address() {
        assert_eq!(
            announced_address("Haven is running at http://127.0.0.1:41234/"),
            Some("127.0.0.1:41234".parse().unwrap())
        );
        assert_eq!(announced_address("listening"), None);
        assert_eq!(announced_address("see http://example.org/"), None);
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
        assert_eq!(tail("", 5), "");
    }
}
