#!/usr/bin/python3
"""Generates Avro (reader, writer) schema pairs and compatibility-level cases with oracle verdicts.

Each case starts from a random valid base schema (nested records, every primitive, logical types,
enums with/without an enum default, fixed, arrays, maps, nullable and multi-branch unions, named
references, namespaces, recursive records) and applies 1-3 random evolutions to obtain the other
schema; which of the two is the reader is random. The verdict comes from the python3-avro 1.11.1
oracle (shared/oracles/avro/avro_compat.py), driven as one long-running --jsonl process.

Output (JSON lines, default tests/testdata/avro/differential_pairs.jsonl):
  {"id","op":"pair","reader","writer","compatible","incompatibilities","locations","mutations"}
  {"id","op":"level","level","schema","previous":[oldest..newest],"compatible"}

Run with /usr/bin/python3 (Debian's python3-avro). Deterministic for a given --seed.
A summary (drops, verdict mix, histograms) goes to stderr.

The generator deliberately avoids constructs on which python3-avro 1.11.1 disagrees with Avro
Java 1.11 / Confluent (see README.md): short (namespace-relative) aliases of named types, a
dotted "name" on one side and name+namespace on the other, reader fields matching a writer field
both directly and through an alias, and "namespace": "" inside a namespaced record.
"""
import argparse
import collections
import copy
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "tests", "testdata", "avro", "differential_pairs.jsonl")
DEFAULT_ORACLE = os.path.join(os.path.dirname(REPO), "shared", "oracles", "avro", "avro_compat.py")

PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
# writer kind -> reader kinds it may be promoted to (Avro spec, "Schema Resolution")
PROMOTIONS = {"int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"],
              "string": ["bytes"], "bytes": ["string"]}
LOGICAL = {"int": ["date", "time-millis"],
           "long": ["timestamp-millis", "timestamp-micros", "time-micros", "local-timestamp-millis",
                    "local-timestamp-micros"],
           "string": ["uuid"], "bytes": ["decimal"]}
LEVELS = ["BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
          "FULL_TRANSITIVE", "NONE"]
NAMESPACES = ["com.acme", "com.acme.billing", "org.example.events", "io.sg.v1", "a", "x.y.z",
              "net.shop.orders", "de.data_1", "com.acme.v2", "_internal.ns"]
TYPE_WORDS = ["Order", "Customer", "Address", "Item", "Payment", "Event", "Node", "Header",
              "Status", "Kind", "Hash", "Money", "Point", "Audit", "Meta", "Tag", "Link", "Blob"]
FIELD_WORDS = ["id", "name", "amount", "created_at", "tags", "payload", "next", "status", "kind",
               "price", "qty", "meta", "note", "flags", "code", "value", "ref", "count"]
SYMBOL_WORDS = ["RED", "GREEN", "BLUE", "NEW", "OPEN", "CLOSED", "UNKNOWN", "A1", "_X", "B_2",
                "PENDING", "DONE", "z", "Yes", "NO"]
STRING_DEFAULTS = ["", "abc", "h\u00e9llo", "\u2603 snow", "quote\"d", "back\\slash", "tab\tx",
                   "line\nbreak", "\u00ff\u0000"]
INT_DEFAULTS = [0, 1, -1, 42, 2147483647, -2147483648, 7]
LONG_DEFAULTS = [0, -1, 1234567890123, 9223372036854775807, -9223372036854775808, 5]
FLOAT_DEFAULTS = [0.0, 1.5, -2.25, 3, 0.125, -7]
BYTES_DEFAULTS = ["", "\u0000", "\u00ff", "ab\u0001\u00fe", "\u00e9t\u00e9", "xyz"]


# ----------------------------------------------------------------------------------------------
# Schema model. Named types are shared objects (a reference is the same object); the JSON
# serializer decides which occurrence is the definition (the first in depth-first order).

class Prim:
    def __init__(self, kind, props=None, obj=False):
        self.kind, self.props, self.obj = kind, dict(props or {}), obj


class Arr:
    def __init__(self, items, props=None):
        self.items, self.props = items, dict(props or {})


class Map:
    def __init__(self, values, props=None):
        self.values, self.props = values, dict(props or {})


class Union:
    def __init__(self, branches):
        self.branches = list(branches)


class Named:
    def __init__(self, name, ns, style="inherit"):
        self.name, self.ns, self.style = name, ns, style   # style: inherit | explicit | dotted
        self.aliases, self.doc, self.props, self.reffull = [], None, {}, False

    @property
    def fullname(self):
        return f"{self.ns}.{self.name}" if self.ns else self.name


class Rec(Named):
    def __init__(self, name, ns, style="inherit"):
        super().__init__(name, ns, style)
        self.fields = []


class Enum(Named):
    def __init__(self, name, ns, symbols, default=None, style="inherit"):
        super().__init__(name, ns, style)
        self.symbols, self.default = list(symbols), default


class Fixed(Named):
    def __init__(self, name, ns, size, style="inherit"):
        super().__init__(name, ns, style)
        self.size = size


class Field:
    def __init__(self, name, type_):
        self.name, self.type = name, type_
        self.has_default, self.default = False, None
        self.aliases, self.doc, self.order, self.props = [], None, None, {}


class Box:
    """Holds the root so that mutations may replace it."""
    def __init__(self, root):
        self.root = root


def kind_of(t):
    if isinstance(t, Prim):
        return t.kind
    return {Arr: "array", Map: "map", Union: "union", Rec: "record", Enum: "enum",
            Fixed: "fixed"}[type(t)]


def branch_key(t):
    return ("named", t.fullname) if isinstance(t, Named) else kind_of(t)


# ----------------------------------------------------------------------------------------------
# Serialization to a JSON value

