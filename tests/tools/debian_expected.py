#!/usr/bin/env python3
"""Independent computation of the Debian findings a scanner must give.

Reads a dpkg status file and vulnerability data (Debian security tracker JSON, or a directory
of OSV records for one Debian release) and applies the data's own rules, comparing versions
with `dpkg --compare-versions` only. Prints one TSV row per (binary package, vulnerability):
binary, installed version, source, source version, id, fixed version ("" when unfixed).

Rules (the tracker's own meaning of its fields):
  * a binary package belongs to its `Source:` (name and, in parentheses, version), else to
    itself; only packages whose Status ends in "installed" count;
  * tracker: per release codename, `resolved` with fixed_version "0" = not affected;
    `resolved` with a version = affected below it; `open`/`undetermined` = affected, no fix;
    urgency `unimportant` = not reported (unless --include-unimportant);
  * OSV: ecosystem "Debian:N", ECOSYSTEM ranges introduced/fixed; "0" introduces everything.
"""
import json
import os
import subprocess
import sys

CODENAMES = {"7": "wheezy", "8": "jessie", "9": "stretch", "10": "buster", "11": "bullseye",
             "12": "bookworm", "13": "trixie", "14": "forky"}


def dpkg_lt(a, b, cache={}):
    key = (a, b)
    if key not in cache:
        cache[key] = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return cache[key]


def dpkg_ge(a, b):
    return not dpkg_lt(a, b)


def read_status(path):
    packages = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for stanza in f.read().split("\n\n"):
            fields = {}
            last = None
            for line in stanza.split("\n"):
                if line[:1] in (" ", "\t") and last:
                    continue
                if ":" in line:
                    last, value = line.split(":", 1)
                    fields[last] = value.strip()
            if "Package" not in fields or not fields.get("Status", "").endswith(" installed"):
                continue
            name, version = fields["Package"], fields.get("Version", "")
            src, src_version = name, version
            if "Source" in fields:
                parts = fields["Source"].split()
                src = parts[0]
                if len(parts) > 1:
                    src_version = parts[1].strip("()")
            packages.append((name, version, src, src_version))
    return packages


def tracker_facts(path, codename, include_unimportant):
    data = json.load(open(path))
    facts = {}  # source -> [(id, fixed or None)]
    for source, cves in data.items():
        for cve, entry in cves.items():
            releases = entry.get("releases")
            if not isinstance(releases, dict):  # the tracker writes an empty object as []
                continue
            rel = releases.get(codename)
            if rel is None:
                continue
            if rel.get("urgency") == "unimportant" and not include_unimportant:
                continue
            status = rel.get("status")
            fixed = rel.get("fixed_version")
            if status == "resolved":
                if fixed == "0" or not fixed:
                    continue
                facts.setdefault(source, []).append((cve, fixed))
            elif status in ("open", "undetermined"):
                facts.setdefault(source, []).append((cve, None))
    return facts


def osv_files(directory):
    for dirpath, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(".json"):
                yield os.path.join(dirpath, name)


def osv_facts(directory, ecosystem):
    facts = {}
    for path in osv_files(directory):
        rec = json.load(open(path))
        if "id" not in rec or rec.get("withdrawn"):
            continue
        cves = [a for a in rec.get("aliases", []) if a.startswith("CVE-")]
        vid = cves[0] if len(cves) == 1 else rec["id"]
        for aff in rec.get("affected", []):
            # Ubuntu's OSV names releases "Ubuntu:18.04:LTS"; ":LTS" is not part of the release.
            eco = aff["package"]["ecosystem"]
            if eco.endswith(":LTS"):
                eco = eco[:-4]
            if eco != ecosystem:
                continue
            for rng in aff.get("ranges", []):
                if rng["type"] != "ECOSYSTEM":
                    continue
                intro, fixed = None, None
                for ev in rng["events"]:
                    intro = ev.get("introduced", intro)
                    fixed = ev.get("fixed", fixed)
                facts.setdefault(aff["package"]["name"], []).append((vid, fixed, intro))
    return facts


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    include_unimportant = "--include-unimportant" in sys.argv
    status_file, data, release = args
    packages = read_status(status_file)
    if os.path.isdir(data):
        # RELEASE is "12" (Debian) or "ubuntu:18.04".
        eco = "Ubuntu:" + release[7:] if release.startswith("ubuntu:") else "Debian:" + release
        facts = osv_facts(data, eco)
    else:
        facts = {k: [(c, f, "0") for c, f in v]
                 for k, v in tracker_facts(data, CODENAMES[release], include_unimportant).items()}
    rows = set()
    for name, version, src, src_version in packages:
        for vid, fixed, intro in facts.get(src, []):
            if intro not in (None, "0") and dpkg_lt(src_version, intro):
                continue
            if fixed is None or dpkg_lt(src_version, fixed):
                rows.add((name, version, src, src_version, vid, fixed or ""))
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main()
