#!/usr/bin/python3
"""api_test.py - HTTP integration tests of `pronostic serve` (docs/api.md), run by
tests/integration/serve_api.sh against a running server on 127.0.0.1.

Every response is checked against web/openapi.json (the schema of its path and status) and for
the secure headers; the figures are compared with the command line's on the same store; every
role's limits, bad parameters, SQL metacharacters, oversized and malformed bodies, path
traversal in static files, sessions, CSRF and the audit are tried. Each failure is printed;
the exit code is the number of failures (capped at 100).

Usage: api_test.py BASE_URL STORE PRONOSTIC WORKDIR [ACCOUNTS_FILE]"""
import csv
import http.client
import io
import json
import os
import subprocess
import sys
import time
import urllib.parse

import jsonschema

BASE, DB, PN, WORK = sys.argv[1:5]
ACCOUNTS = json.load(open(sys.argv[5])) if len(sys.argv) > 5 else {}
HOST = urllib.parse.urlparse(BASE).hostname
PORT = urllib.parse.urlparse(BASE).port
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DOC = json.load(open(os.path.join(ROOT, "web", "openapi.json")))
K = 10
failures = 0
checked_paths = set()


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg, file=sys.stderr)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def request(method, path, body=None, headers=None, raw_path=False):
    """One request on a fresh connection; path is sent as is (no normalisation)."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
    h = dict(headers or {})
    if body is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/json"
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in h.items():
        conn.putheader(k, v)
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
    else:
        conn.endheaders()
    r = conn.getresponse()
    out = Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    conn.close()
    check_common(method, path, out)
    return out


def url(path, **params):
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


RESOLVER = jsonschema.RefResolver.from_schema(DOC)


def check_common(method, path, r):
    """The secure headers; no CORS; an error is JSON with the Error schema; an API answer
    matches its OpenAPI schema."""
    h = r.headers
    p = urllib.parse.urlparse(path).path
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        check(name in h, f"{method} {path}: no {name} header")
    csp = h.get("content-security-policy", "")
    check("frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp,
          f"{method} {path}: CSP {csp!r}")
    check("access-control-allow-origin" not in h, f"{method} {path}: a CORS header")
    if not p.startswith("/api/"):
        return
    check(h.get("cache-control") == "no-store", f"{method} {path}: Cache-Control {h.get('cache-control')}")
    ctype = h.get("content-type", "")
    if r.status >= 400:
        try:
            jsonschema.validate(r.json(), DOC["components"]["schemas"]["Error"])
            check(r.json()["error"]["status"] == r.status, f"{path}: error status differs")
        except Exception as e:  # noqa: BLE001 - any failure to parse is a failure
            fail(f"{method} {path}: error body is not the Error schema: {e}: {r.body[:200]!r}")
        return
    op = DOC["paths"].get(p, {}).get(method.lower())
    if not check(op is not None, f"{method} {p}: not in openapi.json"):
        return
    checked_paths.add((method, p))
    if "json" in ctype:
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        try:
            jsonschema.validate(r.json(), schema, resolver=RESOLVER)
        except jsonschema.ValidationError as e:
            fail(f"{method} {path}: response does not match openapi.json: {e.message} at {list(e.path)}")
    else:
        kind = ctype.split(";")[0]
        check(kind in op["responses"]["200"]["content"], f"{method} {path}: {ctype} not in openapi.json")


def cli(*args):
    out = subprocess.run([PN, *args], capture_output=True, text=True, env={**os.environ})
    if out.returncode != 0:
        fail(f"pronostic {' '.join(args)}: exit {out.returncode}: {out.stderr[:300]}")
    return out.stdout


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


COUNT_FIELDS = ("n", "events", "n_risk", "n_event", "n_censor", "numerator", "denominator", "count")


def no_small_counts(obj, where):
    """No count field from 1 to K-1 anywhere in a JSON document."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in COUNT_FIELDS and isinstance(v, (int, float)) and 1 <= v < K:
                fail(f"{where}: {k} = {v} is below the threshold {K}")
            no_small_counts(v, where)
    elif isinstance(obj, list):
        for v in obj:
            no_small_counts(v, where)


