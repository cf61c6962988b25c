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


def main():
    tests = [test_meta, test_report, test_surv, test_pathway, test_bad_params, test_static_traversal]
    if ACCOUNTS:
        tests.append(test_bodies)
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
