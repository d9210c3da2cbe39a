//! The coach's findings in words: one list of sections (title, lines, a table) that the
//! terminal, `plan.md` and the page all render, and `plan.csv`.

use crate::coach::{downhill::Readiness, Coach};
use crate::units::{hms, Units};
use anyhow::Result;
use std::path::Path;

/// A table of text cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One part of the coach's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable name (the page's anchor).
    pub key: &'static str,
    pub title: String,
    pub lines: Vec<String>,
    pub table: Option<Table>,
}

fn strings<const N: usize>(v: [&str; N]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn pct(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// The plan: whether the goal is supported, then week by week.
fn plan_section(c: &Coach, goal: Option<f64>, u: Units) -> Section {
    let p = &c.plan;
    let mut lines = Vec::new();
    match (p.goal_supported, goal) {
        (Some(true), Some(g)) => lines.push(format!(
            "Goal {} is supported: the plan closes the long-run gap within the load rules.",
            hms(g)
        )),
        (Some(false), Some(g)) => {
            lines.push(format!(
                "Goal {} is not supported by your training:",
                hms(g)
            ));
            lines.extend(p.reasons.iter().map(|r| format!("  - {r}")));
            if let (Some(s), Some(by)) = (p.proposed_goal_s, &p.proposed_by) {
                lines.push(format!(
                    "Slow the goal down to {} ({}) and run its pace from the start.",
                    hms(s),
                    by
                ));
            }
        }
        _ if p.weeks.is_empty() => {}
        _ => lines.push(
            "No goal time given: the plan builds the long run and the gaps' sessions.".into(),
        ),
    }
    if !p.weeks.is_empty() {
        lines.push(format!(
            "From {}: {} a week over the last 4 weeks, longest run of the last 30 days {}; the race's long run is {}.",
            c.today,
            u.distance_dp(p.start_distance_per_week_m, 0),
            u.distance(p.start_long_run_m),
            u.distance_round(p.long_run_target_m)
        ));
        lines.push(
            "Load rules: a long run at most 10 % longer than the longest of the 30 days before it, a week at most 10 % over the one before and 1.5x the four before; a lighter week every fourth; a two-week taper to 70 % and 50 % of the peak week.".into(),
        );
    }
    lines.extend(p.notes.iter().cloned());
    let rows = p
        .weeks
        .iter()
        .map(|w| {
            vec![
                w.week_start.clone(),
                w.phase.word().to_string(),
                if w.done_m > 0.0 {
                    format!(
                        "{} ({} done)",
                        u.distance_dp(w.distance_m, 0),
                        u.distance_dp(w.done_m, 0)
                    )
                } else {
                    u.distance_dp(w.distance_m, 0)
                },
                if w.long_run_m > 0.0 {
                    u.distance_dp(w.long_run_m, 1)
                } else {
                    "-".into()
                },
                w.acwr.map_or("-".into(), |r| format!("{r:.2}")),
                w.sessions.join("; "),
            ]
        })
        .collect();
    Section {
        key: "plan",
        title: format!("Plan to race day (from {})", c.today),
        lines,
        table: (!p.weeks.is_empty()).then(|| Table {
            head: strings([
                "week of",
                "phase",
                "distance",
                "long run",
                "load ratio",
                "key sessions",
            ]),
            rows,
        }),
    }
}

/// Past races listed in the text outputs, the most recent first.
const PAST_RACES_SHOWN: usize = 10;

fn past_races_section(c: &Coach, u: Units) -> Section {
    let rows = c
        .past_races
        .iter()
        .rev()
        .take(PAST_RACES_SHOWN)
        .map(|r| {
            vec![
                r.date.clone(),
                r.name.clone(),
                u.distance(r.distance_m),
                r.result_s.map_or("-".into(), hms),
                r.pace_s_per_km.map_or("-".into(), |p| u.pace(p)),
                r.quarters_s_per_km
                    .iter()
                    .map(|q| hms(u.pace_value(*q)))
                    .collect::<Vec<_>>()
                    .join(" "),
                match (
                    r.faded,
                    r.late_slowdown_pct
                        .map(|s| if s.abs() < 0.05 { 0.0 } else { s }),
                ) {
                    (Some(true), Some(s)) => format!(
                        "faded: last quarter {s:+.1} %{}",
                        r.wall_km
                            .map(|k| format!(", wall at km {k}"))
                            .unwrap_or_default()
                    ),
                    (Some(false), Some(s)) => format!("held: last quarter {s:+.1} %"),
                    _ => "unknown (no splits)".into(),
                },
                r.found_by
                    .iter()
                    .map(|f| f.words())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let mut lines = if c.past_races.is_empty() {
        vec!["No past race found (by name, type, an effort near your best, or --races).".into()]
    } else {
        vec![
            "Late fade: the last quarter's grade-adjusted pace against the rest of the race; 7.3 % or more slower is a fade, a single kilometre 11 % slower than the others a wall (Doherty et al. 2020; Smyth 2021).".into(),
        ]
    };
    if c.past_races.len() > PAST_RACES_SHOWN {
        lines.push(format!(
            "The {PAST_RACES_SHOWN} most recent of {} races (all in summary.json).",
            c.past_races.len()
        ));
    }
    Section {
        key: "past-races",
        title: "Past races".into(),
        lines,
        table: (!c.past_races.is_empty()).then(|| Table {
            head: strings([
                "date",
                "race",
                "distance",
                "result",
                "pace",
                "quarters (grade-adjusted pace)",
                "late fade",
                "found by",
            ]),
            rows,
        }),
    }
}

fn builds_section(c: &Coach, u: Units) -> Section {
    let rows = c
        .builds
        .iter()
        .map(|b| {
            vec![
                if b.race.is_some() {
                    format!("before {}", b.label)
                } else {
                    "now".into()
                },
                u.distance_dp(b.km_per_week * 1000.0, 0),
                u.distance(b.longest_run_m),
                format!("{} of {}+", b.long_runs, u.distance_round(b.long_run_m)),
                if b.climb_known {
                    u.height(b.climb_m_per_week)
                } else {
                    "unknown".into()
                },
                if b.climb_known {
                    u.height(b.biggest_climb_m)
                } else {
                    "unknown".into()
                },
                match b.race.and_then(|i| c.past_races[i].faded) {
                    Some(true) => "faded".into(),
                    Some(false) => "held".into(),
                    None if b.race.is_some() => "unknown".into(),
                    None => "-".into(),
                },
            ]
        })
        .collect();
    let mut lines = Vec::new();
    if c.builds.len() == 1 {
        lines.push("No past race of this kind found to compare builds with.".into());
    }
    for b in c.builds.iter().filter(|b| !b.short.is_empty()) {
        lines.push(format!("Short before {}: {}.", b.label, b.short.join("; ")));
    }
    Section {
        key: "builds",
        title: "Builds compared (the same weeks before each race of this kind)".into(),
        lines,
        table: Some(Table {
            head: strings([
                "build",
                "a week",
                "longest run",
                "long runs",
                "climbing a week",
                "biggest climb",
                "race",
            ]),
            rows,
        }),
    }
}

fn own_ground_section(c: &Coach, u: Units) -> Section {
    let h = &c.own_hills;
    let mut rows = Vec::new();
    let place = |what: &str, p: &crate::coach::own_hills::Place| {
        vec![
            what.to_string(),
            p.date.clone(),
            p.run.clone(),
            u.at(p.start_km * 1000.0),
            if p.height_m > 0.0 {
                format!(
                    "{} over {} ({:+.1} %)",
                    u.height(p.height_m),
                    u.distance(p.length_m),
                    p.grade_pct
                )
            } else {
                format!(
                    "{}{}",
                    u.distance(p.length_m),
                    p.duration_s
                        .map(|s| format!(" in {}", hms(s)))
                        .unwrap_or_default()
                )
            },
        ]
    };
    rows.extend(h.climbs.iter().map(|p| place("climb", p)));
    rows.extend(h.descents.iter().map(|p| place("descent", p)));
    rows.extend(h.longest_run.iter().map(|p| place("longest run", p)));
    rows.extend(
        h.longest_goal_pace
            .iter()
            .map(|p| place("longest at goal pace", p)),
    );
    let mut lines = c.advice.clone();
    let builds_left = c
        .plan
        .weeks
        .iter()
        .any(|w| w.phase == crate::coach::plan::Phase::Build);
    if !builds_left && !lines.is_empty() {
        lines.insert(
            0,
            "No build week is left before race day (the plan only tapers): these sessions are for the next block.".into(),
        );
    }
    Section {
        key: "own-ground",
        title: "Sessions on your own ground".into(),
        lines,
        table: (!rows.is_empty()).then(|| Table {
            head: strings(["", "date", "run", "from", "size"]),
            rows,
        }),
    }
}

fn terrain_section(c: &Coach, u: Units) -> Section {
    let m = &c.terrain;
    let lines = vec![match m.score_pct {
        Some(s) => format!(
            "{s:.0} % of the course's grades met in proportion by the block's training{}.",
            if m.most_missing.is_empty() {
                String::new()
            } else {
                format!("; most missing: {}", m.most_missing.join(", "))
            }
        ),
        None => "Unknown: the block's runs or the course have no elevation.".into(),
    }];
    Section {
        key: "terrain",
        title: "Terrain match by grade".into(),
        lines,
        table: m.score_pct.map(|_| Table {
            head: strings([
                "grade",
                "course",
                "course share",
                "training a week",
                "training share",
            ]),
            rows: m
                .bands
                .iter()
                .map(|b| {
                    vec![
                        b.band.to_string(),
                        u.distance_dp(b.course_km * 1000.0, 1),
                        pct(b.course_share),
                        u.distance_dp(b.training_km_per_week * 1000.0, 1),
                        pct(b.training_share),
                    ]
                })
                .collect(),
        }),
    }
}

fn downhill_section(c: &Coach, u: Units) -> Option<Section> {
    let d = c.downhill.as_ref()?;
    let f = crate::calendar::format_day;
    let verdict = match d.readiness {
        Readiness::Ready => "ready: a downhill session in the 6 weeks before race day protects the quads (repeated-bout effect, Byrnes et al. 1985)".to_string(),
        Readiness::NoneRecent => "no downhill session of that size in the 6 weeks before race day: the quads meet the course's descents unprepared".to_string(),
        Readiness::TooClose => "a big downhill session in the last 7 days before race day: the muscle damage may not have healed".to_string(),
        Readiness::Due => format!(
            "none yet in the protective window: run one between {} and {}",
            f(d.window.0.max(c.today_day + 1)),
            f(d.window.1)
        ),
        Readiness::Unknown => "unknown: no run recorded its elevation".to_string(),
    };
    Some(Section {
        key: "downhill",
        title: "Downhill readiness".into(),
        lines: vec![
            format!(
                "A dose: descents of {} or more at -5 % or steeper in one run (the course's biggest descent asks it).",
                u.height(d.dose_m)
            ),
            format!("{}.", capitalised(&verdict)),
        ],
        table: (!d.sessions.is_empty()).then(|| Table {
            head: strings(["date", "run", "descent", "grade", "before race day"]),
            rows: d
                .sessions
                .iter()
                .map(|s| {
                    vec![
                        s.date.clone(),
                        s.run.clone(),
                        u.height(s.descent_m),
                        format!("{:.1} %", s.grade_pct),
                        format!("{} days{}", s.days_before_race, if s.big { " (big)" } else { "" }),
                    ]
                })
                .collect(),
        }),
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn heat_section(c: &Coach) -> Option<Section> {
    let Some(h) = c.heat.as_ref() else {
        return c.heat_unknown.as_ref().map(|why| Section {
            key: "heat-state",
            title: "Heat acclimation".into(),
            lines: vec![capitalised(why) + "."],
            table: None,
        });
    };
    Some(Section {
        key: "heat-state",
        title: "Heat acclimation".into(),
        lines: vec![
            format!(
                "{} today, {} on race morning with no more heat ({} session(s) in the block); {}.",
                pct(h.today),
                pct(h.race_day),
                h.sessions,
                if h.protocol_sessions == 0 {
                    "no day is left for heat sessions".to_string()
                } else {
                    format!(
                        "{} daily sessions from tomorrow to the race would reach {}",
                        h.protocol_sessions,
                        pct(h.protocol)
                    )
                }
            ),
            "Each session gains a fifth of what is left (70 % after 5 daily sessions, Pandolf 1998); a day without heat loses 2.5 % (Daanen et al. 2018).".into(),
        ],
        table: None,
    })
}

/// Every section, the plan first.
pub fn sections(c: &Coach, goal: Option<f64>, u: Units) -> Vec<Section> {
    let mut out = vec![
        plan_section(c, goal, u),
        past_races_section(c, u),
        builds_section(c, u),
        own_ground_section(c, u),
        terrain_section(c, u),
    ];
    out.extend(downhill_section(c, u));
    out.extend(heat_section(c));
    out
}

/// A table as aligned text columns.
fn text_table(t: &Table) -> String {
    let n = t.head.len();
    let width = |k: usize| {
        t.rows
            .iter()
            .map(|r| r.get(k).map_or(0, |c| c.chars().count()))
            .chain([t.head[k].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..n).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::from("  ");
        for (k, c) in cells.iter().enumerate() {
            if k + 1 == n {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[k]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&t.head);
    for r in &t.rows {
        out.push_str(&line(r));
    }
    out
}

/// The sections as terminal text.
pub fn terminal(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        out.push_str(&format!("\n{}\n", s.title));
        for l in &s.lines {
            out.push_str(&format!("  {l}\n"));
        }
        if let Some(t) = &s.table {
            out.push_str(&text_table(t));
        }
    }
    out
}

fn md_cell(c: &str) -> String {
    c.replace('|', "\\|")
}

/// `plan.md`: the sections as Markdown under the race's title.
pub fn markdown(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n", md_cell(title));
    for s in sections {
        out.push_str(&format!("\n## {}\n\n", s.title));
        let mut list = false;
        for l in &s.lines {
            match l.strip_prefix("  - ") {
                Some(item) => {
                    out.push_str(&format!("- {item}\n"));
                    list = true;
                }
                None => {
                    // A paragraph after a list is its own, not the last item's.
                    if std::mem::take(&mut list) {
                        out.push('\n');
                    }
                    out.push_str(&format!("{l}\n\n"));
                }
            }
        }
        if list {
            out.push('\n');
        }
        if let Some(t) = &s.table {
            out.push_str(&format!(
                "\n| {} |\n|{}\n",
                t.head
                    .iter()
                    .map(|h| md_cell(h))
                    .collect::<Vec<_>>()
                    .join(" | "),
                "---|".repeat(t.head.len())
            ));
            for r in &t.rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
        }
    }
    out
}

/// `plan.csv`: one row per week of the plan.
pub fn write_plan_csv(path: &Path, c: &Coach) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "week_start",
        "phase",
        "distance_km",
        "done_km",
        "long_run_km",
        "growth_pct",
        "acwr",
        "sessions",
    ])?;
    let r = |v: f64, d: i32| crate::units::tidy(v, d).to_string();
    for k in &c.plan.weeks {
        w.write_record([
            k.week_start.clone(),
            k.phase.word().to_string(),
            r(k.distance_m / 1000.0, 1),
            r(k.done_m / 1000.0, 1),
            r(k.long_run_m / 1000.0, 1),
            k.growth.map_or(String::new(), |g| r(g * 100.0, 1)),
            k.acwr.map_or(String::new(), |a| r(a, 2)),
            k.sessions.join("; "),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> Section {
        Section {
            key: "plan",
            title: "Plan".into(),
            lines: vec![
                "Goal 3:10:00 is not supported:".into(),
                "  - the long run | cannot grow".into(),
                "Slow the goal down.".into(),
            ],
            table: Some(Table {
                head: strings(["week of", "distance"]),
                rows: vec![
                    vec!["2026-11-09".into(), "38 km".into()],
                    vec!["a|b".into(), "".into()],
                ],
            }),
        }
    }

    /// A paragraph after a list is not taken into its last item, a `|` in a table cell is
    /// escaped, the table has its rule line.
    #[test]
    fn markdown_keeps_lists_paragraphs_and_tables_apart() {
        let md = markdown("Race: plan", &[section()]);
        assert!(md.starts_with("# Race: plan\n\n## Plan\n\n"), "{md}");
        assert!(
            md.contains("- the long run | cannot grow\n\nSlow the goal down."),
            "{md}"
        );
        assert!(
            md.contains(
                "| week of | distance |\n|---|---|\n| 2026-11-09 | 38 km |\n| a\\|b |  |\n"
            ),
            "{md}"
        );
    }

    #[test]
    fn terminal_columns_are_aligned() {
        let text = terminal(&[section()]);
        assert!(
            text.contains("  week of     distance\n  2026-11-09  38 km\n"),
            "{text}"
        );
    }
}