def same_number(a, b):
    if a in ("", None) and b in ("", None):
        return True
    try:
        return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


# ---- the public endpoints ------------------------------------------------------------------

def test_meta():
    r = request("GET", "/api/v1/health")
    check(r.status == 200 and r.json()["status"] == "ok", f"health: {r.status} {r.body[:100]!r}")
    r = request("GET", "/api/v1/openapi.json")
    check(r.status == 200 and r.json() == DOC, "openapi.json served is not web/openapi.json")
    gen = subprocess.run([sys.executable, os.path.join(ROOT, "tests/integration/serve/make_openapi.py")],
                         capture_output=True, text=True).stdout
    check(json.loads(gen) == DOC, "web/openapi.json is not make_openapi.py's output: regenerate it")
    r = request("GET", "/")
    check(r.status == 200 and b"<html" in r.body.lower(), "GET / is not the dashboard")
    check(r.headers.get("content-type", "").startswith("text/html"), "GET /: not text/html")


def test_report():
    for params in ({}, {"site": "lung", "by": "sex"}, {"by": "region", "site": "liver"},
                   {"site": "pancreas", "from": "2005", "to": "2019"}):
        r = request("GET", url("/api/v1/report", **params))
        if not check(r.status == 200, f"report {params}: {r.status} {r.body[:200]!r}"):
            continue
        doc = r.json()
        check(doc["protected"] is True and doc["min_cell"] == K, f"report {params}: not protected")
        no_small_counts(doc, f"report {params}")
        args = ["report", "--db", DB, "--format", "csv"]
        for k, v in params.items():
            args += ["--" + k, v]
        rows = csv_rows(cli(*args))
        check(len(rows) == len(doc["rows"]), f"report {params}: {len(doc['rows'])} rows, CLI {len(rows)}")
        for a, b in zip(doc["rows"], rows):
            for f in ("site", "period", "sex", "measure", "suppressed"):
                check((a[f] or "") == b[f], f"report {params}: {f} {a[f]!r} vs CLI {b[f]!r}")
            for f in ("estimate", "lower", "upper", "n", "events", "horizon_years"):
                check(same_number(a[f], b[f]), f"report {params}: {f} {a[f]!r} vs CLI {b[f]!r}")
        c = request("GET", url("/api/v1/report", format="csv", **params))
        check(c.status == 200 and c.headers["content-type"].startswith("text/csv"), "report csv")
        check(csv_rows(c.body.decode()) == rows, f"report {params}: CSV differs from the CLI's")


def test_surv():
    for params in ({"site": "lung"}, {"site": "lung", "by": "sex"}, {"site": "ovary", "by": "period"}):
        r = request("GET", url("/api/v1/surv", **params))
        if not check(r.status == 200, f"surv {params}: {r.status} {r.body[:200]!r}"):
            continue
        doc = r.json()
        no_small_counts(doc, f"surv {params}")
        for g in doc["groups"]:
            for p in g["points"]:
                check(p["n_risk"] is not None and p["n_risk"] >= K,
                      f"surv {params}: a point with {p['n_risk']} at risk")
        # the published points are the curve at the grid times: as the CLI gives them there
        g = doc["groups"][0]
        times = [p["time"] for p in g["points"]][:40]
        if not times:
            continue
        args = ["surv", "--db", DB, "--format", "csv", "--at", ",".join(repr(t) for t in times)]
        for k, v in params.items():
            args += ["--" + k, v]
        rows = [x for x in csv_rows(cli(*args)) if x["stratum"] == ("all" if "by" not in params else g["group"])]
        check(len(rows) == len(times), f"surv {params}: {len(rows)} CLI rows for {len(times)} times")
        for p, x in zip(g["points"], rows):
            check(same_number(p["estimate"], x["surv"]) and same_number(p["lower"], x["lower"])
                  and same_number(p["upper"], x["upper"]) and same_number(p["n_risk"], x["n_risk"]),
                  f"surv {params} at {p['time']}: {p} vs CLI {x}")


