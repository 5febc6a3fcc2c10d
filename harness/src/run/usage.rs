//! The harness's own resource use, from `/proc/self` (Linux): CPU time for "harness CPU per
//! command", peak RSS for "memory per session". No libc: the figures are plain text there.

use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat` times. Linux exports them in USER_HZ, which
/// is 100 on every architecture the kernel supports for user space ABI stability.
const USER_HZ: u64 = 100;

/// User + system CPU time of the whole process (all threads) so far.
pub fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_from_stat(&stat)
}

/// `utime` and `stime` are fields 14 and 15; the command name (field 2) may hold spaces, so
/// count from the closing parenthesis.
fn cpu_from_stat(stat: &str) -> Option<Duration> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 1000 / USER_HZ))
}

/// Peak resident set size (`VmHWM`) in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_after_a_name_with_spaces() {
        let stat = "42 (a b) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0";
        assert_eq!(cpu_from_stat(stat), Some(Duration::from_secs(3)));
    }

    #[test]
    fn own_figures_are_readable() {
        assert!(process_cpu().is_some());
        assert!(peak_rss_kib().is_some_and(|k| k > 0));
    }
}
