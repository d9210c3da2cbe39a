//! What the services' exports say about each activity file, which the files themselves
//! often lack (FIT from phones, GPX): its name and activity type. Strava's `activities.csv`
//! names each file of the export (its headers come translated into the account's language
//! and its columns change between exports); Garmin Connect's `summarizedActivities` JSON
//! lists each activity by the id its uploaded FIT file is named after.

use crate::model::{Activity, Sport};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Name and type a service recorded for one exported activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMeta {
    pub name: Option<String>,
    pub activity_type: Option<String>,
}

/// Metadata keyed by the activity file's path (Strava: the CSV's folder joined with its
/// file column) or by activity id (Garmin: the digits that end the FIT file's name).
#[derive(Debug, Default, Clone)]
pub struct ExportIndex {
    by_path: HashMap<PathBuf, ExportMeta>,
    by_id: HashMap<u64, ExportMeta>,
}

/// Largest metadata file read: one line (or object) per activity, tens of MB at most.
pub const MAX_META_BYTES: u64 = 256 << 20;

impl ExportIndex {
    /// Loads every metadata file on disk (Strava's `activities.csv`, Garmin's
    /// `summarizedActivities` JSON); unreadable ones are returned as problems, not errors:
    /// the activity files are still read without their metadata.
    pub fn load(files: &[PathBuf]) -> (ExportIndex, Vec<(PathBuf, String)>) {
        let mut idx = ExportIndex::default();
        let mut problems = Vec::new();
        for path in files {
            let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            let json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let r = crate::safe_read::read_bounded(path, MAX_META_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    if json {
                        idx.add_garmin_json(&bytes)
                    } else {
                        idx.add_strava_csv(&bytes, &|f| dir.join(f))
                    }
                });
            if let Err(e) = r {
                problems.push((path.clone(), e));
            }
        }
        (idx, problems)
    }

    /// Adds one Strava `activities.csv`; `path_of` turns its file column (`activities/1.gpx`)
    /// into the path the activity file is read under.
    pub fn add_strava_csv(
        &mut self,
        bytes: &[u8],
        path_of: &dyn Fn(&str) -> PathBuf,
    ) -> Result<(), String> {
        for (file, meta) in parse_strava_csv(bytes)? {
            self.by_path.insert(normalise(&path_of(&file)), meta);
        }
        Ok(())
    }

    /// Adds one Garmin Connect `summarizedActivities` JSON.
    pub fn add_garmin_json(&mut self, bytes: &[u8]) -> Result<(), String> {
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        // `[{"summarizedActivitiesExport": [ {activityId, name, activityType, ...}, ... ]}]`
        let lists: Vec<&serde_json::Value> = match &v {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.get("summarizedActivitiesExport"))
                .collect(),
            other => other
                .get("summarizedActivitiesExport")
                .into_iter()
                .collect(),
        };
        if lists.is_empty() {
            return Err("no 'summarizedActivitiesExport' list".into());
        }
        for act in lists.iter().filter_map(|l| l.as_array()).flatten() {
            let Some(id) = act.get("activityId").and_then(serde_json::Value::as_u64) else {
                continue;
            };
            let text = |k: &str| act.get(k).and_then(|v| v.as_str()).map(str::to_string);
            self.by_id.insert(
                id,
                ExportMeta {
                    name: text("name"),
                    activity_type: text("activityType").or_else(|| text("sportType")),
                },
            );
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.by_path.len() + self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills in the activity's name and sport from the export where it has them. Strava's
    /// type replaces the file's (the runner set it there); Garmin's only fills an unknown
    /// one (its FIT files carry their sport).
    pub fn apply(&self, act: &mut Activity) {
        if let Some(meta) = self.by_path.get(&normalise(&act.source)) {
            apply(meta, act, true);
        } else if let Some(meta) = activity_id(&act.source).and_then(|id| self.by_id.get(&id)) {
            apply(
                meta,
                act,
                matches!(act.sport, Sport::Unknown | Sport::Other),
            );
        }
    }
}

