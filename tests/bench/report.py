#!/usr/bin/env python3
"""Turn the benchmark records of a `make bench` TAP log into a report.

    report.py LOG [--out DIR]      (LOG "-" reads standard input)

The bench guest prints two kinds of TAP diagnostics; they are found anywhere
on a line (serial logs carry "\\r" and prefixes), every other line is ignored:

    # benchinfo KEY VALUE...
    # benchrec FIGURE SERIES METRIC UNIT ROUND VALUE

The records of one (figure, series, metric) are reduced to n, min, median
and max over their rounds; ratios and targets use the medians.  Markdown goes
to standard output; with --out, DIR gets results.md (the same Markdown),
results.json, and bench.png drawn by gnuplot from bench.gp and its *.dat
files, which stay in DIR so the plot can be redrawn with
"cd DIR && gnuplot bench.gp".

Exit status: 0 when the report was written, whatever the targets say (a slow
figure never fails make bench; a missing gnuplot only skips the PNG); 1 when
LOG cannot be read or holds no benchrec, or DIR cannot be written; 2 on a
usage error.

Python 3 standard library only.
"""

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys

PROG = "report.py"

# What the bench guest measures, in the order the report shows it.  Records
# of figures, series or metrics not named here are still reported, after the
# known ones, in the order they first appear in the log.
FIGURES = {
    "B1": ("4 KiB random write, QD16",
           ["brd/dm-linear", "brd/dm-mirror", "brd/dm-raid", "brd/mirrorlive",
            "brd/mirrorlive+meta",
            "null_blk/dm-linear", "null_blk/dm-mirror", "null_blk/dm-raid",
            "null_blk/mirrorlive", "null_blk/mirrorlive+meta",
            "null_blk-1ms/dm-linear", "null_blk-1ms/dm-mirror",
            "null_blk-1ms/dm-raid", "null_blk-1ms/mirrorlive",
            "null_blk-1ms/mirrorlive+meta"],
           ["randwrite_iops", "cpu_us_per_write", "meta_writes_per_s"]),
    "B2": ("random read and sequential write",
           ["brd/dm-linear", "brd/dm-mirror", "brd/dm-raid", "brd/mirrorlive",
            "null_blk/dm-linear", "null_blk/dm-mirror", "null_blk/dm-raid",
            "null_blk/mirrorlive"],
           ["randread_iops", "seqwrite_mibps"]),
    "B3": ("foreground writes while the copy runs",
           ["brd/mirrorlive-copying", "brd/dm-mirror-resyncing",
            "brd/dm-raid-resyncing", "brd/mirrorlive+yield-copying"],
           ["randwrite_iops", "copy_mibps"]),
    "B4": ("time until the mirror is ready",
           ["idle/mirrorlive", "idle/mirrorlive+meta", "idle/dm-mirror",
            "idle/dm-raid",
            "idle/dd", "load/mirrorlive", "load/mirrorlive+meta",
            "load/dm-mirror", "load/dm-raid", "idle/mirrorlive+yield",
            "load/mirrorlive+yield"],
           ["time_to_ready_s"]),
    "B5": ("destination space allocated by the copy",
           ["mirrorlive-sparse", "mirrorlive-dest_zeroed", "mirrorlive-plain",
            "dm-mirror"],
           ["allocated_pct"]),
    "B6": ("pause at completion",
           ["mirrorctl-complete", "pivot", "no-pivot"],
           ["suspend_ms", "max_write_lat_ms"]),
    "B7": ("memory per TiB mirrored",
           ["mirrorlive", "dm-mirror"],
           ["kib_per_tib", "slab_kib_per_tib", "vmalloc_kib_per_tib",
            "ctr_ms", "ctr_ms_1g", "status_ms", "status_ms_1g"]),
    "B8": ("online verify",
           ["idle/copy", "idle/verify", "load/verify"],
           ["mibps", "verify_time_s", "randwrite_iops"]),
    "B9": ("a host evacuation: 32 mirrors at once",
           ["one/copy", "32/copy"],
           ["mibps", "threads_per_mirror", "kib_per_mirror"]),
    "B10": ("the copy over a 20 ms destination",
            ["dest-20ms/mirrorlive", "dest-20ms/fio-qd16"],
            ["mibps"]),
}

