#!/usr/bin/env python3
"""The workspace's declared rust-version is true for the locked tree: no locked dependency
declares a higher one. Reads `cargo metadata --locked`; exit 1 naming the package if one does."""
import json
import subprocess
import sys

meta = json.loads(subprocess.run(
    ["cargo", "metadata", "--format-version", "1", "--locked"],
    check=True, capture_output=True, text=True).stdout)
members = set(meta["workspace_members"])
version = lambda text: tuple((list(map(int, text.split("."))) + [0, 0])[:3])
declared = {p["rust_version"] for p in meta["packages"] if p["id"] in members and p.get("rust_version")}
highest = max(((version(p["rust_version"]), p["name"], p["version"]) for p in meta["packages"]
               if p["id"] not in members and p.get("rust_version")), default=((0,), "", ""))
ok = all(version(d) >= highest[0] for d in declared)
print("declared rust-version %s; the locked tree's highest: %s (%s %s)" % (
    ", ".join(sorted(declared)), ".".join(map(str, highest[0])), highest[1], highest[2]))
sys.exit(0 if ok else 1)