def to_json(root):
    defined = set()

    def ser(t, encl):
        if isinstance(t, Prim):
            if t.props or t.obj:
                d = {"type": t.kind}
                d.update(t.props)
                return d
            return t.kind
        if isinstance(t, Arr):
            d = {"type": "array", "items": ser(t.items, encl)}
            d.update(t.props)
            return d
        if isinstance(t, Map):
            d = {"type": "map", "values": ser(t.values, encl)}
            d.update(t.props)
            return d
        if isinstance(t, Union):
            return [ser(b, encl) for b in t.branches]
        assert isinstance(t, Named)
        assert t.ns is not None or encl is None, "null-namespace type inside a namespace"
        if id(t) in defined:
            return t.name if (t.ns == encl and not t.reffull) else t.fullname
        defined.add(id(t))
        d = {"type": kind_of(t)}
        if t.style == "dotted" and t.ns:
            d["name"] = t.fullname
        elif t.ns == encl and t.style == "inherit":
            d["name"] = t.name
        else:
            d["name"] = t.name
            d["namespace"] = t.ns or ""
        if t.doc is not None:
            d["doc"] = t.doc
        if t.aliases:
            d["aliases"] = list(t.aliases)
        if isinstance(t, Rec):
            d["fields"] = [ser_field(f, t.ns) for f in t.fields]
        elif isinstance(t, Enum):
            d["symbols"] = list(t.symbols)
            if t.default is not None:
                d["default"] = t.default
        else:
            d["size"] = t.size
        d.update(t.props)
        return d

    def ser_field(f, encl):
        d = {"name": f.name, "type": ser(f.type, encl)}
        if f.has_default:
            d["default"] = f.default
        if f.aliases:
            d["aliases"] = list(f.aliases)
        if f.doc is not None:
            d["doc"] = f.doc
        if f.order is not None:
            d["order"] = f.order
        d.update(f.props)
        return d

    return ser(root, None)


# ----------------------------------------------------------------------------------------------
# Traversal helpers

def walk(root):
    """Yields (slot, path) for every place that holds a type. A slot is (holder, key):
    holder None = the root; Field -> key "type"; Arr -> "items"; Map -> "values"; Union -> index.
    Each named type is entered once."""
    seen = set()
    out = []

    def visit(t, slot, path):
        out.append((slot, path))
        if isinstance(t, Named):
            if id(t) in seen:
                return
            seen.add(id(t))
        if isinstance(t, Arr):
            visit(t.items, (t, "items"), path + "[]")
        elif isinstance(t, Map):
            visit(t.values, (t, "values"), path + "{}")
        elif isinstance(t, Union):
            for i, b in enumerate(t.branches):
                visit(b, (t, i), f"{path}|{i}")
        elif isinstance(t, Rec):
            for f in t.fields:
                visit(f.type, (f, "type"), f"{t.name}.{f.name}")

    visit(root, (None, None), "<root>")
    return out


def slot_get(box, slot):
    holder, key = slot
    if holder is None:
        return box.root
    if isinstance(holder, Field):
        return holder.type
    if isinstance(holder, Arr):
        return holder.items
    if isinstance(holder, Map):
        return holder.values
    return holder.branches[key]


def slot_set(box, slot, t):
    holder, key = slot
    if holder is None:
        box.root = t
    elif isinstance(holder, Field):
        holder.type = t
    elif isinstance(holder, Arr):
        holder.items = t
    elif isinstance(holder, Map):
        holder.values = t
    else:
        holder.branches[key] = t


def named_types(root):
    seen, out = set(), []
    box = Box(root)
    for slot, _ in walk(root):
        t = slot_get(box, slot)
        if isinstance(t, Named) and id(t) not in seen:
            seen.add(id(t))
            out.append(t)
    return out


def records(root):
    return [t for t in named_types(root) if isinstance(t, Rec)]


def in_union_slot(slot):
    return isinstance(slot[0], Union)


def uses_namespaces(root):
    return any(t.ns for t in named_types(root))


# ----------------------------------------------------------------------------------------------
# Default values (must be valid for the type: the oracle does not check them)

class NoDefault(Exception):
    pass


def recursive_records(root):
    """ids of records that can reach themselves. Defaults never hold an object value for these:
    Avro Java cannot validate such a default while the record is still being parsed."""
    out = set()
    for r in records(root):
        seen, todo = set(), [f.type for f in r.fields]
        while todo:
            t = todo.pop()
            if t is r:
                out.add(id(r))
                break
            if id(t) in seen:
                continue
            seen.add(id(t))
            if isinstance(t, Arr):
                todo.append(t.items)
            elif isinstance(t, Map):
                todo.append(t.values)
            elif isinstance(t, Union):
                todo.extend(t.branches)
            elif isinstance(t, Rec):
                todo.extend(f.type for f in t.fields)
    return out


