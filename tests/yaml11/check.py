#!/usr/bin/env python3
"""Reads every spec with PyYAML (a YAML 1.1 reader, as openapi-generator's SnakeYAML is) and
compares it with the JSON the generated crate embeds (read by serde_norway, YAML 1.2): a value
the two read differently (`OFF` a boolean, `22:00` the integer 1320, a date a timestamp) is
reported with its place. Exit 1 on any.

    pip install pyyaml && python3 tests/yaml11/check.py
"""
import json
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SPECS = {
    "specs/otc/rds.yaml": "crates/dbplane-otc/src/generated/rds.rs",
    "specs/otc/geminidb.yaml": "crates/dbplane-otc/src/generated/geminidb.rs",
    "specs/otc/opengauss.yaml": "crates/dbplane-otc/src/generated/opengauss.rs",
    "specs/huaweicloud/dbss.yaml": "crates/dbplane-huaweicloud/src/generated/dbss.rs",
    "specs/huaweicloud/dws.yaml": "crates/dbplane-huaweicloud/src/generated/dws.rs",
    "specs/oceanbase/ocp.yaml": "crates/dbplane-oceanbase/src/generated/ocp.rs",
}


def embedded(path):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    match = re.search(r'pub const SPEC_JSON: &str = r####"(.*?)"####;', text, re.S)
    return json.loads(match.group(1))


def differences(old, new, at=""):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(map(str, old)) | set(map(str, new))):
            a = old.get(key, old.get(_typed(key, old)))
            b = new.get(key, "<missing>")
            if not any(str(k) == key and type(k) is str for k in old):
                yield "%s/%s: the key reads as %r" % (at, key, [k for k in old if str(k) == key])
            yield from differences(a, b, "%s/%s" % (at, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, "%s/%d" % (at, i))
    elif type(old) is not type(new) or old != new:
        if isinstance(old, (int, float)) and isinstance(new, (int, float)) and not isinstance(old, bool) and not isinstance(new, bool) and old == new:
            return
        yield "%s: YAML 1.1 reads %r, YAML 1.2 %r" % (at, old, new)


def _typed(key, mapping):
    for k in mapping:
        if str(k) == key:
            return k
    return key


def main():
    found = 0
    for spec, module in SPECS.items():
        yaml11 = yaml.safe_load(open(os.path.join(ROOT, spec), encoding="utf-8"))
        for line in differences(yaml11, embedded(module)):
            print("%s%s" % (spec, line))
            found += 1
    print("%d value(s) read differently by YAML 1.1" % found, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