# The targets: (id, description, numerator, denominator or None, op, limit).
# A record is (figure, series, metric); with a denominator the measured value
# is the ratio of the two medians.
TARGETS = [
    ("B1-null_blk", "null_blk random write IOPS, mirrorlive / dm-linear",
     ("B1", "null_blk/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk/dm-linear", "randwrite_iops"), ">=", 0.85),
    ("B1-brd", "brd random write IOPS, mirrorlive / dm-mirror",
     ("B1", "brd/mirrorlive", "randwrite_iops"),
     ("B1", "brd/dm-mirror", "randwrite_iops"), ">=", 1.4),
    ("B1-raid-brd", "brd random write IOPS, mirrorlive / dm-raid",
     ("B1", "brd/mirrorlive", "randwrite_iops"),
     ("B1", "brd/dm-raid", "randwrite_iops"), ">", 1.0),
    ("B1-raid-null_blk", "null_blk random write IOPS, mirrorlive / dm-raid",
     ("B1", "null_blk/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk/dm-raid", "randwrite_iops"), ">", 1.0),
    ("B1-raid-null_blk-1ms",
     "null_blk 1 ms random write IOPS, mirrorlive / dm-raid",
     ("B1", "null_blk-1ms/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk-1ms/dm-raid", "randwrite_iops"), ">", 1.0),
    ("B1-mirror-null_blk",
     "null_blk random write IOPS, mirrorlive / dm-mirror",
     ("B1", "null_blk/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk/dm-mirror", "randwrite_iops"), ">", 1.0),
    ("B1-mirror-null_blk-1ms",
     "null_blk 1 ms random write IOPS, mirrorlive / dm-mirror",
     ("B1", "null_blk-1ms/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk-1ms/dm-mirror", "randwrite_iops"), ">", 1.0),
    ("B1-null_blk-1ms",
     "null_blk 1 ms random write IOPS, mirrorlive / dm-linear",
     ("B1", "null_blk-1ms/mirrorlive", "randwrite_iops"),
     ("B1", "null_blk-1ms/dm-linear", "randwrite_iops"), ">=", 0.97),
    ("B1-meta-brd", "brd random write IOPS, mirrorlive+meta / mirrorlive",
     ("B1", "brd/mirrorlive+meta", "randwrite_iops"),
     ("B1", "brd/mirrorlive", "randwrite_iops"), ">=", 0.9),
    ("B1-meta-null_blk",
     "null_blk random write IOPS, mirrorlive+meta / mirrorlive",
     ("B1", "null_blk/mirrorlive+meta", "randwrite_iops"),
     ("B1", "null_blk/mirrorlive", "randwrite_iops"), ">=", 0.9),
    ("B2-brd", "brd random read IOPS, mirrorlive / dm-linear",
     ("B2", "brd/mirrorlive", "randread_iops"),
     ("B2", "brd/dm-linear", "randread_iops"), ">=", 0.95),
    ("B2-null_blk", "null_blk random read IOPS, mirrorlive / dm-linear",
     ("B2", "null_blk/mirrorlive", "randread_iops"),
     ("B2", "null_blk/dm-linear", "randread_iops"), ">=", 0.95),
    ("B3-write", "brd random write IOPS while copying / idle (B1)",
     ("B3", "brd/mirrorlive-copying", "randwrite_iops"),
     ("B1", "brd/mirrorlive", "randwrite_iops"), ">=", 0.8),
    ("B3-copy", "copy progresses under random writes, MiB/s",
     ("B3", "brd/mirrorlive-copying", "copy_mibps"), None, ">", 0),
    # mirrorlive+yield: min_copy_kbps 65536 (bench.sh's YIELD_KBPS)
    ("B3-yield-write",
     "brd random write IOPS while a yielding copy runs / idle (B1)",
     ("B3", "brd/mirrorlive+yield-copying", "randwrite_iops"),
     ("B1", "brd/mirrorlive", "randwrite_iops"), ">=", 0.95),
    ("B3-yield-min", "a yielding copy under random writes, MiB/s (min 64)",
     ("B3", "brd/mirrorlive+yield-copying", "copy_mibps"), None, ">=", 64),
    ("B4-yield-idle", "time to ready, idle, yielding / unthrottled copy",
     ("B4", "idle/mirrorlive+yield", "time_to_ready_s"),
     ("B4", "idle/mirrorlive", "time_to_ready_s"), "<=", 2.0),
    ("B4-idle", "time to ready, idle, mirrorlive / dm-mirror",
     ("B4", "idle/mirrorlive", "time_to_ready_s"),
     ("B4", "idle/dm-mirror", "time_to_ready_s"), "<=", 1.1),
    ("B4-idle-raid", "time to ready, idle, mirrorlive / dm-raid's resync",
     ("B4", "idle/mirrorlive", "time_to_ready_s"),
     ("B4", "idle/dm-raid", "time_to_ready_s"), "<", 1.0),
    ("B4-load", "time to ready, mirrorlive, under load / idle",
     ("B4", "load/mirrorlive", "time_to_ready_s"),
     ("B4", "idle/mirrorlive", "time_to_ready_s"), "<=", 1.5),
    ("B4-meta", "time to ready, idle, mirrorlive+meta / mirrorlive",
     ("B4", "idle/mirrorlive+meta", "time_to_ready_s"),
     ("B4", "idle/mirrorlive", "time_to_ready_s"), "<=", 1.1),
    ("B5-sparse", "destination allocated with sparse, %",
     ("B5", "mirrorlive-sparse", "allocated_pct"), None, "<=", 15),
    ("B5-dest_zeroed", "destination allocated with dest_zeroed, %",
     ("B5", "mirrorlive-dest_zeroed", "allocated_pct"), None, "<=", 15),
    ("B6-suspend", "suspend time of mirrorctl complete, ms",
     ("B6", "mirrorctl-complete", "suspend_ms"), None, "<", 100),
    ("B7-memory", "mirrorlive memory, KiB per TiB",
     ("B7", "mirrorlive", "kib_per_tib"), None, "<=", 512),
    ("B8-verify-speed", "brd verify pass MiB/s, idle / the copy's (B4 idle)",
     ("B8", "idle/verify", "mibps"),
     ("B8", "idle/copy", "mibps"), ">=", 0.8),
    ("B8-verify-load", "verify pass progresses under random writes, MiB/s",
     ("B8", "load/verify", "mibps"), None, ">", 0),
    ("B9-aggregate", "brd copy MiB/s, 32 mirrors at once / one mirror",
     ("B9", "32/copy", "mibps"),
     ("B9", "one/copy", "mibps"), ">=", 0.9),
    ("B9-threads", "kernel threads per mirror, 32 mirrors",
     ("B9", "32/copy", "threads_per_mirror"), None, "<=", 1.05),
    ("B10-latency",
     "copy MiB/s over a 20 ms destination / fio 512 KiB writes at QD16",
     ("B10", "dest-20ms/mirrorlive", "mibps"),
     ("B10", "dest-20ms/fio-qd16", "mibps"), ">=", 0.8),
]