def gen_default(t, rng, stack=(), recursive=frozenset()):
    if isinstance(t, Prim):
        lt = t.props.get("logicalType")
        if t.kind == "null":
            return None
        if t.kind == "boolean":
            return rng.random() < 0.5
        if t.kind == "int":
            return rng.choice([0, 19000, 3600000]) if lt else rng.choice(INT_DEFAULTS)
        if t.kind == "long":
            return rng.choice([0, 1700000000000]) if lt else rng.choice(LONG_DEFAULTS)
        if t.kind in ("float", "double"):
            return rng.choice(FLOAT_DEFAULTS)
        if t.kind == "bytes":
            return rng.choice(BYTES_DEFAULTS)
        if lt == "uuid":
            return "123e4567-e89b-12d3-a456-426614174000"
        return rng.choice(STRING_DEFAULTS)
    if isinstance(t, Enum):
        if not t.symbols:
            raise NoDefault()
        return rng.choice(t.symbols)
    if isinstance(t, Fixed):
        return "".join(chr(rng.choice([0, 1, 65, 97, 127, 128, 200, 255])) for _ in range(t.size))
    if isinstance(t, Arr):
        if rng.random() < 0.6:
            return []
        try:
            return [gen_default(t.items, rng, stack, recursive) for _ in range(rng.randint(1, 2))]
        except NoDefault:
            return []
    if isinstance(t, Map):
        if rng.random() < 0.6:
            return {}
        try:
            return {"k": gen_default(t.values, rng, stack, recursive)}
        except NoDefault:
            return {}
    if isinstance(t, Union):
        if not t.branches:
            raise NoDefault()
        return gen_default(t.branches[0], rng, stack, recursive)
    if isinstance(t, Rec):
        if id(t) in stack or id(t) in recursive or len(stack) > 4:
            raise NoDefault()
        return {f.name: gen_default(f.type, rng, stack + (id(t),), recursive) for f in t.fields}
    raise AssertionError(t)


def valid_default(t, v, recursive=frozenset()):
    if isinstance(t, Prim):
        k = t.kind
        if k == "null":
            return v is None
        if k == "boolean":
            return isinstance(v, bool)
        if k == "int":
            return type(v) is int and -2**31 <= v < 2**31
        if k == "long":
            return type(v) is int and -2**63 <= v < 2**63
        if k in ("float", "double"):
            return type(v) in (int, float)
        if k == "bytes":
            return isinstance(v, str) and all(ord(c) < 256 for c in v)
        return isinstance(v, str)
    if isinstance(t, Enum):
        return isinstance(v, str) and v in t.symbols
    if isinstance(t, Fixed):
        return isinstance(v, str) and len(v) == t.size and all(ord(c) < 256 for c in v)
    if isinstance(t, Arr):
        return isinstance(v, list) and all(valid_default(t.items, x, recursive) for x in v)
    if isinstance(t, Map):
        return isinstance(v, dict) and all(valid_default(t.values, x, recursive) for x in v.values())
    if isinstance(t, Union):
        return bool(t.branches) and valid_default(t.branches[0], v, recursive)
    if isinstance(t, Rec):
        return (id(t) not in recursive and isinstance(v, dict) and set(v) == {f.name for f in t.fields}
                and all(valid_default(f.type, v[f.name], recursive) for f in t.fields))
    raise AssertionError(t)


def fix_defaults(root, rng, notes):
    """Makes every field default and enum default valid again after a type change."""
    recursive = recursive_records(root)
    for t in named_types(root):
        if isinstance(t, Enum) and t.default is not None and t.default not in t.symbols:
            if t.symbols:
                t.default = rng.choice(t.symbols)
            else:
                t.default = None
        if isinstance(t, Rec):
            for f in t.fields:
                if f.has_default and not valid_default(f.type, f.default, recursive):
                    try:
                        f.default = gen_default(f.type, rng, (), recursive)
                    except NoDefault:
                        f.has_default, f.default = False, None
                        notes.append(f"default of {t.name}.{f.name} dropped")


def check_model(root):
    """Structural validity that mutations could break. Returns an error string or None."""
    names = set()
    ns_kinds = set()
    for t in named_types(root):
        if t.fullname in names:
            return "duplicate name " + t.fullname
        names.add(t.fullname)
        ns_kinds.add(t.ns is None)
        if isinstance(t, Rec) and len({f.name for f in t.fields}) != len(t.fields):
            return "duplicate field"
    if len(ns_kinds) > 1:
        return "mixed null/non-null namespaces"
    box = Box(root)
    for slot, _ in walk(root):
        t = slot_get(box, slot)
        if isinstance(t, Union):
            keys = [branch_key(b) for b in t.branches]
            if len(set(keys)) != len(keys) or "union" in keys:
                return "bad union"
    return None


# ----------------------------------------------------------------------------------------------
# Random generation

