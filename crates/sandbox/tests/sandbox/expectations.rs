//! Our expected outcome for every attack case, one named test each. The expectations are ours,
//! written from the safe outcome research/attacks.md and the security review describe; the
//! programs come from `attacks/catalog.py` (and, as a cross-check, the research catalog).

use std::time::Duration;

use code_remote_sandbox::{Limits, Outcome, Status};

use crate::helpers::{catalog_limits, stderr, stdout};

type Check = fn(&Outcome) -> Result<(), String>;

fn is(o: &Outcome, status: Status) -> Result<(), String> {
    if o.status == status {
        Ok(())
    } else {
        Err(format!("expected {status:?}"))
    }
}

fn fails_with(o: &Outcome, text: &str) -> Result<(), String> {
    is(o, Status::Failed)?;
    if stderr(o).contains(text) {
        Ok(())
    } else {
        Err(format!("stderr lacks {text:?}"))
    }
}

fn fails_with_any(o: &Outcome, texts: &[&str]) -> Result<(), String> {
    is(o, Status::Failed)?;
    if texts.iter().any(|t| stderr(o).contains(t)) {
        Ok(())
    } else {
        Err(format!("stderr lacks all of {texts:?}"))
    }
}

fn prints(o: &Outcome, text: &str) -> Result<(), String> {
    is(o, Status::Succeeded)?;
    if stdout(o).contains(text) {
        Ok(())
    } else {
        Err(format!("stdout lacks {text:?}"))
    }
}

fn prints_exactly(o: &Outcome, text: &str) -> Result<(), String> {
    is(o, Status::Succeeded)?;
    if stdout(o) == text {
        Ok(())
    } else {
        Err(format!("stdout is not {text:?}"))
    }
}

/// The `uid=N` printed by `id`, which must be an unprivileged slot uid.
fn slot_uid(o: &Outcome) -> Result<(), String> {
    let out = stdout(o);
    let uid: Option<u32> = out
        .split("uid=")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok());
    match uid {
        Some(uid) if uid >= 1000 => Ok(()),
        other => Err(format!(
            "ran as uid {other:?}, not an unprivileged slot uid"
        )),
    }
}

fn ensure(condition: bool, why: &str) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(why.to_string())
    }
}

/// Every line of stdout reports EPERM from the syscall.
fn eperm_lines(o: &Outcome, lines: usize) -> Result<(), String> {
    is(o, Status::Succeeded)?;
    let out = stdout(o);
    ensure(out.lines().count() == lines, "unexpected number of lines")?;
    ensure(
        out.lines()
            .all(|l| l.ends_with("-1 Operation not permitted")),
        "a call was not refused with EPERM",
    )
}

/// Each line of stdout ends with the result and message its position expects.
fn lines_end_with(o: &Outcome, expected: &[&str]) -> Result<(), String> {
    is(o, Status::Succeeded)?;
    let out = stdout(o);
    ensure(
        out.lines().count() == expected.len(),
        "unexpected number of lines",
    )?;
    for (line, end) in out.lines().zip(expected) {
        ensure(
            line.ends_with(end),
            &format!("{line:?} does not end with {end:?}"),
        )?;
    }
    Ok(())
}

const EPERM: &str = " -1 Operation not permitted";
const ENOSYS: &str = " -1 Function not implemented";

fn killed_by_memory_limit(o: &Outcome) -> Result<(), String> {
    is(o, Status::MemoryExceeded)?;
    ensure(
        o.message.as_deref() == Some("killed: memory limit of 256 MiB exceeded"),
        "wrong message",
    )
}

fn timed_out(o: &Outcome) -> Result<(), String> {
    is(o, Status::TimedOut)?;
    ensure(
        o.message.as_deref() == Some("killed: time limit of 3 s exceeded"),
        "wrong message",
    )?;
    ensure(
        o.wall_time >= Duration::from_secs(3) && o.wall_time < Duration::from_secs(6),
        "wall time off",
    )
}