# A persistent mirror (table feature "metadata") is the series of the plain
# one with this suffix; B1 records, for it, the writes per second its
# metadata device completed during the run.
META_SUFFIX = "+meta"
META_WRITES = "meta_writes_per_s"

OPS = {
    ">=": lambda v, lim: v >= lim,
    ">": lambda v, lim: v > lim,
    "<=": lambda v, lim: v <= lim,
    "<": lambda v, lim: v < lim,
}

BENCH_RE = re.compile(r"# bench(rec|info)[ \t]+(.*)")
INT_RE = re.compile(r"[+-]?[0-9]+$")


class ReportError(Exception):
    """A failure that ends the run with exit status 1."""


def warn(msg):
    print("%s: warning: %s" % (PROG, msg), file=sys.stderr)


# ---------------------------------------------------------------- parsing

def read_log(path):
    """Return the text of LOG ("-": standard input), undecodable bytes
    replaced: a serial console may garble a few."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        raise ReportError("cannot read %s: %s" %
                          (path, e.strerror or e)) from e
    return data.decode("utf-8", errors="replace")


def parse_number(tok):
    """An int or a finite float from TOK, or None."""
    if INT_RE.match(tok):
        return int(tok)
    try:
        v = float(tok)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def parse_log(text, name):
    """Collect benchinfo and benchrec lines.

    Returns (info, records): info maps key to value (the last one wins),
    records maps (figure, series, metric) to {"unit", "rounds": [(round,
    value)]} in first-seen order.  Malformed records are reported and
    skipped: one bad line must not cost the whole report.
    """
    info = {}
    records = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        # A bare "\r" ends a line on a serial console as well.
        for piece in line.split("\r"):
            m = BENCH_RE.search(piece)
            if not m:
                continue
            kind, rest = m.group(1), m.group(2).strip()
            if kind == "info":
                key, value = (rest.split(None, 1) + [""])[:2]
                if key:
                    info[key] = value
                continue
            add_record(records, rest.split(), "%s:%d" % (name, lineno))
    return info, records


def add_record(records, fields, where):
    if len(fields) != 6:
        warn("%s: benchrec needs 6 fields, has %d: skipped" %
             (where, len(fields)))
        return
    figure, series, metric, unit, rnd, val = fields
    value = parse_number(val)
    if not INT_RE.match(rnd) or value is None:
        warn("%s: benchrec round '%s' or value '%s' is not a number: skipped"
             % (where, rnd, val))
        return
    rec = records.setdefault((figure, series, metric),
                             {"unit": unit, "rounds": []})
    if unit != rec["unit"]:
        warn("%s: %s %s %s in %s, earlier in %s: kept as %s" %
             (where, figure, series, metric, unit, rec["unit"], rec["unit"]))
    if any(r == int(rnd) for r, _ in rec["rounds"]):
        warn("%s: %s %s %s round %s seen twice: both kept" %
             (where, figure, series, metric, rnd))
    rec["rounds"].append((int(rnd), value))


# ---------------------------------------------------------------- numbers

def figure_key(fig):
    """Known figures first, in their order, then others naturally sorted
    (B10 after B9)."""
    known = list(FIGURES)
    if fig in known:
        return (0, known.index(fig), "", 0)
    m = re.match(r"(\D*)(\d*)(.*)$", fig)
    return (1, 0, m.group(1) + m.group(3), int(m.group(2) or 0))


def summarise(records):
    """One entry per record set, in report order (figure, metric, series)."""
    seen = list(records)
    def order(key):
        fig, series, metric = key
        kseries = FIGURES.get(fig, ("", [], []))[1]
        kmetric = FIGURES.get(fig, ("", [], []))[2]
        def pos(name, known, col):
            if name in known:
                return (0, known.index(name))
            # Unknown names keep the order of their first record.
            first = min(i for i, k in enumerate(seen)
                        if k[0] == fig and k[col] == name)
            return (1, first)
        return (figure_key(fig), pos(metric, kmetric, 2),
                pos(series, kseries, 1))

    out = []
    for key in sorted(records, key=order):
        rec = records[key]
        values = [v for _, v in sorted(rec["rounds"], key=lambda rv: rv[0])]
        out.append({
            "figure": key[0], "series": key[1], "metric": key[2],
            "unit": rec["unit"], "n": len(values),
            "min": min(values), "median": statistics.median(values),
            "max": max(values), "values": values,
        })
    return out


def median_of(stats, key):
    for s in stats:
        if (s["figure"], s["series"], s["metric"]) == key:
            return s["median"]
    return None


def linear_ratio(stats, s):
    """Median of S over the median of its backend's dm-linear in the same
    figure and metric, or None when S has no "BACKEND/" prefix or no such
    dm-linear record exists."""
    backend, slash, _ = s["series"].partition("/")
    if not slash:
        return None
    base = median_of(stats, (s["figure"], backend + "/dm-linear", s["metric"]))
    if base is None or base == 0:
        return None
    return s["median"] / base


def stat_of(stats, key):
    return next((s for s in stats
                 if (s["figure"], s["series"], s["metric"]) == key), None)


def meta_comparisons(stats):
    """Every series with META_SUFFIX next to the same series without it
    (same figure and metric): both medians, min and max, the ratio of the
    medians (with / without; None when "without" is 0), and the metadata
    writes per second of the persistent series, or None."""
    out = []
    for s in stats:
        if not s["series"].endswith(META_SUFFIX) or s["metric"] == META_WRITES:
            continue
        plain = s["series"][:-len(META_SUFFIX)]
        base = stat_of(stats, (s["figure"], plain, s["metric"]))
        if base is None:
            continue
        mw = stat_of(stats, (s["figure"], s["series"], META_WRITES))
        def part(x):
            return {k: x[k] for k in ("n", "min", "median", "max")}
        out.append({
            "figure": s["figure"], "series": plain, "metric": s["metric"],
            "unit": s["unit"], "without": part(base), "with": part(s),
            "ratio": (round(s["median"] / base["median"], 6)
                      if base["median"] else None),
            "meta_writes_per_s": part(mw) if mw else None,
        })
    return out


def evaluate_targets(stats):
    """The TARGETS with value and verdict; one not measured says why in
    "reason"."""
    out = []
    for tid, desc, num, den, op, limit in TARGETS:
        missing = [k for k in (num, den) if k and median_of(stats, k) is None]
        value, reason = None, None
        if missing:
            reason = "no records of " + ", ".join(" ".join(k) for k in missing)
        elif den and median_of(stats, den) == 0:
            reason = "the median of %s is 0" % " ".join(den)
        else:
            value = median_of(stats, num)
            if den:
                value /= median_of(stats, den)
        t = {"id": tid, "description": desc,
             "value": None if value is None else round(value, 6),
             "target": "%s %g" % (op, limit),
             "verdict": "not measured" if value is None else
                        "met" if OPS[op](value, limit) else "missed"}
        if reason:
            t["reason"] = reason
        out.append(t)
    return out


def decimals(v):
    """Decimals V needs: none for an integer, up to 2 from 1 on, 3
    significant digits below 1."""
    if float(v).is_integer():
        return 0
    d = 2 if abs(v) >= 1 else min(6, 2 - math.floor(math.log10(abs(v))))
    frac = ("%.*f" % (d, v)).rstrip("0").partition(".")[2]
    return len(frac)


def fmt_nums(values):
    """VALUES (one table row) with the same number of decimals, so that
    the columns line up; None is "n/a"."""
    d = max([decimals(v) for v in values if v is not None] or [0])
    return ["n/a" if v is None else "%.*f" % (d, v) for v in values]


def fmt_num(v):
    return fmt_nums([v])[0]


def fmt_target_value(value, limit):
    """2 decimals, or 4 where 2 would print the limit itself and so hide
    which side of it the value is."""
    if value is None:
        return "n/a"
    s = "%.2f" % value
    if float(s) == limit and value != limit:
        s = "%.4f" % value
    return s


# ---------------------------------------------------------------- markdown

def md_table(header, rows, right):
    """A Markdown table padded to line up in a terminal; RIGHT holds the
    indexes of right-aligned (numeric) columns."""
    rows = [[c.replace("|", "\\|") for c in r] for r in rows]
    cols = list(zip(header, *rows))
    width = [max(3, *(len(c) for c in col)) for col in cols]
    def line(cells):
        return "| " + " | ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, width))) + " |"
    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
        for i, w in enumerate(width)) + "|"
    return [line(header), rule] + [line(r) for r in rows]


def fmt_spread(x):
    """ "median (min..max)" of a meta_comparisons() part, or "n/a"."""
    if x is None:
        return "n/a"
    med, lo, hi = fmt_nums([x["median"], x["min"], x["max"]])
    return "%s (%s..%s)" % (med, lo, hi)


def markdown_meta(comparisons):
    """The persistent mirror against the plain one: nothing when no run
    had "metadata"."""
    if not comparisons:
        return []
    out = ["### Persistent mirror: with `metadata` / without", "",
           "median (min..max); with / without is the ratio of the medians; "
           "metadata writes/s: writes the metadata device completed during "
           "the run.", ""]
    cells = []
    for c in comparisons:
        cells.append([c["figure"], c["series"], c["metric"], c["unit"],
                      fmt_spread(c["without"]), fmt_spread(c["with"]),
                      "n/a" if c["ratio"] is None else "%.2f" % c["ratio"],
                      "" if c["meta_writes_per_s"] is None else
                      fmt_spread(c["meta_writes_per_s"])])
    out += md_table(["figure", "series", "metric", "unit", "without",
                     "with metadata", "with / without",
                     "metadata writes/s"], cells, {4, 5, 6, 7})
    return out + [""]


def markdown(info, stats, targets, comparisons=()):
    out = ["## Benchmark results", ""]
    for key, value in info.items():
        out.append("- %s: %s" % (key, value))
    if info:
        out.append("")
    out += ["min, median and max over the rounds of each series; ratios and "
            "targets use medians.", ""]

    for fig in sorted({s["figure"] for s in stats}, key=figure_key):
        rows = [s for s in stats if s["figure"] == fig]
        title = FIGURES.get(fig, ("",))[0]
        out += ["### %s%s" % (fig, ": " + title if title else ""), ""]
        ratios = [linear_ratio(stats, s) for s in rows]
        # "n/a" where a dm-linear figure was due but is missing; blank for
        # a metric that no dm-linear run measures (metadata writes)
        linear_metrics = {s["metric"] for s in rows
                          if s["series"].endswith("/dm-linear")}
        header = ["series", "metric", "unit", "n", "min", "median", "max"]
        right = {3, 4, 5, 6}
        with_ratio = any(r is not None for r in ratios)
        if with_ratio:
            header.append("median / dm-linear")
            right.add(7)
        cells = []
        for s, r in zip(rows, ratios):
            c = [s["series"], s["metric"], s["unit"], str(s["n"])]
            c += fmt_nums([s["min"], s["median"], s["max"]])
            if with_ratio:
                c.append("%.2f" % r if r is not None else
                         "n/a" if "/" in s["series"] and
                         s["metric"] in linear_metrics else "")
            cells.append(c)
        out += md_table(header, cells, right) + [""]

    out += markdown_meta(comparisons)
    out += ["### Targets", ""]
    cells = [[t["id"], t["description"], fmt_target_value(t["value"], d[5]),
              t["target"], t["verdict"]] for t, d in zip(targets, TARGETS)]
    out += md_table(["id", "description", "measured", "target", "verdict"],
                    cells, {2})
    count = {v: sum(t["verdict"] == v for t in targets)
             for v in ("met", "missed", "not measured")}
    out += ["", "%d met, %d missed, %d not measured." %
            (count["met"], count["missed"], count["not measured"])]
    for t in targets:
        if t.get("reason"):
            out.append("- %s not measured: %s." % (t["id"], t["reason"]))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- plot

def target_marker(stats, key, scale):
    """Where a target puts its limit on the bar of KEY, in the bar's units
    (its median divided by SCALE), or None."""
    for _, _, num, den, _, limit in TARGETS:
        if num != key:
            continue
        base = median_of(stats, den) if den else 1
        if base is None or not scale:
            return None
        return limit * base / scale
    return None


def gp_str(s):
    """S as a gnuplot double-quoted string, newlines kept."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n") + '"'


