#!/usr/bin/python3
"""concurrent.py - many callers at once against a running `pronostic serve` (run by
tests/integration/serve_threads.sh, also under ThreadSanitizer): THREADS threads each make
ROUNDS mixed requests (a cached report, uncached curves with another conf each, the curves'
SVG, the map, the pathway, cases with an API token, a login, its session and logout, the
audit), while the main thread runs CHANGES (shell commands: an import, an account added) in
between. Every answer must be its expected status; the exit code is the number of failures
(capped at 100).

Usage: concurrent.py BASE_URL ACCOUNTS_JSON THREADS ROUNDS [CHANGE...]"""
import http.client
import json
import random
import subprocess
import sys
import threading
import urllib.parse

BASE, ACC = sys.argv[1], json.load(open(sys.argv[2]))
THREADS, ROUNDS = int(sys.argv[3]), int(sys.argv[4])
CHANGES = sys.argv[5:]
U = urllib.parse.urlparse(BASE)
lock = threading.Lock()
failures = []


def req(method, path, body=None, headers=None):
    c = http.client.HTTPConnection(U.hostname, U.port, timeout=300)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    out = (r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    c.close()
    return out


def expect(status, want, what):
    if status not in want:
        with lock:
            failures.append(f"{what}: {status}")


def worker(n):
    rnd = random.Random(n)
    tok = {"Authorization": "Bearer " + ACC["analyst"]["token"]}
    for i in range(ROUNDS):
        k = (n + i) % 8
        if k == 0:
            s, _, _ = req("GET", "/api/v1/report?site=lung")
            expect(s, (200,), "report")
        elif k == 1:
            s, _, _ = req("GET", f"/api/v1/surv?site=lung&by=sex&conf=0.9{n:02d}{i:05d}")
            expect(s, (200,), "surv")
        elif k == 2:
            s, _, _ = req("GET", f"/api/v1/surv.svg?site=liver&conf=0.8{n:02d}{i:05d}")
            expect(s, (200,), "surv.svg")
        elif k == 3:
            s, _, _ = req("GET", rnd.choice(["/api/v1/map?measure=net_std_5y&site=lung",
                                             "/api/v1/map?measure=pathway:rupture"]))
            expect(s, (200,), "map")
        elif k == 4:
            s, _, _ = req("GET", "/api/v1/pathway?site=lung")
            expect(s, (200,), "pathway")
        elif k == 5:
            s, _, _ = req("GET", f"/api/v1/cases?site=lung&limit=20&offset={i}", headers=tok)
            expect(s, (200,), "cases")
        elif k == 6:
            a = ACC["researcher"]
            s, h, b = req("POST", "/api/v1/login", body={"user": a["user"], "password": a["password"]})
            expect(s, (200,), "login")
            if s == 200:
                cookie = {"Cookie": h["set-cookie"].split(";")[0]}
                s, _, _ = req("GET", "/api/v1/session", headers=cookie)
                expect(s, (200,), "session")
                s, _, _ = req("POST", "/api/v1/logout", body={},
                              headers={**cookie, "X-CSRF-Token": json.loads(b)["csrf"]})
                expect(s, (200,), "logout")
        else:
            s, _, _ = req("GET", "/api/v1/audit?limit=5",
                          headers={"Authorization": "Bearer " + ACC["admin"]["token"]})
            expect(s, (200,), "audit")


threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for cmd in CHANGES:
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if out.returncode not in (0, 3):
        failures.append(f"{cmd}: exit {out.returncode}: {out.stderr[:200]}")
for t in threads:
    t.join()
for f in failures[:20]:
    print("FAIL:", f, file=sys.stderr)
print(f"concurrent: {THREADS} threads x {ROUNDS} requests, {len(failures)} failure(s)", file=sys.stderr)
sys.exit(min(len(failures), 100))