class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.counter = 0

    def _n(self):
        self.counter += 1
        return self.counter

    def type_name(self):
        w = self.rng.choice(TYPE_WORDS)
        n = self._n()
        return self.rng.choice([f"{w}{n}", f"{w}_{n}", f"_{w}{n}", f"{w}V{n}x"])

    def field_name(self):
        w = self.rng.choice(FIELD_WORDS)
        n = self._n()
        return self.rng.choice([f"{w}{n}", f"{w}_{n}", f"_{w}{n}", f"f{n}{w.upper()}"])

    def symbols(self, k):
        out = []
        while len(out) < k:
            s = self.rng.choice(SYMBOL_WORDS)
            s = s if s not in out else f"{s}_{self._n()}"
            if s not in out:
                out.append(s)
        return out

    def new_symbol(self, existing):
        while True:
            s = f"{self.rng.choice(SYMBOL_WORDS)}_{self._n()}"
            if s not in existing:
                return s

    def other_namespace(self, ns):
        choices = [n for n in NAMESPACES if n != ns]
        return self.rng.choice(choices)

    # -- named types -------------------------------------------------------------------------
    def _ns_for_new(self, encl):
        if encl is None:
            return None
        return encl if self.rng.random() < 0.7 else self.other_namespace(encl)

    def _style(self, ns, encl):
        r = self.rng.random()
        if ns and r < 0.15:
            return "dotted"
        if ns == encl and r < 0.85:
            return "inherit"
        return "explicit"

    def _decorate_named(self, t):
        if self.rng.random() < 0.15:
            t.doc = self.rng.choice(["doc", "A type \u00e9", "multi\nline"])
        if self.rng.random() < 0.08:
            t.props["x-owner"] = self.rng.choice(["team-a", "b"])
        if self.rng.random() < 0.06:   # a decoy alias that matches nothing (fully qualified)
            t.aliases.append(f"{t.ns}.Old{self._n()}" if t.ns else f"Old{self._n()}")
        t.reffull = self.rng.random() < 0.2

    def enum(self, encl):
        ns = self._ns_for_new(encl)
        e = Enum(self.type_name(), ns, self.symbols(self.rng.randint(1, 5)), style=self._style(ns, encl))
        if self.rng.random() < 0.35:
            e.default = self.rng.choice(e.symbols)
        self._decorate_named(e)
        return e

    def fixed(self, encl):
        ns = self._ns_for_new(encl)
        f = Fixed(self.type_name(), ns, self.rng.choice([0, 1, 2, 4, 8, 12, 16, 32]),
                  style=self._style(ns, encl))
        if f.size >= 4 and self.rng.random() < 0.25:
            f.props.update({"logicalType": "decimal", "precision": self.rng.randint(1, 9), "scale": 0})
            f.props["scale"] = self.rng.randint(0, f.props["precision"])
        elif f.size == 12 and self.rng.random() < 0.5:
            f.props["logicalType"] = "duration"
        self._decorate_named(f)
        return f

    def record(self, ctx, depth, encl, nfields=None):
        ns = self._ns_for_new(encl)
        r = Rec(self.type_name(), ns, style=self._style(ns, encl))
        self._decorate_named(r)
        ctx["ancestors"].append(r)
        for _ in range(nfields if nfields is not None else self.rng.randint(1, 4)):
            r.fields.append(self.field(ctx, depth + 1, ns))
        ctx["ancestors"].pop()
        ctx["named"].append(r)
        return r

    def field(self, ctx, depth, encl, type_=None, default=None):
        f = Field(self.field_name(), type_ if type_ is not None else self.type(ctx, depth, encl))
        want = self.rng.random() < 0.45 if default is None else default
        if want:
            try:
                f.default = gen_default(f.type, self.rng)
                f.has_default = True
            except NoDefault:
                pass
        r = self.rng.random()
        if r < 0.12:
            f.doc = self.rng.choice(["field doc", "\u00fcber", "q\"uote"])
        if self.rng.random() < 0.06:
            f.order = self.rng.choice(["ascending", "descending", "ignore"])
        if self.rng.random() < 0.06:
            f.props["x-pii"] = self.rng.random() < 0.5
        if self.rng.random() < 0.04:
            f.aliases.append(f"old_{self._n()}")   # decoy alias, matches nothing
        return f

    # -- any type ----------------------------------------------------------------------------
    def prim(self, kinds=PRIMS):
        k = self.rng.choice(kinds)
        p = Prim(k, obj=self.rng.random() < 0.08)
        if k == "string" and self.rng.random() < 0.08:
            p.props["avro.java.string"] = "String"
        return p

    def logical(self):
        k = self.rng.choice(["int", "long", "long", "string", "bytes"])
        lt = self.rng.choice(LOGICAL[k])
        p = Prim(k, {"logicalType": lt})
        if lt == "decimal":
            p.props["precision"] = self.rng.randint(1, 20)
            p.props["scale"] = self.rng.randint(0, p.props["precision"])
        return p

    def simple(self, ctx, encl):
        """A small type for added fields/branches (no nested records deeper than one level)."""
        r = self.rng.random()
        if r < 0.45:
            return self.prim()
        if r < 0.55:
            return self.logical()
        if r < 0.67:
            return self.enum(encl)
        if r < 0.73:
            return self.fixed(encl)
        if r < 0.80:
            return Arr(self.prim(["int", "string", "long", "double"]))
        if r < 0.85:
            return Map(self.prim(["int", "string", "boolean"]))
        if r < 0.93:
            return Union([Prim("null"), self.prim(["int", "string", "long", "bytes", "double"])])
        return self.record(ctx, 9, encl, nfields=self.rng.randint(1, 2))

    def type(self, ctx, depth, encl):
        rng = self.rng
        ctx["budget"] -= 1
        deep = depth >= 4 or ctx["budget"] <= 0
        options = [("prim", 30), ("logical", 6), ("enum", 8), ("fixed", 5), ("array", 8),
                   ("map", 6), ("nullable", 12), ("multi", 5), ("record", 0 if deep else 12),
                   ("ref", 8 if ctx["named"] else 0),
                   ("recursive", 4 if ctx["ancestors"] and depth >= 2 else 0)]
        total = sum(w for _, w in options)
        x = rng.uniform(0, total)
        for choice, w in options:
            x -= w
            if x <= 0:
                break
        if choice == "prim":
            return self.prim()
        if choice == "logical":
            return self.logical()
        if choice == "enum":
            e = self.enum(encl)
            ctx["named"].append(e)
            return e
        if choice == "fixed":
            f = self.fixed(encl)
            ctx["named"].append(f)
            return f
        if choice == "array":
            return Arr(self.type(ctx, depth + 1, encl) if not deep else self.prim(),
                       {"x-note": "arr"} if rng.random() < 0.04 else None)
        if choice == "map":
            return Map(self.type(ctx, depth + 1, encl) if not deep else self.prim())
        if choice in ("nullable", "multi"):
            return self.union(ctx, depth, encl, multi=choice == "multi")
        if choice == "record":
            return self.record(ctx, depth, encl)
        if choice == "ref":
            return rng.choice(ctx["named"])
        anc = rng.choice(ctx["ancestors"])
        r = rng.random()
        if r < 0.6:
            return Union([Prim("null"), anc])
        return Arr(anc) if r < 0.8 else Map(anc)

    def union(self, ctx, depth, encl, multi):
        rng = self.rng
        if not multi:
            inner = self.type(ctx, depth + 1, encl)
            while isinstance(inner, Union) or (isinstance(inner, Prim) and inner.kind == "null"):
                inner = self.prim(["int", "string", "long", "double", "boolean", "bytes"])
            return Union([Prim("null"), inner] if rng.random() < 0.8 else [inner, Prim("null")])
        branches, keys = [], set()
        for _ in range(rng.randint(3, 4)):
            r = rng.random()
            if r < 0.55:
                b = self.prim()
            elif r < 0.65:
                b = Arr(self.prim(["int", "string"]))
            elif r < 0.72:
                b = Map(self.prim(["long", "string"]))
            elif r < 0.85 and depth < 4:
                b = self.record(ctx, depth, encl, nfields=rng.randint(1, 2))
            else:
                b = self.enum(encl)
                ctx["named"].append(b)
            if branch_key(b) not in keys:
                keys.add(branch_key(b))
                branches.append(b)
        return Union(branches)

    def schema(self, size=14):
        box = self._schema(size)
        # Defaults generated while a recursive record was still being built may be stale.
        fix_defaults(box.root, self.rng, [])
        return box

    def _schema(self, size):
        rng = self.rng
        encl = rng.choice(NAMESPACES) if rng.random() < 0.75 else None
        ctx = {"named": [], "ancestors": [], "budget": size}
        r = rng.random()
        if r < 0.86:
            ns = encl
            root = Rec(self.type_name(), ns, style="dotted" if ns and rng.random() < 0.1 else "explicit")
            self._decorate_named(root)
            ctx["ancestors"].append(root)
            for _ in range(rng.randint(2, 5)):
                root.fields.append(self.field(ctx, 1, ns))
            ctx["ancestors"].pop()
            return Box(root)
        # non-record roots; named types inside use the chosen namespace through "explicit"
        if r < 0.90:
            t = self.enum(encl)
            t.style = "explicit"
            return Box(t)
        if r < 0.93:
            return Box(Arr(self.record(ctx, 1, encl)))
        if r < 0.96:
            return Box(Map(self.union(ctx, 1, encl, multi=False)))
        return Box(self.union(ctx, 1, encl, multi=True))


