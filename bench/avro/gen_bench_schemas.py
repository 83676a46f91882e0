#!/usr/bin/python3
"""Deterministic schema generator for the Avro compatibility benchmark (bench/avro).

Usage: gen_bench_schemas.py OUTDIR [--history steady|grow] [--enum-evolution]
                                   [--verify] [--oracle PATH]

Writes into OUTDIR (created if needed; the same arguments always give byte-identical files):

  large_old.avsc          record com.schemaguard.bench.Order: 546 fields in total over 16 record
                          types and 4 nesting levels (nested records, arrays of records, maps of
                          records, unions with null, enums, fixed, decimal/timestamp/date/uuid/
                          time logical types, a named type referenced three times)
  large_new.avsc          large_old + 14 added fields (557 in total) with defaults (spread over all levels) and
                          3 removed fields that had defaults in large_old: FULL-compatible with
                          large_old (BACKWARD and FORWARD), no type changes
  large_new_widened.avsc  large_new + a few promotions (int->long, float->double, int->double):
                          BACKWARD-compatible with large_old, deliberately NOT FORWARD-compatible
                          (extra material; the benchmark itself uses large_new/large_old)
  versions/v0001.avsc ... versions/v1000.avsc
                          evolution history of record com.schemaguard.bench.UserEvent (40 core
                          fields in v0001). Every version makes exactly one change to the
                          previous one: it adds an optional field WITH a default (string, long,
                          boolean, double, union with null, array, map, new enum, nested record,
                          logical types), or (history "steady", the default) drops an earlier-added
                          optional field, which had a default. Field names are never reused, core
                          fields never change, so every pair of versions is FULL-compatible, i.e.
                          the history is FULL_TRANSITIVE-compatible in any order.
  candidate.avsc          v1001: one more added field; FULL_TRANSITIVE-compatible with all 1000.

--history steady (default): the record stays realistic (40 core + up to 25 optional fields)
    because old optional fields are retired while new ones are added.
--history grow: every version only adds a field (v1000 has 1039 top-level fields; candidate 1040).
--enum-evolution: some versions instead add a symbol to the EventType enum, which carries an enum
    default ("UNKNOWN"). Avro >= 1.9, python3-avro 1.11 and Confluent accept that, but Avro Java
    1.8.2 does not know enum defaults: it calls the old-reader/new-writer direction INCOMPATIBLE and
    then pretty-prints both schemas into its message, which would make the Java peer do different,
    more expensive work. Off by default so that all three implementations do the same work.
--verify: run the Python oracle (default /work/shared/oracles/avro/avro_compat.py, --jsonl mode)
    and fail unless large_new/large_old are compatible both ways, large_new_widened is BACKWARD-
    but not FORWARD-compatible, and the candidate is FULL_TRANSITIVE-compatible with all versions.
"""
import argparse
import json
import os
import subprocess
import sys

NS = "com.schemaguard.bench"
NO_DEFAULT = object()

WORDS = ["id", "code", "amount", "count", "status", "label", "note", "ref", "score", "weight",
         "level", "rank", "source", "channel", "region", "flag", "ratio", "limit", "offset", "token"]


# ----------------------------------------------------------------------------------------------
# large schema
# ----------------------------------------------------------------------------------------------

