//! What the kernel reports about the machine and its processes: the load average printed next
//! to every figure (the benchmark machine is shared), and peak resident memory.

/// The 1, 5 and 15 minute load averages, or "unknown" off Linux.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Peak resident set size of this process in bytes (`VmHWM`), if the platform has it.
pub fn peak_rss_bytes() -> Option<u64> {
    peak_rss_from("/proc/self/status")
}

/// Peak resident set size of process `pid` in bytes; `None` off Linux or once it has gone.
pub fn peak_rss_bytes_of(pid: u32) -> Option<u64> {
    peak_rss_from(&format!("/proc/{pid}/status"))
}

fn peak_rss_from(status: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_peak_and_a_vanished_one_has_none() {
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(peak_rss_bytes().is_some_and(|b| b > 0));
            assert_eq!(
                peak_rss_bytes_of(std::process::id()).map(|b| b > 0),
                Some(true)
            );
        }
        // Beyond Linux's largest pid.
        assert_eq!(peak_rss_bytes_of(u32::MAX), None);
    }
}
