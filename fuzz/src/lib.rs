//! The harness shared by the fuzz targets: each input is parsed as the
//! response to a few real operations (with a success and an error status)
//! and must never panic; a parse error must name the operation and a
//! location.

use std::sync::{Arc, OnceLock};

use boto_core::model::{Loader, ServiceModel};
use boto_core::protocol::parse::{parse, Parsed};
use boto_core::HttpResponse;

/// The body format a target feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// query, ec2 and rest-xml operations.
    Xml,
    /// json and rest-json operations.
    Json,
    /// smithy-rpc-v2-cbor operations.
    Cbor,
}

const XML: &[(&str, &str)] = &[
    ("s3", "ListObjectsV2"),
    ("s3", "CompleteMultipartUpload"),
    ("s3", "SelectObjectContent"),
    ("route53", "ListHostedZones"),
    ("sns", "GetTopicAttributes"),
    ("ec2", "DescribeInstances"),
    ("cloudformation", "DescribeStacks"),
];
const JSON: &[(&str, &str)] = &[
    ("dynamodb", "GetItem"),
    ("dynamodb", "Query"),
    ("cloudwatch", "GetMetricData"),
    ("lambda", "GetFunction"),
    ("kinesis", "SubscribeToShard"),
    ("sqs", "ReceiveMessage"),
];
const CBOR: &[(&str, &str)] = &[("eventbridgev2", "ListEventBuses"), ("eventbridgev2", "DescribeEventBus")];

fn models(format: Format) -> &'static [(Arc<ServiceModel>, &'static str)] {
    static CELLS: [OnceLock<Vec<(Arc<ServiceModel>, &'static str)>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (cell, ops) = match format {
        Format::Xml => (&CELLS[0], XML),
        Format::Json => (&CELLS[1], JSON),
        Format::Cbor => (&CELLS[2], CBOR),
    };
    cell.get_or_init(|| {
        let loader = Loader::embedded_only();
        ops.iter()
            .map(|(service, op)| {
                let model = loader.service_model(service, None).expect("embedded model");
                model.operation(op).expect("valid model").expect("operation exists");
                (model, *op)
            })
            .collect()
    })
}

/// Parses `data` as every target operation's response, with status 200
/// and 400.
pub fn check(format: Format, data: &[u8]) {
    for (model, op_name) in models(format) {
        let op = model.operation(op_name).ok().flatten().expect("resolved above");
        for status in [200, 400] {
            let response = HttpResponse { status, headers: Default::default(), body: data.to_vec().into() };
            match parse(model, op, response) {
                Ok(Parsed::Ok(v)) => assert!(v.get("ResponseMetadata").is_some(), "no ResponseMetadata"),
                Ok(Parsed::Err(e)) => assert!(status >= 300 || e.status >= 300, "an error with status 200"),
                Err(e) => {
                    assert_eq!(e.operation, *op_name);
                    assert!(!e.location.is_empty(), "{e}");
                }
            }
        }
    }
}

/// For the plain binaries: runs `check` on every file named on the
/// command line (directories are walked one level), or on standard input.
pub fn replay(format: Format) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    for arg in &args {
        let path = std::path::Path::new(arg);
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path).expect("readable dir").flatten().map(|e| e.path()).collect();
            entries.sort();
            files.extend(entries.into_iter().filter(|p| p.is_file()));
        } else {
            files.push(path.to_path_buf());
        }
    }
    if files.is_empty() {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut data).expect("stdin");
        check(format, &data);
        println!("1 input checked");
        return;
    }
    for file in &files {
        check(format, &std::fs::read(file).expect("readable file"));
    }
    println!("{} inputs checked", files.len());
}
