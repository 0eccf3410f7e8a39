#!/usr/bin/env python3
"""Wire vectors from the vendor's official Python SDKs: for every operation a spec shares with
its SDK (same name) and documents a sample for, the request the SDK puts on the wire when given
that sample's inputs — method, path, query (as the SDK encodes it) and JSON body (the sample's
body read into the SDK's model and written out again, so fields the SDK does not model drop
out). tests/src/lib.rs (`Sample::check`, run by every generated contract test) sends the same
inputs through the generated client and compares the two.

    pip install pyyaml huaweicloudsdkrds==3.1.219 huaweicloudsdkgaussdbfornosql==3.1.219 \\
        huaweicloudsdkgaussdbforopengauss==3.1.219 huaweicloudsdkdws==3.1.219 \\
        huaweicloudsdkdbss==3.1.219
    python3 tests/vectors/sdk/make_wire_vectors.py

writes tests/vectors/sdk/wire/<service>.json (sorted: regenerating gives the same bytes). Nothing
is sent: the SDK's HTTP session is replaced by one that records the request and stops.
"""
import importlib
import importlib.metadata
import json
import os
import re
import sys
import urllib.parse

import yaml
from huaweicloudsdkcore.auth.credentials import BasicCredentials

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
ENDPOINT = "https://sdk.invalid"
SERVICES = {
    # our service: (spec, SDK module, client class)
    "rds": ("specs/otc/rds.yaml", "huaweicloudsdkrds.v3", "RdsClient"),
    "geminidb": ("specs/otc/geminidb.yaml", "huaweicloudsdkgaussdbfornosql.v3", "GaussDBforNoSQLClient"),
    "opengauss": ("specs/otc/opengauss.yaml", "huaweicloudsdkgaussdbforopengauss.v3", "GaussDBforopenGaussClient"),
    "dws": ("specs/huaweicloud/dws.yaml", "huaweicloudsdkdws.v2", "DwsClient"),
    "dbss": ("specs/huaweicloud/dbss.yaml", "huaweicloudsdkdbss.v1", "DbssClient"),
}


class Sent(Exception):
    """The request the SDK would send."""


class RecordingSession:
    def __getattr__(self, method):
        def send(url, headers=None, data=None, **_):
            raise Sent(method.upper(), url, data)
        return send


def path_values(template, path):
    names = re.findall(r"\{([^}]+)\}", template)
    pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
    match = re.match(pattern, path)
    return dict(zip(names, (urllib.parse.unquote(v) for v in match.groups()))) if match else None


def typed(value, sdk_type):
    if sdk_type == "int":
        return int(value)
    if sdk_type == "bool":
        return value.lower() == "true"
    if sdk_type == "float":
        return float(value)
    return value


def wire_request(module, client_class, name, template, sample):
    request_class = getattr(module, "".join(p.capitalize() for p in name.split("_")) + "Request", None)
    if request_class is None:
        return None
    params = path_values(template, sample["path"]) or {}
    query = dict(urllib.parse.parse_qsl(sample.get("query", ""), keep_blank_values=True))
    credentials = BasicCredentials("AKEXAMPLE0000000000", "SKEXAMPLE", params.get("project_id"))
    client = client_class.new_builder().with_credentials(credentials).with_endpoints([ENDPOINT]).build()
    client._http_client._session = RecordingSession()
    request = request_class()
    unmodelled = []
    wire_names = {wire: attr for attr, wire in request_class.attribute_map.items()}
    for wire, value in list(params.items()) + list(query.items()):
        attr = wire_names.get(wire)
        if attr is None:
            if wire != "project_id":
                unmodelled.append(wire)
            continue
        setattr(request, attr, typed(value, request_class.openapi_types[attr]))
    if "body" in sample and "body" in request_class.openapi_types:
        request.body = client._deserialize(sample["body"], request_class.openapi_types["body"])
    try:
        getattr(client, name)(request)
    except Sent as sent:
        method, url, data = sent.args
    else:
        return None
    url = urllib.parse.urlsplit(url)
    body = json.loads(data) if data else None
    return {
        "operation": name,
        "method": method,
        "path": url.path,
        "query": url.query,
        "body": body,
        "parameters_the_sdk_does_not_model": sorted(unmodelled),
    }


def vectors(spec_path, module_name, client_name):
    module = importlib.import_module(module_name)
    client_class = getattr(module, client_name)
    spec = yaml.safe_load(open(os.path.join(ROOT, spec_path), encoding="utf-8"))
    out = []
    for key, item in spec["paths"].items():
        template = key.split("#")[0]
        for op in item.values():
            if not isinstance(op, dict):
                continue
            name = op.get("operationId")
            sample = op.get("x-dbplane-sample-request")
            if not name or not sample or not hasattr(client_class, "_%s_http_info" % name):
                continue
            vector = wire_request(module, client_class, name, template, sample)
            if vector:
                out.append(vector)
    return sorted(out, key=lambda v: v["operation"])


def main():
    os.makedirs(os.path.join(HERE, "wire"), exist_ok=True)
    for service, (spec, module_name, client_name) in SERVICES.items():
        ops = vectors(spec, module_name, client_name)
        sdk = module_name.split(".")[0]
        out = {"sdk": sdk, "sdk_version": importlib.metadata.version(sdk), "operations": ops}
        with open(os.path.join(HERE, "wire", "%s.json" % service), "w") as f:
            json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print("%s: %d operations" % (service, len(ops)), file=sys.stderr)


if __name__ == "__main__":
    main()
