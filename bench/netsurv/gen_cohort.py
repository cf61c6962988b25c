#!/usr/bin/env python3
"""gen_cohort.py - write a synthetic French cohort for bench/netsurv: N patients of the seven
poor-prognosis sites diagnosed 2000-2019, followed to 2019-12-31.
usage: gen_cohort.py N OUT.csv [SEED]"""
import csv, datetime, math, random, sys

n = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
rng = random.Random(seed)
# site: (share, yearly excess hazard, mean age)
sites = {"pancreas": (0.22, 1.3, 70), "oesophagus": (0.08, 0.9, 67), "liver": (0.16, 1.0, 68),
         "lung": (0.38, 0.8, 66), "cns": (0.06, 0.7, 58), "ovary": (0.06, 0.35, 63),
         "aml": (0.04, 0.9, 65)}
names = list(sites); weights = [sites[s][0] for s in names]
start = datetime.date(2000, 1, 1).toordinal(); close = datetime.date(2019, 12, 31).toordinal()
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "site", "sex", "age", "diag", "period", "time", "status"])
    for i in range(n):
        s = rng.choices(names, weights)[0]
        share, exc, mage = sites[s]
        sex = "F" if s == "ovary" else rng.choice("MF")
        age = min(99.9, max(18.0, rng.gauss(mage, 11)))
        d = rng.randrange(start, close - 30)
        year = datetime.date.fromordinal(d).year
        improve = 1 - 0.01 * (year - 2000)           # survival improves over the years
        pop = 1e-4 * math.exp(0.09 * (age - 40))      # yearly population hazard (rough)
        t = rng.expovariate((exc * improve + pop) / 365.241)
        cens = close - d
        status = 1 if t < cens else 0
        time = max(1, round(min(t, cens)))
        period = "%d-%d" % (2000 + 5 * ((year - 2000) // 5), 2004 + 5 * ((year - 2000) // 5))
        w.writerow([i + 1, s, sex, "%.2f" % age, datetime.date.fromordinal(d).isoformat(), period,
                    time, status])