def gp_val(v):
    return "NaN" if v is None else "%.6g" % v


def bars(stats, keys, scale_keys=None):
    """Bar rows for KEYS: (label-less) dicts with median/min/max scaled by
    the median of the matching SCALE_KEYS entry, and a target marker."""
    out = []
    for i, key in enumerate(keys):
        s = next((s for s in stats
                  if (s["figure"], s["series"], s["metric"]) == key), None)
        scale = 1
        if scale_keys and scale_keys[i]:
            scale = median_of(stats, scale_keys[i])
        if s is None or not scale:
            out.append({"median": None, "min": None, "max": None,
                        "target": None})
            continue
        out.append({"median": s["median"] / scale, "min": s["min"] / scale,
                    "max": s["max"] / scale,
                    "target": target_marker(stats, key, scale)})
    return out


def bar_text(bar, fmt=None, top="max"):
    """The value printed above BAR and its height (BAR[TOP]): "n/a" on the
    axis for a bar not measured (gnuplot 5.4 crashes on a labels plot whose
    points are all undefined)."""
    if bar["median"] is None:
        return [gp_str("n/a"), "0"]
    text = fmt % bar["median"] if fmt else fmt_num(bar["median"])
    return [gp_str(text), gp_val(bar[top])]


def write_dat(path, columns, rows):
    with open(path, "w") as f:
        f.write("# " + " ".join(columns) + "\n")
        for r in rows:
            f.write(" ".join(r) + "\n")


