#!/usr/bin/python3
"""Writes reference data for rendering Avro schemas the way Avro Java's Schema.toString() does.

  tests/testdata/avro/java_rendering.jsonl   one schema per line:
      {"schema": "<input text>", "java": "<Avro Java 1.8.2 Schema.toString()>"
       [, "expected": "<what Avro Java 1.11 prints>", "note": "<why it differs from 1.8.2>"]}

The registry stores what Confluent's Avro Java 1.11 prints. The oracle available here is Avro
Java 1.8.2 (Debian libavro-java, Jackson 1.9), through RenderOracle.java (compiled to a temp dir
at run time). Where 1.11 is known to print differently, the line carries "expected" and a "note":
  - enum defaults: 1.8.2 keeps "default" among the custom properties, in source order; 1.11
    writes it right after "symbols". Rewritten here mechanically.
  - doubles: Java 17's Double.toString sometimes prints more digits than JDK 19+, which prints
    the shortest decimal that reads back (JDK-4511638; with one digit, the closest decimal of one
    or two digits: 4.9E-324). Rewritten to JDK 19+'s digits.
  - hand-written inputs whose 1.11 rendering is known to differ (a "namespace": "" record with
    named children, a named type called like a primitive) carry a hand-written "expected".
A schema is left out when Java 1.8.2 rejects it or when its Parsing Canonical Form disagrees
with an independent reading of the specification (gen_avro_canonical.spec_pcf) and no expected
text is given: then 1.8.2 parsed a different schema and its rendering says nothing.

Inputs: hand-written edge cases, every schema of canonical_forms.jsonl, and the reader schemas
of every --stride'th pair of differential_pairs.jsonl. All of them are valid for our parser
(src/schemaguard/avro/render_test.cc checks that every line parses).

Run with /usr/bin/python3 from anywhere. Deterministic. A summary goes to stderr.
"""
import argparse
import collections
import decimal
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "tests", "testdata", "avro")
sys.path.insert(0, HERE)

import gen_avro_canonical as canon  # noqa: E402  (spec_pcf, the Java class path)

# ----------------------------------------------------------------------------------------------
# Java helper


