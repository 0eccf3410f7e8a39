#!/usr/bin/env python3
"""Each crate users get builds from its .crate file, as crates.io would unpack it.

`cargo package`'s own verification builds every package in a target directory of its own, so a
workspace of seven crates compiles serde, tokio, ring and the rest seven times (about 19 minutes
of a 36-minute CI run on a slow day). This does the same check with one target directory:

1. `cargo package --no-verify` writes each publishable crate's .crate (and checks its manifest);
2. each .crate is unpacked into `target/package-build/`, a workspace of the unpacked crates only,
   whose dependencies on one another are patched to the unpacked copies (never to the sources);
3. each crate is built alone (`cargo build -p NAME`, default features, as the verification
   does) in the workspace's own target directory, so what the test step built is reused.

A file the package leaves out, a feature it forgets, a path that only the workspace has: each
fails the build here, naming the crate. Exit status is cargo's.
"""
import json
import os
import shutil
import subprocess
import sys
import tarfile

EXCLUDED = ["xtask", "contract-tests"]


def run(args, **kw):
    print("+ " + " ".join(args), flush=True)
    subprocess.run(args, check=True, **kw)


def publishable(root):
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"],
        check=True, capture_output=True, text=True, cwd=root).stdout)
    return sorted((p["name"], p["version"]) for p in meta["packages"]
                  if p["name"] not in EXCLUDED and p.get("publish") != [])


def unpack(crate_file, into):
    with tarfile.open(crate_file) as archive:
        archive.extractall(into, filter="data")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    packages = publishable(root)
    excludes = [arg for name in EXCLUDED for arg in ("--exclude", name)]
    # Arguments are cargo package's (`--allow-dirty`, to try a change before committing it).
    run(["cargo", "package", "--workspace", *excludes, "--no-verify", *sys.argv[1:]], cwd=root)

    build = os.path.join(target, "package-build")
    shutil.rmtree(build, ignore_errors=True)
    os.makedirs(build)
    for name, version in packages:
        unpack(os.path.join(target, "package", f"{name}-{version}.crate"), build)
    members = [f"{name}-{version}" for name, version in packages]
    patches = "".join(f'{name} = {{ path = "{name}-{version}" }}\n' for name, version in packages)
    with open(os.path.join(build, "Cargo.toml"), "w") as manifest:
        manifest.write("# Written by .ci/package_build.py: the unpacked .crate files, nothing else.\n"
                       "[workspace]\nresolver = \"2\"\nmembers = %s\n\n[patch.crates-io]\n%s"
                       % (json.dumps(members), patches))
    # The workspace's lock, so the crates build against the versions the tests ran with.
    shutil.copy(os.path.join(root, "Cargo.lock"), os.path.join(build, "Cargo.lock"))

    env = dict(os.environ, CARGO_TARGET_DIR=target)
    for name, version in packages:
        print(f"\n--- {name} {version}, from its .crate", flush=True)
        run(["cargo", "build", "-p", name], cwd=build, env=env)
    print("\nbuilt from their .crate files: " + ", ".join(f"{n} {v}" for n, v in packages))


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode or 1)