def panel_empty(title):
    return ["reset", "set title %s" % gp_str(title),
            "unset xtics", "unset ytics", "unset key",
            'set label 1 "not measured" at graph 0.5, graph 0.5 center',
            "plot [0:1][0:1] 2 notitle"]


def panel_common(title, ylabel, n, reference=False, negative=False):
    """Settings every bar panel shares; with REFERENCE a dotted line at 1.0
    (the baseline of a normalised panel), always inside the range; the y
    axis starts at 0 unless a value is NEGATIVE (a memory delta may be)."""
    gp = ["reset", "set title %s" % gp_str(title),
          "set ylabel %s" % gp_str(ylabel),
          "set xrange [-0.6:%g]" % (n - 0.4)]
    if reference:
        gp += ["set yrange [0:1.1<*]",
               "set arrow 1 from graph 0, first 1 to graph 1, first 1 "
               "nohead dt 3 lw 1.5 lc rgb 'gray30' front"]
    else:
        gp += ["set yrange [%s:*]" % ("*" if negative else "0")]
    return gp + [
        "set offsets 0, 0, graph 0.15, 0", "set bmargin 4",
        "set grid ytics lc rgb '#dddddd'", "set xtics nomirror scale 0",
        "set key top left horizontal samplen 2 font ',9'",
        "set style fill solid 0.8 border -1"]


