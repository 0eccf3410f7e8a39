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

/// Each request shape beside its SHA-256 floor: hashing the canonical request and the body
/// and the HMAC of the string to sign, the work no signer can skip (BENCHMARKS.md, "signing").
fn shapes(c: &mut Criterion) {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    let host = "rds.eu-de.otc.t-systems.com";
    let query: String = (0..64)
        .map(|i| format!("key{:02}=value%20{i}%2Fwith%3Dreserved&", 63 - i))
        .collect();
    let many_headers: Vec<(String, String)> = (0..32)
        .map(|i| {
            (
                format!("X-Custom-Header-{i:02}"),
                format!("value {i} of a header"),
            )
        })
        .collect();
    let body = vec![b'x'; 1 << 20];
    let signer = sdk_hmac_sha256::Signer::new(
        "AKEXAMPLE0000000000",
        "SKEXAMPLE0000000000000000000000000000000",
    );
    let mut group = c.benchmark_group("sign_shapes");
    /// A shape: its name, query, extra headers and body.
    type Shape<'a> = (&'a str, String, Vec<(String, String)>, &'a [u8]);
    let cases: [Shape<'_>; 4] = [
        ("small", String::new(), Vec::new(), b""),
        (
            "query_64_pairs",
            query.trim_end_matches('&').to_string(),
            Vec::new(),
            b"",
        ),
        ("headers_32", String::new(), many_headers, b""),
        ("body_1_mib", String::new(), Vec::new(), &body),
    ];
    for (name, query, extra, body) in &cases {
        let mut url = url::Url::parse(&format!(
            "https://{host}/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances"
        ))
        .expect("valid URL");
        if !query.is_empty() {
            url.set_query(Some(query));
        }
        let mut headers: Vec<(&str, &str)> = vec![
            ("Content-Type", "application/json"),
            ("host", host),
            ("X-Sdk-Date", "20240910T020758Z"),
        ];
        headers.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let request = sdk_hmac_sha256::SignableRequest {
            method: "POST",
            url: &url,
            headers: &headers,
            body,
        };
        let (canonical, _) = sdk_hmac_sha256::canonical_request(&request);
        let key = Hmac::<Sha256>::new_from_slice(b"SKEXAMPLE0000000000000000000000000000000")
            .expect("any key");
        group.bench_function(format!("{name}/sign"), |b| {
            b.iter(|| signer.authorization("20240910T020758Z", std::hint::black_box(&request)))
        });
        group.bench_function(format!("{name}/sha256_floor"), |b| {
            b.iter(|| {
                let body_hash = Sha256::digest(std::hint::black_box(*body));
                let canonical_hash = Sha256::digest(std::hint::black_box(canonical.as_bytes()));
                let mut mac = key.clone();
                mac.update(b"SDK-HMAC-SHA256\n20240910T020758Z\n");
                mac.update(&canonical_hash);
                mac.update(&body_hash);
                mac.finalize()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, signing, shapes);
criterion_main!(benches);
