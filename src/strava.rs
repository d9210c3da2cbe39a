//! Strava bulk export metadata: `activities.csv` names each activity file and gives its
//! activity type and title, which the files themselves often lack (FIT from phones, GPX).

use crate::model::{Activity, Sport};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Name and type Strava recorded for one exported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StravaMeta {
    pub name: Option<String>,
    pub activity_type: Option<String>,
}

/// Metadata keyed by the absolute-ish path of the activity file (the CSV's folder joined with
/// its `Filename` column).
#[derive(Debug, Default)]
pub struct StravaIndex {
    by_path: HashMap<PathBuf, StravaMeta>,
}

impl StravaIndex {
    /// Loads every `activities.csv`; unreadable ones are returned as warnings, not errors:
    /// the activity files are still read without their metadata.
    pub fn load(csvs: &[PathBuf]) -> (StravaIndex, Vec<(PathBuf, String)>) {
        let mut idx = StravaIndex::default();
        let mut problems = Vec::new();
        for csv_path in csvs {
            match parse_csv(csv_path) {
                Ok(rows) => idx.by_path.extend(rows),
                Err(e) => problems.push((csv_path.clone(), e)),
            }
        }
        (idx, problems)
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Fills in the activity's name and sport from the export where it has them.
    pub fn apply(&self, act: &mut Activity) {
        let Some(meta) = self.by_path.get(&normalise(&act.source)) else {
            return;
        };
        if let Some(n) = meta.name.as_ref().filter(|n| !n.is_empty()) {
            act.name = Some(n.clone());
        }
        if let Some(t) = meta.activity_type.as_ref().filter(|t| !t.is_empty()) {
            let sport = Sport::parse(t);
            if sport != Sport::Unknown {
                act.sport = sport;
                act.sport_raw = Some(t.clone());
            }
        }
    }
}

fn normalise(p: &Path) -> PathBuf {
    p.components().collect()
}

fn parse_csv(path: &Path) -> Result<Vec<(PathBuf, StravaMeta)>, String> {
    // A Strava export's activities.csv holds one line per activity: tens of MB at most.
    let bytes = crate::safe_read::read_bounded(path, 256 << 20).map_err(|e| e.to_string())?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    // Strava repeats some column names ("Elapsed Time", "Distance"); the first is the one.
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let file_col = col("Filename").ok_or("no 'Filename' column")?;
    let name_col = col("Activity Name");
    let type_col = col("Activity Type");
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let Some(file) = rec.get(file_col).map(str::trim).filter(|f| !f.is_empty()) else {
            continue;
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(|s| s.trim().to_string());
        rows.push((
            normalise(&dir.join(file)),
            StravaMeta {
                name: get(name_col),
                activity_type: get(type_col),
            },
        ));
    }
    Ok(rows)
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
        let (idx, problems) = StravaIndex::load(&[csv]);
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

    #[test]
    fn csv_without_filename_column_is_a_problem_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("activities.csv");
        std::fs::write(&csv, "a,b\n1,2\n").unwrap();
        let (idx, problems) = StravaIndex::load(&[csv]);
        assert!(idx.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
