#!/usr/bin/python3
"""Writes Avro Parsing Canonical Form (PCF) and fingerprint reference data, and invalid schemas.

  tests/testdata/avro/canonical_forms.jsonl   one valid schema per line:
      {"schema": "<text as fed to parsers>", "canonical": "<PCF>", "crc64_avro": "<16 hex digits:
       the CRC-64-AVRO fingerprint's 8 bytes little-endian>", "crc64_avro_signed": <Java long>,
       "md5": "<hex>", "sha256": "<hex>"[, "note": "..."]}
  tests/testdata/avro/invalid_schemas.jsonl   one invalid schema per line:
      {"schema", "class", "why", "oracle_error": <python3-avro message or null>, "java_error": <Avro
       Java 1.8.2 message (parsed with default validation on) or null>}

Every PCF is computed by two implementations and a line is written only when they agree:
  (a) python3-avro 1.11.1 `Schema.canonical_form`, our own table-driven CRC-64-AVRO, hashlib;
  (b) Avro Java 1.8.2 SchemaNormalization (CanonicalOracle.java, compiled to a temp dir).
Where they disagree, a third, independent reading of the specification's transformation rules
(`spec_pcf` below) decides; the spec-correct form is written with a "note" naming the
implementation that got it wrong. Disagreements are summarised on stderr.

Run with /usr/bin/python3. Deterministic for a given --seed.
"""
import argparse
import collections
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(REPO, "tests", "testdata", "avro")
sys.path.insert(0, HERE)

import avro.schema  # noqa: E402  (Debian python3-avro)
import gen_avro_pairs as gp  # noqa: E402

JAVA_DIR = "/usr/share/java"
JAVA_JARS = ["avro.jar", "jackson-core-asl.jar", "jackson-mapper-asl.jar", "slf4j-api.jar",
             "slf4j-nop.jar", "paranamer.jar", "commons-compress.jar", "snappy-java.jar", "xz.jar"]
PRIMS = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")

# ----------------------------------------------------------------------------------------------
# CRC-64-AVRO (Rabin fingerprint), per the specification's "Schema Fingerprints" section.

CRC64_EMPTY = 0xC15D213AA4D7A795
_MASK64 = (1 << 64) - 1


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
        table.append(fp & _MASK64)
    return table


CRC64_TABLE = _crc64_table()


def crc64_avro(data: bytes) -> int:
    fp = CRC64_EMPTY
    for b in data:
        fp = (fp >> 8) ^ CRC64_TABLE[(fp ^ b) & 0xFF]
    return fp