def large_field_type(rec, i):
    """Type and default for the i-th generated field of record `rec` (24 kinds, cycled)."""
    k = i % 24
    if k == 0: return "string", NO_DEFAULT
    if k == 1: return "int", NO_DEFAULT
    if k == 2: return "long", NO_DEFAULT
    if k == 3: return ["null", "string"], None
    if k == 4: return "double", NO_DEFAULT
    if k == 5: return "boolean", NO_DEFAULT
    if k == 6: return {"type": "long", "logicalType": "timestamp-millis"}, NO_DEFAULT
    if k == 7: return ["null", "long"], None
    if k == 8:
        return {"type": "enum", "name": f"{rec}Status{i}",
                "symbols": ["UNKNOWN", "NEW", "ACTIVE", "SUSPENDED", "CLOSED", f"CUSTOM_{i}"],
                "default": "UNKNOWN"}, NO_DEFAULT
    if k == 9: return {"type": "fixed", "name": f"{rec}Digest{i}", "size": 16}, NO_DEFAULT
    if k == 10:
        return {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}, NO_DEFAULT
    if k == 11: return {"type": "array", "items": "string"}, NO_DEFAULT
    if k == 12: return {"type": "map", "values": "long"}, NO_DEFAULT
    if k == 13: return {"type": "int", "logicalType": "date"}, NO_DEFAULT
    if k == 14: return "float", NO_DEFAULT
    if k == 15: return {"type": "string", "logicalType": "uuid"}, NO_DEFAULT
    if k == 16: return ["null", "double"], None
    if k == 17: return "bytes", NO_DEFAULT
    if k == 18: return ["null", "string", "long", "boolean"], None
    if k == 19: return {"type": "array", "items": ["null", "int"]}, NO_DEFAULT
    if k == 20:
        return ["null", {"type": "enum", "name": f"{rec}Kind{i}",
                         "symbols": ["KIND_A", "KIND_B", "KIND_C", "KIND_D"]}], None
    if k == 21: return {"type": "long", "logicalType": "time-micros"}, NO_DEFAULT
    if k == 22: return {"type": "map", "values": ["null", "string"]}, NO_DEFAULT
    return {"type": "fixed", "name": f"{rec}Money{i}", "size": 8, "logicalType": "decimal",
            "precision": 18, "scale": 4}, NO_DEFAULT


def field(name, typ, default=NO_DEFAULT, doc=None):
    f = {"name": name, "type": typ}
    if doc:
        f["doc"] = doc
    if default is not NO_DEFAULT:
        f["default"] = default
    return f


def snake(rec):
    return "".join("_" + c.lower() if c.isupper() else c for c in rec).lstrip("_")


# Record tree: (record name, number of generated scalar-ish fields, [(field name, kind, arg)]).
# kinds: rec = nested record, opt = ["null", record] default null, array = array of records,
# map = map of records, ref / optref = reference to a record defined earlier (plain / nullable).
LARGE_TREE = ("Order", 80, [
    ("customer", "rec", ("Customer", 60, [
        ("address", "rec", ("Address", 30, [
            ("geo", "opt", ("GeoPoint", 12, [])),
        ])),
        ("contacts", "array", ("Contact", 20, [])),
    ])),
    ("billing_address", "ref", "Address"),
    ("shipping_address", "optref", "Address"),
    ("lines", "array", ("LineItem", 60, [
        ("product", "rec", ("Product", 50, [
            ("dimensions", "rec", ("Dimensions", 12, [])),
        ])),
        ("discounts", "array", ("Discount", 15, [])),
    ])),
    ("payments", "array", ("Payment", 40, [
        ("card", "opt", ("Card", 20, [])),
    ])),
    ("fulfillment", "opt", ("Fulfillment", 40, [
        ("shipments", "array", ("Shipment", 30, [
            ("events", "array", ("TrackingEvent", 15, [])),
        ])),
    ])),
    ("extensions", "map", ("Extension", 20, [])),
    ("audit", "rec", ("Audit", 25, [])),
])

# large_new: fields added (with defaults) per record; position None = append, int = insert there
LARGE_ADDED = {
    "Order": [(None, "sales_channel", ["null", "string"], None),
              (10, "priority", "int", 0),
              (None, "tags", {"type": "array", "items": "string"}, []),
              (None, "gift_message", "string", "")],
    "Customer": [(None, "loyalty_tier", {"type": "enum", "name": "LoyaltyTier",
                                          "symbols": ["NONE", "SILVER", "GOLD"], "default": "NONE"},
                  "NONE"),
                 (None, "marketing_opt_in", "boolean", False)],
    "Address": [(None, "plus_code", ["null", "string"], None)],
    "GeoPoint": [(None, "accuracy_m", "double", 0.0)],
    "LineItem": [(5, "bundle_id", ["null", "long"], None),
                 (None, "labels", {"type": "map", "values": "string"}, {})],
    "Product": [(None, "hazmat", "boolean", False)],
    "Payment": [(None, "captured_at", ["null", {"type": "long", "logicalType": "timestamp-millis"}],
                 None)],
    "TrackingEvent": [(None, "carrier_code", "string", "n/a")],
    "Audit": [(None, "revision", "long", 0)],
}
LARGE_ADDED_COUNT = sum(len(v) for v in LARGE_ADDED.values())
# large_new: fields dropped per record (each has a default in large_old)
LARGE_REMOVED = {"Order": ["ref_27"], "Product": ["ratio_16"], "Shipment": ["offset_18"]}
# large_new_widened: promotions per record, field name -> new type
LARGE_WIDENED = {"Order": {"label_25": "long", "code_1": "double"},      # int -> long / double
                 "Customer": {"region_14": "double"},                      # float -> double
                 "LineItem": {"weight_49": "long"}}                        # int -> long


