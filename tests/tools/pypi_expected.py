#!/usr/bin/python3
"""Independent computation of the PyPI findings a scanner must give.

Usage: pypi_expected.py ROOTFS OSV_DIR
Finds installed distributions (*.dist-info/METADATA under ROOTFS), reads every OSV record
(JSON or YAML) under OSV_DIR, and applies OSV's range rules with python3-packaging's Version
ordering. Prints one TSV row per (distribution, vulnerability): name, version, id, where id is
the record's only CVE alias when it has exactly one, else its own id (records naming the same
CVE are one vulnerability). Withdrawn records are skipped.
"""
import json
import os
import re
import sys

import yaml
from packaging.version import InvalidVersion, Version


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(root):
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath.endswith(".dist-info") and "METADATA" in filenames:
            fields = {}
            with open(os.path.join(dirpath, "METADATA"), encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.strip():
                        break
                    if ":" in line:
                        k, v = line.split(":", 1)
                        fields.setdefault(k.strip(), v.strip())
            if "Name" in fields and "Version" in fields:
                found.add((fields["Name"], fields["Version"]))
    return found


def records(directory):
    for dirpath, _, filenames in os.walk(directory):
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.endswith(".json"):
                yield json.load(open(path))
            elif name.endswith((".yaml", ".yml")):
                yield yaml.safe_load(open(path))


def affected(version, rng):
    # An event whose version is not PEP 440 cannot be ordered: it is left out, so a range
    # whose only fix is unparseable stays open (reported, never silently dropped).
    events = []
    for ev in rng.get("events", []):
        (kind, value), = ev.items()
        try:
            events.append((Version("0") if value == "0" else Version(value), kind))
        except InvalidVersion:
            continue
    events.sort(key=lambda e: e[0])
    state = False
    for value, kind in events:
        if kind == "introduced" and version >= value:
            state = True
        elif kind == "fixed" and version >= value:
            state = False
        elif kind == "last_affected" and version > value:
            state = False
        elif kind == "limit" and version >= value:
            state = False
    return state


def main():
    root, osv_dir = sys.argv[1:3]
    dists = installed(root)
    by_name = {}
    for name, version in dists:
        by_name.setdefault(norm(name), []).append((name, version))
    rows = set()
    for rec in records(osv_dir):
        if not isinstance(rec, dict) or "id" not in rec or rec.get("withdrawn"):
            continue
        cves = {a for a in rec.get("aliases") or [] if a.startswith("CVE-")}
        vid = rec["id"] if rec["id"].startswith("CVE-") else (cves.pop() if len(cves) == 1 else rec["id"])
        for aff in rec.get("affected") or []:
            pkg = aff.get("package") or {}
            if pkg.get("ecosystem") != "PyPI":
                continue
            for name, version in by_name.get(norm(pkg.get("name", "")), []):
                hit = version in (aff.get("versions") or [])
                try:
                    v = Version(version)
                    for rng in aff.get("ranges") or []:
                        if rng.get("type") in ("ECOSYSTEM", "SEMVER") and affected(v, rng):
                            hit = True
                except InvalidVersion:
                    pass
                if hit:
                    rows.add((name, version, vid))
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main()
