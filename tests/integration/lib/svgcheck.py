#!/usr/bin/env python3
"""svgcheck.py - check an SVG of `pronostic surv --plot` against the CSV rows the same command
printed: the document is well-formed XML, has one curve per stratum (in the order of the rows),
and each row's (time, surv) is a vertex of its stratum's curve, (time, upper) and (time, lower)
vertices of its band, on the scale the axes show (the x ticks' labels and positions, the y axis
from 0 % at the bottom to 100 % at the top). Prints one line per failure; exit 1 on any.
usage: svgcheck.py PLOT.svg ROWS.csv DAYS_PER_X_UNIT"""
import csv
import re
import sys
import xml.dom.minidom

svg_path, rows_path, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
doc = xml.dom.minidom.parse(svg_path)  # raises on a document that is not well-formed
root = doc.documentElement
fails = []
if root.getAttribute("role") != "img" or not root.getElementsByTagName("title"):
    fails.append("no role=img or no <title>")
if doc.getElementsByTagName("script"):
    fails.append("a <script> element")


def vertices(d):
    out, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r"([MLHVZ])([^MLHVZ]*)", d):
        nums = [float(v) for v in args.split()]
        if cmd in "ML":
            x, y = nums
        elif cmd == "H":
            x = nums[0]
        elif cmd == "V":
            y = nums[0]
        else:
            continue
        out.append((x, y))
    return out


paths = root.getElementsByTagName("path")
axes = [p for p in paths if p.getAttribute("class") == "axes"][0]
left, top, bottom, right = [float(v) for v in
                            re.match(r"M(\S+) (\S+)V(\S+)H(\S+)$", axes.getAttribute("d")).groups()]
ticks = [(float(t.firstChild.data.replace(",", ".").replace("\u202f", "")), float(t.getAttribute("x")))
         for t in root.getElementsByTagName("text") if t.getAttribute("class") == "xtick"]
if len(ticks) < 2 or ticks[0][0] != 0 or abs(ticks[0][1] - left) > 0.05:
    fails.append("x ticks do not start at 0 on the left edge: %r" % ticks[:2])
px_per_unit = (ticks[-1][1] - ticks[0][1]) / (ticks[-1][0] - ticks[0][0])
for v, x in ticks:
    if abs(left + v * px_per_unit - x) > 0.1:
        fails.append("x tick %g at %g is not on a linear scale" % (v, x))
half = [t for t in root.getElementsByTagName("text")
        if t.getAttribute("class") == "ytick" and t.firstChild.data == "50 %"]
if not half or abs(float(half[0].getAttribute("y")) - 4 - (top + bottom) / 2) > 0.1:
    fails.append("the y tick 50 % is not half way up")


def px(days):
    return left + days / scale * px_per_unit


def py(s):
    return bottom - min(max(s, 0.0), 1.0) * (bottom - top)


curves = [p for p in paths if p.getAttribute("class") == "curve"]
bands = {}
for p in paths:
    if p.getAttribute("class") == "band":
        bands.setdefault(int(p.getAttribute("data-series")), []).extend(vertices(p.getAttribute("d")))
rows = list(csv.DictReader(open(rows_path)))
strata = list(dict.fromkeys(r["stratum"] for r in rows))
if len(curves) != len(strata):
    fails.append("%d curves for %d strata" % (len(curves), len(strata)))
legend = [t.firstChild.data for g in root.getElementsByTagName("g") if g.getAttribute("class") == "legend"
          for t in g.getElementsByTagName("text")]
if legend != strata:
    fails.append("legend %r, strata %r" % (legend, strata))


def near(pt, pts, tol=0.1):  # 0.05 of rounding, as much from the ticks' rounded positions
    return any(abs(pt[0] - a) <= tol and abs(pt[1] - b) <= tol for a, b in pts)


checked = 0
for k, name in enumerate(strata):
    if k >= len(curves):
        break
    curve = vertices(curves[k].getAttribute("d"))
    if not near((left, top), curve[:1]):
        fails.append("%s: the curve does not start at (0, 100 %%)" % name)
    band = bands.get(k, [])
    for r in (r for r in rows if r["stratum"] == name):
        t, s = float(r["time"]), float(r["surv"])
        if not near((px(t), py(s)), curve):
            fails.append("%s: time %s surv %s: no vertex at (%.2f, %.2f)" % (name, r["time"], r["surv"], px(t), py(s)))
        for col in ("lower", "upper"):
            if r[col] != "" and r["lower"] != "" and r["upper"] != "":
                if not near((px(t), py(float(r[col]))), band):
                    fails.append("%s: time %s %s %s: no band vertex" % (name, r["time"], col, r[col]))
        checked += 1
if checked == 0:
    fails.append("no row checked")
for f in fails[:20]:
    print("svgcheck: " + f)
sys.exit(1 if fails else 0)