def test_pathway():
    for params in ({"site": "lung"}, {"by": "sex", "indicator": "rupture"}):
        r = request("GET", url("/api/v1/pathway", **params))
        if not check(r.status == 200, f"pathway {params}: {r.status} {r.body[:200]!r}"):
            continue
        doc = r.json()
        no_small_counts(doc, f"pathway {params}")
        args = ["pathway", "--db", DB, "--format", "csv"]
        for k, v in params.items():
            args += ["--" + k, v]
        rows = csv_rows(cli(*args))
        check(len(rows) == len(doc["rows"]), f"pathway {params}: {len(doc['rows'])} rows, CLI {len(rows)}")
        for a, b in zip(doc["rows"], rows):
            for f in ("indicator", "site", "group"):
                check(a[f] == b[f], f"pathway {params}: {f} {a[f]!r} vs {b[f]!r}")
            for f in ("numerator", "denominator", "estimate", "lower", "upper", "benchmark"):
                check(same_number(a[f], b[f]), f"pathway {params}: {f} {a[f]!r} vs CLI {b[f]!r}")


# ---- bad input ---------------------------------------------------------------------------

ENDPOINT_PARAMS = {
    "/api/v1/report": ["site", "from", "to", "sex", "region", "departement", "by", "periods", "closing",
                       "conf", "min_cell", "no_suppress", "format"],
    "/api/v1/surv": ["site", "from", "to", "sex", "ages", "departement", "region", "closing", "by", "conf",
                     "min_cell", "no_suppress", "format"],
    "/api/v1/pathway": ["indicator", "site", "by", "from", "to", "min_cell", "no_suppress", "format"],
}
HOSTILE = ["'; DROP TABLE patients; --", "1 OR 1=1", "\" OR \"\"=\"", "lung' UNION SELECT * FROM audit --",
           "%", "*", "../../etc/passwd", "<script>alert(1)</script>", "9" * 400, "-1", "1e309", "NaN",
           "\u00e9\u00e8", "\x7f"]


def test_bad_params():
    for path, names in ENDPOINT_PARAMS.items():
        r = request("GET", url(path, nope="1"))
        check(r.status == 400 and r.json()["error"].get("parameter") == "nope", f"{path}: unknown parameter: {r.status}")
        r = request("GET", path + "?site=lung&site=lung")
        check(r.status == 400 and r.json()["error"].get("parameter") == "site", f"{path}: repeated parameter: {r.status}")
        r = request("GET", path + "?site=")
        check(r.status == 400, f"{path}: empty value: {r.status}")
        r = request("GET", path + "?site=lung%00x")
        check(r.status == 400, f"{path}: NUL in a value: {r.status}")
        r = request("GET", path + "?" + "&".join(f"p{i}=1" for i in range(40)))
        check(r.status == 400, f"{path}: 40 parameters: {r.status}")
        for name in names:
            for v in HOSTILE:
                r = request("GET", url(path, **{name: v}))
                ok = 400 <= r.status < 500
                check(ok, f"{path}?{name}={v[:30]!r}: status {r.status}")
                if ok and r.status == 400:
                    param = r.json()["error"].get("parameter")
                    check(param in (name, None), f"{path}?{name}: the error names {param!r}")
                check(b"SQLITE" not in r.body.upper() and b"/tmp/" not in r.body,
                      f"{path}?{name}: the error leaks internals: {r.body[:200]!r}")
    r = request("GET", "/api/v1/report?" + "site=lung&" + "x" * 5000 + "=1")
    check(r.status in (400, 414, 431), f"long URL: {r.status}")
    r = request("GET", "/api/v1/nope")
    check(r.status == 404, f"unknown endpoint: {r.status}")
    r = request("DELETE", "/api/v1/report")
    check(r.status == 405, f"DELETE report: {r.status}")
    # the store is intact after all that: the report is the same as before
    r = request("GET", "/api/v1/health")
    check(r.status == 200, "the server died under bad parameters")


