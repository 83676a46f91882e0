#!/usr/bin/python3
"""Cross-check of SchemaGuard's Protobuf BACKWARD check with `buf breaking` (WIRE rules).

Usage: protobuf_buf_crosscheck.py PATH/TO/schemaguard PATH/TO/buf [--pairs N] [--seed S]

Generates N random proto3 files and one random mutation of each, runs `buf breaking` once over
all of them (each pair is its own file and package, the rules are buf's WIRE category) and
`schemaguard compat --type protobuf --level BACKWARD` on each pair. Where buf says the wire
breaks, SchemaGuard must say incompatible, unless the mutation is one of the EXPLAINED kinds
below, where Confluent's rules (which SchemaGuard follows) knowingly differ from buf's. The
reverse (SchemaGuard stricter than buf) is allowed: Confluent also refuses changes that break
names rather than bytes (a package change, a removed message).

Exits 0 when every pair agrees or is explained, 1 otherwise (printing the pairs), 2 on usage
errors. Standard library only.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

# Mutation kind -> why buf's WIRE verdict may be "breaking" while Confluent's is "compatible".
EXPLAINED = {
    "remove_field": "Confluent lets a field go (FIELD_REMOVED is compatible: old data's field is "
                    "skipped as unknown); buf also wants its number reserved so it is never "
                    "reused.",
    "renumber_field": "Confluent sees a renumbering as a removal plus an addition, both "
                      "compatible; buf sees the old number deleted without being reserved.",
    "remove_enum_value": "Confluent accepts removing an enum constant (ENUM_CONST_REMOVED); buf "
                         "wants the number reserved.",
    "field_into_new_oneof": "Confluent accepts wrapping one existing field into a new oneof "
                            "(nothing that could be set together becomes exclusive); buf "
                            "reports FIELD_SAME_ONEOF.",
    "implicit_to_repeated": "Confluent compares labels only when both sides write one (proto3 "
                            "implicit fields have none); buf compares cardinality.",
    "rename_map_field": "Renaming a map field renames its synthetic entry message (f1 -> F1Entry); "
                        "buf compares the entry messages' names, Confluent the map's key and "
                        "value types, which did not change.",
}

SCALARS = ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "string", "bytes",
           "fixed32", "fixed64", "sfixed32", "sfixed64", "float", "double"]


class Proto:
    """A small proto3 file model: one package, messages with fields and oneofs, one enum."""

    def __init__(self, r, package):
        self.package = package
        self.enum_values = [("E_UNSPECIFIED", 0)] + [(f"E_V{i}", i) for i in range(1, r.randint(2, 5))]
        self.messages = []
        for m in range(r.randint(1, 3)):
            fields = []
            number = 1
            for f in range(r.randint(2, 7)):
                kind = r.random()
                if kind < 0.7:
                    type_ = r.choice(SCALARS)
                elif kind < 0.8:
                    type_ = "Color"
                elif kind < 0.9 and m > 0:
                    type_ = f"Msg{r.randrange(m)}"
                else:
                    type_ = f"map<string, {r.choice(['int32', 'string', 'double'])}>"
                label = "repeated" if r.random() < 0.15 and not type_.startswith("map") else ""
                fields.append({"name": f"f{f}", "number": number, "type": type_, "label": label,
                               "oneof": None})
                number += r.randint(1, 3)
            if len(fields) >= 4 and r.random() < 0.4:
                for field in fields[-2:]:
                    if not field["label"] and not field["type"].startswith("map"):
                        field["oneof"] = "choice"
            self.messages.append({"name": f"Msg{m}", "fields": fields, "reserved": []})

    def render(self):
        out = ['syntax = "proto3";', f"package {self.package};", "",
               "enum Color {"]
        out += [f"  {name} = {number};" for name, number in self.enum_values]
        out.append("}")
        for message in self.messages:
            out.append(f"message {message['name']} {{")
            if message["reserved"]:
                out.append("  reserved " + ", ".join(str(n) for n in message["reserved"]) + ";")
            oneofs = collections.OrderedDict()
            for field in message["fields"]:
                line = f"{field['label'] + ' ' if field['label'] else ''}{field['type']} " \
                       f"{field['name']} = {field['number']};"
                if field["oneof"]:
                    oneofs.setdefault(field["oneof"], []).append(line)
                else:
                    out.append("  " + line)
            for name, lines in oneofs.items():
                out.append(f"  oneof {name} {{")
                out += ["    " + line for line in lines]
                out.append("  }")
            out.append("}")
        return "\n".join(out) + "\n"


def clone(proto):
    other = Proto.__new__(Proto)
    other.package = proto.package
    other.enum_values = list(proto.enum_values)
    other.messages = json.loads(json.dumps(proto.messages))
    return other


def mutate(r, proto):
    """Returns (kind, mutated copy) for one random mutation that applies to `proto`."""
    new = clone(proto)
    message = r.choice(new.messages)
    fields = message["fields"]
    plain = [f for f in fields if not f["oneof"]]
    scalars = [f for f in plain if f["type"] in SCALARS and not f["label"]]
    next_number = max(f["number"] for f in fields) + 1
    options = ["add_field", "rename_field", "change_type", "remove_enum_value", "add_enum_value",
               "remove_field", "remove_field_reserved", "renumber_field", "change_package",
               "remove_message", "field_into_new_oneof", "implicit_to_repeated", "message_type_change"]
    r.shuffle(options)
    for kind in options:
        if kind == "add_field":
            fields.append({"name": "added", "number": next_number, "type": r.choice(SCALARS),
                           "label": "", "oneof": None})
        elif kind == "rename_field":
            field = r.choice(fields)
            field["name"] += "_renamed"
            if field["type"].startswith("map"):
                kind = "rename_map_field"
        elif kind == "change_type" and scalars:
            field = r.choice(scalars)
            field["type"] = r.choice([t for t in SCALARS if t != field["type"]])
        elif kind == "remove_enum_value" and len(new.enum_values) > 2:
            new.enum_values.pop()
        elif kind == "add_enum_value":
            new.enum_values.append(("E_ADDED", max(n for _, n in new.enum_values) + 1))
        elif kind in ("remove_field", "remove_field_reserved") and len(plain) > 1:
            field = r.choice(plain)
            fields.remove(field)
            if kind == "remove_field_reserved":
                message["reserved"].append(field["number"])
        elif kind == "renumber_field" and plain:
            r.choice(plain)["number"] = next_number
        elif kind == "change_package":
            new.package += "_v2"
        elif kind == "remove_message" and len(new.messages) > 1:
            last = new.messages[-1]["name"]
            if any(f["type"] == last or last in f["type"] for m in new.messages for f in m["fields"]):
                continue
            new.messages.pop()
        elif kind == "field_into_new_oneof" and scalars:
            r.choice(scalars)["oneof"] = "wrapped"
        elif kind == "implicit_to_repeated" and scalars:
            r.choice(scalars)["label"] = "repeated"
        elif kind == "message_type_change" and len(new.messages) > 1:
            typed = [f for m in new.messages for f in m["fields"] if f["type"].startswith("Msg")
                     and not f["oneof"]]
            if not typed:
                continue
            field = r.choice(typed)
            others = [m["name"] for m in new.messages if m["name"] != field["type"]]
            field["type"] = r.choice(others)
        else:
            continue
        return kind, new
    return "none", new


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("schemaguard")
    parser.add_argument("buf")
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    r = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="sg-buf-")
    config = "version: v2\nbreaking:\n  use:\n    - WIRE\n"
    pairs = []
    for side in ("old", "new"):
        os.makedirs(os.path.join(work, side))
        with open(os.path.join(work, side, "buf.yaml"), "w") as out:
            out.write(config)
    for i in range(args.pairs):
        old = Proto(r, f"pair{i}")
        kind, new = mutate(r, old)
        name = f"pair{i}.proto"
        for side, proto in (("old", old), ("new", new)):
            with open(os.path.join(work, side, name), "w") as out:
                out.write(proto.render())
        pairs.append((name, kind))

    buf = subprocess.run([args.buf, "breaking", "new", "--against", "old", "--error-format", "json"],
                         cwd=work, capture_output=True, text=True)
    if buf.returncode not in (0, 100):
        print(f"buf failed ({buf.returncode}): {buf.stderr}", file=sys.stderr)
        return 2
    buf_breaks = collections.defaultdict(list)
    for line in buf.stdout.splitlines():
        finding = json.loads(line)
        buf_breaks[os.path.basename(finding["path"])].append(finding["type"])

    buf_breaking_pairs = len(buf_breaks)
    mismatches = []
    explained = collections.Counter()
    stricter = collections.Counter()
    agree = collections.Counter()
    for name, kind in pairs:
        check = subprocess.run([args.schemaguard, "compat", "--type", "protobuf", "--level",
                                "BACKWARD", os.path.join(work, "new", name),
                                os.path.join(work, "old", name)], capture_output=True, text=True)
        if check.returncode not in (0, 1):
            mismatches.append(f"{name} ({kind}): schemaguard failed: {check.stderr.strip()}")
            continue
        sg_breaks = check.returncode == 1
        if bool(buf_breaks.get(name)) == sg_breaks:
            agree["both breaking" if sg_breaks else "both compatible"] += 1
        if buf_breaks.get(name) and not sg_breaks:
            if kind in EXPLAINED:
                explained[kind] += 1
            else:
                mismatches.append(f"{name} ({kind}): buf says {buf_breaks.get(name)}, SchemaGuard "
                                  "says compatible")
        elif sg_breaks and not buf_breaks.get(name):
            stricter[kind] += 1

    print(f"{len(pairs)} pairs; buf found wire breaks in {buf_breaking_pairs}; agreement: "
          + ", ".join(f"{count} {what}" for what, count in sorted(agree.items())))
    for kind, count in sorted(explained.items()):
        print(f"  explained, {count}x {kind}: {EXPLAINED[kind]}")
    for kind, count in sorted(stricter.items()):
        print(f"  SchemaGuard stricter than buf's WIRE rules, {count}x {kind}")
    for mismatch in mismatches:
        print("MISMATCH " + mismatch)
    if not mismatches:
        subprocess.run(["rm", "-rf", work])
    else:
        print(f"(files kept in {work})")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