class Java:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-render-oracle-")
        cp = ":".join(os.path.join(canon.JAVA_DIR, j) for j in canon.JAVA_JARS)
        subprocess.run(["javac", "-nowarn", "-d", self.tmp, "-cp", cp,
                        os.path.join(HERE, "RenderOracle.java")], check=True)
        self.proc = subprocess.Popen(["java", "-Xshare:auto", "-cp", f"{cp}:{self.tmp}", "RenderOracle"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8")

    def ask(self, text):
        self.proc.stdin.write(json.dumps({"schema": text}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# Rewriting Java 1.8.2's output into 1.11's. The output is compact JSON, so a small scanner that
# keeps every token's text can rebuild it byte for byte with members moved or numbers replaced.

def scan(text, i=0):
    """Returns (node, end). node: ("obj", [(key_text, key, value_node)]) | ("arr", [nodes]) |
    ("str", text, value) | ("lit", text)."""
    c = text[i]
    if c == "{":
        members, i = [], i + 1
        if text[i] == "}":
            return ("obj", members), i + 1
        while True:
            key, j = scan(text, i)
            assert text[j] == ":", text[j:j + 20]
            value, i = scan(text, j + 1)
            members.append((key[1], key[2], value))
            if text[i] == "}":
                return ("obj", members), i + 1
            assert text[i] == ",", text[i:i + 20]
            i += 1
    if c == "[":
        items, i = [], i + 1
        if text[i] == "]":
            return ("arr", items), i + 1
        while True:
            item, i = scan(text, i)
            items.append(item)
            if text[i] == "]":
                return ("arr", items), i + 1
            assert text[i] == ",", text[i:i + 20]
            i += 1
    if c == '"':
        j = i + 1
        while text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        raw = text[i:j + 1]
        return ("str", raw, json.loads(raw)), j + 1
    j = i
    while j < len(text) and text[j] not in ",]}":
        j += 1
    return ("lit", text[i:j]), j


def java_digits(x):
    """The digits and exponent Double.toString picks (JDK 19+): the shortest decimal that reads
    back as x, except that when one digit suffices, the closest decimal of one or two digits
    (ties to an even last digit). Returns (digits without trailing zeros, exponent of the first)."""
    _, digits, exp = decimal.Decimal(repr(abs(x))).normalize().as_tuple()
    ds = "".join(map(str, digits))
    e = exp + len(ds) - 1
    if len(ds) == 1 and x != 0:
        exact = decimal.Decimal(abs(x))
        best = None
        for k in (e - 1, e - 2):
            for c in range(10, 100):
                cand = decimal.Decimal(c).scaleb(k)
                if float(cand) != abs(x):
                    continue
                key = (abs(cand - exact), c % 2)
                if best is None or key < best[0]:
                    best = (key, c, k)
        _, c, k = best
        ds = str(c).rstrip("0")
        e = k + 1
    return ds or "0", (e if ds else 0)


def java_layout(x):
    """Java's Double.toString of x (JDK 19+)."""
    neg = "-" if str(x).startswith("-") else ""
    if x == 0:
        return neg + "0.0"
    ds, e = java_digits(x)
    if -3 <= e < 7:
        if e < 0:
            return neg + "0." + "0" * (-e - 1) + ds
        whole = ds[:e + 1].ljust(e + 1, "0")
        frac = ds[e + 1:] or "0"
        return neg + whole + "." + frac
    return neg + ds[0] + "." + (ds[1:] or "0") + "E" + str(e)


def emit(node, notes):
    kind = node[0]
    if kind == "str":
        return node[1]
    if kind == "lit":
        t = node[1]
        if t[0] in "-0123456789" and any(ch in t for ch in ".eE"):  # a double
            shortest = java_layout(float(t))
            if shortest != t:
                notes.add("Java 17's Double.toString printed %s; JDK 19+ prints %s"
                          % (t, shortest))
                return shortest
        return t
    if kind == "arr":
        return "[" + ",".join(emit(n, notes) for n in node[1]) + "]"
    members = list(node[1])
    keys = [k for _, k, _ in members]
    is_enum = ("type" in keys and members[keys.index("type")][2][0] == "str"
               and members[keys.index("type")][2][2] == "enum" and "symbols" in keys and "name" in keys)
    if is_enum and "default" in keys:
        d = keys.index("default")
        s = keys.index("symbols")
        if d != s + 1:
            notes.add("enum default: 1.8.2 keeps it among the custom properties in source order; "
                      "1.11 writes it right after the symbols")
            member = members.pop(d)
            members.insert(s + 1, member)
    return "{" + ",".join(k_text + ":" + emit(v, notes) for k_text, _, v in members) + "}"


def errors_as_records(v):
    """The schema with `error` types written as `record`, which is all the PCF sees of them."""
    if isinstance(v, list):
        return [errors_as_records(x) for x in v]
    if isinstance(v, dict):
        out = {k: errors_as_records(x) for k, x in v.items()}
        if v.get("type") == "error" and "fields" in v:
            out["type"] = "record"
        return out
    return v


def to_java_1_11(java):
    notes = set()
    node, end = scan(java)
    assert end == len(java)
    out = emit(node, notes)
    return out, sorted(notes)


# ----------------------------------------------------------------------------------------------
# Hand-written edge cases: (text, expected 1.11 output or None, note or None).

def J(v):
    return json.dumps(v, ensure_ascii=False)


def rec(name, fields, **extra):
    r = {"type": "record", "name": name}
    r.update(extra)
    r["fields"] = fields
    return r


def hand_written():
    out = []

    def add(value, expected=None, note=None):
        out.append((value if isinstance(value, str) else J(value), expected, note))

    # Namespaces: inherited, overridden, dotted names, references relative to the current one.
    add(rec("Outer", [
        {"name": "a", "type": rec("Same", [{"name": "x", "type": "int"}])},
        {"name": "b", "type": rec("Other", [
            {"name": "c", "type": rec("Deep", [{"name": "y", "type": "com.acme.Same"}])},
            {"name": "d", "type": "com.acme.Same"},
            {"name": "e", "type": "Deep"}], namespace="org.other")},
        {"name": "f", "type": rec("x.y.Dotted", [{"name": "g", "type": "org.other.Deep"}],
                                  namespace="ignored.ns")},
        {"name": "h", "type": ["null", "Same", "org.other.Other", "x.y.Dotted"]},
        {"name": "i", "type": {"type": "enum", "name": "com.acme.E", "symbols": ["A"]}},
        {"name": "j", "type": {"type": "fixed", "name": "F", "namespace": "com.acme", "size": 2}},
        {"name": "k", "type": {"type": "array", "items": "F"}},
        {"name": "l", "type": {"type": "map", "values": "E"}}], namespace="com.acme"))
    add(rec("a.b.Top", [{"name": "n", "type": rec("N", [{"name": "m", "type": rec("c.M", [
        {"name": "back", "type": ["null", "a.b.N", "a.b.Top", "M"]}])}])}]))
    # The null namespace inside a namespaced record: Java writes "namespace": "".
    add(rec("R", [{"name": "f", "type": rec("S", [{"name": "i", "type": "int"}], namespace="")},
                  {"name": "g", "type": "S"}, {"name": "h", "type": ["null", "R"]}], namespace="a"))
    add(rec("R", [{"name": "f", "type": rec("S", [
        {"name": "e", "type": {"type": "enum", "name": "T", "symbols": ["X"]}},
        {"name": "r", "type": "T"}], namespace="")}, {"name": "g", "type": "T"}], namespace="a"),
        expected='{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":'
                 '{"type":"record","name":"S","namespace":"","fields":[{"name":"e","type":'
                 '{"type":"enum","name":"T","symbols":["X"]}},{"name":"r","type":"T"}]}},'
                 '{"name":"g","type":"T"}]}',
        note="1.8.2's parser puts the children of a \"namespace\": \"\" record into the outer "
             "namespace (a.T); 1.11 keeps them in the null namespace")
    add({"type": "record", "name": "Top", "namespace": "", "fields": [
        {"name": "a", "type": rec("In", [{"name": "z", "type": "int"}], namespace="p.q")},
        {"name": "b", "type": "p.q.In"}]})
    # A named type called like an Avro type: 1.11 qualifies the reference.
    add(rec("R", [{"name": "f", "type": {"type": "fixed", "name": "int", "size": 1}},
                  {"name": "g", "type": "a.int"},
                  {"name": "h", "type": rec("record", [], aliases=["map", "Ok"])},
                  {"name": "i", "type": ["null", "a.record"]}], namespace="a"),
        expected='{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":'
                 '{"type":"fixed","name":"int","size":1}},{"name":"g","type":"a.int"},'
                 '{"name":"h","type":{"type":"record","name":"record","fields":[],'
                 '"aliases":["a.map","Ok"]}},{"name":"i","type":["null","a.record"]}]}',
        note="1.11 writes a namespaced name that is also an Avro type name in full (Name."
             "shouldWriteFull); 1.8.2 writes \"int\", which reads back as the primitive")
    add(rec("record", [{"name": "e", "type": {"type": "enum", "name": "enum", "symbols": ["A"]}},
                       {"name": "f", "type": "enum"}]))
    # Aliases: relative to the type's namespace, duplicates dropped, source order kept.
    add(rec("R", [{"name": "a", "type": "int", "aliases": ["b", "c", "b"]},
                  {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"],
                                         "aliases": ["x.E0", "E1", "n.s.E2"]}},
                  {"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "o", "size": 1,
                                         "aliases": ["F0", "n.s.F1", "o.F0"]}}],
            namespace="n.s", aliases=["Old", "n.s.Old2", "other.Old3", "Old", "n.s.Old"]))
    add(rec("R", [], aliases=["A", "b.B"]))
    add(rec("R", [{"name": "a", "type": "int", "aliases": []}], aliases=[]))
    # Docs with quotes, backslashes, control characters and non-ASCII text.
    add(rec("D", [{"name": "a", "type": "string", "doc": "tab\there \"q\" back\\slash /slash"},
                  {"name": "b", "type": "int", "doc": "\u0000\u0001\u0008\u000b\u000c\u001f\u007f\u0080"},
                  {"name": "c", "type": "int", "doc": "caf\u00e9 \u2603 \U0001F600 \u2028 \ufeff"},
                  {"name": "d", "type": "int", "doc": ""},
                  {"name": "e", "type": "int", "doc": "line1\nline2\r\n"}],
            doc="record \"doc\" \u00fcber", namespace="d"))
    add({"type": "enum", "name": "E", "doc": "", "symbols": ["A"]})
    add({"type": "fixed", "name": "F", "doc": "x\\y", "size": 3, "aliases": ["G"]})
    # Defaults of every type.
    add(rec("Defaults", [
        {"name": "n", "type": "null", "default": None},
        {"name": "b", "type": "boolean", "default": True},
        {"name": "i1", "type": "int", "default": -2147483648},
        {"name": "i2", "type": "int", "default": 2147483647},
        {"name": "l1", "type": "long", "default": 9223372036854775807},
        {"name": "l2", "type": "long", "default": -9223372036854775808},
        {"name": "l3", "type": "long", "default": 0},
        {"name": "s", "type": "string", "default": "a\"b\\c\u0001\u00e9\u2603\U0001F600"},
        {"name": "by", "type": "bytes", "default": "\u00ff\u0000\u0001 \u007f\u0080"},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "B"},
        {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "\u00e9\u0000"},
        {"name": "ar", "type": {"type": "array", "items": "E"}, "default": ["A", "B"]},
        {"name": "mp", "type": {"type": "map", "values": "long"}, "default": {"z": 1, "a": -2}},
        {"name": "u1", "type": ["null", "int"], "default": None},
        {"name": "u2", "type": ["int", "null"], "default": 7},
        {"name": "u3", "type": ["string", "null"], "default": ""},
        {"name": "r", "type": rec("Inner", [
            {"name": "x", "type": "int"},
            {"name": "y", "type": rec("Innermost", [{"name": "z", "type": "double"}])},
            {"name": "w", "type": "string", "default": "dflt"}]),
         "default": {"y": {"z": 2}, "x": 1}},
        {"name": "ra", "type": {"type": "array", "items": "Inner"},
         "default": [{"x": 1, "y": {"z": 0.5}}, {"x": 2, "y": {"z": -1}, "w": "v"}]}]))
    doubles = ["1.5", "3", "3.0", "1e-5", "1E-5", "123456789.0", "1e300", "-0.0", "-0", "0", "0.0",
               "1e21", "1e7", "9999999.0", "9999999.5", "0.001", "0.0001", "1e-3", "2.5e-3",
               "0.1", "0.30000000000000004", "100", "1e2", "1.0E2", "12345678.9", "-1.25e-10",
               "4.9E-324", "2.2250738585072014E-308", "1.7976931348623157e308", "1e-400",
               "9007199254740993", "1234567890123456789", "-9223372036854775808",
               "18446744073709551615", "5e-324", "1.0000000000000002", "123.456", "1e16",
               "1.0e+5", "7E0", "1e23", "5.63e21", "-9.184252111e18"]
    for t in ("double", "float"):
        add(rec("D_" + t, [{"name": "f%d" % k, "type": t, "default": json.loads(v)}
                           for k, v in enumerate(doubles) if t == "double" or abs(float(v)) < 3e38]))
    add('{"type":"record","name":"Raw","fields":[' + ",".join(
        '{"name":"f%d","type":"double","default":%s}' % (k, v) for k, v in enumerate(doubles)) + "]}")
    add('{"type":"record","name":"Overflow","fields":[{"name":"a","type":"double","default":1e400},'
        '{"name":"b","type":"double","default":-1e400},{"name":"c","type":"double","default":1e-400}]}')
    add('{"type":"record","name":"Big","fields":[{"name":"a","type":"double","default":1.0e+300},'
        '{"name":"b","type":["double","null"],"default":2.50},{"name":"c","type":"float","default":-0.0}]}')
    # Custom properties of every JSON kind, on every kind of node.
    props = {"s": "x\u00e9\"", "i": 42, "neg": -7, "d": 2.5, "e": 1e-7, "t": True, "f": False,
             "n": None, "arr": [1, "two", [3.0], {"k": None}], "obj": {"z": 1, "a": {"y": [], "b": {}}},
             "big": 12345678901234567, "\u00fcnicode-key": "v", "": "empty key"}
    add(dict({"type": "record", "name": "P", "fields": [
        dict({"name": "f", "type": dict({"type": "string"}, **props)}, **props),
        {"name": "g", "type": dict({"type": "array", "items": "int"}, **props)},
        {"name": "h", "type": dict({"type": "map", "values": "int"}, **props)},
        {"name": "i", "type": dict({"type": "enum", "name": "E", "symbols": ["A"]}, **props)},
        {"name": "j", "type": dict({"type": "fixed", "name": "F", "size": 1}, **props)},
        {"name": "k", "type": ["null", dict({"type": "long"}, **props)]}]}, **props))
    add({"type": "int", "x": {"nested": [1, {"deep": True}]}})
    add({"type": "string", "avro.java.string": "String"})
    # Attributes Java never keeps as properties: dropped.
    add({"type": "int", "doc": "dropped", "name": "n", "namespace": "ns", "aliases": ["a"], "size": 1})
    add({"type": "array", "items": "int", "values": "long", "fields": [], "symbols": [], "default": []})
    add({"type": "map", "values": "int", "items": "long", "name": "M"})
    add(rec("R", [{"name": "a", "type": "int", "size": 3, "symbols": ["x"], "items": "y"}],
            size=12, items="int", values="x", symbols=["A"], default={}))
    add({"type": "fixed", "name": "F", "size": 4, "symbols": ["A"], "default": "abcd", "fields": 1})
    # Enum defaults, with custom properties before and after (1.8.2 puts "default" among them).
    add({"type": "enum", "name": "E", "x": 1, "symbols": ["A", "B"], "default": "B", "y": 2,
         "aliases": ["F"], "doc": "d"})
    add({"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "A"})
    add({"default": "A", "symbols": ["A", "B"], "type": "enum", "name": "E", "z": None})
    # Logical types, valid and not.
    add(rec("L", [
        {"name": "a", "type": {"type": "int", "logicalType": "date"}},
        {"name": "b", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "c", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "d", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "e", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "f", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "g", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "h", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "i", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "j", "type": {"type": "bytes", "scale": 0, "precision": 4, "logicalType": "decimal"}},
        {"name": "k", "type": {"type": "fixed", "name": "Dec", "size": 8, "logicalType": "decimal",
                               "precision": 18, "scale": 3, "zz": 1}},
        {"name": "l", "type": {"type": "fixed", "name": "Dur", "size": 12, "logicalType": "duration"}},
        {"name": "m", "type": {"type": "string", "logicalType": "date"}},
        {"name": "n", "type": {"type": "bytes", "logicalType": "decimal", "precision": 0}},
        {"name": "o", "type": {"type": "int", "logicalType": "nope", "a": 1}},
        {"name": "p", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": None},
        {"name": "q", "type": "int", "logicalType": "date"}]))
    # error records, recursion, orders, unions at the top.
    add({"type": "error", "name": "Boom", "namespace": "e", "fields": [
        {"name": "msg", "type": "string", "order": "ignore"},
        {"name": "cause", "type": ["null", "Boom"], "default": None, "order": "descending"},
        {"name": "ok", "type": "int", "order": "ascending"}]})
    add(rec("LongList", [{"name": "value", "type": "long"},
                         {"name": "next", "type": ["null", "LongList"], "default": None}],
            aliases=["LinkedLongs"]))
    add([{"type": "record", "name": "a.A", "fields": []},
         {"type": "record", "name": "B", "namespace": "b", "fields": [{"name": "x", "type": "a.A"}]},
         "null", {"type": "enum", "name": "C", "symbols": ["X"]}, {"type": "array", "items": "b.B"}])
    add(["null", "string"])
    add('"int"')
    add('{"type":"null"}')
    add('  {\n  "type" : "record",\n  "name" : "Pretty",\n  "fields" : [ {\n    "name" : "x",\n'
        '    "type" : [ "null", "string" ],\n    "default" : null\n  } ]\n}  ')
    # Key order of the input does not matter.
    add('{"fields":[{"default":1,"type":"int","doc":"d","name":"a","order":"ignore","aliases":["z"],'
        '"p":1}],"aliases":["Q"],"doc":"rd","namespace":"ns","name":"R","type":"record","q":2}')
    # Escapes in the input are decoded, then written as Jackson writes them.
    add('{"type":"record","name":"\\u0041bc","namespace":"n\\u0073","fields":[{"name":"\\u0078",'
        '"type":"\\u0069nt","doc":"\\u00e9\\/\\ud83d\\ude00\\u001F\\u007F"}]}')
    return out


# ----------------------------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(DATA, "java_rendering.jsonl"))
    ap.add_argument("--stride", type=int, default=20,
                    help="take the reader of every N-th pair of differential_pairs.jsonl")
    args = ap.parse_args(argv)
    err = sys.stderr

    inputs = hand_written()
    n_hand = len(inputs)
    with open(os.path.join(DATA, "canonical_forms.jsonl"), encoding="utf-8") as f:
        for line in f:
            inputs.append((json.loads(line)["schema"], None, None))
    n_canonical = len(inputs) - n_hand
    with open(os.path.join(DATA, "differential_pairs.jsonl"), encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f]
    pairs = [p for p in pairs if p.get("op") == "pair"]
    for p in pairs[::args.stride]:
        inputs.append((json.dumps(p["reader"], ensure_ascii=False), None, None))
    n_pairs = len(inputs) - n_hand - n_canonical

    java = Java()
    stats = collections.Counter()
    lines, seen, skipped = [], set(), []
    for text, expected, note in inputs:
        if text in seen:
            stats["duplicate input"] += 1
            continue
        seen.add(text)
        r = java.ask(text)
        if not r.get("valid"):
            stats["rejected by Java 1.8.2 (skipped)"] += 1
            skipped.append(("java rejects", text, r.get("error")))
            continue
        line = {"schema": text, "java": r["java"]}
        if expected is not None:
            if expected == r["java"]:
                raise SystemExit("hand-written expected text equals 1.8.2's output: " + text)
            line["expected"], line["note"] = expected, note
            stats["hand-written 1.11 expectation"] += 1
        else:
            try:
                spec = canon.spec_pcf(json.dumps(errors_as_records(json.loads(text))))
            except Exception:  # noqa: BLE001
                # spec_pcf does not fall back to the null namespace for a bare name; trust Java.
                spec = r["pcf"]
                stats["spec_pcf cannot read it (kept)"] += 1
            if spec != r["pcf"]:
                stats["1.8.2 parses a different schema (skipped)"] += 1
                skipped.append(("pcf differs", text, r["pcf"] + " vs spec " + spec))
                continue
            fixed, notes = to_java_1_11(r["java"])
            if fixed != r["java"]:
                line["expected"], line["note"] = fixed, "; ".join(notes)
                for n in notes:
                    stats["rewritten: " + n.split(":")[0].split(" printed")[0]] += 1
            else:
                stats["1.8.2 output used as is"] += 1
        lines.append(line)
    java.close()

    with open(args.out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{os.path.relpath(args.out, REPO)}: {len(lines)} lines from {n_hand} hand-written, "
          f"{n_canonical} canonical_forms and {n_pairs} differential_pairs inputs", file=err)
    for k, v in sorted(stats.items()):
        print(f"  {k:60s} {v}", file=err)
    for kind, text, why in skipped:
        print(f"  [{kind}] {text[:150]}\n      {str(why)[:200]}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