# ----------------------------------------------------------------------------------------------
# Mutations. Each takes (box, gen) and returns a short description, or None if not applicable.

def pick_slot(box, g, pred):
    cands = [(s, p) for s, p in walk(box.root) if pred(s, slot_get(box, s))]
    return g.rng.choice(cands) if cands else (None, None)


def m_add_field(with_default):
    def m(box, g):
        recs = records(box.root)
        if not recs:
            return None
        r = g.rng.choice(recs)
        ctx = {"named": [], "ancestors": [r], "budget": 2}
        special = ""
        if not with_default and g.rng.random() < 0.2:
            e = g.enum(r.ns)
            e.default = g.rng.choice(e.symbols)
            f = g.field(ctx, 9, r.ns, type_=e, default=False)
            special = " (enum type with an enum default)"
        else:
            f = g.field(ctx, 9, r.ns, type_=g.simple(ctx, r.ns), default=with_default)
            if with_default and not f.has_default:
                return None
        r.fields.insert(g.rng.randint(0, len(r.fields)), f)
        return f"add field {r.name}.{f.name} {'with' if with_default else 'without'} default{special}"
    return m


def m_remove_field(box, g):
    recs = [r for r in records(box.root) if r.fields]
    if not recs:
        return None
    r = g.rng.choice(recs)
    f = r.fields.pop(g.rng.randrange(len(r.fields)))
    return f"remove field {r.name}.{f.name} ({'had' if f.has_default else 'no'} default)"


def m_rename_field(with_alias):
    def m(box, g):
        recs = [r for r in records(box.root) if r.fields]
        if not recs:
            return None
        r = g.rng.choice(recs)
        f = g.rng.choice(r.fields)
        old = f.name
        f.name = g.field_name()
        if with_alias:
            f.aliases.append(old)
        return f"rename field {r.name}.{old} -> {f.name} {'with' if with_alias else 'without'} alias"
    return m


def _swap_prim(box, g, target_fn, label):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Prim) and target_fn(t.kind))
    if slot is None:
        return None
    old = slot_get(box, slot)
    new_kind = g.rng.choice(target_fn(old.kind))
    props = {k: v for k, v in old.props.items()
             if k not in ("logicalType", "precision", "scale", "avro.java.string")}
    slot_set(box, slot, Prim(new_kind, props, old.obj))
    return f"{label} {old.kind}->{new_kind} at {path}"


def m_promote(box, g):
    return _swap_prim(box, g, lambda k: PROMOTIONS.get(k), "promote")


def m_bad_prim_change(box, g):
    def targets(k):
        return [x for x in PRIMS if x != k and x not in PROMOTIONS.get(k, [])
                and k not in PROMOTIONS.get(x, [])]
    return _swap_prim(box, g, targets, "change primitive")


def m_change_kind(box, g):
    slot, path = pick_slot(box, g, lambda s, t: True)
    if slot is None:
        return None
    old = slot_get(box, slot)
    encl = None
    for r in records(box.root):
        encl = r.ns
        break
    ctx = {"named": [], "ancestors": [], "budget": 2}
    for _ in range(10):
        new = g.simple(ctx, encl)
        if kind_of(new) != kind_of(old) and not (isinstance(new, Prim) and isinstance(old, Prim)):
            break
    else:
        return None
    if in_union_slot(slot) and isinstance(new, Union):
        return None
    slot_set(box, slot, new)
    return f"change type {kind_of(old)}->{kind_of(new)} at {path}"