fn apply(meta: &ExportMeta, act: &mut Activity, set_sport: bool) {
    if let Some(n) = meta.name.as_ref().filter(|n| !n.is_empty()) {
        act.name = Some(n.clone());
    }
    if let Some(t) = meta
        .activity_type
        .as_ref()
        .filter(|t| !t.is_empty() && set_sport)
    {
        // A type racegap does not know (another language, a sport it has no name for)
        // leaves the file's own sport.
        let sport = Sport::parse(t);
        if !matches!(sport, Sport::Unknown | Sport::Other) {
            act.sport = sport;
            act.sport_raw = Some(t.clone());
        }
    }
}

/// The activity id a Garmin export names its FIT files by: the digits before the
/// extension, after the last `_` (`runner@example.com_1234567890.fit`).
fn activity_id(path: &Path) -> Option<u64> {
    let name = path.to_string_lossy();
    let name = name.rsplit(['/', '!']).next()?;
    name.rsplit('_').next()?.split('.').next()?.parse().ok()
}

fn normalise(p: &Path) -> PathBuf {
    p.components().collect()
}

/// Header names of the columns racegap uses, in the languages Strava exports in.
const NAME_HEADERS: &[&str] = &[
    "Activity Name",
    "Aktivitätsname",
    "Name der Aktivität",
    "Nom de l'activité",
    "Nombre de la actividad",
    "Nome dell'attività",
    "Naam activiteit",
    "Nome da atividade",
];
const TYPE_HEADERS: &[&str] = &[
    "Activity Type",
    "Aktivitätsart",
    "Aktivitätstyp",
    "Type d'activité",
    "Tipo de actividad",
    "Tipo di attività",
    "Type activiteit",
    "Tipo de atividade",
];
/// Where Strava puts them when the header is in no language listed above.
const NAME_POSITION: usize = 2;
const TYPE_POSITION: usize = 3;

