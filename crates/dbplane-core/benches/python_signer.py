"""Signatures per second of the official Python SDK signer (huaweicloudsdkcore), for
BENCHMARKS.md: the same DBSS request as `cargo bench -p dbplane-core --bench signing`.

    python3 -m venv /tmp/hw && /tmp/hw/bin/pip install huaweicloudsdkcore
    /tmp/hw/bin/python crates/dbplane-core/benches/python_signer.py
"""

import time

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

AK = "AKEXAMPLE0000000000"
SK = "SKEXAMPLE0000000000000000000000000000000"
PATH = "/v1/0123456789abcdef0123456789abcdef/db-om/fedcba9876543210fedcba9876543210/stop"
EXPECTED = "7d5d556eddacd4454fde4969b4654c7583a50a47cdb0553ea73b974a2ed3c490"


def request():
    return SdkRequest(
        method="POST",
        schema="https",
        host="dbss.ap-southeast-1.myhuaweicloud.com",
        resource_path=PATH,
        uri=PATH,
        query_params=[],
        header_params={"Content-Type": "application/json", "X-Sdk-Date": "20240910T020758Z"},
        body="",
    )


def main():
    signer = Signer(BasicCredentials(AK, SK))
    assert EXPECTED in signer.sign(request()).header_params["Authorization"], "not the reference signature"
    for run in range(5):
        n = 20_000
        requests = [request() for _ in range(n)]
        start = time.perf_counter()
        for r in requests:
            signer.sign(r)
        elapsed = time.perf_counter() - start
        print(f"run {run + 1}: {n / elapsed:,.0f} signatures/s")


if __name__ == "__main__":
    main()
