#!/usr/bin/env python3
"""Regenerates the signing vectors that `tests/signing_vectors.rs` checks dbplane against.

    pip install huaweicloudsdkcore==3.1.219
    python3 crates/dbplane-core/tests/vectors/generate.py

SDK-HMAC-SHA256 vectors are signed by the official Huawei Cloud Python SDK
(`huaweicloudsdkcore.signer.signer.Signer`), fed each request as the gateway decodes it from
the wire: the decoded path, the decoded query pairs, the headers and the body bytes.

OCP-ACCESS-KEY-HMACSHA1 has no published SDK signer; its vectors are computed here from the
documented algorithm (shared/research/apis.md) with Python's own hmac/hashlib/urllib, written
independently of the Rust code: query pairs are percent-decoded, sorted by decoded key then
value, and re-encoded keeping only RFC 3986 unreserved characters.

Every request is described in its wire form (`path` and `query` as the client puts them in
the URL). `wire_path` is the path a WHATWG URL parser sends once dot segments are resolved
(`/a/./b/../c` -> `/a/c`): the signature covers what goes on the wire. The output is
deterministic (fixed seed, sorted keys).
"""

import base64
import hashlib
import hmac
import json
import os
import random
from datetime import datetime
from urllib.parse import quote

from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

HERE = os.path.dirname(os.path.abspath(__file__))
UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
SUB_DELIMS = "!$&'()*+,;=:@"
# Characters a caller may put in an id or a query value: every class the gateway treats
# specially, unicode (two- to four-byte UTF-8, emoji) and the separators a URL parser uses.
ALPHABET = (
    list(UNRESERVED) * 3
    + list(SUB_DELIMS)
    + list(" %/?#[]\"<>\\^`{|}")
    + ["é", "ß", "名", "一", "中文", "😀", "🇩🇪", "Ω", "\u00a0x", "ü"]
)

rng = random.Random(20261124)


def pct(ch, upper=True):
    return "".join(("%%%02X" if upper else "%%%02x") % b for b in ch.encode("utf-8"))


def encode_segment(raw):
    """Wire form of one path segment: unreserved and sub-delims may stay raw or be encoded
    (the decoded request is the same), everything else is always encoded."""
    out = []
    for ch in raw:
        if ch in UNRESERVED and rng.random() < 0.9:
            out.append(ch)
        elif ch in "!$&()*+,;=:@" and rng.random() < 0.5:
            out.append(ch)
        else:
            out.append(pct(ch, upper=rng.random() < 0.7))
    return "".join(out)


def encode_query_part(raw):
    """Wire form of a query key or value: never a raw `+`, `&`, `=`, `#`, `'` or space."""
    out = []
    for ch in raw:
        if ch in UNRESERVED and rng.random() < 0.9:
            out.append(ch)
        elif ch in "!$()*,;:@/?" and rng.random() < 0.5:
            out.append(ch)
        else:
            out.append(pct(ch, upper=rng.random() < 0.7))
    return "".join(out)


def random_text(lo=0, hi=12):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(lo, hi)))


def resolve_dot_segments(path):
    """The path a WHATWG URL parser (the `url` crate, so reqwest) puts on the wire."""
    segments = path.split("/")[1:]
    out = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        low = seg.lower()
        if low in ("..", ".%2e", "%2e.", "%2e%2e"):
            if out:
                out.pop()
            if last:
                out.append("")
        elif low in (".", "%2e"):
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def random_path(kind):
    base = rng.choice(["v3", "v1", "v2", "api/v2", "v3.1"]).split("/")
    project = rng.choice(["054ea741f700d4a32f1bc00f5c80dd4c", "0123456789abcdef0123456789abcdef"])
    segments = [*base, project, rng.choice(["instances", "db-om", "disaster-recovery", "jobs"])]
    if kind == "plain":
        segments += ["5b409baece064984a1b3eef6addae50cin01", "action", "shutdown"]
    elif kind == "text":
        segments += [encode_segment(random_text(1, 10)) for _ in range(rng.randint(1, 3))]
    elif kind == "empty":
        segments.insert(rng.randint(1, len(segments)), "")
        segments += ["x", "" if rng.random() < 0.5 else "y"]
    elif kind == "dots":
        dot = rng.choice([".", "..", "%2e", "%2E%2E", ".%2e", "...", ".a", "a.", "..b"])
        segments.insert(rng.randint(1, len(segments)), dot)
        if rng.random() < 0.3:
            segments.append(rng.choice([".", ".."]))
    elif kind == "encoded-slash":
        segments.append(rng.choice(["a%2Fb", "a%2fb", "%2F", "x%252Fy", "c%20d", "%25", "%2520"]))
    path = "/" + "/".join(segments)
    if kind != "dots" and rng.random() < 0.2:
        path += "/"
    return path


