//! A service's export archive as the batch reads it: which entries are activity files,
//! which are the service's metadata (Strava's `activities.csv`, Garmin's
//! `summarizedActivities` JSON), which are archives inside it; the activity files read in
//! parallel straight from the archive and each turned into an outcome like a file on disk.

use crate::archive::{Archive, Member};
use crate::cache::Outcome;
use crate::dedupe::Light;
use crate::discover::{named_like_activity, named_like_archive, sniff, sniff_inside_gzip, Sniffed};
use crate::error::ReadError;
use crate::export_meta::{ExportIndex, MAX_META_BYTES};
use crate::ingest::{apple_health, read_bytes, MAX_FILE_BYTES};
use crate::model::Activity;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Bytes read from an entry not named like an activity to tell what it is.
const SNIFF_BYTES: u64 = 8 * 1024;

/// What one entry of an archive is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Archive,
    StravaCsv,
    GarminSummary,
    /// Apple Health's `export.xml`.
    HealthExport,
    /// What a Mac adds when it makes a zip (`__MACOSX/`, `._name`).
    Litter,
    /// Anything else: an activity if its content says so.
    File,
}

fn kind_of(name: &str) -> Kind {
    if crate::discover::is_mac_litter(Path::new(name)) {
        return Kind::Litter;
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    if named_like_archive(Path::new(&lower)) {
        Kind::Archive
    } else if lower == "activities.csv" {
        Kind::StravaCsv
    } else if lower.contains("summarizedactivities") && lower.ends_with(".json") {
        Kind::GarminSummary
    } else if lower == "export.xml" {
        Kind::HealthExport
    } else {
        Kind::File
    }
}

/// One entry to read: an archive (a clone, to read from) and the entry.
struct Entry {
    archive: Archive,
    member: Member,
}

/// What the walk found to read.
#[derive(Default)]
struct Found {
    files: Vec<Entry>,
    health: Vec<Entry>,
}

/// Reads every activity file of the archive at `path` and turns each activity into
/// `process(&activity)`; returns what each entry gave, by its `archive!path` name. The
/// metadata found beside the archive (`outer`: a Garmin export unpacked once, its upload
/// zips left whole) applies inside it too. An archive that cannot be opened is one error
/// for `path`.
pub fn read_archive<T, F>(path: &Path, outer: &ExportIndex, process: &F) -> Outcome<T>
where
    T: Send,
    F: Fn(&Activity) -> T + Sync,
{
    let mut archive = match Archive::open(path) {
        Ok(a) => a,
        Err(e) => return Outcome::Error(e),
    };
    let mut outcomes: Vec<(PathBuf, Outcome<T>)> = Vec::new();
    let mut found = Found::default();
    let mut meta = outer.clone();
    walk(&mut archive, &mut found, &mut meta, &mut outcomes);
    // Apple Health: each export's workouts, with the route files they name (read as
    // part of their workout, not on their own).
    if found.files.is_empty() && found.health.is_empty() && outcomes.is_empty() {
        return Outcome::Error(ReadError::Archive("the archive holds no files".into()));
    }
    let mut files = found.files;
    for Entry {
        mut archive,
        member,
    } in found.health
    {
        let parsed = archive.stream(&member, |r| apple_health::read_export(r));
        let export = match parsed.and_then(|r| r) {
            Ok(e) => e,
            Err(e) => {
                outcomes.push((member.path, Outcome::Error(e)));
                continue;
            }
        };
        let dir = dir_of(&member.name);
        let wanted: std::collections::HashSet<String> = export
            .workouts
            .iter()
            .filter_map(apple_health::route_name)
            .map(|r| format!("{dir}{r}"))
            .collect();
        let (routes, rest): (Vec<Entry>, Vec<Entry>) = files
            .into_iter()
            .partition(|e| e.archive.name == archive.name && wanted.contains(&e.member.name));
        files = rest;
        let routes: std::collections::HashMap<String, Entry> = routes
            .into_iter()
            .map(|e| (e.member.name.clone(), e))
            .collect();
        let read: Vec<(PathBuf, Outcome<T>)> = export
            .workouts
            .par_iter()
            .map(|w| {
                let route =
                    apple_health::route_name(w).map(|r| match routes.get(&format!("{dir}{r}")) {
                        Some(e) => {
                            let mut a = e.archive.clone();
                            let act = a
                                .read(&e.member, MAX_FILE_BYTES)
                                .and_then(|b| read_bytes(&b, &e.member.path));
                            (e.member.path.clone(), act)
                        }
                        None => {
                            let missing = ReadError::Archive("not in the archive".into());
                            (archive.path_of(&format!("{dir}{r}")), Err(missing))
                        }
                    });
                workout_outcome(w, &member.path, route, &export, &meta, process)
            })
            .collect();
        outcomes.extend(read);
    }
    let read: Vec<(PathBuf, Outcome<T>)> = files
        .into_par_iter()
        .map(
            |Entry {
                 mut archive,
                 member,
             }| {
                let outcome = read_entry(&mut archive, &member, &meta, process);
                (member.path, outcome)
            },
        )
        .collect();
    outcomes.extend(read);
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    Outcome::Archive(outcomes)
}

/// Lists `archive` (and the archives inside it): activity candidates into `entries`,
/// metadata into `meta`, every refusal into `outcomes`.
fn walk<T>(
    archive: &mut Archive,
    found: &mut Found,
    meta: &mut ExportIndex,
    outcomes: &mut Vec<(PathBuf, Outcome<T>)>,
) {
    let listing = archive.list();
    for (p, e) in listing.refused {
        outcomes.push((p, Outcome::Error(e)));
    }
    for member in listing.members {
        match kind_of(&member.name) {
            Kind::Archive => {
                let inner = archive
                    .read(&member, MAX_FILE_BYTES)
                    .and_then(|bytes| archive.nested(bytes, &member));
                match inner {
                    Ok(mut inner) => walk(&mut inner, found, meta, outcomes),
                    Err(e) => outcomes.push((member.path, Outcome::Error(e))),
                }
            }
            kind @ (Kind::StravaCsv | Kind::GarminSummary) => {
                let r = archive
                    .read(&member, MAX_META_BYTES)
                    .map_err(|e| e.to_string())
                    .and_then(|b| match kind {
                        // Its file column is relative to the CSV's folder in the archive.
                        Kind::StravaCsv => {
                            let dir = dir_of(&member.name);
                            meta.add_strava_csv(&b, &|f| archive.path_of(&format!("{dir}{f}")))
                        }
                        _ => meta.add_garmin_json(&b),
                    });
                if let Err(e) = r {
                    let what = match kind {
                        Kind::StravaCsv => "Strava activities.csv",
                        _ => "Garmin activity summaries",
                    };
                    let e = ReadError::Archive(format!("{what} not used: {e}"));
                    outcomes.push((member.path, Outcome::Error(e)));
                }
            }
            Kind::Litter => outcomes.push((member.path, Outcome::Ignored)),
            Kind::HealthExport => found.health.push(Entry {
                archive: archive.clone(),
                member,
            }),
            Kind::File => found.files.push(Entry {
                archive: archive.clone(),
                member,
            }),
        }
    }
}

/// The folder of an entry's name inside its archive, with its trailing `/` (empty at the
/// top).
fn dir_of(name: &str) -> String {
    name.rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default()
}

/// Reads one entry: one not named like an activity is first sniffed from its first bytes
/// (photos and notes are ignored without being read whole).
fn read_entry<T, F>(
    archive: &mut Archive,
    member: &Member,
    meta: &ExportIndex,
    process: &F,
) -> Outcome<T>
where
    F: Fn(&Activity) -> T,
{
    let named = named_like_activity(Path::new(&member.name));
    if !named {
        match archive.read_head(member, SNIFF_BYTES) {
            Ok(head) if is_activity(&head) => {}
            Ok(_) => return Outcome::Ignored,
            Err(e) => return Outcome::Error(e),
        }
    }
    match archive.read(member, MAX_FILE_BYTES) {
        // An export holds the device's other files too (Garmin: settings, monitoring,
        // sleep): not activities, so not skipped either.
        Ok(bytes) => match read_bytes(&bytes, &member.path) {
            Err(ReadError::NotActivity(_)) => Outcome::Ignored,
            read => outcome_of(read, meta, process),
        },
        Err(e) => Outcome::Error(e),
    }
}

/// One Apple Health workout's outcome, filed under its route file when it has one (read
/// as `route`), else under the export and its start.
fn workout_outcome<T, F>(
    w: &apple_health::Workout,
    export_path: &Path,
    route: Option<(PathBuf, Result<Vec<Activity>, ReadError>)>,
    export: &apple_health::HealthExport,
    meta: &ExportIndex,
    process: &F,
) -> (PathBuf, Outcome<T>)
where
    F: Fn(&Activity) -> T,
{
    let (path, route_act, note) = match route {
        Some((p, Ok(mut acts))) if !acts.is_empty() => (p, Some(acts.remove(0)), None),
        Some((p, Ok(_))) => (p, None, Some("its route file holds no points".to_string())),
        Some((p, Err(e))) => (
            p,
            None,
            Some(format!("its route file cannot be read ({e})")),
        ),
        None => (apple_health::workout_path(export_path, w), None, None),
    };
    let mut act = apple_health::activity(w, path.clone(), route_act, &export.heart_rate);
    act.warnings.extend(note);
    act.warnings.extend(export.warnings.iter().cloned());
    (path, outcome_of(Ok(vec![act]), meta, process))
}

/// Apple Health's unpacked `apple_health_export/export.xml` on disk: streamed, each
/// workout joined to the route file beside it that it names.
pub fn read_health_folder<T, F>(path: &Path, process: &F) -> Outcome<T>
where
    T: Send,
    F: Fn(&Activity) -> T + Sync,
{
    let export = match crate::safe_read::open_regular(path)
        .and_then(|(f, _)| apple_health::read_export(std::io::BufReader::with_capacity(1 << 16, f)))
    {
        Ok(e) => e,
        Err(e) => return Outcome::Error(e),
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let meta = ExportIndex::default();
    let mut outcomes: Vec<(PathBuf, Outcome<T>)> = export
        .workouts
        .par_iter()
        .map(|w| {
            let route = apple_health::route_name(w).map(|r| {
                let p = dir.join(r);
                (p.clone(), crate::ingest::read_path(&p))
            });
            workout_outcome(w, path, route, &export, &meta, process)
        })
        .collect();
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    Outcome::Archive(outcomes)
}

fn is_activity(head: &[u8]) -> bool {
    match sniff(head) {
        Sniffed::Format(_) => true,
        // A gzipped entry: its first bytes decompressed tell.
        Sniffed::Gzip => matches!(sniff_inside_gzip(head), Sniffed::Format(_)),
        _ => false,
    }
}

/// What one file's activities give: each processed (its samples dropped right after), a
/// file with only untimed points a route.
pub fn outcome_of<T, F>(
    read: Result<Vec<Activity>, ReadError>,
    meta: &ExportIndex,
    process: &F,
) -> Outcome<T>
where
    F: Fn(&Activity) -> T,
{
    match read {
        Ok(parts) => {
            let mut out = Vec::new();
            let mut route = false;
            for mut a in parts {
                if a.is_route() || a.samples.is_empty() {
                    route = true;
                    continue;
                }
                meta.apply(&mut a);
                out.push((Light::of(&a), process(&a)));
            }
            if out.is_empty() && route {
                Outcome::Route
            } else {
                Outcome::Activities(out)
            }
        }
        Err(e) => Outcome::Error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_told_apart_by_name() {
        assert_eq!(
            kind_of("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"),
            Kind::Archive
        );
        assert_eq!(kind_of("activities.csv"), Kind::StravaCsv);
        assert_eq!(kind_of("export/Activities.CSV"), Kind::StravaCsv);
        assert_eq!(
            kind_of("DI_CONNECT/DI-Connect-Fitness/runner_0_summarizedActivities.json"),
            Kind::GarminSummary
        );
        assert_eq!(kind_of("activities/123.fit.gz"), Kind::File);
        assert_eq!(dir_of("sub/activities.csv"), "sub/");
        assert_eq!(dir_of("activities.csv"), "");
    }
}