/// (file, metadata) for every row of a Strava `activities.csv` that names a file. The file
/// column is found by its content (most values under `activities/`), whatever its header
/// says; name and type by a known header, else by their place in Strava's column order.
fn parse_strava_csv(bytes: &[u8]) -> Result<Vec<(String, ExportMeta)>, String> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| format!("row {}: {e}", i + 2)))
        .collect::<Result<_, _>>()?;
    let file_col = (0..headers.len())
        .max_by_key(|&c| {
            rows.iter()
                .filter(|r| {
                    r.get(c)
                        .is_some_and(|v| v.trim().starts_with("activities/"))
                })
                .count()
        })
        .filter(|&c| {
            rows.iter().any(|r| {
                r.get(c)
                    .is_some_and(|v| v.trim().starts_with("activities/"))
            })
        })
        .or_else(|| headers.iter().position(|h| h.trim() == "Filename"))
        .ok_or("no column of activity file names (activities/...)")?;
    // Strava repeats some column names ("Elapsed Time", "Distance"); the first is the one.
    // Strava's column order is trusted only when it shows: activity ids first.
    let in_order = !rows.is_empty()
        && rows.iter().all(|r| {
            r.get(0).is_some_and(|v| {
                !v.trim().is_empty() && v.trim().bytes().all(|b| b.is_ascii_digit())
            })
        });
    let known = |names: &[&str], fallback: usize| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
            .or((in_order && fallback < headers.len() && fallback != file_col).then_some(fallback))
    };
    let name_col = known(NAME_HEADERS, NAME_POSITION);
    let type_col = known(TYPE_HEADERS, TYPE_POSITION);
    let mut out = Vec::new();
    for rec in &rows {
        let Some(file) = rec.get(file_col).map(str::trim).filter(|f| !f.is_empty()) else {
            continue;
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(|s| s.trim().to_string());
        out.push((
            file.to_string(),
            ExportMeta {
                name: get(name_col),
                activity_type: get(type_col),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    #[test]
    fn csv_names_and_types_apply_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("activities.csv");
        std::fs::write(
            &csv,
            "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Elapsed Time\n\
             1,\"Jan 1, 2024\",Hill reps,Run,3600,10.0,activities/1.fit.gz,3600\n\
             2,\"Jan 2, 2024\",\"Commute, wet\",Ride,1800,9.0,activities/2.gpx,1800\n\
             3,\"Jan 3, 2024\",Gym,Weight Training,1800,0,,1800\n",
        )
        .unwrap();
        let (idx, problems) = ExportIndex::load(&[csv]);
        assert!(problems.is_empty());
        assert_eq!(idx.len(), 2);
        let mut a = Activity::new(dir.path().join("activities/1.fit.gz"), Format::Fit);
        idx.apply(&mut a);
        assert_eq!(a.name.as_deref(), Some("Hill reps"));
        assert_eq!(a.sport, Sport::Running);
        let mut b = Activity::new(dir.path().join("activities/./2.gpx"), Format::Gpx);
        idx.apply(&mut b);
        assert_eq!(b.name.as_deref(), Some("Commute, wet"));
        assert_eq!(b.sport, Sport::Cycling);
    }

    /// Headers translated (German, French), columns in Strava's order: the file column is
    /// found by its content, name and type by their header or place.
    #[test]
    fn translated_headers_work() {
        let german = "Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,Aktivitätsbeschreibung,Verstrichene Zeit,Distanz,Dateiname\n\
            7,\"1. Jan. 2024\",Hügelläufe,Lauf,,3600,10.0,activities/7.fit.gz\n";
        let french = "ID de l'activité,Date de l'activité,Nom de l'activité,Type d'activité,Description de l'activité,Temps écoulé,Distance,Nom du fichier,Inconnu\n\
            8,\"1 janv. 2024\",Sortie longue,Course à pied,,7200,25.0,activities/8.gpx,x\n";
        for (csv, file, name, sport) in [
            (german, "activities/7.fit.gz", "Hügelläufe", Sport::Running),
            (french, "activities/8.gpx", "Sortie longue", Sport::Running),
        ] {
            let mut idx = ExportIndex::default();
            idx.add_strava_csv(csv.as_bytes(), &|f| Path::new("x.zip!").join(f))
                .unwrap();
            let mut a = Activity::new(Path::new("x.zip!").join(file), Format::Fit);
            idx.apply(&mut a);
            assert_eq!((a.name.as_deref(), a.sport), (Some(name), sport), "{file}");
        }
    }

    /// Garmin's summaries name activities by id; the FIT file's name ends with it.
    #[test]
    fn garmin_summaries_name_fit_files_by_activity_id() {
        let json = br#"[{"summarizedActivitiesExport":[
            {"activityId":1234567890,"name":"Lunch Trail","activityType":"trail_running"},
            {"activityId":42,"name":"Commute","activityType":"cycling"}]}]"#;
        let mut idx = ExportIndex::default();
        idx.add_garmin_json(json).unwrap();
        assert_eq!(idx.len(), 2);
        let mut a = Activity::new(
            "e.zip!DI_CONNECT/x.zip!runner@example.com_1234567890.fit".into(),
            Format::Fit,
        );
        a.sport = Sport::Running;
        idx.apply(&mut a);
        assert_eq!(
            (a.name.as_deref(), a.sport),
            (Some("Lunch Trail"), Sport::Running)
        );
        assert!(idx.add_garmin_json(b"{}").is_err());
    }

    #[test]
    fn csv_without_filename_column_is_a_problem_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("activities.csv");
        std::fs::write(&csv, "a,b\n1,2\n").unwrap();
        let (idx, problems) = ExportIndex::load(&[csv]);
        assert!(idx.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