/// What a directory listing printed by Python (`['a', 'b']`) contains.
fn listing(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches(|c| c == '[' || c == ']')
        .split(", ")
        .map(|s| s.trim_matches('\'').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

const HOST_ONLY: &[&str] = &[
    "etc", "home", "srv", "var", "opt", "root", "run", "mnt", "sys", "boot", "work",
];

fn skeleton_only(line: &str) -> Result<(), String> {
    let entries = listing(line);
    ensure(
        entries.iter().any(|e| e == "usr"),
        "no /usr in the sandbox root",
    )?;
    ensure(
        !entries.iter().any(|e| HOST_ONLY.contains(&e.as_str())),
        "a host directory is visible",
    )
}

/// The limits a case runs under: the catalog's, with more time where the case needs it.
pub fn limits_for(id: &str) -> Limits {
    match id {
        // Creating files until memory runs out takes longer than 3 s.
        "FS-17" => Limits {
            wall_time: Duration::from_secs(20),
            ..catalog_limits()
        },
        _ => catalog_limits(),
    }
}

/// Cases only the repository's own catalog has (from the security review); the research
/// catalog has every other id.
pub const OWN_ONLY: &[&str] = &["R-01", "R-02", "R-03", "R-04", "R-05", "R-06"];

macro_rules! cases {
    ($($test:ident => $id:literal : $check:expr),* $(,)?) => {
        /// Every case id with an expectation.
        pub const IDS: &[&str] = &[$($id),*];

        pub fn get(id: &str) -> Option<Check> {
            match id {
                $($id => Some($check),)*
                _ => None,
            }
        }

        $(
            #[test]
            fn $test() {
                crate::catalog::check($id);
            }
        )*
    };
}

cases! {
    fs_01_host_shadow_file_is_absent => "FS-01": |o| fails_with(o, "FileNotFoundError"),
    fs_02_only_the_sandbox_skeleton_is_visible => "FS-02": |o| { is(o, Status::Succeeded)?; skeleton_only(&stdout(o)) },
    fs_03_no_secret_looking_files_are_found => "FS-03": |o| prints_exactly(o, "[]\n"),
    fs_04_usr_is_read_only => "FS-04": |o| fails_with(o, "[Errno 30] Read-only file system"),
    fs_05_path_traversal_finds_no_host_tree => "FS-05": |o| fails_with(o, "FileNotFoundError"),
    fs_06_environment_holds_only_allowed_variables_and_init_has_none => "FS-06":
        |o| prints_exactly(o, "['HOME', 'LANG', 'PATH', 'PWD']\nb''\n"),
    fs_07_only_sandbox_processes_are_visible => "FS-07": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        let pids = listing(out.lines().next().unwrap_or_default());
        ensure(!pids.is_empty() && pids.len() <= 3, "more than three processes visible")?;
        ensure(out.lines().skip(1).all(|l| l.contains("bwrap") || l.contains("python")), "a foreign process is visible")
    },
    fs_08_proc_self_exe_cannot_be_overwritten => "FS-08":
        |o| fails_with_any(o, &["[Errno 30]", "[Errno 26]", "[Errno 13]"]),
    fs_09_proc_root_is_the_sandbox_root => "FS-09": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        let lines: Vec<&str> = out.lines().collect();
        ensure(lines.len() == 2 && lines[0] == lines[1], "roots differ")?;
        skeleton_only(lines[0])
    },
    fs_10_sysfs_and_release_agent_are_absent => "FS-10": |o| fails_with(o, "FileNotFoundError"),
    fs_11_only_safe_devices_exist => "FS-11": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        ensure(out.lines().skip(1).all(|l| l.ends_with(" False")), "a dangerous device exists")?;
        let safe = ["core", "fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero", "mqueue"];
        ensure(listing(out.lines().next().unwrap_or_default()).iter().all(|d| safe.contains(&d.as_str())), "unexpected device")
    },
    fs_12_hardlinks_to_host_binaries_fail => "FS-12": |o| fails_with_any(o, &["[Errno 18]", "[Errno 1]"]),
    fs_13_device_nodes_cannot_be_created => "FS-13": |o| fails_with(o, "[Errno 1] Operation not permitted"),
    fs_14_setuid_binaries_gain_no_privilege => "FS-14": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        ensure(!out.starts_with("0 "), "mount succeeded")?;
        slot_uid(o)
    },
    fs_15_filling_the_working_directory_stops_at_a_limit => "FS-15":
        |o| fails_with_any(o, &["[Errno 28] No space left on device", "[Errno 27] File too large"]),
    fs_16_tmp_and_dev_shm_are_small_private_tmpfs => "FS-16": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        ensure(!out.contains("BAD") && out.lines().count() == 2, "a directory took 200 MiB")?;
        ensure(out.lines().all(|l| l.contains("[Errno 28]") || l.contains("[Errno 27]")), "no space error")
    },
    fs_17_inode_flood_is_stopped_by_memory_or_space => "FS-17": |o| match o.status {
        Status::MemoryExceeded => killed_by_memory_limit(o),
        _ => fails_with(o, "[Errno 28]"),
    },
    res_01_fork_bomb_is_contained_until_the_wall_limit => "RES-01": timed_out,
    res_02_thread_bomb_is_contained => "RES-02": |o| match o.status {
        Status::TimedOut => timed_out(o),
        _ => fails_with(o, "can't start new thread"),
    },
    res_03_shell_fork_bomb_is_contained => "RES-03": |o| match o.status {
        Status::TimedOut => timed_out(o),
        _ => is(o, Status::Succeeded),
    },
    res_04_huge_allocation_is_refused_or_killed => "RES-04": |o| match o.status {
        Status::MemoryExceeded => killed_by_memory_limit(o),
        _ => fails_with(o, "MemoryError"),
    },
    res_05_gradual_memory_bomb_is_killed_by_the_memory_limit => "RES-05": killed_by_memory_limit,
    res_06_cpu_burn_times_out => "RES-06": timed_out,
    res_07_sleeping_forever_times_out => "RES-07": timed_out,
    res_08_stdout_flood_is_capped_and_killed => "RES-08": |o| {
        is(o, Status::OutputExceeded)?;
        ensure(o.stdout_truncated && o.stdout.len() == 64 * 1024, "stdout not capped at 64 KiB")?;
        ensure(o.message.as_deref() == Some("killed: output limit of 64 KiB on stdout exceeded"), "wrong message")
    },
    res_09_flood_without_newline_is_stopped => "RES-09": |o| match o.status {
        Status::MemoryExceeded => killed_by_memory_limit(o),
        _ => ensure(o.status == Status::OutputExceeded && o.stdout_truncated, "neither memory nor output limit"),
    },
    res_10_stderr_flood_is_capped_and_killed => "RES-10": |o| {
        is(o, Status::OutputExceeded)?;
        ensure(o.stderr_truncated && o.stderr.len() == 64 * 1024, "stderr not capped at 64 KiB")
    },
    res_11_file_descriptors_run_out_at_the_limit => "RES-11": |o| fails_with(o, "[Errno 24] Too many open files"),
    res_12_a_daemonised_grandchild_dies_with_the_sandbox => "RES-12": |o| prints_exactly(o, "parent exits\n"),
    res_13_zombies_are_bounded_by_the_process_limit => "RES-13": |o| prints(o, "fork failed at"),
    res_14_ignoring_signals_does_not_escape_the_wall_limit => "RES-14": timed_out,
    res_15_kill_all_reaches_nothing_outside => "RES-15": |o| prints(o, "still alive?"),
    res_16_a_pid_scan_finds_only_sandbox_processes => "RES-16": |o| prints_exactly(o, "[1, 2]\n"),
    res_17_hard_limits_cannot_be_raised => "RES-17": |o| fails_with(o, "ValueError"),
    res_18_priority_cannot_be_raised => "RES-18": |o| fails_with(o, "PermissionError"),
    k_01_nested_user_namespaces_are_refused => "K-01": |o| eperm_lines(o, 1),
    k_02_the_unshare_binary_is_refused => "K-02": |o| prints(o, "Operation not permitted"),
    k_03_mount_is_refused => "K-03": |o| eperm_lines(o, 1),
    k_04_keyrings_are_refused => "K-04": |o| eperm_lines(o, 1),
    k_05_bpf_is_refused => "K-05": |o| eperm_lines(o, 1),
    k_06_perf_event_open_is_refused => "K-06": |o| eperm_lines(o, 1),
    k_07_userfaultfd_is_refused => "K-07": |o| eperm_lines(o, 1),
    k_08_io_uring_looks_absent => "K-08": |o| prints_exactly(o, "-1 Function not implemented\n"),
    k_09_ptrace_is_refused => "K-09": |o| eperm_lines(o, 1),
    k_10_process_vm_readv_is_refused => "K-10": |o| eperm_lines(o, 1),
    k_11_tiocsti_is_refused_even_with_high_bits => "K-11": |o| eperm_lines(o, 2),
    k_12_the_i386_syscall_abi_kills_the_program => "K-12": |o| {
        is(o, Status::Failed)?;
        ensure(o.signal == Some(libc::SIGSYS) && o.exit_code.is_none(), "not killed by SIGSYS")?;
        ensure(o.message.as_deref() == Some("stopped: forbidden system call"), "wrong message")
    },
    k_13_open_by_handle_at_is_refused => "K-13": |o| eperm_lines(o, 1),
    k_14_personality_flags_are_refused => "K-14": |o| eperm_lines(o, 1),
    k_15_chroot_is_refused => "K-15": |o| fails_with(o, "PermissionError"),
    k_16_becoming_root_fails => "K-16": |o| fails_with_any(o, &["[Errno 22]", "[Errno 1]"]),
    k_17_no_capabilities_and_no_new_privs_and_seccomp => "K-17": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        for cap in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            ensure(out.contains(&format!("{cap}:\t0000000000000000")), "a capability is set")?;
        }
        ensure(out.contains("NoNewPrivs:\t1") && out.contains("Seccomp:\t2"), "no_new_privs or seccomp missing")
    },
    k_18_kernel_modules_cannot_be_loaded => "K-18": |o| eperm_lines(o, 1),
    k_19_hostname_cannot_be_changed => "K-19": |o| fails_with(o, "PermissionError"),
    net_01_egress_is_unreachable => "NET-01": |o| fails_with(o, "[Errno 101] Network is unreachable"),
    net_02_cloud_metadata_is_unreachable => "NET-02": |o| fails_with(o, "Network is unreachable"),
    net_03_dns_cannot_resolve => "NET-03": |o| fails_with(o, "gaierror"),
    net_04_udp_exfiltration_is_unreachable => "NET-04": |o| fails_with(o, "[Errno 101] Network is unreachable"),
    net_05_loopback_is_the_sandboxs_own => "NET-05": |o| {
        is(o, Status::Succeeded)?;
        let out = stdout(o);
        ensure(out.lines().count() == 5 && out.lines().all(|l| l.ends_with("[Errno 111] Connection refused")), "a port answered")
    },
    net_06_vsock_is_refused => "NET-06": |o| fails_with(o, "[Errno 97] Address family not supported"),
    net_07_packet_and_raw_sockets_are_refused => "NET-07": |o| {
        fails_with(o, "PermissionError")?;
        ensure(stdout(o).contains("packet [Errno 97]"), "AF_PACKET was not refused")
    },
    net_08_netlink_is_refused => "NET-08": |o| fails_with(o, "[Errno 97] Address family not supported"),
    net_09_abstract_unix_sockets_are_per_sandbox => "NET-09": |o| fails_with(o, "ConnectionRefusedError"),
    net_10_ipv6_egress_is_unreachable => "NET-10": |o| fails_with(o, "Network is unreachable"),
    py_01_subclass_walk_reaches_os_but_only_as_the_slot_uid => "PY-01": |o| {
        prints(o, "uid=")?;
        slot_uid(o)
    },
    py_02_ctypes_reaches_libc_but_only_as_the_slot_uid => "PY-02": |o| {
        prints(o, "via-libc")?;
        slot_uid(o)
    },
    py_03_builtins_recovery_stays_confined => "PY-03": |o| {
        prints(o, "uid=")?;
        slot_uid(o)
    },
    x_01_files_do_not_persist_across_runs => "X-01": |o| prints_exactly(o, "clean []\n"),
    x_02_sysv_ipc_does_not_persist_across_runs => "X-02": |o| prints(o, "not found"),
    // An accepted, documented channel (docs/sandbox.md): the lock is on the host's inode, so
    // it is either taken, or — while another job holds it at that moment — refused with
    // EWOULDBLOCK. Both show the channel; anything else (a crash, a kill) is a failure.
    x_03_file_locks_on_shared_read_only_files_are_an_accepted_channel => "X-03": |o| {
        prints_exactly(o, "locked\n").or_else(|_| {
            is(o, Status::Failed)?;
            ensure(stderr(o).contains("BlockingIOError"), "neither locked nor refused as busy")
        })
    },
    t_01_timers_are_readable => "T-01": |o| {
        is(o, Status::Succeeded)?;
        ensure(listing(stdout(o).trim()).len() == 4, "not four intervals")
    },
    t_02_host_wide_procfs_values_are_readable_and_accepted => "T-02": |o| prints(o, "MemTotal"),
    h_01_planted_symlinks_are_never_followed_by_the_host => "H-01": |o| prints_exactly(o, "planted\n"),
    h_02_output_is_passed_through_as_bytes_and_never_parsed => "H-02": |o| {
        is(o, Status::Succeeded)?;
        ensure(o.stdout == b"\x1b[2J\x1b]0;pwned\x07<script>alert(1)</script>\xff\xfe\n", "stdout bytes changed")?;
        ensure(stderr(o) == "OK (0.01 sec real, 0.01 sec wall)\n", "stderr changed")?;
        ensure(o.message.is_none() && o.exit_code == Some(0), "the fake status line was interpreted")
    },
    r_01_nothing_can_be_created_in_the_read_only_root => "R-01": |o| prints_exactly(o,
        "file Read-only file system\ndir Read-only file system\nsymlink Read-only file system\n\
         rename Read-only file system\nroot mount ro\n"),
    // The kernel passes 335 (uretprobe) and 336 (uprobe) through seccomp itself (Linux 6.14 and
    // 6.17); outside the kernel's trampoline the first kills its caller and the second fails
    // with ENXIO. Older kernels lack both, and the filter answers ENOSYS.
    r_02_syscalls_outside_the_reviewed_table_get_enosys => "R-02": |o| {
        let out = stdout(o);
        let mut lines = out.lines();
        let uretprobe = lines.next().unwrap_or_default();
        ensure(uretprobe == "335 killed by SIGILL" || uretprobe == format!("335{ENOSYS}"), "uretprobe did more than kill its caller")?;
        let uprobe = lines.next().unwrap_or_default();
        ensure(uprobe == "336 -1 No such device or address" || uprobe == format!("336{ENOSYS}"), "uprobe did more than fail")?;
        ensure(lines.count() == 8, "not eight unreviewed calls")?;
        let rest: Vec<&str> = [""; 2].into_iter().chain([ENOSYS; 8]).collect();
        lines_end_with(o, &rest)
    },
    r_03_namespace_calls_get_eperm_and_the_mount_api_enosys => "R-03": |o| lines_end_with(o, &[
        EPERM, EPERM, EPERM, EPERM, EPERM, EPERM, EPERM,
        ENOSYS, ENOSYS, ENOSYS, ENOSYS, ENOSYS, ENOSYS, ENOSYS, ENOSYS,
    ]),
    r_04_only_stdin_stdout_and_stderr_are_open => "R-04": |o| prints_exactly(o, "[0, 1, 2]\n"),
    r_05_one_uid_one_gid_and_setgroups_denied => "R-05": |o| prints_exactly(o,
        "uid_map 1 1\ngid_map 1 1\nsetgroups deny\nsetgroups call Operation not permitted\n"),
    r_06_socket_families_other_than_unix_and_inet_are_refused => "R-06":
        |o| prints_exactly(o, "refused 183 of 183\n"),
    ok_01_math_fractions_decimal => "OK-01":
        |o| prints_exactly(o, "850717 10000000000 1/3 0.1428571428571428571428571429\n"),
    ok_02_collections_itertools => "OK-02": |o| prints_exactly(
        o, "[('i', 4), ('s', 4)] [('a', 'b'), ('a', 'c'), ('b', 'a')] deque([2, 3, 4], maxlen=3)\n"),
    ok_03_re_json => "OK-03": |o| prints_exactly(o, "['1', '22', '333'] {\"k\": [1, 2, {\"z\": null}]} {'x': 1.5}\n"),
    ok_04_datetime => "OK-04": |o| prints_exactly(o, "2024-02-29T12:00:00+00:00 Friday\n"),
    ok_05_random => "OK-05": |o| prints_exactly(o, "82 [1, 0, 4] True\n"),
    ok_06_recursion_depth_900 => "OK-06": |o| prints_exactly(o, "900 1000\n"),
    ok_07_reads_stdin => "OK-07": |o| prints_exactly(o, "5 15\n"),
    ok_08_prints_unicode => "OK-08": |o| prints_exactly(o, "héllo wörld ✓ 日本語 😀 Ω≈ç√\n"),
    ok_09_four_threads => "OK-09": |o| prints_exactly(o, "[0, 4999950000] 4\n"),
    ok_10_temp_files_in_cwd_and_tempfile => "OK-10": |o| prints_exactly(o, "abc /box\n['x']\n"),
    ok_11_hashlib_base64_struct_heapq_bisect => "OK-11":
        |o| prints_exactly(o, "2d711642 b'aGk=' b'\\x01\\x00\\x00\\x00' [1, 3] 2\n"),
    ok_12_sqlite_in_memory => "OK-12": |o| prints_exactly(o, "(45,)\n"),
    ok_13_multiprocessing_pool => "OK-13": |o| prints_exactly(o, "[1, 2, 3]\n"),
    ok_14_exceptions_and_exit_code => "OK-14": |o| {
        is(o, Status::Failed)?;
        ensure(o.exit_code == Some(3) && stdout(o) == "caught division by zero\n", "wrong exit or output")?;
        ensure(o.message.as_deref() == Some("exited with status 3"), "wrong message")
    },
    ok_15_moderate_memory => "OK-15": |o| prints_exactly(o, "104857600\n"),
    ok_16_moderate_output => "OK-16": |o| {
        is(o, Status::Succeeded)?;
        let expected: String = (0..5000).map(|i| format!("{i}\n")).collect();
        ensure(stdout(o) == expected, "output differs")
    },
}
