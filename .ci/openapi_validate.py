#!/usr/bin/env python3
"""Every spec, as committed and as embedded in its crate (`SPEC_JSON`), passes an independent
OpenAPI 3.0 validator (openapi-spec-validator, from PyPI). Exit 1 naming each that fails.

    pip install pyyaml openapi-spec-validator && python3 .ci/openapi_validate.py
"""
import glob
import json
import os
import re
import sys

import yaml
from openapi_spec_validator import validate

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
failed = 0
checked = 0
sources = [(path, lambda p=path: yaml.safe_load(open(p, encoding="utf-8")))
           for path in sorted(glob.glob(os.path.join(ROOT, "specs", "*", "*.yaml")))
           if not path.endswith(".overlay.yaml")]
for module in sorted(glob.glob(os.path.join(ROOT, "crates", "*", "src", "generated", "*.rs"))):
    text = open(module, encoding="utf-8").read()
    match = re.search(r'pub const SPEC_JSON: &str = r####"(.*?)"####;', text, re.S)
    if match:
        sources.append((module + " (SPEC_JSON)", lambda m=match: json.loads(m.group(1))))
for name, load in sources:
    checked += 1
    try:
        validate(load())
    except Exception as error:  # the validator's errors name the failing pointer
        failed += 1
        print("%s: %s" % (os.path.relpath(name, ROOT), str(error).splitlines()[0]))
print("%d spec(s) validated, %d invalid" % (checked, failed))
sys.exit(1 if failed else 0)