def panel_normalised(outdir, stats):
    """(a) B1/B2 medians over the same backend's dm-linear: per cluster a
    dm-mirror and a mirrorlive bar, and a mirrorlive+meta bar when any run
    had "metadata"."""
    metrics = [("B1", "randwrite_iops", "rand write"),
               ("B2", "randread_iops", "rand read"),
               ("B2", "seqwrite_mibps", "seq write")]
    for s in stats:
        m = (s["figure"], s["metric"])
        if s["figure"] in ("B1", "B2") and s["metric"] != META_WRITES and \
                m not in [x[:2] for x in metrics]:
            metrics.append(m + (s["metric"],))
    backends = ["brd", "null_blk"] + sorted(
        {s["series"].split("/")[0] for s in stats
         if s["figure"] in ("B1", "B2") and "/" in s["series"]}
        - {"brd", "null_blk"})
    clusters = []
    for fig, metric, label in metrics:
        for be in backends:
            lin = (fig, be + "/dm-linear", metric)
            keys = [(fig, be + "/dm-mirror", metric),
                    (fig, be + "/mirrorlive", metric),
                    (fig, be + "/mirrorlive" + META_SUFFIX, metric)]
            b = bars(stats, keys, [lin] * len(keys))
            if any(x["median"] is not None for x in b):
                clusters.append((fig, label, be, b))
    # the third bar only when some cluster has one: gnuplot refuses a plot
    # whose points are all undefined
    meta = any(b[2]["median"] is not None for _, _, _, b in clusters)
    rows, tics = [], []
    for fig, label, be, b in clusters:
        x = len(rows)
        row = [str(x), gp_str("%s %s %s" % (fig, label, be)),
               gp_val(b[0]["median"]), gp_val(b[1]["median"]),
               gp_val(b[1]["target"])] + \
            bar_text(b[0], "%.2f", "median") + \
            bar_text(b[1], "%.2f", "median")
        if meta:
            # no label where no run had metadata (B2, say)
            row += [gp_val(b[2]["median"]), gp_val(b[2]["target"])] + (
                bar_text(b[2], "%.2f", "median")
                if b[2]["median"] is not None else [gp_str(" "), "0"])
        rows.append(row)
        tics.append("%s %d" % (gp_str("%s %s\n%s" % (fig, label, be)), x))
    title = "(a) B1/B2: median throughput / dm-linear on the same backend"
    if not rows:
        return panel_empty(title + " (not measured)")
    columns = ["x", "label", "dm-mirror", "mirrorlive", "target",
               "dm-mirror_text", "dm-mirror_text_y", "mirrorlive_text",
               "mirrorlive_text_y"]
    if meta:
        columns += ["mirrorlive+meta", "meta_target", "mirrorlive+meta_text",
                    "mirrorlive+meta_text_y"]
    write_dat(os.path.join(outdir, "b12_norm.dat"), columns, rows)
    head = panel_common(title, "relative to dm-linear", len(rows),
                        reference=True) + ["set xtics (%s)" % ", ".join(tics)]
    if not meta:
        return head + [
            "set boxwidth 0.38 absolute",
            "plot 'b12_norm.dat' using ($1-0.2):3 with boxes "
            "lc rgb '#bbbbbb' title 'dm-mirror', \\",
            "     '' using ($1+0.2):4 with boxes lc rgb '#4477aa' "
            "title 'mirrorlive', \\",
            "     '' using ($1-0.2):7:6 with labels offset 0,0.6 font ',8' "
            "notitle, \\",
            "     '' using ($1+0.2):9:8 with labels offset 0,0.6 font ',8' "
            "notitle, \\",
            "     '' using ($1+0.01):5:(0.38):(0) with vectors nohead dt 2 "
            "lw 2.5 lc rgb '#cc3311' title 'target (mirrorlive)', \\",
            "     NaN with lines dt 3 lw 1.5 lc rgb 'gray30' "
            "title 'dm-linear'",
        ]
    # three bars a cluster: dm-mirror, mirrorlive, mirrorlive+meta
    return head + [
        "set boxwidth 0.26 absolute",
        "plot 'b12_norm.dat' using ($1-0.27):3 with boxes "
        "lc rgb '#bbbbbb' title 'dm-mirror', \\",
        "     '' using 1:4 with boxes lc rgb '#4477aa' "
        "title 'mirrorlive', \\",
        "     '' using ($1+0.27):10 with boxes lc rgb '#88ccee' "
        "title 'mirrorlive+meta', \\",
        "     '' using ($1-0.27):7:6 with labels offset 0,0.6 font ',8' "
        "notitle, \\",
        "     '' using 1:9:8 with labels offset 0,0.6 font ',8' "
        "notitle, \\",
        "     '' using ($1+0.27):13:12 with labels offset 0,0.6 font ',8' "
        "notitle, \\",
        "     '' using ($1-0.13):5:(0.26):(0) with vectors nohead dt 2 "
        "lw 2.5 lc rgb '#cc3311' title 'target', \\",
        "     '' using ($1+0.14):11:(0.26):(0) with vectors nohead dt 2 "
        "lw 2.5 lc rgb '#cc3311' notitle, \\",
        "     NaN with lines dt 3 lw 1.5 lc rgb 'gray30' title 'dm-linear'",
    ]