def m_wrap_union(box, g):
    slot, path = pick_slot(box, g, lambda s, t: not in_union_slot(s) and not isinstance(t, Union))
    if slot is None:
        return None
    t = slot_get(box, slot)
    r = g.rng.random()
    if isinstance(t, Prim) and t.kind == "null":
        other = Prim("string")
        u = Union([t, other])
    elif r < 0.6:
        u = Union([Prim("null"), t])
    elif r < 0.8:
        u = Union([t, Prim("null")])
    else:
        kinds = [k for k in PRIMS if k != kind_of(t)]
        u = Union([t, Prim(g.rng.choice(kinds))])
    slot_set(box, slot, u)
    return f"wrap {kind_of(t)} in union {[kind_of(b) for b in u.branches]} at {path}"


def m_unwrap_union(box, g):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Union) and t.branches)
    if slot is None:
        return None
    u = slot_get(box, slot)
    nonnull = [b for b in u.branches if not (isinstance(b, Prim) and b.kind == "null")]
    b = g.rng.choice(nonnull or u.branches)
    slot_set(box, slot, b)
    return f"unwrap union -> {kind_of(b)} at {path}"


def m_add_branch(box, g):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Union))
    if slot is None:
        return None
    u = slot_get(box, slot)
    keys = {branch_key(b) for b in u.branches}
    ns = next((r.ns for r in records(box.root)), None)
    r = g.rng.random()
    if r < 0.7:
        free = [k for k in PRIMS if k not in keys]
        if not free:
            return None
        b = Prim(g.rng.choice(free))
    elif r < 0.85:
        b = g.enum(ns)
    elif "array" not in keys:
        b = Arr(Prim("string"))
    else:
        b = g.record({"named": [], "ancestors": [], "budget": 1}, 9, ns, nfields=1)
    if g.rng.random() < 0.75:
        u.branches.append(b)
    else:
        u.branches.insert(0, b)
    return f"add union branch {kind_of(b)} at {path}"


def m_remove_branch(box, g):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Union) and len(t.branches) >= 2)
    if slot is None:
        return None
    u = slot_get(box, slot)
    b = u.branches.pop(g.rng.randrange(len(u.branches)))
    return f"remove union branch {kind_of(b)} at {path}"


def m_reorder_union(box, g):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Union) and len(t.branches) >= 2)
    if slot is None:
        return None
    u = slot_get(box, slot)
    old = list(u.branches)
    while u.branches == old:
        g.rng.shuffle(u.branches)
    return f"reorder union branches at {path}"


def _pick_named(box, g, cls, pred=lambda t: True):
    c = [t for t in named_types(box.root) if isinstance(t, cls) and pred(t)]
    return g.rng.choice(c) if c else None


def m_enum_add_symbol(box, g):
    e = _pick_named(box, g, Enum)
    if not e:
        return None
    s = g.new_symbol(e.symbols)
    e.symbols.insert(g.rng.randint(0, len(e.symbols)), s)
    return f"add enum symbol {e.name}.{s} ({'with' if e.default else 'no'} enum default)"


def m_enum_remove_symbol(box, g):
    e = _pick_named(box, g, Enum, lambda t: len(t.symbols) >= 2)
    if not e:
        return None
    cands = [s for s in e.symbols if s != e.default] or e.symbols
    s = g.rng.choice(cands)
    e.symbols.remove(s)
    return f"remove enum symbol {e.name}.{s} ({'with' if e.default else 'no'} enum default)"


def m_enum_reorder(box, g):
    e = _pick_named(box, g, Enum, lambda t: len(t.symbols) >= 2)
    if not e:
        return None
    old = list(e.symbols)
    while e.symbols == old:
        g.rng.shuffle(e.symbols)
    return f"reorder enum symbols {e.name}"


def m_enum_default(box, g):
    e = _pick_named(box, g, Enum)
    if not e:
        return None
    if e.default is None:
        e.default = g.rng.choice(e.symbols)
        return f"add enum default {e.name}={e.default}"
    if len(e.symbols) >= 2 and g.rng.random() < 0.3:
        e.default = g.rng.choice([s for s in e.symbols if s != e.default])
        return f"change enum default {e.name}={e.default}"
    e.default = None
    return f"remove enum default {e.name}"


def m_fixed_size(box, g):
    f = _pick_named(box, g, Fixed)
    if not f:
        return None
    old = f.size
    f.size = g.rng.choice([s for s in [0, 1, 2, 3, 4, 8, 16, 20, 32] if s != old])
    if f.props.get("logicalType") == "decimal":
        for k in ("logicalType", "precision", "scale"):
            f.props.pop(k, None)
    if f.props.get("logicalType") == "duration":
        f.props.pop("logicalType")
    return f"change fixed size {f.name} {old}->{f.size}"


def m_rename_named(with_alias):
    def m(box, g):
        t = _pick_named(box, g, Named)
        if not t:
            return None
        old_full, old = t.fullname, t.name
        t.name = g.type_name()
        if with_alias:
            t.aliases.append(old_full)   # fully qualified: python 1.11.1 does not qualify aliases
            how = "with alias"
        elif g.rng.random() < 0.3:
            t.aliases.append(f"{t.ns}.Unrelated{g._n()}" if t.ns else f"Unrelated{g._n()}")
            how = "with a non-matching alias"
        else:
            how = "without alias"
        return f"rename {kind_of(t)} {old} -> {t.name} {how}"
    return m


def m_change_namespace(box, g):
    if not uses_namespaces(box.root):
        return None
    t = _pick_named(box, g, Named, lambda t: t.style != "dotted")
    if not t:
        return None
    old = t.ns
    t.ns = g.other_namespace(old)
    return f"change namespace of {t.name} {old}->{t.ns}"