def test_static_traversal():
    for path in ("/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd", "/..%2fetc%2fpasswd",
                 "/index.html%00.js", "/%00", "/.git/config", "/..\\..\\etc\\passwd", "/web/../../etc/passwd",
                 "//etc/passwd", "/%252e%252e/etc/passwd", "/openapi.json/..", "/.hidden"):
        r = request("GET", path)
        check(400 <= r.status < 500, f"GET {path}: status {r.status}")
        check(b"root:" not in r.body and b"[core]" not in r.body, f"GET {path}: leaked a file")
    r = request("POST", "/index.html", body=b"x")
    check(r.status == 405, f"POST to a file: {r.status}")


def test_bodies():
    r = request("POST", "/api/v1/login", body=b"x" * 20000)
    check(r.status == 413, f"oversized body: {r.status}")
    for body in (b"{", b"[]", b"null", b"{\"user\": 1, \"password\": []}", b"\xff\xfe", b"{\"user\": \"a\"}"):
        r = request("POST", "/api/v1/login", body=body)
        check(r.status == 400, f"malformed login body {body[:20]!r}: {r.status}")


# ---- roles, sessions, tokens and the audit -------------------------------------------------

def cookie_of(r):
    """The pn_session value set by a response, and its attributes."""
    c = r.headers.get("set-cookie", "")
    if not c.startswith("pn_session="):
        return None, c
    return c.split(";")[0][len("pn_session="):], c


def login(role, expect=200):
    """Log in the test's account of `role`: (session headers, csrf), or None when refused."""
    a = ACCOUNTS[role]
    r = request("POST", "/api/v1/login", body={"user": a["user"], "password": a["password"]})
    if not check(r.status == expect, f"login {role}: {r.status} {r.body[:200]!r}") or expect != 200:
        return None
    sid, attrs = cookie_of(r)
    check(sid and "HttpOnly" in attrs and "SameSite=Strict" in attrs and "Path=/" in attrs
          and "Secure" not in attrs, f"login {role}: cookie {attrs!r}")
    doc = r.json()
    check(doc["user"] == a["user"] and doc["role"] == role.rstrip("2") and len(doc["csrf"]) >= 20,
          f"login {role}: body {doc}")
    return {"Cookie": f"pn_session={sid}"}, doc["csrf"]


def cases(headers, **params):
    r = request("GET", url("/api/v1/cases", **params), headers=headers)
    return r, (r.json() if r.status == 200 else None)


def source_tumours(source):
    """The tumours of the patients `source` sent, read from the store itself."""
    import sqlite3
    db = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    rows = db.execute("SELECT t.tid FROM tumours t WHERE t.pid IN (SELECT o.pid FROM patient_obs o"
                      " JOIN sources s ON s.id = o.source WHERE s.name = ?)", (source,)).fetchall()
    db.close()
    return {r[0] for r in rows}


# aggregate queries a caller below analyst must always receive protected; the small ones
# (a département, a narrow age band, a rare site by region) are where small counts would be
SMALL = [("/api/v1/surv", {"site": "ovary", "by": "region"}),
         ("/api/v1/surv", {"site": "lung", "ages": "15-39", "by": "sex"}),
         ("/api/v1/surv", {"site": "liver", "departement": "75", "by": "sex"}),
         ("/api/v1/surv", {"site": "aml", "by": "period"}),
         ("/api/v1/report", {"site": "ovary", "by": "region"}),
         ("/api/v1/report", {"site": "cns", "departement": "13"}),
         ("/api/v1/pathway", {"by": "region"}),
         ("/api/v1/pathway", {"site": "aml", "by": "agegroup"}),
         ("/api/v1/pathway", {"by": "departement"}),
         ("/api/v1/map", {"measure": "pathway:rupture", "level": "departement"})]