def panel_bars(outdir, stats, name, title, ylabel, items, reference=False):
    """A bar per ITEMS entry (label, key, scale key or None): the median,
    min..max whiskers, the value above it and a target marker."""
    b = bars(stats, [i[1] for i in items], [i[2] for i in items])
    if all(x["median"] is None for x in b):
        return panel_empty(title + " (not measured)")
    rows, tics = [], []
    for x, (item, v) in enumerate(zip(items, b)):
        rows.append([str(x), gp_str(item[0].replace("\n", " ")),
                     gp_val(v["median"]), gp_val(v["min"]), gp_val(v["max"]),
                     gp_val(v["target"])] + bar_text(v))
        tics.append("%s %d" % (gp_str(item[0]), x))
    write_dat(os.path.join(outdir, name + ".dat"),
              ["x", "label", "median", "min", "max", "target", "text",
               "text_y"], rows)
    negative = any(v["min"] is not None and v["min"] < 0 for v in b)
    return panel_common(title, ylabel, len(rows), reference, negative) + [
        "set xtics (%s)" % ", ".join(tics), "set boxwidth 0.6 absolute",
        "plot '%s.dat' using 1:3 with boxes lc rgb '#4477aa' "
        "title 'median', \\" % name,
        "     '' using 1:4:(0):($5-$4) with vectors heads "
        "size screen 0.008,90 lc rgb 'black' title 'min..max', \\",
        "     '' using 1:8:7 with labels offset 0,0.7 font ',8' notitle, \\",
        "     '' using ($1-0.35):6:(0.7):(0) with vectors nohead dt 2 lw 2.5 "
        "lc rgb '#cc3311' title 'target'",
    ]


def short_metrics(metrics):
    """Metric names for bar labels, the "_"-separated suffix they all share
    dropped (slab_kib_per_tib, kib_per_tib -> slab, kib_per_tib)."""
    words = [m.split("_") for m in metrics]
    common = 0
    while all(len(w) > common for w in words) and \
            len({tuple(w[-common - 1:]) for w in words}) == 1:
        common += 1
    if len(words) < 2 or not common:
        return list(metrics)
    return ["_".join(w[:-common]) or m for w, m in zip(words, metrics)]


def figure_items(stats, fig):
    """Bars for every record of FIG sharing the first record's unit;
    labelled by series, and by metric too when there are several."""
    rows = [s for s in stats if s["figure"] == fig]
    if not rows:
        return [], ""
    unit = rows[0]["unit"]
    rows = [s for s in rows if s["unit"] == unit]
    metrics = list(dict.fromkeys(s["metric"] for s in rows))
    short = dict(zip(metrics, short_metrics(metrics)))
    # "idle/mirrorlive+meta" on two lines ("idle", "mirrorlive+meta"):
    # seven of them side by side overlap on one
    return [((s["series"].replace("/", "\n", 1) +
              ("\n" + short[s["metric"]] if len(metrics) > 1 else "")),
             (fig, s["series"], s["metric"]), None) for s in rows], unit


PLOT_FILES = ["bench.gp", "bench.png", "b12_norm.dat", "b3_copying.dat",
              "b4.dat", "b5.dat", "b6.dat", "b7.dat", "b8.dat", "b9.dat"]


