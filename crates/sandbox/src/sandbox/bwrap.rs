//! bubblewrap's command line for one sandbox: the filesystem it sees (read-only `/usr`, the
//! interpreter, a `/dev` without ttys, the writable directories), its namespaces, environment
//! and seccomp programs, and the bootstrap it runs.

use std::{
    ffi::CString,
    io::Write,
    os::fd::{AsRawFd, OwnedFd, RawFd},
    path::Path,
    process::{Command, Stdio},
};

use super::Inner;
use crate::{Error, Limits, Result, launch::ScratchMounts, sys};

const BOOTSTRAP: &str = include_str!("../bootstrap.py");
/// What python runs: the bootstrap's code object, compiled once at start-up ([`compile_bootstrap`])
/// and read from [`crate::launch::BOOTSTRAP_FD`] without moving its offset; the fd is closed before the
/// bootstrap runs. (Compiling the bootstrap's source took python a few ms of every run.)
const LOAD_BOOTSTRAP: &str =
    "import marshal, os\nb = marshal.loads(os.pread(7, 1 << 20, 0))\nos.close(7)\nexec(b)";
// Load-bearing: LOAD_BOOTSTRAP reads (and closes) fd 7.
const _: () = assert!(crate::launch::BOOTSTRAP_FD == 7);
/// Compiles the bootstrap's source with the sandbox's interpreter, as `-c` would (file name
/// `<string>`, which the bootstrap's traceback hook leaves out), and prints the marshalled code.
const COMPILE_BOOTSTRAP: &str = "import marshal, sys\nsys.stdout.buffer.write(marshal.dumps(compile(sys.stdin.buffer.read(), '<string>', 'exec')))";
/// The matplotlib backend the bootstrap offers as `module://_code_remote_figures`.
const FIGURES: &str = include_str!("../figures.py");

/// The host device nodes bound into the sandbox's /dev: no tty, no pty, nothing else.
const DEVICES: &[&str] = &["null", "zero", "full", "random", "urandom"];
/// The usual /dev symlinks (link, target).
const DEV_LINKS: &[(&str, &str)] = &[
    ("/dev/fd", "/proc/self/fd"),
    ("/dev/stdin", "/proc/self/fd/0"),
    ("/dev/stdout", "/proc/self/fd/1"),
    ("/dev/stderr", "/proc/self/fd/2"),
];

/// The fds the bootstrap gets: the release message, the code memfd, the ready signal, and the
/// socket it sends the `/box/out` directory through.
#[derive(Clone, Copy)]
pub(super) struct BootstrapFds {
    pub go: i32,
    pub code: i32,
    pub ready: i32,
    pub out: i32,
}

impl Inner {
    /// The sandbox's writable directories: (size, path inside, name of its scratch mount).
    fn writable_dirs(&self, shape: &Limits) -> [(u64, &'static str, &'static str); 3] {
        [
            (self.config.shm_bytes, "/dev/shm", "shm"),
            (self.config.tmp_bytes, "/tmp", "tmp"),
            (shape.disk_bytes, "/box", "box"),
        ]
    }

    pub(super) fn scratch_mounts(&self, shape: &Limits) -> Option<ScratchMounts> {
        let root = self.scratch_root.as_ref()?;
        let c = |text: String| CString::new(text).expect("no NUL");
        let dirs = self
            .writable_dirs(shape)
            .iter()
            .map(|(size, _, name)| {
                let dir = c(root.join(name).to_string_lossy().into_owned());
                (dir, c(format!("mode=1777,size={size}")))
            })
            .collect();
        Some(ScratchMounts {
            root: c(root.to_string_lossy().into_owned()),
            dirs,
        })
    }

