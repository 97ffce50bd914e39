#!/usr/bin/python3
"""Independent computation of the Alpine findings a scanner must give.

  alpine_expected.py INSTALLED SECDB_FILE...   rows: package, version, origin, id, fixed
  alpine_expected.py --check VERSIONS_TSV      this comparator against version vectors

apk versions are compared with a small implementation of apk-tools' rules written for this
script (numbers numerically, one letter, suffixes _alpha < _beta < _pre < _rc < none < _cvs <
_svn < _git < _hg < _p, then -rN), limited to well-formed versions without leading zeros;
--check proves it on the corpus vectors of that shape. Secdb rules: a package's findings come
from its origin's `secfixes`; "0" = never affected, "None" = unfixed; a CVE listed under
several versions is fixed by the highest; an entry line naming CVEs is those CVEs, one naming
only other ids (XSA-…) is those ids.
"""
import re
import sys

import yaml

SUFFIXES = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1, "cvs": 1, "svn": 2, "git": 3, "hg": 4,
            "p": 5}
WELL_FORMED = re.compile(
    r"^(0|[1-9]\d*)(\.(0|[1-9]\d*))*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(-r\d+)?$")


def key(version):
    m = re.match(r"^([\d.]+)([a-z]?)((?:_[a-z]+\d*)*)(?:-r(\d+))?$", version)
    nums = [int(x) for x in m.group(1).split(".")]
    letter = m.group(2)
    suffixes = [(SUFFIXES[s], int(n or 0)) for s, n in re.findall(r"_([a-z]+)(\d*)", m.group(3))]
    rev = int(m.group(4) or 0)
    return nums, letter, suffixes, rev


def compare(a, b):
    an, al, asuf, ar = key(a)
    bn, bl, bsuf, br = key(b)
    for x, y in zip(an, bn):
        if x != y:
            return -1 if x < y else 1
    if len(an) != len(bn):
        # More numeric components is newer, unless what follows the shorter one is a letter
        # or suffix... apk: the side that goes on with digits is newer than any letter/suffix
        # of the other, except a pre-release suffix, which is older than everything.
        return -1 if len(an) < len(bn) else 1
    if al != bl:
        if not al:
            return -1
        if not bl:
            return 1
        return -1 if al < bl else 1
    for (xs, xn), (ys, yn) in zip(asuf, bsuf):
        if xs != ys:
            return -1 if xs < ys else 1
        if xn != yn:
            return -1 if xn < yn else 1
    if len(asuf) != len(bsuf):
        longer, sign = (asuf, 1) if len(asuf) > len(bsuf) else (bsuf, -1)
        extra = longer[min(len(asuf), len(bsuf))][0]
        return sign if extra > 0 else -sign
    if ar != br:
        return -1 if ar < br else 1
    return 0


def check(tsv):
    checked = bad = 0
    for line in open(tsv):
        a, b, expected = line.rstrip("\n").split("\t")[:3]
        if a == "a" or not WELL_FORMED.match(a) or not WELL_FORMED.match(b):
            continue
        checked += 1
        got = compare(a, b)
        if got != int(expected):
            bad += 1
            print(f"MISMATCH {a} {b} expected {expected} got {got}")
    print(f"checked {checked} mismatches {bad}")
    return 1 if bad or checked == 0 else 0


def installed(path):
    out = []
    for stanza in open(path, encoding="utf-8").read().split("\n\n"):
        fields = dict(line.split(":", 1) for line in stanza.splitlines() if ":" in line[:2])
        if "P" in fields and "V" in fields:
            out.append((fields["P"], fields["V"], fields.get("o", fields["P"])))
    return out


def facts(files):
    by_origin = {}
    for path in files:
        doc = yaml.safe_load(open(path))
        for entry in doc.get("packages") or []:
            pkg = entry.get("pkg") or {}
            fixes = by_origin.setdefault(pkg.get("name"), {})
            for version, lines in (pkg.get("secfixes") or {}).items():
                version = str(version)
                for line in lines or []:
                    tokens = str(line).split()
                    cves = [t for t in tokens if t.startswith("CVE-")]
                    ids = cves or [t for t in tokens if re.match(r"^[A-Z]+-\d", t)]
                    for vid in ids:
                        old = fixes.get(vid)
                        if version == "None" or old == "None":
                            fixes[vid] = "None"
                        elif old is None or old == "0" or (version != "0" and compare(version, old) > 0):
                            fixes[vid] = version
    return by_origin


def main():
    if sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    pkgs = installed(sys.argv[1])
    known = facts(sys.argv[2:])
    rows = set()
    for name, version, origin in pkgs:
        for vid, fixed in known.get(origin, {}).items():
            if fixed == "0":
                continue
            if fixed == "None":
                rows.add((name, version, origin, vid, ""))
            elif compare(version, fixed) < 0:
                rows.add((name, version, origin, vid, fixed))
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main()
