#!/usr/bin/python3
"""Realistic event documents for the JSON Schema validation benchmark (bench/jsonschema).

Usage: gen_docs.py OUT_DIR [--count N] [--seed S]

Writes OUT_DIR/<schema>.jsonl for each schema in schemas/: N documents, one per line, about 90%
valid and 10% broken in one way (a missing required property, a wrong type, a bad pattern, an
out-of-range number, an unknown property where none is allowed), deterministically from the seed
so that both validators see the same bytes. Standard library only.
"""
import argparse
import json
import os
import random
import string
import uuid


def money(r):
    return {"currency": r.choice(["EUR", "USD", "GBP", "JPY"]), "minor_units": r.randint(0, 10**7)}


def order_event(r):
    doc = {
        "order_id": "ord_" + "".join(r.choice("0123456789abcdef") for _ in range(16)),
        "customer": {
            "id": f"c{r.randint(1, 10**9)}",
            "email": f"user{r.randint(1, 10**6)}@example.com",
            "loyalty_tier": r.choice(["none", "silver", "gold"]),
        },
        "lines": [
            {
                "sku": "".join(r.choice(string.ascii_uppercase + string.digits + "-")
                               for _ in range(r.randint(4, 20))),
                "quantity": r.randint(1, 20),
                "unit_price": money(r),
                **({"discount_percent": round(r.uniform(0, 50), 2)} if r.random() < 0.3 else {}),
            }
            for _ in range(r.randint(1, 8))
        ],
        "total": money(r),
        "placed_at": "2026-11-28T12:%02d:%02dZ" % (r.randint(0, 59), r.randint(0, 59)),
        "status": r.choice(["PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"]),
        "tags": r.sample(["gift", "b2b", "first-order", "promo", "express"], r.randint(0, 3)),
    }
    if r.random() < 0.5:
        doc["shipping_method"] = r.choice(["standard", "express", "pickup"])
    if r.random() < 0.3:
        doc["notes"] = None if r.random() < 0.5 else "leave at the door " * r.randint(1, 5)
    breakers = [
        lambda d: d.pop("status"),
        lambda d: d.update(order_id="ORD-1"),
        lambda d: d["lines"][0].update(quantity=0),
        lambda d: d["total"].update(currency="euro"),
        lambda d: d.update(unexpected=True),
        lambda d: d["lines"][0]["unit_price"].update(minor_units="12"),
    ]
    return doc, breakers


def page_view(r):
    doc = {
        "event_id": str(uuid.UUID(int=r.getrandbits(128))),
        "session_id": f"s{r.randint(1, 10**9)}",
        "url": "https://shop.example/" + "/".join(
            "".join(r.choice(string.ascii_lowercase) for _ in range(r.randint(3, 10)))
            for _ in range(r.randint(1, 4))),
        "ts": r.randint(1_700_000_000_000, 1_800_000_000_000),
        "duration_ms": round(r.uniform(0, 60000), 1),
        "device": {"kind": r.choice(["desktop", "mobile", "tablet", "bot"]),
                   "os": r.choice(["linux", "ios", "android", "windows"]),
                   "screen": [r.randint(320, 3840), r.randint(240, 2160)]},
        "utm": {k: "v" + str(r.randint(1, 99)) for k in
                r.sample(["utm_source", "utm_medium", "utm_campaign"], r.randint(0, 3))},
        "experiment": None if r.random() < 0.5 else {"name": "checkout-v2",
                                                     "variant": r.choice("ABC")},
    }
    if r.random() < 0.6:
        doc["user_id"] = f"u{r.randint(1, 10**7)}"
    if r.random() < 0.4:
        doc["referrer"] = "https://search.example/?q=shoes"
    breakers = [
        lambda d: d.pop("ts"),
        lambda d: d.update(event_id="short"),
        lambda d: d["device"].update(kind="fridge"),
        lambda d: d["utm"].update(campaign="x"),
        lambda d: d.update(experiment={"name": "x"}),
        lambda d: d["device"].update(screen=[1, 2, 3]),
    ]
    return doc, breakers


def user_profile(r):
    addresses = [
        {"country": r.choice(["IE", "DE", "FR", "US"]), "city": "Springfield",
         "lines": ["%d Main Street" % r.randint(1, 999)]}
        for _ in range(r.randint(0, 3))
    ]
    for address in addresses:
        if address["country"] != "IE" or r.random() < 0.5:
            address["postcode"] = "%05d" % r.randint(0, 99999)
    profile = {"display_name": "User %d" % r.randint(1, 10**6),
               "phones": ["+%d" % r.randint(10**6, 10**12) for _ in range(r.randint(0, 2))],
               "preferences": {"newsletter": r.random() < 0.5, "language": "en",
                               "items_per_page": r.choice([10, 20, 50])}}
    if addresses:
        profile["addresses"] = addresses
    doc = {"user_id": "u%d" % r.randint(1, 10**7), "version": r.randint(1, 100),
           "profile": profile, "changed_fields": ["profile"] + r.sample(["email", "name"], 1)}
    breakers = [
        lambda d: d.update(version=0),
        lambda d: d["profile"].update(nickname="x"),
        lambda d: d.update(changed_fields=["email"]),
        lambda d: d["profile"]["phones"].append("555-1234"),
        lambda d: d["profile"]["preferences"].update(theme=None),
        lambda d: d.update(user_id="admin"),
    ]
    return doc, breakers


GENERATORS = {"order_event": order_event, "page_view": page_view, "user_profile": user_profile}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for name, generate in GENERATORS.items():
        r = random.Random(f"{args.seed}-{name}")
        with open(os.path.join(args.out_dir, name + ".jsonl"), "w") as out:
            for _ in range(args.count):
                doc, breakers = generate(r)
                if r.random() < 0.1:
                    r.choice(breakers)(doc)
                out.write(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