def m_change_logical(box, g):
    slot, path = pick_slot(box, g, lambda s, t: isinstance(t, Prim) and t.kind in LOGICAL)
    if slot is None:
        return None
    p = slot_get(box, slot)
    old = p.props.get("logicalType")
    for k in ("logicalType", "precision", "scale"):
        p.props.pop(k, None)
    choices = [x for x in LOGICAL[p.kind] if x != old]
    if old and (not choices or g.rng.random() < 0.4):
        new = None
    else:
        new = g.rng.choice(choices)
        p.props["logicalType"] = new
        if new == "decimal":
            p.props["precision"] = g.rng.randint(1, 30)
            p.props["scale"] = g.rng.randint(0, p.props["precision"])
    return f"change logicalType {old}->{new} on {p.kind} at {path}"


def m_reorder_fields(box, g):
    recs = [r for r in records(box.root) if len(r.fields) >= 2]
    if not recs:
        return None
    r = g.rng.choice(recs)
    old = list(r.fields)
    while r.fields == old:
        g.rng.shuffle(r.fields)
    return f"reorder fields of {r.name}"


def m_meta(box, g):
    rng = g.rng
    choice = rng.choice(["rdoc", "fdoc", "order", "fprop", "tprop", "falias"])
    recs = [r for r in records(box.root) if r.fields]
    if choice in ("fdoc", "order", "fprop", "falias") and recs:
        r = rng.choice(recs)
        f = rng.choice(r.fields)
        if choice == "fdoc":
            f.doc = None if f.doc else f"doc {rng.randint(0, 99)} \u00e9"
        elif choice == "order":
            f.order = rng.choice([o for o in ["ascending", "descending", "ignore", None] if o != f.order])
        elif choice == "fprop":
            f.props["x-tag"] = rng.randint(0, 9) if "x-tag" not in f.props else None
            if f.props["x-tag"] is None:
                del f.props["x-tag"]
        else:
            f.aliases.append(f"legacy_{g._n()}")
        return f"change {choice} of field {r.name}.{f.name}"
    t = _pick_named(box, g, Named)
    if not t:
        return None
    if choice == "tprop":
        if "x-owner" in t.props:
            del t.props["x-owner"]
        else:
            t.props["x-owner"] = "team-z"
    else:
        t.doc = None if t.doc else "new doc"
    return f"change {'custom prop' if choice == 'tprop' else 'doc'} of {t.name}"


MUTATIONS = {
    "add_field_default": (m_add_field(True), 9),
    "add_field_no_default": (m_add_field(False), 7),
    "remove_field": (m_remove_field, 8),
    "rename_field_alias": (m_rename_field(True), 5),
    "rename_field_no_alias": (m_rename_field(False), 3),
    "promote": (m_promote, 8),
    "bad_prim_change": (m_bad_prim_change, 4),
    "change_kind": (m_change_kind, 3),
    "wrap_union": (m_wrap_union, 6),
    "unwrap_union": (m_unwrap_union, 4),
    "add_union_branch": (m_add_branch, 4),
    "remove_union_branch": (m_remove_branch, 4),
    "reorder_union": (m_reorder_union, 2),
    "enum_add_symbol": (m_enum_add_symbol, 5),
    "enum_remove_symbol": (m_enum_remove_symbol, 7),
    "enum_reorder": (m_enum_reorder, 1),
    "enum_default": (m_enum_default, 4),
    "fixed_size": (m_fixed_size, 7),
    "rename_named_alias": (m_rename_named(True), 4),
    "rename_named_no_alias": (m_rename_named(False), 3),
    "change_namespace": (m_change_namespace, 4),
    "change_logical": (m_change_logical, 3),
    "reorder_fields": (m_reorder_fields, 3),
    "meta": (m_meta, 4),
}
# Mostly non-breaking evolutions, for the version chains of level cases.
GENTLE = {"add_field_default": 10, "remove_field": 4, "rename_field_alias": 2, "promote": 5,
          "wrap_union": 3, "add_union_branch": 3, "enum_add_symbol": 3, "enum_default": 2,
          "change_namespace": 2, "change_logical": 2, "reorder_fields": 2, "meta": 3,
          "add_field_no_default": 2, "enum_remove_symbol": 1, "bad_prim_change": 1,
          "fixed_size": 1, "remove_union_branch": 1}

# Evolutions that keep a chain compatible in one direction (new reads old / old reads new / both).
SAFE = {
    "BACKWARD": {"add_field_default": 6, "remove_field": 3, "promote": 3, "wrap_union": 2,
                 "add_union_branch": 2, "enum_add_symbol": 2, "rename_field_alias": 2,
                 "change_namespace": 1, "change_logical": 1, "reorder_fields": 1, "meta": 2},
    "FORWARD": {"add_field_default": 6, "add_field_no_default": 3, "enum_remove_symbol": 2,
                "remove_union_branch": 2, "unwrap_union": 1, "change_namespace": 1,
                "change_logical": 1, "reorder_fields": 1, "meta": 2},
    "FULL": {"add_field_default": 6, "change_namespace": 1, "change_logical": 1, "reorder_fields": 1,
             "reorder_union": 1, "enum_reorder": 1, "meta": 2},
}


def weighted(rng, weights):
    names = sorted(weights)
    x = rng.uniform(0, sum(weights[n] for n in names))
    for n in names:
        x -= weights[n]
        if x <= 0:
            return n
    return names[-1]


def evolve(box, g, n, weights, counts):
    """Applies n successful mutations to a deep copy of box.
    Returns (new_box, descriptions, mutation names)."""
    cur = copy.deepcopy(box)
    descs, names = [], []
    tries = 0
    while len(descs) < n and tries < 60:
        tries += 1
        name = weighted(g.rng, weights)
        cand = copy.deepcopy(cur)
        d = MUTATIONS[name][0](cand, g)
        if d is None:
            continue
        notes = []
        fix_defaults(cand.root, g.rng, notes)
        if check_model(cand.root) is not None:
            continue
        if json.dumps(to_json(cand.root)) == json.dumps(to_json(cur.root)):
            continue
        cur = cand
        descs.append(d + "".join(f" [{x}]" for x in notes))
        names.append(name)
        counts[name] += 1
    return cur, descs, names