def random_query():
    pairs = []
    wire = []
    for _ in range(rng.randint(0, 5)):
        shape = rng.random()
        if shape < 0.15 and pairs:
            key = pairs[-1][0]  # a repeated key
        elif shape < 0.25:
            key = rng.choice(["limit", "offset", "name", "k", "a", "Z", "_", "~"])
        else:
            key = random_text(0 if rng.random() < 0.05 else 1, 8)
        value = random_text(0, 10) if rng.random() < 0.85 else ""
        if rng.random() < 0.05:
            value = rng.choice(["a.b", "a/b", "a-b", "a~b", "a b", "a+b", "a*b"])
        ek = encode_query_part(key)
        if value == "" and key != "" and rng.random() < 0.5:
            wire.append(ek)  # a key without `=` (an empty pair would be no parameter)
        else:
            wire.append(ek + "=" + encode_query_part(value))
        pairs.append((key, value))
    return "&".join(wire), pairs


CONTENT_TYPES = [
    None, None, "application/json", "application/json;charset=UTF-8", "application/bson",
    "text/plain", "application/octet-stream", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=dbplane",
]


def random_body():
    shape = rng.random()
    if shape < 0.35:
        return b""
    if shape < 0.55:
        return b"{}"
    if shape < 0.75:
        return json.dumps({"name": random_text(0, 8), "n": rng.randint(0, 99)}, ensure_ascii=False).encode()
    if shape < 0.9:
        return random_text(1, 40).encode()
    # large: 64 KiB to 1 MiB of repeated unicode text
    return ("Ω名" + random_text(5, 10)).encode() * rng.randint(4000, 60000)


def random_headers():
    headers = []
    names = set()
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["X-Custom", "x-trace-id", "X-Language", "X-Client-Token", "X-A",
                           "X-Test_Underscore", "x_underscore", "X-Mixed-CASE", "X-Num-1"])
        if name.lower() in names:
            continue
        names.add(name.lower())
        value = rng.choice([
            "value", " padded ", "\tinner  spaces\t", "a,b;c=d", "utf8-名字", "😀",
            "MIIx" + "A" * rng.randint(0, 30), "", "x" * rng.randint(1, 200),
        ])
        headers.append((name, value))
    return headers


def sdk_date():
    t = datetime(2024, 1, 1) if rng.random() < 0.1 else datetime(
        rng.randint(2020, 2030), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    return t.strftime("%Y%m%dT%H%M%SZ"), t


def huawei_vector(i):
    kind = rng.choice(["plain", "text", "text", "empty", "dots", "encoded-slash"])
    path = random_path(kind)
    wire_path = resolve_dot_segments(path)
    query, pairs = random_query() if rng.random() < 0.6 else ("", [])
    host = rng.choice([
        "rds.eu-de.otc.t-systems.com", "dbss.ap-southeast-1.myhuaweicloud.com",
        "dws.eu-west-101.myhuaweicloud.eu", "ecs.cn-north-4.myhuaweicloud.com:8443",
        "127.0.0.1:9000",
    ])
    method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "post", "get"])
    body = random_body() if method.upper() not in ("GET", "HEAD") else b""
    content_type = rng.choice(CONTENT_TYPES)
    headers = random_headers()
    if content_type:
        headers.append(("Content-Type", content_type))
    if rng.random() < 0.05:
        headers.append(("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"))
    project_id = rng.choice([None, "054ea741f700d4a32f1bc00f5c80dd4c", "0123456789abcdef0123456789abcdef"])
    security_token = None if rng.random() < 0.7 else "STS" + "x" * rng.randint(10, 400)
    ak = rng.choice(["AKEXAMPLE0000000000", "HST3UAAEXAMPLEKEY123"])
    sk = rng.choice(["SKEXAMPLE0000000000000000000000000000000", "sk-with-symbols+/=~", "短"])
    date, t = sdk_date()

    # What the gateway decodes and what the SDK signs.
    header_params = {}
    for name, value in headers:
        header_params[name] = value
    if project_id:
        header_params["X-Project-Id"] = project_id
    if security_token:
        header_params["X-Security-Token"] = security_token
    header_params["X-Sdk-Date"] = date
    request = SdkRequest(method=method, schema="https", host=host, resource_path=wire_path,
                         query_params=list(pairs), header_params=header_params, body=body)
    Signer(type("C", (), {"ak": ak, "sk": sk})()).sign(request)
    chunk, repeat = split_repeat(body)
    return {
        "id": "huawei-%04d-%s" % (i, kind), "method": method, "host": host, "path": path,
        "wire_path": wire_path, "query": query, "headers": headers, "body": chunk,
        "body_repeat": repeat, "project_id": project_id, "security_token": security_token,
        "ak": ak, "sk": sk, "date": date,
        "authorization": request.header_params["Authorization"],
    }


