//! A service's export archive as the batch reads it: which entries are activity files,
//! which are the service's metadata (Strava's `activities.csv`, Garmin's
//! `summarizedActivities` JSON), which are archives inside it; the activity files read in
//! parallel straight from the archive and each turned into an outcome like a file on disk.

use crate::archive::{Archive, Member};
use crate::cache::Outcome;
use crate::dedupe::Light;
use crate::discover::{named_like_activity, named_like_archive, sniff, Sniffed};
use crate::error::ReadError;
use crate::export_meta::{ExportIndex, MAX_META_BYTES};
use crate::ingest::{read_bytes, MAX_FILE_BYTES};
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
    /// Anything else: an activity if its content says so.
    File,
}

fn kind_of(name: &str) -> Kind {
    let base = name.rsplit('/').next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    if named_like_archive(Path::new(&lower)) {
        Kind::Archive
    } else if lower == "activities.csv" {
        Kind::StravaCsv
    } else if lower.contains("summarizedactivities") && lower.ends_with(".json") {
        Kind::GarminSummary
    } else {
        Kind::File
    }
}

/// One activity candidate: an archive (a clone, to read from) and the entry.
struct Entry {
    archive: Archive,
    member: Member,
}

/// Reads every activity file of the archive at `path` and turns each activity into
/// `process(&activity)`; returns what each entry gave, by its `archive!path` name. An
/// archive that cannot be opened is one error for `path`.
pub fn read_archive<T, F>(path: &Path, process: &F) -> Outcome<T>
where
    T: Send,
    F: Fn(&Activity) -> T + Sync,
{
    let mut archive = match Archive::open(path) {
        Ok(a) => a,
        Err(e) => return Outcome::Error(e),
    };
    let mut outcomes: Vec<(PathBuf, Outcome<T>)> = Vec::new();
    let mut entries = Vec::new();
    let mut meta = ExportIndex::default();
    walk(&mut archive, &mut entries, &mut meta, &mut outcomes);
    let read: Vec<(PathBuf, Outcome<T>)> = entries
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
    entries: &mut Vec<Entry>,
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
                    Ok(mut inner) => walk(&mut inner, entries, meta, outcomes),
                    Err(e) => outcomes.push((member.path, Outcome::Error(e))),
                }
            }
            Kind::StravaCsv => {
                // Its file column is relative to the CSV's folder inside the archive.
                let dir = member
                    .name
                    .rsplit_once('/')
                    .map(|(d, _)| format!("{d}/"))
                    .unwrap_or_default();
                let mut base = archive.name.clone().into_os_string();
                base.push("!");
                base.push(&dir);
                let base = PathBuf::from(base);
                let r = archive
                    .read(&member, MAX_META_BYTES)
                    .map_err(|e| e.to_string())
                    .and_then(|b| meta.add_strava_csv(&b, &|f| join(&base, f)));
                if let Err(e) = r {
                    outcomes.push((
                        member.path,
                        Outcome::Error(ReadError::Archive(format!(
                            "Strava activities.csv not used: {e}"
                        ))),
                    ));
                } else {
                    outcomes.push((member.path, Outcome::Ignored));
                }
            }
            Kind::GarminSummary => {
                let r = archive
                    .read(&member, MAX_META_BYTES)
                    .map_err(|e| e.to_string())
                    .and_then(|b| meta.add_garmin_json(&b));
                if let Err(e) = r {
                    let e = ReadError::Archive(format!("Garmin activity summaries not used: {e}"));
                    outcomes.push((member.path, Outcome::Error(e)));
                }
            }
            Kind::File => entries.push(Entry {
                archive: archive.clone(),
                member,
            }),
        }
    }
}

/// `base` (ending in `!dir/`) joined with a relative name, as one path.
fn join(base: &Path, rel: &str) -> PathBuf {
    let mut s = base.as_os_str().to_os_string();
    s.push(rel);
    PathBuf::from(s)
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

fn is_activity(head: &[u8]) -> bool {
    match sniff(head) {
        Sniffed::Format(_) => true,
        // A gzipped entry: its first bytes decompressed tell.
        Sniffed::Gzip => {
            let mut inner = Vec::new();
            let _ = crate::guard::third_party("flate2", || {
                use std::io::Read;
                flate2::read::MultiGzDecoder::new(head)
                    .take(SNIFF_BYTES)
                    .read_to_end(&mut inner)
            });
            matches!(sniff(&inner), Sniffed::Format(_))
        }
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
        assert_eq!(
            join(Path::new("e.zip!sub/"), "activities/1.gpx"),
            Path::new("e.zip!sub/activities/1.gpx")
        );
    }
}