# ----------------------------------------------------------------------------------------------
# Oracle

class Oracle:
    def __init__(self, path):
        self.proc = subprocess.Popen(["/usr/bin/python3", "-u", path, "--jsonl", "-"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, encoding="utf-8")

    def ask(self, req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("oracle died")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


# ----------------------------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000, help="number of pair cases")
    ap.add_argument("--levels", type=int, default=300, help="number of level cases")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--oracle", default=DEFAULT_ORACLE, help="path of avro_compat.py")
    ap.add_argument("--size", type=int, default=12, help="node budget of a base schema")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    oracle = Oracle(args.oracle)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    mut_counts = collections.Counter()
    kept_muts = collections.Counter()
    inc_hist = collections.Counter()
    dropped = collections.Counter()
    verdicts = collections.Counter()
    level_verdicts = collections.Counter()
    lines = []
    case_id = 0

    n_pairs = 0
    attempts = 0
    while n_pairs < args.count:
        attempts += 1
        if attempts > args.count * 20:
            raise SystemExit("too many rejected cases")
        g = Gen(rng)
        base = g.schema(size=rng.randint(max(4, args.size - 6), args.size + 4))
        if check_model(base.root) is not None:
            dropped["invalid base (generator bug)"] += 1
            continue
        other, descs, mnames = evolve(base, g, rng.choice([1, 1, 2, 2, 3]), {k: w for k, (_, w) in MUTATIONS.items()},
                              mut_counts)
        if not descs:
            dropped["no applicable mutation"] += 1
            continue
        mutated_is_reader = rng.random() < 0.5
        b_json, o_json = to_json(base.root), to_json(other.root)
        reader, writer = (o_json, b_json) if mutated_is_reader else (b_json, o_json)
        res = oracle.ask({"id": case_id + 1, "reader": reader, "writer": writer})
        if "error" in res:
            dropped["oracle error: " + res["error"].split(":")[0]] += 1
            continue
        ok = res["compatible"]
        # Keep the verdict mix near 50/50 (deterministic: decided by the seeded rng).
        seen = verdicts[True] + verdicts[False]
        if seen >= 50:
            frac_ok = verdicts[True] / seen
            if (ok and frac_ok > 0.55 or not ok and frac_ok < 0.45) and rng.random() < 0.5:
                dropped["rebalanced"] += 1
                continue
        case_id += 1
        n_pairs += 1
        verdicts[ok] += 1
        for t in res["incompatibilities"]:
            inc_hist[t] += 1
        for name in mnames:
            kept_muts[name] += 1
        side = "reader" if mutated_is_reader else "writer"
        lines.append({"id": case_id, "op": "pair", "reader": reader, "writer": writer,
                      "compatible": ok, "incompatibilities": sorted(res["incompatibilities"]),
                      "locations": sorted(res["locations"]),
                      "mutations": [f"{side}: {d}" for d in descs]})

    n_levels = 0
    while n_levels < args.levels:
        g = Gen(rng)
        level = LEVELS[n_levels % len(LEVELS)] if rng.random() < 0.7 else rng.choice(LEVELS)
        direction = level.replace("_TRANSITIVE", "")
        safe = SAFE.get(direction) if rng.random() < 0.4 else None
        base = g.schema(size=rng.randint(4, 10))
        versions = [base]
        steps = rng.randint(2, 5)
        for step in range(steps):
            if safe and rng.random() < 0.9:
                weights = safe
            elif step < steps - 1 and rng.random() < 0.5:
                weights = GENTLE
            else:
                weights = {k: w for k, (_, w) in MUTATIONS.items()}
            nxt, descs, _ = evolve(versions[-1], g, rng.choice([1, 1, 2]), weights, collections.Counter())
            if descs:
                versions.append(nxt)
        if len(versions) < 3:
            dropped["level: chain too short"] += 1
            continue
        schema = to_json(versions[-1].root)
        previous = [to_json(v.root) for v in versions[:-1]]
        res = oracle.ask({"id": case_id + 1, "level": level, "schema": schema, "previous": previous})
        if "error" in res:
            dropped["level oracle error: " + res["error"].split(":")[0]] += 1
            continue
        case_id += 1
        n_levels += 1
        level_verdicts[(level, res["compatible"])] += 1
        lines.append({"id": case_id, "op": "level", "level": level, "schema": schema,
                      "previous": previous, "compatible": res["compatible"]})
    oracle.close()

    with open(args.out, "w", encoding="utf-8") as f:
        for obj in lines:
            f.write(json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n")

    err = sys.stderr
    size = os.path.getsize(args.out)
    print(f"wrote {len(lines)} lines ({n_pairs} pairs, {n_levels} level cases), {size / 1e6:.2f} MB"
          f" -> {args.out}", file=err)
    print(f"pairs: {verdicts[True]} compatible, {verdicts[False]} incompatible "
          f"({100.0 * verdicts[False] / max(1, n_pairs):.1f}% incompatible)", file=err)
    print("dropped:", dict(dropped) or "none", file=err)
    print("incompatibility types (occurrences in kept pairs):", file=err)
    for k, v in sorted(inc_hist.items()):
        print(f"  {k:40s} {v}", file=err)
    print("mutations in kept pairs:", file=err)
    for k, v in sorted(kept_muts.items()):
        print(f"  {k:40s} {v}", file=err)
    print("level cases (level, compatible): ", file=err)
    for k, v in sorted(level_verdicts.items()):
        print(f"  {k[0]:22s} {str(k[1]):5s} {v}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