def write_plot(outdir, stats):
    """Write bench.gp and its data files into OUTDIR, first removing those
    of an earlier report there: a stale picture must not pass for this
    one's."""
    for name in PLOT_FILES:
        if os.path.exists(os.path.join(outdir, name)):
            os.remove(os.path.join(outdir, name))
    copying = median_of(stats, ("B3", "brd/mirrorlive-copying", "copy_mibps"))
    resync = median_of(stats, ("B3", "brd/dm-mirror-resyncing", "copy_mibps"))
    raid = median_of(stats, ("B3", "brd/dm-raid-resyncing", "copy_mibps"))
    def copy_label(name, rate):
        return name + ("\ncopy %s MiB/s" % fmt_num(rate)
                       if rate is not None else "")
    b3 = [(copy_label("mirrorlive", copying),
           ("B3", "brd/mirrorlive-copying", "randwrite_iops"),
           ("B1", "brd/mirrorlive", "randwrite_iops")),
          (copy_label("dm-mirror", resync),
           ("B3", "brd/dm-mirror-resyncing", "randwrite_iops"),
           ("B1", "brd/dm-mirror", "randwrite_iops")),
          (copy_label("dm-raid", raid),
           ("B3", "brd/dm-raid-resyncing", "randwrite_iops"),
           ("B1", "brd/dm-raid", "randwrite_iops"))]
    panels = [panel_normalised(outdir, stats),
              panel_bars(outdir, stats, "b3_copying",
                         "(b) B3: brd write IOPS while copying / idle (B1)",
                         "relative to idle", b3, reference=True)]
    for letter, fig, what in (("c", "B4", "time to ready"),
                              ("d", "B5", "destination allocated"),
                              ("e", "B6", "pause at completion"),
                              ("f", "B7", "memory per TiB mirrored"),
                              ("g", "B8", "online verify"),
                              ("h", "B9", "32 mirrors at once")):
        items, unit = figure_items(stats, fig)
        title = "(%s) %s: %s" % (letter, fig, what)
        if not items:
            panels.append(panel_empty(title + " (not measured)"))
            continue
        panels.append(panel_bars(outdir, stats, fig.lower(), title,
                                 "median, " + unit, items))

    terminal = "pngcairo size 1400,2000 font 'sans,10'"
    if not gnuplot_has_pngcairo():
        terminal = "png size 1400,2000"
    gp = ["# Redraw with: cd <this directory> && gnuplot bench.gp",
          "set terminal %s noenhanced" % terminal,
          "set output 'bench.png'",
          "set multiplot layout 4,2 title %s" %
          gp_str("dm-mirrorlive benchmarks (medians; red dashes: targets)")]
    for p in panels:
        gp += [""] + p
    gp += ["", "unset multiplot", "set output"]
    with open(os.path.join(outdir, "bench.gp"), "w") as f:
        f.write("\n".join(gp) + "\n")


def gnuplot_has_pngcairo():
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return False
    try:
        r = subprocess.run([gnuplot, "-e", "set terminal pngcairo"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def draw_plot(outdir):
    """Run gnuplot on bench.gp in OUTDIR; True when bench.png was drawn.
    Never fatal: the tables are the report, the picture is a bonus."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        warn("gnuplot not found: bench.png not drawn "
             "(install gnuplot-nox; then: cd %s && gnuplot bench.gp)" % outdir)
        return False
    try:
        r = subprocess.run([gnuplot, "bench.gp"], cwd=outdir,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        warn("gnuplot failed: %s: bench.png not drawn" % e)
        return False
    if r.returncode != 0:
        if os.path.exists(os.path.join(outdir, "bench.png")):
            os.remove(os.path.join(outdir, "bench.png"))
        how = ("exited %d" % r.returncode if r.returncode > 0 else
               "was killed by signal %d" % -r.returncode)
        warn("gnuplot %s: bench.png not drawn (cd %s && gnuplot bench.gp)"
             "\n%s" % (how, outdir, r.stderr.strip()))
        return False
    return True


# ---------------------------------------------------------------- main

def write_outputs(outdir, info, stats, targets, comparisons, md):
    try:
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, "results.md"), "w") as f:
            f.write(md)
        with open(os.path.join(outdir, "results.json"), "w") as f:
            json.dump({"info": info, "figures": stats, "targets": targets,
                       "metadata_comparisons": comparisons}, f, indent=2)
            f.write("\n")
        write_plot(outdir, stats)
    except OSError as e:
        raise ReportError("cannot write %s: %s" %
                          (e.filename or outdir, e.strerror or e)) from e
    draw_plot(outdir)


def main(argv):
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Report the benchrec records of a make-bench TAP log: "
        "Markdown on stdout; with --out, results.md, results.json and "
        "bench.png (gnuplot) in DIR.",
        epilog="Exit status: 0 report written (missed targets included), "
        "1 unreadable log or no benchrec in it, 2 usage error.")
    ap.add_argument("log", metavar="LOG", help="TAP log; - for stdin")
    ap.add_argument("--out", metavar="DIR",
                    help="write results.md, results.json, bench.gp, *.dat "
                    "and bench.png here (created if missing)")
    args = ap.parse_args(argv)

    name = "<stdin>" if args.log == "-" else args.log
    try:
        info, records = parse_log(read_log(args.log), name)
        if not records:
            raise ReportError("%s: no '# benchrec' records" % name)
        stats = summarise(records)
        targets = evaluate_targets(stats)
        comparisons = meta_comparisons(stats)
        md = markdown(info, stats, targets, comparisons)
        if args.out:
            write_outputs(args.out, info, stats, targets, comparisons, md)
    except ReportError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
