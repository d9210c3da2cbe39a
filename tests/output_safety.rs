//! Never lose a runner's files: `--out` pointed at the user's own places is refused with
//! nothing touched; a read-only folder, a full disk, SIGKILL at any moment and SIGINT leave
//! the previous report whole and no leftovers after the next run; concurrent runs into one
//! folder both finish with a complete report.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("racegap")
}

fn racegap() -> Command {
    Command::cargo_bin("racegap").unwrap()
}

/// Every file under `dir` (hidden ones included) with its bytes: a snapshot to compare.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// A user's folder: activities, a race folder, documents. Returns its root.
fn home(n_acts: usize) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let acts = home.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let src = common::sample_data().join("activities");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    // The last weeks of the sample, where the race block is.
    for p in names.iter().rev().take(n_acts) {
        std::fs::copy(p, acts.join(p.file_name().unwrap())).unwrap();
    }
    let race = home.path().join("race");
    std::fs::create_dir(&race).unwrap();
    for f in ["race.toml", "course.gpx"] {
        std::fs::copy(common::sample_data().join("race").join(f), race.join(f)).unwrap();
    }
    let docs = home.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("letter.txt"), "Dear race director").unwrap();
    home
}

/// `analyze` of the user's folder as a child process, output discarded (stderr piped).
fn spawn_analyze(home: &Path, out: &str, extra: &[&str]) -> std::process::Child {
    std::process::Command::new(bin())
        .current_dir(home)
        .args(["analyze", "acts", "--race", "race/race.toml", "--out", out])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn analyze_cmd(home: &Path, out: &str, extra: &[&str]) -> Command {
    let mut c = racegap();
    c.current_dir(home)
        .args(["analyze", "acts", "--race", "race/race.toml", "--out", out])
        .args(extra);
    c
}

/// A report folder is whole: marker, every table, a parseable summary, a complete page.
fn assert_whole(dir: &Path, expected_files: &[String]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, expected_files, "{}", dir.display());
    let summary = std::fs::read(dir.join("summary.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&summary).expect("summary.json parses");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(page.trim_end().ends_with("</html>"), "index.html is cut");
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Entries racegap leaves only while it runs.
fn leftovers(dir: &Path) -> Vec<String> {
    file_names(dir)
        .into_iter()
        .filter(|n| n.contains("racegap-tmp") || n.contains(".tmp-"))
        .collect()
}

#[test]
fn out_at_the_users_own_places_is_refused_and_nothing_is_touched() {
    let home = home(4);
    let h = home.path();
    let before = snapshot(h);
    for out in [
        "acts",
        "acts/",
        "acts/report",
        "race",
        "race/race.toml",
        "race/course.gpx",
        "docs",
        "docs/letter.txt",
        ".",
        "..",
        "/",
        "docs/../acts",
    ] {
        let o = analyze_cmd(h, out, &["--no-cache", "--format", "svg"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(err.contains("--out"), "--out {out}: {err}");
        assert_eq!(snapshot(h), before, "--out {out} changed the user's files");
    }
    // A report racegap made is replaced; the user's files stay as they were.
    analyze_cmd(h, "report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    analyze_cmd(h, "report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    let after = snapshot(h);
    for (k, v) in &before {
        assert_eq!(after.get(k), Some(v), "{}", k.display());
    }
}

#[test]
fn a_run_with_nothing_usable_leaves_the_previous_report() {
    let home = home(3);
    let h = home.path();
    analyze_cmd(h, "report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    let report = snapshot(&h.join("report"));
    std::fs::create_dir(h.join("empty")).unwrap();
    let o = racegap()
        .current_dir(h)
        .args(["analyze", "empty", "--out", "report", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("left as it was"));
    assert_eq!(snapshot(&h.join("report")), report);
}

/// A mount made for one test, undone when dropped.
struct Mount(PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

fn mount(args: &[&str], at: &Path) -> Option<Mount> {
    let ok = std::process::Command::new("mount")
        .args(args)
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Mount(at.to_path_buf()))
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn a_read_only_folder_fails_clearly_and_keeps_the_previous_report() {
    let home = home(3);
    let h = home.path();
    let ro = h.join("ro");
    std::fs::create_dir(&ro).unwrap();
    analyze_cmd(h, "ro/report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    let before = snapshot(&ro);
    // As root, permissions do not stop writes: a read-only bind mount does.
    let _guard = if is_root() {
        let Some(m) = mount(&["--bind", "-o", "ro", &ro.to_string_lossy()], &ro) else {
            eprintln!("SKIPPED read-only folder: cannot bind-mount as root here");
            return;
        };
        // Older mount(8) needs a remount to make a bind mount read-only.
        let _ = std::process::Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(&ro)
            .status();
        if std::fs::write(ro.join("probe"), "x").is_ok() {
            eprintln!("SKIPPED read-only folder: the bind mount is writable");
            return;
        }
        Some(m)
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        None
    };
    let o = analyze_cmd(h, "ro/report", &["--no-cache", "--format", "svg"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("ro"), "the message names the folder: {err}");
    assert_eq!(snapshot(&ro), before);
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_report() {
    let home = home(3);
    let h = home.path();
    let small = h.join("small");
    std::fs::create_dir(&small).unwrap();
    let Some(_m) = mount(&["-t", "tmpfs", "-o", "size=4m", "tmpfs"], &small) else {
        eprintln!("SKIPPED full filesystem: cannot mount a tmpfs here (not root?)");
        return;
    };
    analyze_cmd(h, "small/report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    let before = snapshot(&small.join("report"));
    // Fill the filesystem up to a few kilobytes.
    let filler = small.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
    }
    let o = analyze_cmd(h, "small/report", &["--no-cache", "--format", "svg"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("No space left") && err.contains("small/report"),
        "says what and where: {err}"
    );
    assert_eq!(snapshot(&small.join("report")), before);
    assert_eq!(leftovers(&small), Vec::<String>::new());
}

fn kill(pid: u32, sig: i32) {
    // SAFETY: sending a signal to a child we started.
    unsafe {
        libc::kill(pid as i32, sig);
    }
}

/// SIGKILL at 20 moments spread over a run (reading, drawing, writing, swapping): the
/// previous report stays whole every time; the next run removes every leftover and writes
/// the same bytes as a run without the cache.
#[test]
fn sigkill_at_any_moment_leaves_a_whole_report() {
    let home = home(12);
    let h = home.path();
    let cache = h.join("cache");
    let cache_arg = cache.to_string_lossy().to_string();
    let with_cache = ["--cache-dir", cache_arg.as_str()];
    let t = Instant::now();
    analyze_cmd(h, "report", &with_cache).assert().code(0);
    let run = t.elapsed();
    let expected = file_names(&h.join("report"));
    for i in 0..20u32 {
        // Half the runs start cold, so the kill can land while the cache is written.
        if i % 2 == 0 {
            let _ = std::fs::remove_dir_all(&cache);
        }
        let mut child = spawn_analyze(h, "report", &with_cache);
        // Spread over 0..1.1 of a run, in a fixed scrambled order.
        let frac = f64::from((i * 7) % 20) / 20.0 * 1.1;
        std::thread::sleep(run.mul_f64(frac));
        kill(child.id(), libc::SIGKILL);
        let _ = child.wait();
        assert_whole(&h.join("report"), &expected);
    }
    analyze_cmd(h, "report", &with_cache).assert().code(0);
    assert_eq!(leftovers(h), Vec::<String>::new());
    if cache.exists() {
        assert_eq!(leftovers(&cache), Vec::<String>::new());
    }
    analyze_cmd(h, "uncached", &["--no-cache"]).assert().code(0);
    assert_eq!(snapshot(&h.join("report")), snapshot(&h.join("uncached")));
}

#[test]
fn sigint_cleans_up_and_keeps_the_previous_report() {
    let home = home(12);
    let h = home.path();
    let t = Instant::now();
    analyze_cmd(h, "report", &["--no-cache"]).assert().code(0);
    let run = t.elapsed();
    let before = snapshot(&h.join("report"));
    let child = spawn_analyze(h, "report", &["--no-cache"]);
    // Into the drawing, well before the swap.
    std::thread::sleep(run.mul_f64(0.4));
    kill(child.id(), libc::SIGINT);
    let o = child.wait_with_output().unwrap();
    let status = o.status.code();
    if status == Some(0) {
        eprintln!("the run finished before the signal; nothing to check");
        return;
    }
    assert_eq!(status, Some(130), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(snapshot(&h.join("report")), before);
    // The interrupted run cleaned up after itself: nothing for the next one to remove.
    assert_eq!(leftovers(h), Vec::<String>::new());
}

/// Pairs of runs into the same report folder and cache at the same time: both finish with
/// status 0 and the folder holds one complete report.
#[test]
fn concurrent_runs_into_one_folder_both_finish() {
    let home = home(4);
    let h = home.path();
    let cache = h.join("cache");
    let cache_arg = cache.to_string_lossy().to_string();
    analyze_cmd(h, "report", &["--no-cache", "--format", "svg"])
        .assert()
        .code(0);
    let expected = file_names(&h.join("report"));
    let pairs = 50;
    let start = Instant::now();
    for _ in 0..pairs {
        let spawn = || {
            spawn_analyze(
                h,
                "report",
                &["--format", "svg", "--cache-dir", cache_arg.as_str()],
            )
        };
        let (a, b) = (spawn(), spawn());
        for c in [a, b] {
            let o = c.wait_with_output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        assert_whole(&h.join("report"), &expected);
        assert_eq!(leftovers(h), Vec::<String>::new());
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "pairs take too long"
        );
    }
    assert_eq!(leftovers(&cache), Vec::<String>::new());
}