def build_large(variant):
    """variant: 'old' | 'new' | 'widened'. Returns (schema, number of fields defined)."""
    count = [0]

    def rec(spec):
        name, n, children = spec
        fields = []
        for i in range(n):
            typ, default = large_field_type(name, i)
            fields.append(field(f"{WORDS[i % len(WORDS)]}_{i}", typ, default))
        for fname, kind, arg in children:
            if kind == "rec":
                fields.append(field(fname, rec(arg)))
            elif kind == "opt":
                fields.append(field(fname, ["null", rec(arg)], None))
            elif kind == "array":
                fields.append(field(fname, {"type": "array", "items": rec(arg)}))
            elif kind == "map":
                fields.append(field(fname, {"type": "map", "values": rec(arg)}))
            elif kind == "ref":
                fields.append(field(fname, f"{NS}.{arg}"))
            elif kind == "optref":
                fields.append(field(fname, ["null", f"{NS}.{arg}"], None))
            else:
                raise AssertionError(kind)
        if variant != "old":
            for fname in LARGE_REMOVED.get(name, []):
                idx = [f["name"] for f in fields].index(fname)
                assert "default" in fields[idx], fname
                del fields[idx]
            for pos, fname, typ, default in LARGE_ADDED.get(name, []):
                f = field(fname, typ, default, doc="added in large_new")
                fields.insert(len(fields) if pos is None else pos, f)
        if variant == "widened":
            for fname, new_type in LARGE_WIDENED.get(name, {}).items():
                f = next(f for f in fields if f["name"] == fname)
                assert f["type"] in ("int", "float"), (fname, f["type"])
                f["type"] = new_type
        count[0] += len(fields)
        out = {"type": "record", "name": name}
        if spec is LARGE_TREE:
            out["namespace"] = NS
            out["doc"] = f"Synthetic large nested schema for the SchemaGuard benchmark ({variant})"
        out["fields"] = fields
        return out

    return rec(LARGE_TREE), count[0]


# ----------------------------------------------------------------------------------------------
# evolution history
# ----------------------------------------------------------------------------------------------

