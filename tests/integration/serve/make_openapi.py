#!/usr/bin/env python3
"""make_openapi.py - writes web/openapi.json, the API's OpenAPI 3.1 document (docs/api.md).

The document is kept as this program so that its repeated parts (parameters, error responses)
are written once; `python3 tests/integration/serve/make_openapi.py > web/openapi.json`, and the
test serve_api.sh fails when the committed file differs from its output."""
import json
import sys

def param(name, desc, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": desc,
            "schema": schema or {"type": "string"}}

SITE = {"type": "string", "enum": ["pancreas", "oesophagus", "liver", "lung", "cns", "ovary", "aml"]}
YEAR = {"type": "integer", "minimum": 1800, "maximum": 2200}
FILTERS = [
    param("site", "one of the seven sites (default: all)", SITE),
    param("from", "first year of diagnosis", YEAR),
    param("to", "last year of diagnosis", YEAR),
    param("sex", "male or female", {"type": "string", "enum": ["male", "female"]}),
    param("region", "region of residence (name or INSEE code)"),
    param("departement", "département of residence (01..95, 2A, 2B, 971..976); needs an account for curves"),
    param("closing", "end of follow-up, YYYY-MM-DD", {"type": "string", "format": "date"}),
]
PROTECTION = [
    param("min_cell", "disclosure threshold K, at least the server's", {"type": "integer", "minimum": 2}),
    param("no_suppress", "every figure unmasked (analyst, admin; audited)", {"type": "string", "enum": ["1", "true", "0", "false"]}),
    param("format", "json (default) or csv", {"type": "string", "enum": ["json", "csv"]}),
]
COUNT = {"type": ["integer", "null"], "minimum": 0}
NUM = {"type": ["number", "null"]}
SUPPRESSED = {"type": ["string", "null"], "enum": ["", "primary", "secondary", None]}

def ref(name):
    return {"$ref": "#/components/schemas/" + name}

def ok(schema, csv=False, svg=False):
    content = {}
    if svg:
        content["image/svg+xml"] = {"schema": {"type": "string"}}
    else:
        content["application/json"] = {"schema": schema}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {"description": "OK", "content": content}

ERRORS = {str(s): {"$ref": "#/components/responses/Error"} for s in (400, 401, 403, 404, 413, 414, 429, 500)}

def get(summary, params, schema, csv=False, svg=False, security=None):
    op = {"summary": summary, "parameters": params, "responses": {"200": ok(schema, csv, svg), **ERRORS}}
    if security is not None:
        op["security"] = security
    return {"get": op}

ACCOUNT = [{"session": []}, {"token": []}]