def fingerprints(pcf: str):
    data = pcf.encode("utf-8")
    fp = crc64_avro(data)
    return {"crc64_avro": fp.to_bytes(8, "little").hex(),
            "crc64_avro_signed": fp - (1 << 64) if fp >= 1 << 63 else fp,
            "md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest()}


# ----------------------------------------------------------------------------------------------
# Independent reading of the spec's PCF rules, used only to adjudicate disagreements.
# [PRIMITIVES] simple form; [FULLNAMES] fullnames, no namespace; [STRIP] only the attributes
# relevant to parsing *for that kind of schema*; [ORDER] name,type,fields,symbols,items,values,size;
# [STRINGS] no escapes (UTF-8); [INTEGERS] plain integers; [WHITESPACE] none.

def _q(s):
    return json.dumps(s, ensure_ascii=False)


def spec_pcf(text):
    defined = set()

    def fullname(name, ns_attr, encl):
        if "." in name:
            return name, name.rsplit(".", 1)[0]
        space = encl if ns_attr is None else (ns_attr or None)
        return (f"{space}.{name}" if space else name), space

    def go(s, encl):
        if isinstance(s, str):
            if s in PRIMS:
                return _q(s)
            full = s if "." in s or not encl else f"{encl}.{s}"
            if full not in defined:
                raise ValueError("undefined name " + s)
            return _q(full)
        if isinstance(s, list):
            return "[" + ",".join(go(b, encl) for b in s) + "]"
        t = s["type"]
        if isinstance(t, str) and t in PRIMS:
            return _q(t)
        if t == "array":
            return '{"type":"array","items":' + go(s["items"], encl) + "}"
        if t == "map":
            return '{"type":"map","values":' + go(s["values"], encl) + "}"
        if t in ("record", "enum", "fixed"):
            full, space = fullname(s["name"], s.get("namespace"), encl)
            if full in defined:
                raise ValueError("redefined " + full)
            defined.add(full)
            out = '{"name":' + _q(full) + ',"type":"' + t + '"'
            if t == "record":
                out += ',"fields":[' + ",".join(
                    '{"name":' + _q(f["name"]) + ',"type":' + go(f["type"], space) + "}"
                    for f in s["fields"]) + "]"
            elif t == "enum":
                out += ',"symbols":[' + ",".join(_q(x) for x in s["symbols"]) + "]"
            else:
                out += ',"size":' + str(int(s["size"]))
            return out + "}"
        raise ValueError("unknown type " + repr(t))

    return go(json.loads(text), None)


# ----------------------------------------------------------------------------------------------
# Java helper

class Java:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-canonical-oracle-")
        cp = ":".join(os.path.join(JAVA_DIR, j) for j in JAVA_JARS)
        subprocess.run(["javac", "-nowarn", "-d", self.tmp, "-cp", cp,
                        os.path.join(HERE, "CanonicalOracle.java")], check=True)
        self.proc = subprocess.Popen(["java", "-Xshare:auto", "-cp", f"{cp}:{self.tmp}", "CanonicalOracle"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8")

    def ask(self, req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def python_parse(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return avro.schema.parse(text)


# ----------------------------------------------------------------------------------------------
# Hand-picked valid schemas

def J(v):
    return json.dumps(v)


def hand_picked():
    out = []
    for p in PRIMS:
        out.append(J(p))
        out.append(J({"type": p}))
    out += [
        ' "int" ', '\n\t{ "type" :\t"long" }\n', '{"type":"string","avro.java.string":"String"}',
        '{"type":"bytes","x":{"nested":[1,2,{"y":null}]}}', '{"type":"null","doc":"nothing"}',
        '{"type":"int","logicalType":"date"}', '{"type":"int","logicalType":"time-millis"}',
        '{"type":"long","logicalType":"time-micros"}', '{"type":"long","logicalType":"timestamp-millis"}',
        '{"type":"long","logicalType":"timestamp-micros"}',
        '{"type":"long","logicalType":"local-timestamp-millis"}',
        '{"type":"string","logicalType":"uuid"}', '{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}',
        '{"type":"bytes","logicalType":"decimal","precision":4}', '{"type":"int","logicalType":"no-such-type"}',
        '{"type":"fixed","name":"Dec","size":8,"logicalType":"decimal","precision":10,"scale":3}',
        '{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}',
        '{"type":"array","items":"int"}', '{"type":"map","values":{"type":"string"}}',
        '{"values":"long","type":"map","default":{}}', '{"items":{"type":"array","items":"null"},"type":"array"}',
        '["null","string"]', '["string","null"]', '[]', '["int"]', '[{"type":"int","logicalType":"date"},"string"]',
        '{"type":"fixed","name":"F0","size":0}', '{"type":"fixed","name":"F1","size":1}',
        '{"type":"fixed","name":"Big","size":2147483647}', '{"type":"fixed","size":16,"name":"md5","namespace":"org.x"}',
        '{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","DIAMONDS","CLUBS"]}',
        '{"type":"enum","name":"E","symbols":["A"],"default":"A","doc":"d","aliases":["Old"]}',
        '{"type":"enum","name":"E","symbols":[]}', '{"symbols":["_","a1","Z_9"],"name":"n.s.E","type":"enum"}',
        '{"type":"record","name":"Empty","fields":[]}',
        '{"type":"record","name":"R","namespace":"","fields":[{"name":"a","type":"int"}]}',
        '{"type":"record","name":"LongList","aliases":["LinkedLongs"],"fields":[{"name":"value","type":"long"},'
        '{"name":"next","type":["null","LongList"]}]}',
        '{"type":"record","name":"Node","namespace":"t","fields":[{"name":"children","type":{"type":"array",'
        '"items":"Node"}},{"name":"byName","type":{"type":"map","values":"t.Node"}}]}',
        # namespaces: inheritance, dotted names, explicit overrides, references
        '{"type":"record","name":"Example","fields":[{"name":"inheritNull","type":{"type":"enum","name":"Simple",'
        '"symbols":["a","b"]}},{"name":"explicitNamespace","type":{"type":"fixed","name":"Simple",'
        '"namespace":"explicit","size":12}},{"name":"fullName","type":{"type":"record","name":"a.full.Name",'
        '"namespace":"ignored","fields":[{"name":"inheritNamespace","type":{"type":"enum","name":"Understanding",'
        '"symbols":["d","e"]}},{"name":"ref","type":"Understanding"}]}},{"name":"r1","type":"Simple"},'
        '{"name":"r2","type":"explicit.Simple"},{"name":"r3","type":"a.full.Understanding"}]}',
        '{"type":"record","name":"Outer","namespace":"com.acme","fields":[{"name":"in","type":{"type":"record",'
        '"name":"Inner","fields":[{"name":"deeper","type":{"type":"record","name":"Deepest","namespace":'
        '"com.acme.deep","fields":[{"name":"e","type":{"type":"enum","name":"Color","symbols":["R","G"]}}]}}]}},'
        '{"name":"c1","type":"com.acme.deep.Color"},{"name":"c2","type":"Inner"}]}',
        '{"type":"record","name":"a.b.R","namespace":"zz","fields":[{"name":"n","type":["null","R"]},'
        '{"name":"m","type":["null","a.b.R"]}]}',
        '{"type":"record","name":"R","namespace":"x","fields":[{"name":"f","type":{"type":"fixed","name":"F",'
        '"size":4}},{"name":"g","type":"F"},{"name":"h","type":{"type":"array","items":"x.F"}}]}',
        '{"type":"record","name":"R","namespace":"x","fields":[{"name":"e","type":{"type":"enum","name":"E",'
        '"symbols":["A"]}},{"name":"g","type":["null","E"]}]}',
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"record","name":"S",'
        '"namespace":"","fields":[{"name":"t","type":{"type":"enum","name":"T","symbols":["X"]}}]}}]}',
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"record","name":"S",'
        '"namespace":"","fields":[{"name":"i","type":"int"}]}},{"name":"g","type":"int"}]}',
        '{"type":"record","name":"R","namespace":"p.q","fields":[{"name":"a","type":{"type":"record","name":"X",'
        '"namespace":"one","fields":[]}},{"name":"b","type":{"type":"record","name":"X","namespace":"two",'
        '"fields":[]}},{"name":"c","type":["one.X","two.X"]}]}',
        '{"type":"record","name":"U","namespace":"a1.b_2._c","fields":[{"name":"x","type":"int"}]}',
        '{"type":"record","name":"record","fields":[{"name":"e","type":{"type":"enum","name":"enum",'
        '"symbols":["A"]}}]}',
        # attributes to strip, defaults, docs, aliases, orders, custom properties, escapes
        '{"type":"record","name":"Doc","doc":"caf\\u00e9 \\u2603 \\"q\\" \\\\ \\n tab\\t","aliases":["a.Old","Old2"],'
        '"x-custom":{"k":[1,2.5,true,null]},"fields":[{"name":"f","type":"string","default":"\\u00ff\\u0000",'
        '"doc":"\\ud83d\\ude00 emoji","aliases":["g"],"order":"descending","x-f":1}]}',
        '{"type":"record","name":"Defaults","fields":[{"name":"a","type":"int","default":-2147483648},'
        '{"name":"b","type":"long","default":9223372036854775807},{"name":"c","type":"double","default":1e308},'
        '{"name":"d","type":"bytes","default":"\\u00ff"},{"name":"e","type":["null","int"],"default":null},'
        '{"name":"f","type":{"type":"array","items":"int"},"default":[1,2]},'
        '{"name":"g","type":{"type":"map","values":"string"},"default":{"k":"v"}},'
        '{"name":"h","type":{"type":"record","name":"Sub","fields":[{"name":"x","type":"int"}]},"default":{"x":1}},'
        '{"name":"i","type":"boolean","default":false,"order":"ignore"}]}',
        '{"fields":[{"type":"int","name":"b"},{"name":"a","type":"int"}],"type":"record","name":"Order"}',
        '{"name":"\\u0041bc","type":"record","fields":[{"name":"\\u0078","type":"\\u0069nt"}],"namespace":"n\\u0073"}',
        '{"type":"enum","name":"Esc","symbols":["\\u0041","B\\u005f"]}',
        '{"type":"record","name":"WithSize","fields":[{"name":"a","type":"int","size":3,"symbols":["x"]}]}',
        '{"type":"array","items":"int","values":"long"}',
        '{"type":"record","name":"R","fields":[],"size":12,"items":"int"}',
        '{"type":"map","values":["null",{"type":"record","name":"V","fields":[{"name":"u","type":["null","V"]}]}]}',
        '[{"type":"record","name":"A","fields":[]},{"type":"record","name":"B","fields":[{"name":"a","type":"A"}]},'
        '"null",{"type":"enum","name":"C","symbols":["X"]},{"type":"fixed","name":"D","size":2},'
        '{"type":"array","items":"A"},{"type":"map","values":"B"}]',
        '{\n  "type" : "record",\n  "name" : "Pretty",\n  "fields" : [ {\n    "name" : "x",\n    "type" : [ "null", '
        '"string" ],\n    "default" : null\n  } ]\n}',
    ]
    return out


def variants(value, rng):
    """Schema text for a JSON value with random formatting: whitespace, key order, escapes."""
    def shuffle(v):
        if isinstance(v, dict):
            items = list(v.items())
            if rng.random() < 0.5:
                rng.shuffle(items)
            return {k: shuffle(x) for k, x in items}
        if isinstance(v, list):
            return [shuffle(x) for x in v]
        return v

    v = shuffle(value)
    style = rng.random()
    if style < 0.3:
        text = json.dumps(v, separators=(",", ":"), ensure_ascii=rng.random() < 0.5)
    elif style < 0.6:
        text = json.dumps(v, indent=rng.choice([1, 2, 4, "\t"]), ensure_ascii=rng.random() < 0.5)
    else:
        text = json.dumps(v, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.3:   # \u-escape the first letter of one name (same JSON value)
        names = list(re.finditer(r'"name": ?"([A-Za-z])', text))
        if names:
            m = rng.choice(names)
            text = text[:m.start(1)] + "\\u%04x" % ord(m.group(1)) + text[m.end(1):]
    return text


# ----------------------------------------------------------------------------------------------
# Invalid schemas: (class, why, text)

SPEC_RULES = {
    "invalid_name": "'The name portion of the fullname of named types, record field names, and enum symbols must "
                    "start with [A-Za-z_] and subsequently contain only [A-Za-z0-9_]' (Names)",
    "invalid_symbol": "'symbols: a JSON array, listing symbols, as JSON strings ... Every symbol must match the "
                      "regular expression [A-Za-z_][A-Za-z0-9_]*' (Enums)",
    "duplicate_union_branch": "'Unions may not contain more than one schema with the same type, except for the named "
                              "types record, fixed and enum' - two named branches must have different names (Unions)",
    "bad_default": "'Permitted values depend on the field's schema type' (field default values table); 'Default "
                   "values for union fields correspond to the first schema in the union'; 'Default values for bytes "
                   "and fixed fields are JSON strings, where Unicode code points 0-255 are mapped to unsigned 8-bit "
                   "byte values 0-255' (Records)",
    "bad_size": "'size: an integer, specifying the number of bytes per value' - a JSON boolean is not an integer (Fixed)",
}


def invalid_cases():
    R = '{"type":"record","name":"R","fields":[%s]}'
    F = '{"name":"f","type":%s,"default":%s}'
    enum = '{"type":"enum","name":"E","symbols":%s}'
    c = []

    def add(cls, why, text):
        c.append((cls, why, text))

    add("bad_json", "empty document", "")
    add("bad_json", "unterminated object", '{"type":"record"')
    add("bad_json", "trailing comma", '{"type":"int",}')
    add("bad_json", "single quotes are not JSON", "{'type':'int'}")
    add("bad_json", "bare word: a primitive name must be a JSON string", "int")
    add("bad_json", "leading zeros are not JSON numbers", '{"type":"fixed","name":"F","size":016}')
    add("bad_json", "NaN is not JSON", '{"type":"fixed","name":"F","size":NaN}')
    add("bad_json", "two top-level values", '"int" "long"')
    add("unknown_type", "type names are case-sensitive", '"Int"')
    add("unknown_type", "no type 'integer'", '{"type":"integer"}')
    add("unknown_type", "no type 'STRING'", '{"type":"STRING"}')
    add("unknown_type", "'union' is not a type attribute value; unions are JSON arrays",
        '{"type":"union","types":["int"]}')
    add("unknown_type", "type attribute must be a string", '{"type":5}')
    add("unknown_type", "type attribute null", '{"type":null}')
    add("unknown_type", "a field type that is neither a known name nor a schema", R % '{"name":"a","type":"integer"}')
    add("unknown_name", "bare name never defined", '"Foo"')
    add("unknown_name", "field refers to an undefined name", R % '{"name":"a","type":"S"}')
    add("unknown_name", "a name must be defined before it is used",
        R % '{"name":"a","type":"E"},{"name":"b","type":{"type":"enum","name":"E","symbols":["X"]}}')
    add("unknown_name", "names are case-sensitive", R % '{"name":"a","type":["null","r"]}')
    add("unknown_name", "short reference resolves in the enclosing namespace (b), not in a",
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":{"type":"enum","name":"E",'
        '"symbols":["A"]}},{"name":"y","type":{"type":"record","name":"S","namespace":"b","fields":'
        '[{"name":"z","type":"E"}]}}]}')
    add("unknown_name", "a null-namespace name cannot be referenced from inside a namespace (spec: a dotless "
        "reference takes the enclosing namespace)",
        '{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"enum","name":"E","symbols":["A"]}},'
        '{"name":"y","type":{"type":"record","name":"S","namespace":"b","fields":[{"name":"z","type":"E"}]}}]}')
    add("unknown_name", "array items refer to an undefined name", '{"type":"array","items":"Missing"}')
    add("unknown_name", "union branch refers to an undefined name", '["null","a.b.Missing"]')
    add("duplicate_name", "two records with the same fullname",
        R % '{"name":"a","type":{"type":"record","name":"S","fields":[]}},'
            '{"name":"b","type":{"type":"record","name":"S","fields":[]}}')
    add("duplicate_name", "an enum and a fixed with the same fullname",
        R % '{"name":"a","type":{"type":"enum","name":"X","symbols":["A"]}},'
            '{"name":"b","type":{"type":"fixed","name":"X","size":1}}')
    add("duplicate_name", "the same fullname written as dotted name and as name+namespace",
        R % '{"name":"a","type":{"type":"fixed","name":"n.X","size":1}},'
            '{"name":"b","type":{"type":"fixed","name":"X","namespace":"n","size":1}}')
    add("duplicate_name", "a record redefining itself instead of referencing",
        R % '{"name":"a","type":{"type":"record","name":"R","fields":[]}}')
    add("duplicate_name", "inherited namespace makes both fullnames ns.S",
        '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":{"type":"fixed","name":"S",'
        '"size":1}},{"name":"b","type":{"type":"fixed","name":"ns.S","size":2}}]}')
    add("invalid_name", "name starts with a digit", '{"type":"record","name":"1abc","fields":[]}')
    add("invalid_name", "hyphen in name", '{"type":"enum","name":"a-b","symbols":["A"]}')
    add("invalid_name", "space in name", '{"type":"fixed","name":"a b","size":1}')
    add("invalid_name", "empty name", '{"type":"record","name":"","fields":[]}')
    add("invalid_name", "primitive type names may not be defined", '{"type":"record","name":"int","fields":[]}')
    add("invalid_name", "non-ASCII letter in name (spec: [A-Za-z_][A-Za-z0-9_]*)",
        '{"type":"record","name":"na\\u00efve","fields":[]}')
    add("invalid_name", "name ends with a dot (empty last component)", '{"type":"record","name":"a.","fields":[]}')
    add("invalid_name", "empty component in a dotted name", '{"type":"record","name":"a..B","fields":[]}')
    add("invalid_name", "name must be a string", '{"type":"record","name":5,"fields":[]}')
    add("invalid_name", "field name starts with a digit (spec: record field names follow the name rule)",
        R % '{"name":"1x","type":"int"}')
    add("invalid_name", "hyphen in field name", R % '{"name":"a-b","type":"int"}')
    add("invalid_name", "non-ASCII field name", R % '{"name":"caf\\u00e9","type":"int"}')
    add("invalid_namespace", "namespace component starts with a digit",
        '{"type":"record","name":"R","namespace":"a.1b","fields":[]}')
    add("invalid_namespace", "empty component in namespace", '{"type":"record","name":"R","namespace":"a..b","fields":[]}')
    add("invalid_namespace", "namespace starts with a dot", '{"type":"enum","name":"E","namespace":".a","symbols":["A"]}')
    add("invalid_namespace", "namespace ends with a dot", '{"type":"fixed","name":"F","namespace":"a.","size":1}')
    add("invalid_namespace", "hyphen in namespace", '{"type":"record","name":"R","namespace":"com.my-co","fields":[]}')
    add("invalid_namespace", "namespace must be a string", '{"type":"record","name":"R","namespace":5,"fields":[]}')
    add("invalid_namespace", "invalid namespace component inside a dotted name",
        '{"type":"record","name":"a.1b.R","fields":[]}')
    add("invalid_symbol", "symbol starts with a digit", enum % '["1A"]')
    add("invalid_symbol", "hyphen in symbol", enum % '["A-B"]')
    add("invalid_symbol", "empty symbol", enum % '[""]')
    add("invalid_symbol", "non-ASCII symbol", enum % '["\\u00c9T\\u00c9"]')
    add("invalid_symbol", "symbols must be strings", enum % '["A",1]')
    add("invalid_symbol", "space in symbol", enum % '["A B"]')
    add("invalid_symbol", "symbols must be a JSON array, not a string", enum % '"AB"')
    add("duplicate_symbol", "repeated symbol", enum % '["A","A"]')
    add("duplicate_symbol", "repeated symbol, not adjacent", enum % '["A","B","C","B"]')
    add("nested_union", "a union directly inside a union", '[["int"]]')
    add("nested_union", "nested union as a branch", '["null",["int","string"]]')
    add("nested_union", "nested union in a field type", R % '{"name":"a","type":["null",["int"]]}')
    add("duplicate_union_branch", "int twice", '["int","int"]')
    add("duplicate_union_branch", "null twice", '["null","string","null"]')
    add("duplicate_union_branch", "two arrays", '[{"type":"array","items":"int"},{"type":"array","items":"long"}]')
    add("duplicate_union_branch", "two maps", '[{"type":"map","values":"int"},{"type":"map","values":"string"}]')
    add("duplicate_union_branch", "a logical type has the type of its underlying primitive",
        '["int",{"type":"int","logicalType":"date"}]')
    add("duplicate_union_branch", "string and {\"type\":\"string\"} are the same type", '["string",{"type":"string"}]')
    add("duplicate_union_branch", "the same named type twice (spec: no two schemas with the same name)",
        R % '{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":["E","E"]}')
    bad_defaults = [
        ('"int"', '"x"', "int default must be a JSON integer"),
        ('"int"', "1.5", "int default must be an integer"),
        ('"int"', "2147483648", "int default out of 32-bit range"),
        ('"long"', "9223372036854775808", "long default out of 64-bit range"),
        ('"boolean"', '"true"', "boolean default must be true/false"),
        ('"null"', "0", "null default must be null"),
        ('"string"', "5", "string default must be a JSON string"),
        ('"float"', '"1.0"', "float default must be a JSON number"),
        ('"bytes"', '"\\u0100"', "bytes default code points must be 0-255"),
        ('{"type":"fixed","name":"F","size":2}', '"abc"', "fixed default must have exactly size characters"),
        ('["null","int"]', "5", "a union default must match the union's FIRST branch"),
        ('["int","null"]', "null", "a union default must match the union's FIRST branch"),
        ('{"type":"record","name":"S","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}', '{"x":1}',
         "record default lacks field y (which has no default)"),
        ('{"type":"array","items":"int"}', "{}", "array default must be a JSON array"),
        ('{"type":"array","items":"int"}', '["a"]', "array default elements must match items"),
        ('{"type":"map","values":"int"}', "[]", "map default must be a JSON object"),
        ('{"type":"enum","name":"E2","symbols":["A","B"]}', '"C"', "enum field default must be one of the symbols"),
    ]
    for t, d, why in bad_defaults:
        add("bad_default", why, R % (F % (t, d)))
    add("bad_enum_default", "enum default is not one of the symbols",
        '{"type":"enum","name":"E","symbols":["A"],"default":"B"}')
    add("bad_enum_default", "enum default must be a string", '{"type":"enum","name":"E","symbols":["A"],"default":1}')
    add("bad_enum_default", "empty enum default", '{"type":"enum","name":"E","symbols":["A"],"default":""}')
    add("missing_field", "record without fields", '{"type":"record","name":"R"}')
    add("missing_field", "record without name", '{"type":"record","fields":[]}')
    add("missing_field", "enum without symbols", '{"type":"enum","name":"E"}')
    add("missing_field", "enum without name", '{"type":"enum","symbols":["A"]}')
    add("missing_field", "fixed without size", '{"type":"fixed","name":"F"}')
    add("missing_field", "fixed without name", '{"type":"fixed","size":4}')
    add("missing_field", "array without items", '{"type":"array"}')
    add("missing_field", "map without values", '{"type":"map"}')
    add("missing_field", "field without type", R % '{"name":"a"}')
    add("missing_field", "field without name", R % '{"type":"int"}')
    add("missing_field", "object without type", "{}")
    add("missing_field", "fields must be an array", '{"type":"record","name":"R","fields":{}}')
    add("bad_size", "negative size", '{"type":"fixed","name":"F","size":-1}')
    add("bad_size", "size as a string", '{"type":"fixed","name":"F","size":"16"}')
    add("bad_size", "fractional size", '{"type":"fixed","name":"F","size":16.5}')
    add("bad_size", "size written as a float (spec: an integer)", '{"type":"fixed","name":"F","size":16.0}')
    add("bad_size", "size in exponent notation is a float", '{"type":"fixed","name":"F","size":1e1}')
    add("bad_size", "null size", '{"type":"fixed","name":"F","size":null}')
    add("bad_size", "boolean size", '{"type":"fixed","name":"F","size":true}')
    add("duplicate_field", "two fields named a", R % '{"name":"a","type":"int"},{"name":"a","type":"long"}')
    add("duplicate_field", "duplicate field in a nested record",
        R % '{"name":"n","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int"},'
            '{"name":"y","type":"int"},{"name":"x","type":"string"}]}}')
    add("duplicate_field", "field names are case-sensitive but exact repeats are not allowed",
        R % '{"name":"Ab","type":"int"},{"name":"ab","type":"int"},{"name":"Ab","type":"int"}')
    return c


# ----------------------------------------------------------------------------------------------

def python_quirks(text, py, spec):
    """Names the python3-avro 1.11.1 canonical_form defects that the schema text triggers."""
    found = []
    if py.count('"type":"fixed"') > spec.count('"type":"fixed"'):
        found.append("a fixed used again is re-emitted in full instead of as its fullname (a name may be "
                     "defined only once, so later occurrences must be references)")

    def walk(s, encl):
        if isinstance(s, list):
            for b in s:
                walk(b, encl)
        elif isinstance(s, dict):
            t = s.get("type")
            if t in PRIMS and len(s) > 1:
                found.append("a primitive with extra attributes (e.g. logicalType) is printed as "
                             "{\"type\":...}; spec [PRIMITIVES] requires the simple form")
            if t in ("record", "enum", "fixed"):
                name = s.get("name", "")
                if s.get("namespace") == "" and encl and "." not in name:
                    found.append("\"namespace\":\"\" (the null namespace) inside a namespaced record is "
                                 "treated as 'inherit the enclosing namespace'")
                space = name.rsplit(".", 1)[0] if "." in name else (
                    encl if s.get("namespace") is None else (s.get("namespace") or None))
                for f in s.get("fields", []) if t == "record" else []:
                    if any(k in f for k in ("fields", "symbols", "items", "values", "size")):
                        found.append("a field's attributes named like PCF keys (e.g. \"size\") are kept; spec "
                                     "[STRIP] keeps only the attributes relevant to parsing")
                    walk(f.get("type"), space)
            elif t in ("array", "map"):
                walk(s.get("items" if t == "array" else "values"), encl)

    walk(json.loads(text), None)
    return sorted(set(found)) or ["differs from the spec"]


def explain(schema, py, java, spec):
    if java == spec:
        return ("python3-avro 1.11.1 canonical_form is wrong here: " + "; ".join(python_quirks(schema, py, spec))
                + ". Avro Java 1.8.2 agrees with the spec.")
    return "Avro Java 1.8.2 toParsingForm is wrong here; python3-avro 1.11.1 agrees with the spec."


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300, help="number of valid schemas (approximate)")
    ap.add_argument("--out-dir", default=OUT_DIR)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    err = sys.stderr

    texts = hand_picked()
    n_hand = len(texts)
    while len(texts) < args.count:
        g = gp.Gen(rng)
        box = g.schema(size=rng.randint(3, 12))
        texts.append(variants(gp.to_json(box.root), rng))

    java = Java()
    stats = collections.Counter()
    disagreements = []
    lines = []
    seen = set()
    for i, text in enumerate(texts):
        if text in seen:
            continue
        seen.add(text)
        try:
            py = python_parse(text).canonical_form
        except Exception as e:  # noqa: BLE001
            py, py_err = None, f"{type(e).__name__}: {e}"
        jr = java.ask({"id": i, "op": "parse", "schema": text})
        jv = jr.get("pcf") if jr.get("valid") else None
        try:
            spec = spec_pcf(text)
        except Exception:  # noqa: BLE001  (not valid by our reading of the spec)
            spec = None
        if py is None or jv is None:
            stats["rejected by " + ("both" if py is None and jv is None else "python" if py is None else "java")] += 1
            disagreements.append(("parse", text, py if py is not None else py_err, jv or jr.get("error")))
            continue
        note = None
        if py == jv:
            canonical = py
            if spec != py:
                stats["python==java but spec reading differs"] += 1
                disagreements.append(("spec-reading", text, py, spec))
            stats["agree"] += 1
        elif spec in (py, jv):
            canonical = spec
            note = explain(text, py, jv, spec)
            stats["disagree: " + ("python wrong" if jv == spec else "java wrong")] += 1
            disagreements.append(("pcf", text, py, jv))
        else:
            stats["disagree: neither matches spec reading (skipped)"] += 1
            disagreements.append(("pcf-unresolved", text, py, jv))
            continue
        fp = fingerprints(canonical)
        # Java's fingerprints over the same bytes (the PCF Java produced, or the spec-correct one).
        jfp = jr if jv == canonical else java.ask({"id": i, "op": "fp", "text": canonical})
        jfp_ok = (jfp.get("crc64") == fp["crc64_avro"] and jfp.get("fp64") == fp["crc64_avro_signed"]
                  and jfp.get("md5") == fp["md5"] and jfp.get("sha256") == fp["sha256"]
                  and "inconsistent" not in jfp)
        if not jfp_ok:
            stats["fingerprint mismatch (skipped)"] += 1
            disagreements.append(("fingerprint", text, fp, jfp))
            continue
        line = {"schema": text, "canonical": canonical}
        line.update(fp)
        if note:
            line["note"] = note
        lines.append(line)

    invalid = []
    inv_stats = collections.Counter()
    for cls, why, text in invalid_cases():
        try:
            python_parse(text)
            py_err = None
        except Exception as e:  # noqa: BLE001
            py_err = f"{type(e).__name__}: {e}"
        jr = java.ask({"id": 0, "op": "parse", "schema": text, "validateDefaults": True})
        j_err = None if jr.get("valid") else re.sub(r"@[0-9a-f]+", "", jr.get("error", "?"))  # object hashes
        if py_err is None:
            inv_stats["python accepts"] += 1
            why = f"{why}. python3-avro 1.11.1 accepts this, but the Avro 1.11 specification forbids it: {SPEC_RULES[cls]}"
        if j_err is None:
            inv_stats["java 1.8.2 accepts"] += 1
        inv_stats[cls] += 1
        invalid.append({"schema": text, "class": cls, "why": why, "oracle_error": py_err, "java_error": j_err})
    java.close()

    with open(os.path.join(args.out_dir, "canonical_forms.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out_dir, "invalid_schemas.jsonl"), "w", encoding="utf-8") as f:
        for line in invalid:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")

    print(f"canonical_forms.jsonl: {len(lines)} lines ({n_hand} hand-picked inputs, "
          f"{len(texts) - n_hand} generated)", file=err)
    for k, v in sorted(stats.items()):
        print(f"  {k:50s} {v}", file=err)
    for kind, text, a, b in disagreements:
        print(f"  [{kind}] {text[:160]!r}\n      python/first:  {str(a)[:200]}\n      java/second:   {str(b)[:200]}",
              file=err)
    print(f"invalid_schemas.jsonl: {len(invalid)} lines", file=err)
    for k, v in sorted(inv_stats.items()):
        print(f"  {k:30s} {v}", file=err)
    for line in invalid:
        if line["oracle_error"] is None or line["java_error"] is None:
            print(f"  accepted by {'python' if line['oracle_error'] is None else ''}"
                  f"{'+' if line['oracle_error'] is None and line['java_error'] is None else ''}"
                  f"{'java' if line['java_error'] is None else ''}: [{line['class']}] {line['schema'][:110]}",
                  file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