    pub(super) fn bwrap_args(
        &self,
        shape: &Limits,
        seccomp: &[RawFd],
        fds: BootstrapFds,
    ) -> Vec<String> {
        let mut a: Vec<String> = Vec::with_capacity(96);
        let mut push = |items: &[&str]| a.extend(items.iter().map(|s| s.to_string()));
        push(&[
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
        ]);
        push(&[
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/local/bin:/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/box",
        ]);
        push(&[
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--hostname",
            "sandbox",
            "--cap-drop",
            "ALL",
        ]);
        push(&["--ro-bind", "/usr", "/usr"]);
        for top in ["bin", "lib", "lib64", "lib32", "libx32", "sbin"] {
            let host = Path::new("/").join(top);
            match std::fs::read_link(&host) {
                Ok(target) => push(&[
                    "--symlink",
                    &target.to_string_lossy(),
                    &host.to_string_lossy(),
                ]),
                Err(_) if host.is_dir() => push(&[
                    "--ro-bind",
                    &host.to_string_lossy(),
                    &host.to_string_lossy(),
                ]),
                Err(_) => {}
            }
        }
        for tree in &self.interpreter.binds {
            let tree = tree.to_string_lossy();
            push(&["--ro-bind", &tree, &tree]);
        }
        for dir in &self.interpreter.masked {
            let dir = dir.to_string_lossy();
            push(&[
                "--perms",
                "0555",
                "--size",
                "4096",
                "--tmpfs",
                &dir,
                "--remount-ro",
                &dir,
            ]);
        }
        // The packages of sandboxed programs, read-only at their own path; under /usr (the
        // default) they are already there.
        if let Some(env) = self
            .python_env
            .as_ref()
            .filter(|e| !e.dir.starts_with("/usr"))
        {
            let dir = env.dir.to_string_lossy();
            push(&["--ro-bind", &dir, &dir]);
        }
        push(&["--proc", "/proc"]);
        // Our own minimal /dev instead of bwrap's `--dev`, which adds /dev/tty, a devpts
        // instance and /dev/ptmx: ptys expose every tty ioctl and line discipline (n_hdlc,
        // n_gsm) to the program, and nothing the sandbox runs needs one (security review S2).
        push(&["--perms", "0755", "--size", "65536", "--tmpfs", "/dev"]);
        for device in DEVICES {
            let device = format!("/dev/{device}");
            push(&["--dev-bind", &device, &device]);
        }
        for (link, target) in DEV_LINKS {
            push(&["--symlink", target, link]);
        }
        for (size, dir, name) in self.writable_dirs(shape) {
            match &self.scratch_root {
                Some(root) => push(&["--bind", &root.join(name).to_string_lossy(), dir]),
                None => push(&[
                    "--perms",
                    "1777",
                    "--size",
                    &size.to_string(),
                    "--tmpfs",
                    dir,
                ]),
            }
        }
        // After /dev/shm is mounted on it: the program cannot add files to /dev.
        push(&["--remount-ro", "/dev"]);
        // Last, after every mount point is made in it: bwrap's root is a tmpfs owned by the slot
        // uid, writable, executable and sized at half the host's memory. Read-only, the program
        // can neither plant and run binaries there nor store past the /box disk limit.
        // (Not recursive: /box, /tmp and /dev/shm stay writable.)
        push(&["--remount-ro", "/"]);
        push(&["--chdir", "/box"]);
        for fd in seccomp {
            push(&["--add-seccomp-fd", &fd.to_string()]);
        }
        let python = self.interpreter.executable.to_string_lossy();
        push(&[
            "--",
            &python,
            "-I",
            "-S",
            "-B",
            "-X",
            "utf8",
            "-c",
            LOAD_BOOTSTRAP,
            &fds.go.to_string(),
            &fds.code.to_string(),
            &fds.ready.to_string(),
            &fds.out.to_string(),
        ]);
        let env = self.python_env.as_ref();
        let path = |p: Option<&std::path::PathBuf>| p.map(|p| p.to_string_lossy().into_owned());
        a.push(path(env.map(|e| &e.site_packages)).unwrap_or_default());
        a.push(path(env.and_then(|e| e.mpl_cache.as_ref())).unwrap_or_default());
        a.push(FIGURES.to_string());
        // The NOFILE and FSIZE limits the launcher sets (see `launch::rlimits`): a run with the
        // same ones has nothing to lower, and the bootstrap then skips loading `resource`.
        a.push(shape.max_open_files.to_string());
        a.push(shape.max_file_size_bytes.to_string());
        a
    }
}

/// The bootstrap compiled by `python` (see [`LOAD_BOOTSTRAP`]): the marshalled code object.
pub(super) fn compile_bootstrap(python: &Path) -> Result<Vec<u8>> {
    let unusable = |reason: String| Error::PythonUnusable {
        path: python.to_owned(),
        reason: format!("compiling the sandbox's bootstrap failed: {reason}"),
    };
    let mut child = Command::new(python)
        .args(["-I", "-S", "-B", "-c", COMPILE_BOOTSTRAP])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| unusable(e.to_string()))?;
    let written = child
        .stdin
        .take()
        .expect("piped")
        .write_all(BOOTSTRAP.as_bytes());
    let output = child
        .wait_with_output()
        .map_err(|e| unusable(e.to_string()))?;
    if written.is_err() || !output.status.success() || output.stdout.len() >= 1 << 20 {
        return Err(unusable(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    Ok(output.stdout)
}

/// The compiled bootstrap in a sealed memfd, reopened read-only (what every sandbox reads).
pub(super) fn bootstrap_memfd(compiled: &[u8]) -> Result<OwnedFd> {
    let memfd = sys::memfd(c"code-remote-bootstrap", true)?;
    std::fs::File::from(memfd.try_clone().map_err(|_| Error::sys("dup"))?)
        .write_all(compiled)
        .map_err(|source| Error::Sys {
            call: "write(bootstrap memfd)",
            source,
        })?;
    sys::seal(&memfd)?;
    std::fs::File::open(format!("/proc/self/fd/{}", memfd.as_raw_fd()))
        .map(OwnedFd::from)
        .map_err(|source| Error::Sys {
            call: "reopen bootstrap memfd",
            source,
        })
}