doc = {
    "openapi": "3.1.0",
    "info": {"title": "pronostic API", "version": "1",
             "description": "The programme's figures for the seven poor-prognosis cancers (docs/api.md)."},
    "servers": [{"url": "/"}],
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "pn_session"},
            "token": {"type": "http", "scheme": "bearer"},
        },
        "responses": {"Error": {"description": "an error", "content": {"application/json": {"schema": ref("Error")}}}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {
                "error": {"type": "object", "required": ["status", "message"], "additionalProperties": False,
                          "properties": {"status": {"type": "integer"}, "parameter": {"type": "string"},
                                         "message": {"type": "string"}}}}},
            "Health": {"type": "object", "required": ["status", "generation"], "additionalProperties": False,
                       "properties": {"status": {"const": "ok"}, "generation": {"type": "integer"}}},
            "Session": {"type": "object", "required": ["user", "role", "csrf"], "additionalProperties": False,
                        "properties": {"user": {"type": ["string", "null"]},
                                       "role": {"enum": ["public", "researcher", "analyst", "admin"]},
                                       "csrf": {"type": ["string", "null"]}}},
            "ReportRow": {"type": "object", "additionalProperties": False,
                          "required": ["site", "period", "sex", "measure", "horizon_years", "estimate", "lower", "upper", "n", "events", "suppressed"],
                          "properties": {"site": SITE, "period": {"type": ["string", "null"]},
                                         "sex": {"enum": ["all", "male", "female"]},
                                         "measure": {"enum": ["observed", "net", "net_std", "trend_per_year", "trend_p", "projection_2030"]},
                                         "horizon_years": {"type": "number"}, "estimate": NUM, "lower": NUM, "upper": NUM,
                                         "n": COUNT, "events": COUNT, "region": {"type": "string"}, "suppressed": SUPPRESSED}},
            "Report": {"type": "object", "required": ["closing", "min_cell", "protected", "rows"], "additionalProperties": False,
                       "properties": {"closing": {"type": "string"}, "min_cell": {"type": "integer"},
                                      "protected": {"type": "boolean"}, "rows": {"type": "array", "items": ref("ReportRow")}}},
            "CurvePoint": {"type": "object", "additionalProperties": False,
                           "required": ["time", "n_risk", "n_event", "n_censor", "estimate", "lower", "upper", "suppressed"],
                           "properties": {"time": {"type": "number"}, "n_risk": COUNT, "n_event": COUNT, "n_censor": COUNT,
                                          "estimate": NUM, "lower": NUM, "upper": NUM, "suppressed": SUPPRESSED}},
            "Curves": {"type": "object", "additionalProperties": False,
                       "required": ["site", "closing", "min_cell", "protected", "time_unit", "groups"],
                       "properties": {"site": {"type": "string"}, "closing": {"type": "string"},
                                      "min_cell": {"type": "integer"}, "protected": {"type": "boolean"},
                                      "time_unit": {"const": "days"},
                                      "groups": {"type": "array", "items": {
                                          "type": "object", "additionalProperties": False,
                                          "required": ["group", "n", "events", "points"],
                                          "properties": {"group": {"type": "string"}, "n": COUNT, "events": COUNT,
                                                         "points": {"type": "array", "items": ref("CurvePoint")}}}}}},
            "PathwayRow": {"type": "object", "additionalProperties": False,
                           "required": ["indicator", "site", "group", "numerator", "denominator", "estimate", "lower", "upper", "benchmark", "suppressed"],
                           "properties": {"indicator": {"type": "string"}, "site": {"type": "string"}, "group": {"type": "string"},
                                          "numerator": COUNT, "denominator": COUNT, "estimate": NUM, "lower": NUM,
                                          "upper": NUM, "benchmark": NUM, "suppressed": SUPPRESSED}},
            "Pathway": {"type": "object", "required": ["min_cell", "protected", "rows"], "additionalProperties": False,
                        "properties": {"min_cell": {"type": "integer"}, "protected": {"type": "boolean"},
                                       "rows": {"type": "array", "items": ref("PathwayRow")}}},
            "Map": {"type": "object", "additionalProperties": False,
                    "required": ["level", "measure", "site", "min_cell", "areas"],
                    "properties": {"level": {"enum": ["region", "departement"]}, "measure": {"type": "string"},
                                   "site": {"type": "string"}, "min_cell": {"type": "integer"},
                                   "period": {"type": ["string", "null"]},
                                   "areas": {"type": "array", "items": {
                                       "type": "object", "additionalProperties": False,
                                       "required": ["code", "name", "estimate", "lower", "upper", "n", "suppressed"],
                                       "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                      "estimate": NUM, "lower": NUM, "upper": NUM, "n": COUNT,
                                                      "suppressed": SUPPRESSED}}}}},
            "Cases": {"type": "object", "additionalProperties": False, "required": ["count", "rows"],
                      "properties": {"count": {"type": "integer"}, "rows": {"type": "array", "items": {
                          "type": "object", "additionalProperties": False,
                          "required": ["tumour", "site", "diagnosis_date", "sex", "age", "departement", "time", "event"],
                          "properties": {"tumour": {"type": "integer"}, "site": SITE, "diagnosis_date": {"type": "string"},
                                         "sex": {"enum": ["male", "female"]}, "age": {"type": "number"},
                                         "departement": {"type": ["string", "null"]}, "time": {"type": "number"},
                                         "event": {"enum": [0, 1]}}}}}},
            "Audit": {"type": "object", "additionalProperties": False, "required": ["rows"],
                      "properties": {"rows": {"type": "array", "items": {
                          "type": "object", "additionalProperties": False,
                          "required": ["id", "at", "who", "action", "rows", "detail"],
                          "properties": {"id": {"type": "integer"}, "at": {"type": "string"}, "who": {"type": "string"},
                                         "action": {"type": "string"}, "rows": {"type": ["integer", "null"]},
                                         "detail": {"type": "string"}}}}}},
            "Users": {"type": "object", "additionalProperties": False, "required": ["rows"],
                      "properties": {"rows": {"type": "array", "items": {
                          "type": "object", "additionalProperties": False,
                          "required": ["name", "role", "sources", "created", "tokens", "disabled"],
                          "properties": {"name": {"type": "string"}, "role": {"type": "string"},
                                         "sources": {"type": "array", "items": {"type": "string"}},
                                         "created": {"type": "string"}, "tokens": {"type": "integer"},
                                         "disabled": {"type": "boolean"}}}}}},
        },
    },
    "paths": {
        "/api/v1/health": get("the server's health and the store's generation", [], ref("Health")),
        "/api/v1/openapi.json": get("this document", [], {"type": "object"}),
        "/api/v1/session": get("the caller's session", [], ref("Session")),
        "/api/v1/login": {"post": {"summary": "open a session", "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "object", "required": ["user", "password"],
                                            "properties": {"user": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {"200": ok(ref("Session")), **ERRORS}}},
        "/api/v1/logout": {"post": {"summary": "close the session (X-CSRF-Token)", "security": ACCOUNT,
                                    "responses": {"200": ok(ref("Session")), **ERRORS}}},
        "/api/v1/report": get("the survival report (pronostic report)", FILTERS + [
            param("by", "period (default), sex or region", {"enum": ["period", "sex", "region"]}),
            param("periods", "periods of diagnosis, Y1-Y2,..."),
            param("conf", "confidence level", {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}),
        ] + PROTECTION, ref("Report"), csv=True),
        "/api/v1/surv": get("Kaplan-Meier curves of a selection, by group", FILTERS + [
            param("ages", "ages at diagnosis MIN-MAX (needs an account)"),
            param("by", "one curve per group", {"enum": ["sex", "agegroup", "period", "year", "region", "departement"]}),
            param("conf", "confidence level", {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}),
        ] + PROTECTION, ref("Curves"), csv=True),
        "/api/v1/surv.svg": get("the same curves drawn", FILTERS + [
            param("ages", "ages at diagnosis MIN-MAX (needs an account)"),
            param("by", "one curve per group", {"enum": ["sex", "agegroup", "period", "year", "region", "departement"]}),
            param("conf", "confidence level", {"type": "number"}),
            param("min_cell", "disclosure threshold K", {"type": "integer", "minimum": 2}),
        ], None, svg=True),
        "/api/v1/pathway": get("care-pathway and end-of-life indicators (pronostic pathway)", [
            param("indicator", "one indicator (docs/methods.md)"), FILTERS[0],
            param("by", "one row per group", {"enum": ["centre", "departement", "region", "year", "sex", "agegroup"]}),
            FILTERS[1], FILTERS[2]] + PROTECTION, ref("Pathway"), csv=True),
        "/api/v1/map": get("one figure by area, for the map", [
            param("measure", "observed_1y, observed_5y, net_std_1y, net_std_5y or pathway:INDICATOR", required=True),
            FILTERS[0], param("level", "region or departement", {"enum": ["region", "departement"]}),
            param("period", "period of diagnosis Y1-Y2 (survival measures)"),
            param("min_cell", "disclosure threshold K", {"type": "integer", "minimum": 2}),
            param("format", "json or csv", {"enum": ["json", "csv"]})], ref("Map"), csv=True),
        "/api/v1/map.svg": get("the map drawn", [
            param("measure", "as /api/v1/map", required=True), FILTERS[0],
            param("level", "region or departement", {"enum": ["region", "departement"]}),
            param("period", "period of diagnosis Y1-Y2"),
            param("min_cell", "disclosure threshold K", {"type": "integer", "minimum": 2})], None, svg=True),
        "/api/v1/cases": get("patient-level rows of a selection (analyst, admin; audited)", FILTERS + [
            param("ages", "ages at diagnosis MIN-MAX"),
            param("limit", "rows at most (default 100, at most 10000)", {"type": "integer", "minimum": 1, "maximum": 10000}),
            param("offset", "rows skipped", {"type": "integer", "minimum": 0})], ref("Cases"), security=ACCOUNT),
        "/api/v1/audit": get("the audit (admin)", [
            param("limit", "entries at most, newest first (default 100)", {"type": "integer", "minimum": 1}),
            param("who", "one user's entries"), param("action", "one action's entries"),
            param("since", "entries from this day, YYYY-MM-DD")], ref("Audit"), security=ACCOUNT),
        "/api/v1/users": get("the accounts (admin)", [], ref("Users"), security=ACCOUNT),
    },
}
json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