class Rng:
    """xorshift64*: tiny, fully specified, so output never depends on Python's random module."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF or 1

    def next(self):
        s = self.s
        s ^= (s >> 12)
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= (s >> 27)
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return (self.next() >> 11) % n


def event_core():
    ts = {"type": "long", "logicalType": "timestamp-millis"}
    return [
        field("event_id", {"type": "string", "logicalType": "uuid"}),
        field("event_type", {"type": "enum", "name": "EventType", "default": "UNKNOWN",
                             "symbols": ["UNKNOWN", "PAGE_VIEW", "CLICK", "SIGN_UP", "LOGIN",
                                         "LOGOUT", "PURCHASE", "SEARCH"]}),
        field("occurred_at", ts),
        field("received_at", ts),
        field("user_id", "string"),
        field("session_id", ["null", "string"], None),
        field("tenant_id", "string"),
        field("source", {"type": "enum", "name": "Source",
                         "symbols": ["WEB", "IOS", "ANDROID", "SERVER", "BATCH"]}),
        field("app_version", "string"),
        field("schema_version", "int"),
        field("device", {"type": "record", "name": "Device", "fields": [
            field("device_id", "string"),
            field("os", {"type": "enum", "name": "Os",
                         "symbols": ["OTHER", "LINUX", "WINDOWS", "MACOS", "IOS", "ANDROID"]}),
            field("os_version", "string"),
            field("model", ["null", "string"], None),
            field("locale", "string"),
            field("screen_width", "int"),
            field("screen_height", "int"),
        ]}),
        field("geo", ["null", {"type": "record", "name": "Geo", "fields": [
            field("lat", "double"),
            field("lon", "double"),
            field("country", "string"),
            field("region", ["null", "string"], None),
            field("city", ["null", "string"], None),
        ]}], None),
        field("ip", ["null", "string"], None),
        field("user_agent", ["null", "string"], None),
        field("referrer", ["null", "string"], None),
        field("page_url", "string"),
        field("page_title", ["null", "string"], None),
        field("duration_ms", "long"),
        field("value", ["null", {"type": "bytes", "logicalType": "decimal", "precision": 16,
                                 "scale": 4}], None),
        field("currency", ["null", "string"], None),
        field("tags", {"type": "array", "items": "string"}),
        field("properties", {"type": "map", "values": "string"}),
        field("experiment_ids", {"type": "array", "items": "long"}),
        field("feature_flags", {"type": "map", "values": "boolean"}),
        field("is_test", "boolean"),
        field("retry_count", "int"),
        field("sequence", "long"),
        field("partition_key", "string"),
        field("trace_id", ["null", {"type": "fixed", "name": "TraceId", "size": 16}], None),
        field("span_id", ["null", {"type": "fixed", "name": "SpanId", "size": 8}], None),
        field("consent", {"type": "enum", "name": "Consent",
                          "symbols": ["UNKNOWN", "GRANTED", "DENIED"], "default": "UNKNOWN"}),
        field("context", {"type": "map", "values": ["null", "string"]}),
        field("items", {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
            field("sku", "string"),
            field("quantity", "int"),
            field("unit_price", {"type": "bytes", "logicalType": "decimal", "precision": 12,
                                 "scale": 2}),
            field("category", ["null", "string"], None),
        ]}}),
        field("search_query", ["null", "string"], None),
        field("error_code", ["null", "int"], None),
        field("latency_us", ["null", "long"], None),
        field("ab_bucket", ["null", "int"], None),
        field("client_ts", ["null", ts], None),
        field("ingest_date", {"type": "int", "logicalType": "date"}),
        field("checksum", {"type": "fixed", "name": "Checksum", "size": 4}),
    ]


def added_field(v, rng):
    """The optional field that version v adds (name unique: it carries v)."""
    word = WORDS[rng.below(len(WORDS))]
    name = f"{word}_v{v}"
    k = rng.below(12)
    doc = f"added in v{v:04d}"
    if k == 0: return field(name, ["null", "string"], None, doc)
    if k == 1: return field(name, "string", "", doc)
    if k == 2: return field(name, "long", 0, doc)
    if k == 3: return field(name, "boolean", False, doc)
    if k == 4: return field(name, "double", 0.0, doc)
    if k == 5:
        return field(name, ["null", {"type": "long", "logicalType": "timestamp-millis"}], None, doc)
    if k == 6: return field(name, {"type": "array", "items": "string"}, [], doc)
    if k == 7: return field(name, {"type": "map", "values": "string"}, {}, doc)
    if k == 8:
        return field(name, {"type": "enum", "name": f"Mode{v}", "default": "UNSET",
                            "symbols": ["UNSET", "ON", "OFF", "AUTO"]}, "UNSET", doc)
    if k == 9:
        return field(name, ["null", {"type": "record", "name": f"Detail{v}", "fields": [
            field("kind", "string"),
            field("weight", "int"),
            field("note", ["null", "string"], None),
            field("at", {"type": "long", "logicalType": "timestamp-millis"}),
        ]}], None, doc)
    if k == 10: return field(name, ["null", "int"], None, doc)
    return field(name, {"type": "array", "items": "long"}, [], doc)


def event_schema(v, fields):
    return {"type": "record", "name": "UserEvent", "namespace": NS,
            "doc": f"User activity event, version {v}", "fields": fields}


def build_history(n, mode, enum_evolution):
    """Returns n+1 schemas: versions 1..n and the candidate (n+1)."""
    rng = Rng(0x5C4E3A6A2D17)
    fields = event_core()
    added = []          # names of optional fields added so far and still present, oldest first
    out = [event_schema(1, json.loads(json.dumps(fields)))]
    for v in range(2, n + 2):
        change = "add"
        if v <= n:  # the candidate always adds a field
            if enum_evolution and rng.below(100) < 15:
                change = "enum"
            elif mode == "steady":
                if len(added) >= 25:
                    change = "drop"
                elif len(added) >= 5 and rng.below(2) == 0:
                    change = "drop"
        if change == "add":
            f = added_field(v, rng)
            fields.append(f)
            added.append(f["name"])
        elif change == "drop":
            name = added.pop(0)
            idx = [f["name"] for f in fields].index(name)
            assert "default" in fields[idx]
            del fields[idx]
        else:
            fields[1]["type"]["symbols"].append(f"TYPE_V{v}")
        out.append(event_schema(v, json.loads(json.dumps(fields))))
    return out


# ----------------------------------------------------------------------------------------------
# output and verification
# ----------------------------------------------------------------------------------------------

def dump(path, schema):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(schema, f, indent=2)
        f.write("\n")


def verify(outdir, versions, oracle):
    def load(p):
        with open(os.path.join(outdir, p), encoding="utf-8") as f:
            return f.read()
    old, new, wid = load("large_old.avsc"), load("large_new.avsc"), load("large_new_widened.avsc")
    cand = load("candidate.avsc")
    prev = [load(os.path.join("versions", f"v{i:04d}.avsc")) for i in range(1, versions + 1)]
    reqs = [
        {"id": "large backward (reader=new, writer=old)", "reader": new, "writer": old, "want": True},
        {"id": "large forward (reader=old, writer=new)", "reader": old, "writer": new, "want": True},
        {"id": "widened backward (reader=widened, writer=old)", "reader": wid, "writer": old,
         "want": True},
        {"id": "widened forward (reader=old, writer=widened)", "reader": old, "writer": wid,
         "want": False},
        {"id": f"candidate FULL_TRANSITIVE vs {versions} versions", "level": "FULL_TRANSITIVE",
         "schema": cand, "previous": prev, "want": True},
    ]
    want = {r["id"]: r.pop("want") for r in reqs}
    data = "".join(json.dumps(r) + "\n" for r in reqs)
    res = subprocess.run([sys.executable, oracle, "--jsonl", "-"], input=data, text=True,
                         capture_output=True, check=False)
    if res.returncode != 0:
        sys.exit(f"oracle failed (exit {res.returncode}): {res.stderr.strip()}")
    ok = True
    lines = [json.loads(l) for l in res.stdout.splitlines() if l.strip()]
    if len(lines) != len(reqs):
        sys.exit(f"oracle returned {len(lines)} results for {len(reqs)} requests")
    for r in lines:
        good = r.get("compatible") == want[r["id"]] and "error" not in r
        ok &= good
        detail = "" if good else " " + json.dumps({k: r[k] for k in r if k != "id"})[:400]
        print(f"verify: {'ok  ' if good else 'FAIL'} {r['id']}: compatible={r.get('compatible')}"
              f" (expected {want[r['id']]}){detail}", file=sys.stderr)
    if not ok:
        sys.exit("verification FAILED")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--history", choices=["steady", "grow"], default="steady")
    ap.add_argument("--enum-evolution", action="store_true")
    ap.add_argument("--versions", type=int, default=1000, help=argparse.SUPPRESS)
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--oracle", default="/work/shared/oracles/avro/avro_compat.py")
    a = ap.parse_args(argv)

    vdir = os.path.join(a.outdir, "versions")
    os.makedirs(vdir, exist_ok=True)
    for name in os.listdir(vdir):  # stale versions from an earlier, longer run
        if name.startswith("v") and name.endswith(".avsc"):
            os.remove(os.path.join(vdir, name))

    counts = {}
    for variant, fname in (("old", "large_old.avsc"), ("new", "large_new.avsc"),
                           ("widened", "large_new_widened.avsc")):
        schema, counts[variant] = build_large(variant)
        dump(os.path.join(a.outdir, fname), schema)
    assert counts["old"] >= 500, counts
    assert counts["new"] == counts["old"] + LARGE_ADDED_COUNT - sum(map(len, LARGE_REMOVED.values()))

    hist = build_history(a.versions, a.history, a.enum_evolution)
    for v, schema in enumerate(hist[:-1], 1):
        dump(os.path.join(vdir, f"v{v:04d}.avsc"), schema)
    dump(os.path.join(a.outdir, "candidate.avsc"), hist[-1])
    sizes = [len(s["fields"]) for s in hist]
    print(f"wrote {a.outdir}: large_old {counts['old']} fields, large_new {counts['new']} fields; "
          f"{a.versions} versions ({a.history}{', enum evolution' if a.enum_evolution else ''}): "
          f"top-level fields v0001={sizes[0]} min={min(sizes)} max={max(sizes)} "
          f"candidate={sizes[-1]}", file=sys.stderr)
    if a.verify:
        if not os.path.isfile(a.oracle):
            sys.exit(f"--verify: oracle not found at {a.oracle} (use --oracle PATH)")
        verify(a.outdir, a.versions, a.oracle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