def split_repeat(body):
    """Large bodies are stored as a chunk and a repeat count, to keep the file small."""
    text = body.decode("utf-8")
    for size in range(1, 64):
        if len(text) % size == 0 and len(text) // size > 1 and text[:size] * (len(text) // size) == text:
            return text[:size], len(text) // size
    return text, 1


def ocp_canonical_query(pairs):
    return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in sorted(pairs))


def ocp_vector(i):
    kind = rng.choice(["plain", "text", "empty", "dots", "encoded-slash"])
    path = random_path(kind)
    wire_path = resolve_dot_segments(path)
    query, pairs = random_query() if rng.random() < 0.6 else ("", [])
    host = rng.choice(["ocp-host:8080", "10.0.0.5:8080", "ocp.example.com", "ocp.example.com:9443"])
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    body = random_body() if method != "GET" else b""
    content_type = rng.choice([None, "application/json", "application/json;charset=UTF-8", "text/plain"])
    headers = [(n, v) for n, v in random_headers() if "_" not in n]
    if rng.random() < 0.5:
        headers.append(rng.choice([("X-OCP-Trace", " t1 "), ("x-ocp-lang", "zh-CN"), ("X-Ocp-B", "b")]))
        if rng.random() < 0.3:
            headers.append(("x-ocp-a", "a"))
    if content_type:
        headers.append(("Content-Type", content_type))
    date = datetime(rng.randint(2020, 2030), rng.randint(1, 12), rng.randint(1, 28),
                    rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    access_key_id = rng.choice(["ocp-ak-1", "AKID0000"])
    secret = rng.choice(["ocp-secret", "s3cr3t/+="])
    canonical_query = ocp_canonical_query(pairs)
    resource = wire_path + ("?" + canonical_query if canonical_query else "")
    ocp_headers = sorted("%s:%s" % (n.lower(), v.strip()) for n, v in headers if n.lower().startswith("x-ocp-"))
    string_to_sign = "\n".join([
        method, hashlib.md5(body).hexdigest().upper() if body else "", content_type or "", date,
        host, "\n".join(ocp_headers), resource,
    ])
    signature = base64.b64encode(hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
    chunk, repeat = split_repeat(body)
    return {
        "id": "ocp-%04d-%s" % (i, kind), "method": method, "host": host, "path": path,
        "wire_path": wire_path, "query": query, "headers": headers, "body": chunk,
        "body_repeat": repeat, "access_key_id": access_key_id, "secret": secret, "date": date,
        "string_to_sign": string_to_sign,
        "authorization": "OCP-ACCESS-KEY-HMACSHA1 %s:%s" % (access_key_id, signature),
    }


def write(name, vectors):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(vectors, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote %d vectors to %s" % (len(vectors), name))


if __name__ == "__main__":
    write("sdk_hmac_sha256.json", [huawei_vector(i) for i in range(2400)])
    write("ocp_hmacsha1.json", [ocp_vector(i) for i in range(600)])