def protected_answers(who, headers):
    """Every SMALL query as `who`: a 200 or a 403 for a fine selection the role may not make,
    never a count below K nor a curve point with fewer than K at risk."""
    for path, params in SMALL:
        fine = "ages" in params or "departement" in params
        r = request("GET", url(path, **params), headers=headers)
        if who == "public" and fine and path == "/api/v1/surv":
            check(r.status == 403, f"{who} {path} {params}: {r.status}, not 403")
            continue
        if not check(r.status == 200, f"{who} {path} {params}: {r.status} {r.body[:200]!r}"):
            continue
        doc = r.json()
        no_small_counts(doc, f"{who} {path} {params}")
        for g in doc.get("groups", []):
            for p in g["points"]:
                check(p["n_risk"] is not None and p["n_risk"] >= K,
                      f"{who} {path} {params}: a point with {p['n_risk']} at risk")


def test_roles():
    public = {}
    res, res_csrf = login("researcher")
    ana, ana_csrf = login("analyst")
    ana2, _ = login("analyst2")
    adm, adm_csrf = login("admin")
    r = request("POST", "/api/v1/login", body={"user": ACCOUNTS["analyst"]["user"], "password": "wrong-password-x"})
    check(r.status == 401 and cookie_of(r)[0] is None, f"wrong password: {r.status}")
    r = request("POST", "/api/v1/login", body={"user": "nobody-at-all", "password": "wrong-password-x"})
    check(r.status == 401, f"unknown account: {r.status}")
    for who, h in (("public", public), ("researcher", res), ("analyst", ana), ("admin", adm)):
        r = request("GET", "/api/v1/session", headers=h)
        check(r.status == 200 and r.json()["role"] == who, f"session of {who}: {r.body[:200]!r}")
    # the public and researchers: always protected, never patient-level rows
    protected_answers("public", public)
    protected_answers("researcher", res)
    for who, h, status in (("public", public, 401), ("researcher", res, 403)):
        for path in ("/api/v1/cases", "/api/v1/cases?site=lung", "/api/v1/audit", "/api/v1/users"):
            r = request("GET", path, headers=h)
            check(r.status == status and b"tumour" not in r.body and b"rows" not in r.body,
                  f"{who} GET {path}: {r.status} {r.body[:100]!r}")
        for path in ("/api/v1/report?no_suppress=1", "/api/v1/surv?site=lung&no_suppress=1",
                     "/api/v1/pathway?no_suppress=1"):
            r = request("GET", path, headers=h)
            check(r.status == 403 and r.json()["error"].get("parameter") == "no_suppress",
                  f"{who} GET {path}: {r.status}")
        r = request("GET", "/api/v1/surv?site=lung&min_cell=3", headers=h)
        check(r.status == 400 and r.json()["error"].get("parameter") == "min_cell",
              f"{who}: min_cell below the server's: {r.status}")
    for fine in ({"ages": "50-70"}, {"departement": "75"}):
        r = request("GET", url("/api/v1/surv", site="lung", **fine), headers=public)
        check(r.status == 403 and r.json()["error"].get("parameter") == list(fine)[0],
              f"public surv {fine}: {r.status}")
        r = request("GET", url("/api/v1/surv", site="lung", **fine), headers=res)
        check(r.status == 200, f"researcher surv {fine}: {r.status}")
    # the public's cached answer is not a researcher's: the 403 above did not stick
    r = request("GET", "/api/v1/surv?site=lung&ages=50-70", headers=public)
    check(r.status == 403, f"public after the researcher: {r.status}")

    # analysts: patient-level rows of their own sources only; administrators: everyone's
    r, a1 = cases(ana, site="lung", limit=10000)
    r2, a2 = cases(ana2, site="lung", limit=10000)
    r3, ad = cases(adm, site="lung", limit=10000)
    if check(a1 and a2 and ad, f"cases: {r.status} {r2.status} {r3.status}"):
        s1 = {x["tumour"] for x in a1["rows"]}
        s2 = {x["tumour"] for x in a2["rows"]}
        sa = {x["tumour"] for x in ad["rows"]}
        check(a1["count"] == len(s1) and ad["count"] == len(sa), "cases: count is not the rows'")
        check(0 < len(s1) < len(sa) and 0 < len(s2) < len(sa), f"cases: {len(s1)}, {len(s2)}, admin {len(sa)}")
        own1, own2 = source_tumours("default"), source_tumours("second")
        check(s1 <= own1 and s2 <= own2, "an analyst received a tumour that none of their sources sent")
        check(sa & own1 <= s1, "an analyst missed a tumour of their source")
        check(s1 | s2 == sa, "the two sources' analysts together do not see the administrator's rows")
        check(all(x["site"] == "lung" for x in ad["rows"]), "cases?site=lung gave another site")
        check(not any(k in json.dumps(ad) for k in ("P0", "source_id", "nir")), "cases leak a source id")
    # paging
    r, p1 = cases(ana, site="lung", limit=5, offset=0)
    r, p2 = cases(ana, site="lung", limit=5, offset=5)
    if check(p1 and p2 and a1, "cases paging"):
        check([x["tumour"] for x in p1["rows"] + p2["rows"]] == [x["tumour"] for x in a1["rows"][:10]],
              "cases: limit/offset pages are not the whole list's")
    for bad in ({"limit": "0"}, {"limit": "10001"}, {"offset": "-1"}, {"limit": "x"}):
        r, _ = cases(ana, **bad)
        check(r.status == 400 and r.json()["error"].get("parameter") == list(bad)[0], f"cases {bad}: {r.status}")
    r = request("GET", "/api/v1/audit", headers=ana)
    check(r.status == 403, f"analyst GET audit: {r.status}")
    # an analyst's figures without disclosure control: given, and audited
    r = request("GET", "/api/v1/surv?site=lung&by=sex&no_suppress=1", headers=ana)
    check(r.status == 200, f"analyst no_suppress: {r.status}")

    # API tokens: the analyst's token reads cases without a cookie nor a CSRF token
    tok = {"Authorization": "Bearer " + ACCOUNTS["analyst"]["token"]}
    r, t1 = cases(tok, site="lung", limit=10000)
    check(t1 is not None and t1["count"] == a1["count"], f"token cases: {r.status}")
    r, _ = cases(tok, site="lung", limit=10000)   # the second use: the verified token's cache
    check(r.status == 200, f"token cases again: {r.status}")
    for bad in ("Bearer pnt_0000000000000000_" + "A" * 43, "Bearer nonsense", "Basic YTpi", "Bearer " + "x" * 200):
        r = request("GET", "/api/v1/cases", headers={"Authorization": bad})
        check(r.status == 401, f"Authorization {bad[:30]!r}: {r.status}")

    # the audit holds each patient-level read, who made it and how many rows it gave
    r = request("GET", "/api/v1/audit?limit=1000", headers=adm)
    if check(r.status == 200, f"admin audit: {r.status}"):
        rows = r.json()["rows"]
        # who: the account and the address it came from
        reads = [(x["who"].split("@")[0], x["rows"]) for x in rows if x["action"] == "read-cases"]
        check(all(x["who"].endswith("@" + HOST) for x in rows if x["action"] == "read-cases"),
              "the audit does not say where a read came from")
        want = [(ACCOUNTS["analyst"]["user"], a1["count"]), (ACCOUNTS["analyst2"]["user"], a2["count"]),
                (ACCOUNTS["admin"]["user"], ad["count"]), (ACCOUNTS["analyst"]["user"], 5),
                (ACCOUNTS["analyst"]["user"], 5), (ACCOUNTS["analyst"]["user"], a1["count"]),
                (ACCOUNTS["analyst"]["user"], a1["count"])]
        for w in want:
            check(reads.count(w) >= want.count(w), f"the audit lacks the read {w}: {reads[:12]}")
        check(len(reads) == len(want), f"the audit has {len(reads)} reads of cases, the test made {len(want)}")
        check(any(x["action"] == "no-suppress" and x["who"].split("@")[0] == ACCOUNTS["analyst"]["user"] for x in rows),
              "the audit lacks the analyst's no_suppress")
        mine = request("GET", url("/api/v1/audit", who=ACCOUNTS["analyst2"]["user"], action="read-cases"), headers=adm)
        check(mine.status == 200 and [(x["who"], x["rows"]) for x in mine.json()["rows"]]
              == [(ACCOUNTS["analyst2"]["user"] + "@" + HOST, a2["count"])],
              f"audit?who= does not find the account's reads: {mine.body[:300]!r}")
        cli_rows = csv_rows(cli("audit", "--db", DB, "--action", "read-cases", "--format", "csv"))
        check(len(cli_rows) == len(reads), f"pronostic audit lists {len(cli_rows)} reads, the API {len(reads)}")
    r = request("GET", "/api/v1/users", headers=adm)
    if check(r.status == 200, f"admin users: {r.status}"):
        check(b"argon2" not in r.body and b"$" not in r.body, "users: a hash leaked")
        names = {u["name"]: u for u in r.json()["rows"]}
        check(names.get(ACCOUNTS["analyst"]["user"], {}).get("sources") == ["default"], f"users: {names}")

    # CSRF: a POST with a session cookie needs that session's token, and no other origin
    for h in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": adm_csrf},
              {"X-CSRF-Token": res_csrf + "x"}):
        r = request("POST", "/api/v1/logout", body=b"", headers={**res, **h})
        check(r.status == 403, f"logout with {list(h.values())[:1]}: {r.status}")
    r = request("GET", "/api/v1/session", headers=res)
    check(r.status == 200 and r.json()["role"] == "researcher", "a refused logout closed the session")
    for origin in ("http://evil.example", "null", f"http://{HOST}:{PORT}.evil.example"):
        r = request("POST", "/api/v1/login", headers={"Origin": origin},
                    body={"user": ACCOUNTS["researcher"]["user"], "password": ACCOUNTS["researcher"]["password"]})
        check(r.status == 403 and cookie_of(r)[0] is None, f"login from Origin {origin}: {r.status}")
        r = request("POST", "/api/v1/logout", body=b"", headers={**res, "X-CSRF-Token": res_csrf, "Origin": origin})
        check(r.status == 403, f"logout from Origin {origin}: {r.status}")
    r = request("POST", "/api/v1/logout", body=b"", headers={**res, "X-CSRF-Token": res_csrf,
                                                             "Origin": f"http://{HOST}:{PORT}"})
    check(r.status == 200 and cookie_of(r)[0] == "" and "Max-Age=0" in cookie_of(r)[1], f"logout: {r.status}")
    r = request("GET", "/api/v1/session", headers=res)
    check(r.status == 401, f"the closed session still works: {r.status}")
    r = request("GET", "/api/v1/session", headers={"Cookie": "pn_session=" + "A" * 43})
    check(r.status == 401 and "Max-Age=0" in r.headers.get("set-cookie", ""), f"unknown session: {r.status}")


