//! The server process's own resource use, read from `/proc/self` (Linux): memory, CPU time, open files, threads.
//! Elsewhere every figure is absent.

/// Prometheus's usual names for a process's figures, so existing dashboards read them.
pub const RESIDENT_MEMORY: &str = "process_resident_memory_bytes";
pub const VIRTUAL_MEMORY: &str = "process_virtual_memory_bytes";
pub const CPU_SECONDS: &str = "process_cpu_seconds_total";
pub const OPEN_FDS: &str = "process_open_fds";
pub const MAX_FDS: &str = "process_max_fds";
pub const THREADS: &str = "process_threads";
pub const START_TIME: &str = "process_start_time_seconds";

/// Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`): 100 on every Linux architecture the platform runs on.
const TICKS_PER_SECOND: f64 = 100.0;

/// What `/proc/self` says now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessStats {
    pub resident_bytes: Option<u64>,
    pub virtual_bytes: Option<u64>,
    pub threads: Option<u64>,
    /// User and system CPU time since the process started.
    pub cpu_seconds: Option<f64>,
    /// Seconds since the epoch when the process started.
    pub start_time_seconds: Option<f64>,
    pub open_fds: Option<u64>,
    /// The soft limit of open files.
    pub max_fds: Option<u64>,
}

/// Reads the process's figures; any that cannot be read is absent.
pub fn read() -> ProcessStats {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let boot = std::fs::read_to_string("/proc/stat").ok().and_then(|s| boot_time(&s));
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let times = stat_times(&stat);
    ProcessStats {
        resident_bytes: status_kb(&status, "VmRSS:").map(|kb| kb * 1024),
        virtual_bytes: status_kb(&status, "VmSize:").map(|kb| kb * 1024),
        threads: status_kb(&status, "Threads:"),
        cpu_seconds: times.map(|(cpu, _)| cpu),
        start_time_seconds: times.zip(boot).map(|((_, since_boot), boot)| boot as f64 + since_boot),
        open_fds: std::fs::read_dir("/proc/self/fd").ok().map(|entries| entries.count() as u64),
        max_fds: max_open_files(&limits),
    }
}

/// Sets the process gauges from `stats`.
pub fn publish(stats: &ProcessStats) {
    let figures = [
        (RESIDENT_MEMORY, stats.resident_bytes.map(|v| v as f64)),
        (VIRTUAL_MEMORY, stats.virtual_bytes.map(|v| v as f64)),
        (THREADS, stats.threads.map(|v| v as f64)),
        (CPU_SECONDS, stats.cpu_seconds),
        (START_TIME, stats.start_time_seconds),
        (OPEN_FDS, stats.open_fds.map(|v| v as f64)),
        (MAX_FDS, stats.max_fds.map(|v| v as f64)),
    ];
    for (name, value) in figures {
        if let Some(value) = value {
            metrics::gauge!(name).set(value);
        }
    }
}

/// A `Name:   1234 kB` (or plain count) line of `/proc/self/status`.
fn status_kb(status: &str, name: &str) -> Option<u64> {
    status.lines().find_map(|line| line.strip_prefix(name)?.split_whitespace().next()?.parse().ok())
}

/// CPU seconds (user + system) and seconds from boot to the start, from `/proc/self/stat`. The command name in
/// parentheses may hold spaces, so fields are counted after its closing parenthesis.
fn stat_times(stat: &str) -> Option<(f64, f64)> {
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    // Field 3 (state) is fields[0]: utime is field 14, stime 15, starttime 22.
    let tick = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    let cpu = (tick(14)? + tick(15)?) as f64 / TICKS_PER_SECOND;
    let start = tick(22)? as f64 / TICKS_PER_SECOND;
    Some((cpu, start))
}

/// The `btime` line of `/proc/stat`: when the machine booted, in seconds since the epoch.
fn boot_time(stat: &str) -> Option<u64> {
    stat.lines().find_map(|line| line.strip_prefix("btime")?.trim().parse().ok())
}

/// The soft limit of `Max open files` in `/proc/self/limits`.
fn max_open_files(limits: &str) -> Option<u64> {
    limits.lines().find_map(|line| line.strip_prefix("Max open files")?.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r14_2_proc_files_read_as_figures() {
        let status = "Name:\tcredit-api\nVmSize:\t  812344 kB\nVmRSS:\t   45120 kB\nThreads:\t12\n";
        assert_eq!(status_kb(status, "VmRSS:"), Some(45120));
        assert_eq!(status_kb(status, "Threads:"), Some(12));
        assert_eq!(status_kb(status, "VmSwap:"), None);
        let stat = "4242 (credit api (x)) S 1 4242 4242 0 -1 4194560 2810 0 0 0 250 50 0 0 20 0 12 0 1000 812344 11280";
        assert_eq!(stat_times(stat), Some((3.0, 10.0)));
        assert_eq!(stat_times("garbage"), None);
        assert_eq!(boot_time("cpu  1 2 3\nbtime 1764300000\nprocesses 9\n"), Some(1_764_300_000));
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            1024                 524288               files\n";
        assert_eq!(max_open_files(limits), Some(1024));
    }

    #[test]
    fn r14_2_this_process_has_memory_and_open_files() {
        let stats = read();
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(stats.resident_bytes.is_some_and(|b| b > 0), "{stats:?}");
            assert!(stats.open_fds.is_some_and(|n| n > 0), "{stats:?}");
            assert!(stats.cpu_seconds.is_some(), "{stats:?}");
        }
    }
}
