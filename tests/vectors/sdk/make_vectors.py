#!/usr/bin/env python3
"""Operation vectors from the vendor's official Python SDKs: the oracle the imported specs are
compared with (tests/tests/sdk_vectors.rs).

For every operation of a service's client: the SDK's name for it, its method and path
template, its path, query and header parameters, the top-level fields of its request body
and of its answer, each with the SDK's type.

    pip install huaweicloudsdkgaussdbfornosql==3.1.219 huaweicloudsdkgaussdbforopengauss==3.1.219 \
        huaweicloudsdkrds==3.1.219 huaweicloudsdkdws==3.1.219 huaweicloudsdkdbss==3.1.219
    python3 tests/vectors/sdk/make_vectors.py

writes tests/vectors/sdk/<service>.json (sorted, so regenerating gives the same bytes).
"""
import importlib
import importlib.metadata
import inspect
import json
import os
import re
import sys

SERVICES = {
    # our service name: (SDK module, client class)
    "geminidb": ("huaweicloudsdkgaussdbfornosql.v3", "GaussDBforNoSQLClient"),
    "opengauss": ("huaweicloudsdkgaussdbforopengauss.v3", "GaussDBforopenGaussClient"),
    "rds": ("huaweicloudsdkrds.v3", "RdsClient"),
    "dws": ("huaweicloudsdkdws.v2", "DwsClient"),
    "dbss": ("huaweicloudsdkdbss.v1", "DbssClient"),
}


def fields(module, type_name):
    """The top-level fields of a model class: name on the wire -> SDK type."""
    cls = getattr(module, type_name, None)
    if cls is None or not hasattr(cls, "openapi_types"):
        return None
    names = getattr(cls, "attribute_map", {})
    return {names.get(k, k): v for k, v in sorted(cls.openapi_types.items())}


def operation(module, client, name):
    info = getattr(client, "_%s_http_info" % name)
    source = inspect.getsource(info)
    method = re.search(r'"method": "(\w+)"', source).group(1)
    path = re.search(r'"resource_path": "([^"]+)"', source).group(1)
    request_type = "%sRequest" % "".join(p.capitalize() for p in name.split("_"))
    response_type = re.search(r'"response_type": "(\w+)"', source).group(1)
    located = {
        "path": re.findall(r"path_params\['([^']+)'\]", source),
        "query": re.findall(r"query_params\.append\(\('([^']+)'", source),
        "header": re.findall(r"header_params\['([^']+)'\] = local_var_params", source),
    }
    request = getattr(module, request_type, None)
    body_type = None
    if request is not None and "body" in getattr(request, "openapi_types", {}):
        body_type = request.openapi_types["body"]
    if "project_id" not in located["path"] and "{project_id}" in path:
        located["path"].insert(0, "project_id")  # the SDK fills it from its credentials
    return {
        "sdk_name": name,
        "method": method,
        "path": path,
        "path_params": sorted(set(located["path"])),
        "query_params": sorted(set(located["query"])),
        "header_params": sorted(set(located["header"])),
        "body_type": body_type,
        "body_fields": fields(module, body_type) if body_type else None,
        "response_fields": fields(module, response_type),
    }


def vectors(module_name, client_name):
    module = importlib.import_module(module_name)
    client = getattr(module, client_name)
    names = sorted(
        n[1:-len("_http_info")]
        for n in dir(client)
        if n.startswith("_") and n.endswith("_http_info") and not n.startswith("__")
    )
    return [operation(module, client, n) for n in names]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for service, (module_name, client_name) in SERVICES.items():
        version = importlib.metadata.version(module_name.split(".")[0])
        ops = vectors(module_name, client_name)
        out = {"sdk": module_name.split(".")[0], "sdk_version": version, "operations": ops}
        with open(os.path.join(here, "%s.json" % service), "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")
        print("%s: %d operations" % (service, len(ops)), file=sys.stderr)


if __name__ == "__main__":
    main()
