//! Signing throughput: `cargo bench -p dbplane-core`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dbplane_core::sign::{ocp, sdk_hmac_sha256};

fn signing(c: &mut Criterion) {
    let url = url::Url::parse(
        "https://dbss.ap-southeast-1.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/db-om/fedcba9876543210fedcba9876543210/stop",
    )
    .expect("valid URL");
    let headers = [
        ("Content-Type", "application/json"),
        ("host", "dbss.ap-southeast-1.myhuaweicloud.com"),
        ("X-Sdk-Date", "20240910T020758Z"),
    ];
    let request = sdk_hmac_sha256::SignableRequest {
        method: "POST",
        url: &url,
        headers: &headers,
        body: b"",
    };
    let mut group = c.benchmark_group("sign");
    group.throughput(Throughput::Elements(1));
    let signer = sdk_hmac_sha256::Signer::new(
        "AKEXAMPLE0000000000",
        "SKEXAMPLE0000000000000000000000000000000",
    );
    group.bench_function("sdk_hmac_sha256/dbss_stop", |b| {
        b.iter(|| signer.authorization("20240910T020758Z", std::hint::black_box(&request)))
    });
    group.bench_function("sdk_hmac_sha256/dbss_stop_one_off", |b| {
        b.iter(|| {
            sdk_hmac_sha256::authorization(
                "AKEXAMPLE0000000000",
                "SKEXAMPLE0000000000000000000000000000000",
                "20240910T020758Z",
                std::hint::black_box(&request),
            )
        })
    });
    let ocp_url = url::Url::parse("http://ocp-host:8080/api/v2/ob/clusters/1000002/tenants/1000012/backup/config/backupStrategy/stopSchedule").expect("valid URL");
    let ocp_request = ocp::SignableRequest {
        method: "POST",
        url: &ocp_url,
        content_type: Some("application/json"),
        date: "Tue, 10 Sep 2024 02:07:58 GMT",
        headers: &[],
        body: b"",
    };
    group.bench_function("ocp_hmac_sha1/stop_backup_schedule", |b| {
        b.iter(|| ocp::authorization("ak-id", "ak-secret", std::hint::black_box(&ocp_request)))
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