# ---- on a second server (API_TEST_SET=sessions): --session-idle 1 --------------------------

def wait_until(cond, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def test_expiry():
    h, _ = login("researcher")
    r = request("GET", "/api/v1/session", headers=h)
    check(r.status == 200 and r.json()["role"] == "researcher", "a fresh session")
    time.sleep(2.5)
    r = request("GET", "/api/v1/session", headers=h)
    check(r.status == 401 and "Max-Age=0" in r.headers.get("set-cookie", ""), f"an idle session: {r.status}")


def test_follow():
    """A removed or disabled account's session, one opened before a new password, and a revoked
    token stop working without a restart; other sessions live on."""
    h, _ = login("analyst2")
    check(cases(h, site="lung")[0].status == 200, "analyst2 before the removal")
    tok = {"Authorization": "Bearer " + ACCOUNTS["analyst"]["token"]}
    check(cases(tok, site="lung")[0].status == 200, "the token before its revocation")
    cli("user", "remove", ACCOUNTS["analyst2"]["user"], "--db", DB)
    check(wait_until(lambda: cases(h, site="lung")[0].status == 401, 5),
          "the session of a removed account still reads cases")
    cli("user", "revoke", ACCOUNTS["analyst"]["token"][4:20], "--db", DB)
    check(wait_until(lambda: cases(tok, site="lung")[0].status == 401, 5),
          "a revoked token still reads cases")
    # a new password ends the sessions the old one opened; the new one logs in
    r, _ = login("researcher")
    new = "a-new-password-" + str(int(time.time()))
    out = subprocess.run([PN, "user", "passwd", ACCOUNTS["researcher"]["user"], "--db", DB, "--password-stdin"],
                         input=new + "\n", capture_output=True, text=True)
    check(out.returncode == 0, f"user passwd: {out.stderr[:200]}")
    ACCOUNTS["researcher"]["password"] = new
    check(wait_until(lambda: request("GET", "/api/v1/session", headers=r).status == 401, 5),
          "the session opened with the old password lives on")
    login("researcher")
    a, _ = login("analyst")
    other, _ = login("admin")
    cli("user", "disable", ACCOUNTS["analyst"]["user"], "--db", DB)
    check(wait_until(lambda: request("GET", "/api/v1/session", headers=a).status == 401, 5),
          "the session of a disabled account lives on")
    r = request("GET", "/api/v1/session", headers=other)
    check(r.status == 200 and r.json()["role"] == "admin", "another account's session ended with it")


def test_throttle():
    a = ACCOUNTS["admin"]
    bad = {"user": a["user"], "password": "not-the-password"}
    statuses = [request("POST", "/api/v1/login", body=bad).status for _ in range(5)]
    check(statuses == [401] * 5, f"five failed logins: {statuses}")
    r = request("POST", "/api/v1/login", body=bad)
    check(r.status == 429 and int(r.headers.get("retry-after", "0")) >= 1, f"the sixth: {r.status}")
    r = request("POST", "/api/v1/login", body={"user": a["user"], "password": a["password"]})
    check(r.status == 429 and cookie_of(r)[0] is None, f"the right password while slowed: {r.status}")
    # per address too: another account from the same address waits
    r = request("POST", "/api/v1/login", body={"user": ACCOUNTS["researcher"]["user"], "password": "nope-nope-nope"})
    check(r.status == 429, f"another account from the slowed address: {r.status}")
    time.sleep(int(r.headers.get("retry-after", "1")) + 0.5)
    login("admin")


def main():
    if os.environ.get("API_TEST_SET") == "sessions":
        tests = [test_expiry, test_follow, test_throttle]
    else:
        tests = [test_meta, test_report, test_surv, test_pathway, test_bad_params, test_static_traversal,
                 test_bodies, test_roles]
    if not ACCOUNTS:
        fail("no ACCOUNTS file: the roles cannot be tested")
        tests = []
    only = os.environ.get("API_TEST_ONLY")
    for t in tests:
        if only and t.__name__ != only:
            continue
        t0 = time.time()
        try:
            t()
        except Exception as e:  # noqa: BLE001 - a crash of a test is a failure, not a stop
            fail(f"{t.__name__}: {type(e).__name__}: {e}")
        print(f"{t.__name__}: {time.time() - t0:.1f} s", file=sys.stderr)
    print(f"api_test: {failures} failure(s); paths answered: {len(checked_paths)}", file=sys.stderr)
    sys.exit(min(failures, 100))


if __name__ == "__main__":
    main()
