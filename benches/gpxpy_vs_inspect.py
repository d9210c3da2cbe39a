#!/usr/bin/env python3
"""Whole-process comparison: `racegap inspect` of a 50 MB GPX against the Python library
gpxpy parsing the same file and computing its climb and descent (`get_uphill_downhill`),
run in turn on the same machine in one call, so the ratio holds however busy it is.

    cargo build --release
    python3 benches/gpxpy_vs_inspect.py [path/to/racegap] [runs]

Prints SKIPPED and exits 0 when Python lacks gpxpy (`pip install gpxpy`). The file is
generated in a temporary folder: a 1 Hz run with elevation, heart rate and cadence in
Garmin's extension, as watches export it.
"""

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_BYTES = 50_000_000


def write_gpx(path):
    """Writes the test file; returns its number of points."""
    start = datetime.datetime(2026, 9, 1, 6, 0, 0)
    n = 0
    size = 0
    with open(path, "w") as f:
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            "<trk><name>bench</name><type>running</type><trkseg>\n"
        )
        f.write(head)
        size += len(head)
        while size < TARGET_BYTES:
            t = start + datetime.timedelta(seconds=n)
            line = (
                '<trkpt lat="%.7f" lon="%.7f"><ele>%.1f</ele><time>%s</time>'
                "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>%d</gpxtpx:hr>"
                "<gpxtpx:cad>%d</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n"
                % (
                    45 + (n % 20000) * 0.00002,
                    6 + (n // 20000) * 0.001,
                    300 + (n % 500) * 0.2,
                    t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    140 + n % 20,
                    85 + n % 5,
                )
            )
            f.write(line)
            size += len(line)
            n += 1
        f.write("</trkseg></trk></gpx>\n")
    return n


GPXPY = (
    "import sys, gpxpy\n"
    "g = gpxpy.parse(open(sys.argv[1]))\n"
    "ud = g.get_uphill_downhill()\n"
    "print(sum(len(s.points) for t in g.tracks for s in t.segments), ud.uphill, ud.downhill)\n"
)


def timed(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out


def main():
    try:
        import gpxpy  # noqa: F401
    except ImportError:
        print("SKIPPED: gpxpy is not installed (pip install gpxpy)")
        return 0
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    racegap = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "racegap"
    )
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not os.access(racegap, os.X_OK):
        print("SKIPPED: no racegap binary at %s (cargo build --release)" % racegap)
        return 0
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.gpx")
        n = write_gpx(path)
        mb = os.path.getsize(path) / 1e6
        ours, theirs = [], []
        for _ in range(runs):
            t, out_r = timed([racegap, "inspect", path])
            ours.append(t)
            t, out_p = timed([sys.executable, "-c", GPXPY, path])
            theirs.append(t)
        points = out_p.split()[0]
        assert int(points) == n, (points, n)
        assert ("samples         %d " % n) in out_r, out_r
        ratios = [p / r for r, p in zip(ours, theirs)]
        print("file: %.1f MB, %d points; %d runs each, in turn" % (mb, n, runs))
        print("racegap inspect            median %.3f s" % statistics.median(ours))
        print("gpxpy parse + up/downhill  median %.3f s" % statistics.median(theirs))
        print(
            "ratio gpxpy / racegap: median %.1f (min %.1f, max %.1f)"
            % (statistics.median(ratios), min(ratios), max(ratios))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
