use std::path::Path;

use proptest::prelude::*;

use super::*;

const TINY: &str = r#"{
  "version": "2.0",
  "metadata": {"apiVersion": "2099-01-01", "endpointPrefix": "dynamodb", "protocol": "json",
               "jsonVersion": "1.0", "serviceId": "DynamoDB", "signatureVersion": "v4",
               "targetPrefix": "Tiny_2099"},
  "operations": {
    "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/"},
             "input": {"shape": "PingInput"}, "output": {"shape": "PingOutput"}}
  },
  "shapes": {
    "PingInput": {"type": "structure", "required": ["Name"],
                  "members": {"Name": {"shape": "Str", "documentation": "who"},
                              "documentation": {"shape": "Str"}}},
    "PingOutput": {"type": "structure", "members": {"Echo": {"shape": "Str"}, "Self": {"shape": "PingOutput"}}},
    "Str": {"type": "string", "min": 1, "max": 10, "sensitive": true}
  }
}"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn embedded_models_resolve_lazily() {
    let loader = Loader::embedded_only();
    let ec2 = loader.service_model("ec2", None).unwrap();
    assert_eq!(ec2.api_version(), "2016-11-15");
    assert_eq!(ec2.metadata().resolved_protocol(), "ec2");
    let op = ec2.operation("DescribeInstances").unwrap().unwrap();
    assert_eq!(&*op.http.request_uri, "/");
    let input = ec2.shape(op.input.as_ref().unwrap().shape);
    let filters = input.member_named("Filters").unwrap();
    assert_eq!(filters.traits.location_name.as_deref(), Some("Filter"));
    assert_eq!(ec2.shape(filters.target).kind, ShapeKind::List);
    // The same model object comes back from the process cache.
    let again = loader.service_model("ec2", None).unwrap();
    assert!(std::sync::Arc::ptr_eq(&ec2, &again));
    assert!(ec2.operation("NoSuchOperation").unwrap().is_none());
}

#[test]
fn cloudwatch_resolves_json_not_cbor() {
    let cw = Loader::embedded_only().service_model("cloudwatch", None).unwrap();
    assert!(cw.metadata().protocols.iter().any(|p| p == "smithy-rpc-v2-cbor"));
    assert_eq!(cw.metadata().resolved_protocol(), "json");
}

#[test]
fn traits_are_read() {
    let s3 = Loader::embedded_only().service_model("s3", None).unwrap();
    let op = s3.operation("PutObject").unwrap().unwrap();
    assert!(op.http_checksum.as_ref().unwrap().request_algorithm_member.is_some());
    let input = s3.shape(op.input.as_ref().unwrap().shape);
    let bucket = input.member_named("Bucket").unwrap();
    assert_eq!(bucket.traits.location, Some(Location::Uri));
    assert_eq!(bucket.traits.context_param.as_deref(), Some("Bucket"));
    let body = input.member_named("Body").unwrap();
    assert!(body.traits.streaming);
    assert_eq!(input.traits.payload.as_deref(), Some("Body"));
    let get = s3.operation("GetObject").unwrap().unwrap();
    assert!(get.output.is_some());
    assert!(s3.client_context_params().contains_key("ForcePathStyle"));
    let rules = Loader::embedded_only().load_document("s3", "endpoint-rule-set-1", None).unwrap();
    assert!(rules.get("rules").is_some());
    // The `documentation` trait is stripped, but a member of that name stays.
    assert!(!s3.operation_json("GetObject").unwrap().contains("\"documentation\""));
}

#[test]
fn global_documents_load() {
    let loader = Loader::embedded_only();
    let partitions = loader.load_global("partitions").unwrap();
    assert!(partitions["partitions"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(loader.load_global("_retry").unwrap().get("retry").is_some());
    assert!(loader.load_global("sdk-default-configuration").unwrap().get("base").is_some());
}

#[test]
fn file_on_data_path_overrides_embedded() {
    let dir = tempfile::tempdir().unwrap();
    // Same service name and a newer version than the bundle's.
    write(dir.path(), "dynamodb/2099-01-01/service-2.json", TINY);
    let loader = Loader::new(vec![dir.path().to_owned()], true);
    let versions = loader.list_api_versions("dynamodb", "service-2").unwrap();
    assert_eq!(versions, ["2012-08-10", "2099-01-01"]);
    let model = loader.service_model("dynamodb", None).unwrap();
    assert_eq!(model.api_version(), "2099-01-01");
    assert_eq!(model.operation_names().collect::<Vec<_>>(), ["Ping"]);
    let op = model.operation("Ping").unwrap().unwrap();
    let input = model.shape(op.input.as_ref().unwrap().shape);
    assert_eq!(input.members.len(), 2, "a member called `documentation` is a member");
    assert!(model.shape(input.members[0].target).traits.sensitive);
    // Recursive shapes resolve.
    let out = model.shape(op.output.as_ref().unwrap().shape);
    assert_eq!(model.shape(out.member_named("Self").unwrap().target).name.as_ref(), "PingOutput");
    // The embedded version is still reachable by asking for it.
    let old = loader.service_model("dynamodb", Some("2012-08-10")).unwrap();
    assert!(old.operation("GetItem").unwrap().is_some());
    // Same version as embedded: the file wins.
    let dir2 = tempfile::tempdir().unwrap();
    write(dir2.path(), "dynamodb/2012-08-10/service-2.json", &TINY.replace("2099-01-01", "2012-08-10"));
    let loader2 = Loader::new(vec![dir2.path().to_owned()], true);
    let m = loader2.service_model("dynamodb", None).unwrap();
    assert!(m.operation("GetItem").unwrap().is_none());
    assert!(m.source().ends_with("service-2.json"));
    assert!(loader2.list_services().unwrap().len() >= 439);
}

#[test]
fn gzipped_models_and_sdk_extras_load() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny/2099-01-01/service-2.json.gz");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::fast());
    gz.write_all(TINY.as_bytes()).unwrap();
    gz.finish().unwrap();
    write(
        dir.path(),
        "tiny/2099-01-01/service-2.sdk-extras.json",
        r#"{"version": 1.0, "merge": {"metadata": {"serviceId": "Tiny Extra"}}}"#,
    );
    let loader = Loader::new(vec![dir.path().to_owned()], false);
    assert_eq!(loader.list_services().unwrap(), ["tiny"]);
    let model = loader.service_model("tiny", None).unwrap();
    assert_eq!(model.metadata().service_id, "Tiny Extra");
    assert_eq!(model.metadata().target_prefix.as_deref(), Some("Tiny_2099"));
}

#[test]
fn unknown_names_are_errors() {
    let loader = Loader::embedded_only();
    let err = loader.service_model("dynamo", None).unwrap_err();
    assert!(matches!(err, ModelError::UnknownService { .. }), "{err}");
    assert!(err.to_string().contains("dynamodb"), "{err}");
    let err = loader.service_model("dynamodb", Some("1999-01-01")).unwrap_err();
    assert!(err.to_string().contains("2012-08-10"), "{err}");
    assert!(matches!(loader.load_document("dynamodb", "no-such-type", None), Err(ModelError::DataNotFound(_))));
}

#[test]
fn bad_model_files_name_file_and_location() {
    let dir = tempfile::tempdir().unwrap();
    let bad_ref = TINY.replace(r#"{"shape": "Str", "documentation": "who"}"#, r#"{"shape": "Nope"}"#);
    write(dir.path(), "a/2099-01-01/service-2.json", &bad_ref);
    write(dir.path(), "b/2099-01-01/service-2.json", &TINY.replace(r#""min": 1"#, r#""min": "one""#));
    write(dir.path(), "c/2099-01-01/service-2.json", &TINY[..TINY.len() / 2]);
    write(dir.path(), "d/2099-01-01/service-2.json", &TINY.replace(r#""type": "string""#, r#""type": "strang""#));
    let loader = Loader::new(vec![dir.path().to_owned()], false);
    let err = loader.service_model("a", None).unwrap().operation("Ping").unwrap_err().to_string();
    assert!(err.contains("a/2099-01-01/service-2.json"), "{err}");
    assert!(err.contains("shapes.PingInput.members.Name.shape"), "{err}");
    let err = loader.service_model("b", None).unwrap().shape_named("Str").unwrap_err().to_string();
    assert!(err.contains("shapes.Str") && err.contains("min"), "{err}");
    let err = loader.service_model("c", None).unwrap_err().to_string();
    assert!(err.contains("c/2099-01-01/service-2.json") && err.contains("line"), "{err}");
    let err = loader.service_model("d", None).unwrap().operation("Ping").unwrap_err().to_string();
    assert!(err.contains("shapes.Str.type") || err.contains("strang"), "{err}");
}

/// Loads every operation and reachable shape of a model; errors are fine,
/// panics are not.
fn exercise(model: &ServiceModel) {
    let names: Vec<String> = model.operation_names().map(str::to_owned).collect();
    for name in names {
        let _ = model.operation(&name);
    }
    let shapes: Vec<String> = model.shape_names().map(str::to_owned).collect();
    for name in shapes {
        let _ = model.shape_named(&name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(model) = ServiceModel::from_bytes("x", "1", "random", data.clone()) {
            exercise(&model);
        }
        let mut framed = b"SVC2 ".to_vec();
        framed.extend_from_slice(&data);
        if let Ok(model) = ServiceModel::from_bytes("x", "1", "random", framed) {
            exercise(&model);
        }
        let _ = bundle::Bundle::parse(bytes::Bytes::from([&bundle::MAGIC[..], &data].concat()));
    }

    #[test]
    fn truncated_and_mutated_models_never_panic(cut in 0usize..TINY.len(), pos in 0usize..TINY.len(), byte in any::<u8>()) {
        let truncated = &TINY.as_bytes()[..cut];
        if let Ok(model) = ServiceModel::from_bytes("x", "1", "truncated", truncated.to_vec()) {
            exercise(&model);
        }
        let mut mutated = TINY.as_bytes().to_vec();
        mutated[pos] = byte;
        if let Ok(model) = ServiceModel::from_bytes("x", "1", "mutated", mutated) {
            exercise(&model);
        }
    }

    #[test]
    fn truncated_and_mutated_frames_never_panic(cut in 0usize..2000, pos in 0usize..2000, byte in any::<u8>()) {
        let loader = Loader::embedded_only();
        let bundle = Bundle::embedded().unwrap();
        let entry = bundle.find("sts", "service-2").unwrap();
        let frame = bundle.read(entry).unwrap();
        let cut = cut.min(frame.len());
        if let Ok(model) = ServiceModel::from_bytes("sts", "1", "truncated", frame[..cut].to_vec()) {
            exercise(&model);
        }
        let mut mutated = frame.clone();
        let pos = pos % mutated.len();
        mutated[pos] = byte;
        if let Ok(model) = ServiceModel::from_bytes("sts", "1", "mutated", mutated) {
            exercise(&model);
        }
        drop(loader);
    }

    #[test]
    fn mutated_chunked_models_never_panic(pos in 0usize..200_000, byte in any::<u8>(), chunk in 0u32..80) {
        // A damaged index, or a damaged chunk, is an error when used.
        let index = bundle_doc("ec2", "service-2");
        let mut mutated = index.clone();
        let at = pos % mutated.len();
        mutated[at] = byte;
        if let Ok(model) = ServiceModel::from_chunks("ec2", "1", "mutated", mutated.into(), Box::new(EmbeddedChunks("ec2", None))) {
            let _ = model.operation("DescribeInstances");
            let _ = model.shape_named("Instance");
        }
        let model = ServiceModel::from_chunks("ec2", "1", "mutated chunk", index.into(), Box::new(EmbeddedChunks("ec2", Some((chunk, pos, byte))))).unwrap();
        let _ = model.operation("DescribeInstances");
        let _ = model.operation("RunInstances");
        let _ = model.error_shape_for_code("Nope");
    }
}

/// A document of the embedded bundle, decompressed.
fn bundle_doc(service: &str, type_name: &str) -> Vec<u8> {
    let bundle = Bundle::embedded().unwrap();
    bundle.read(bundle.find(service, type_name).unwrap()).unwrap()
}

/// The chunks of an embedded chunked model, one of them optionally
/// damaged: (chunk, byte position, new byte).
struct EmbeddedChunks(&'static str, Option<(u32, usize, u8)>);

impl service::ChunkSource for EmbeddedChunks {
    fn chunk(&self, i: u32) -> Result<Vec<u8>, ModelError> {
        let bundle = Bundle::embedded()?;
        let entry = bundle
            .find(self.0, &bundle::chunk_type(i))
            .ok_or_else(|| ModelError::DataNotFound(format!("chunk {i}")))?;
        let mut data = bundle.read(entry)?;
        if let Some((c, pos, byte)) = self.1 {
            if c == i && !data.is_empty() {
                let at = pos % data.len();
                data[at] = byte;
            }
        }
        Ok(data)
    }
}

#[test]
fn every_embedded_model_resolves() {
    // Every operation of every service parses, with every shape it reaches.
    let loader = Loader::embedded_only();
    let mut ops = 0;
    for service in loader.list_services().unwrap() {
        let model = loader.service_model(&service, None).unwrap();
        for name in model.operation_names().map(str::to_owned).collect::<Vec<_>>() {
            let op = model.operation(&name).unwrap_or_else(|e| panic!("{service}.{name}: {e}"));
            assert!(op.is_some());
            ops += 1;
        }
        for name in model.shape_names().map(str::to_owned).collect::<Vec<_>>() {
            model.shape_named(&name).unwrap_or_else(|e| panic!("{service} shape {name}: {e}"));
        }
    }
    assert_eq!(ops, 19796);
}

/// Every shape an operation reaches is resolved once the operation is
/// handed out, even when several threads resolve overlapping operations
/// at the same time (a shape published by one thread while it still parses
/// the shapes that shape reaches must not cut another thread's walk short).
#[test]
fn concurrent_first_calls_see_fully_resolved_operations() {
    let bundle = Bundle::embedded().unwrap();
    let entry = bundle.find("ec2", "service-2").unwrap();
    let ops = ["CreateLaunchTemplate", "CreateLaunchTemplateVersion", "RunInstances", "RequestSpotFleet"];
    for round in 0..8 {
        // Chunked: the threads also race to read the chunks.
        let model = bundle.service_model(entry, "test").unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let model = &model;
                s.spawn(move || {
                    let op = model.operation(ops[(t + round) % ops.len()]).unwrap().unwrap();
                    let mut stack = vec![op.input.as_ref().unwrap().shape];
                    let mut seen = std::collections::HashSet::new();
                    while let Some(id) = stack.pop() {
                        if !seen.insert(id) {
                            continue;
                        }
                        let shape = model.shape(id);
                        assert_ne!(&*shape.name, "<unresolved>", "a reachable shape is not resolved");
                        stack.extend(
                            shape
                                .members
                                .iter()
                                .chain(&shape.member)
                                .chain(&shape.key)
                                .chain(&shape.value)
                                .map(|m| m.target),
                        );
                    }
                });
            }
        });
    }
}

#[test]
fn error_shapes_are_found_by_code() {
    let iam = Loader::embedded_only().service_model("iam", None).unwrap();
    // The code comes from `error.code` when the shape has one.
    let shape = iam.error_shape_for_code("NoSuchEntity").unwrap().unwrap();
    assert_eq!(&*shape.name, "NoSuchEntityException");
    assert!(iam.error_shape_for_code("NoSuchEntityException").unwrap().is_none());
    let ddb = Loader::embedded_only().service_model("dynamodb", None).unwrap();
    let shape = ddb.error_shape_for_code("ResourceNotFoundException").unwrap().unwrap();
    assert!(shape.traits.exception);
    assert!(ddb.error_shape_for_code("NoSuchThing").unwrap().is_none());
}

#[test]
fn concurrent_resolution_never_exposes_unresolved_shapes() {
    // A long chain of shapes shared by several operations: threads that
    // resolve different operations at once must each see the whole chain.
    const CHAIN: usize = 400;
    let mut shapes = serde_json::Map::new();
    for i in 0..CHAIN {
        let mut members = serde_json::json!({"s": {"shape": "Str"}});
        if i + 1 < CHAIN {
            members["next"] = serde_json::json!({"shape": format!("S{}", i + 1)});
        }
        shapes.insert(format!("S{i}"), serde_json::json!({"type": "structure", "members": members}));
    }
    shapes.insert("Str".into(), serde_json::json!({"type": "string"}));
    let mut operations = serde_json::Map::new();
    for k in 0..4 {
        shapes.insert(format!("Out{k}"), serde_json::json!({"type": "structure", "members": {"c": {"shape": "S0"}}}));
        operations.insert(
            format!("Op{k}"),
            serde_json::json!({"name": format!("Op{k}"), "output": {"shape": format!("Out{k}")}}),
        );
    }
    let doc = serde_json::json!({"metadata": {"protocol": "json"}, "operations": operations, "shapes": shapes});
    let bytes = serde_json::to_vec(&doc).unwrap();
    for _ in 0..20 {
        let model = std::sync::Arc::new(ServiceModel::from_bytes("t", "1", "t", bytes.clone()).unwrap());
        let threads: Vec<_> = (0..4)
            .map(|k| {
                let model = model.clone();
                std::thread::spawn(move || {
                    let op = model.operation(&format!("Op{k}")).unwrap().unwrap();
                    let mut shape = model.shape(model.shape(op.output.as_ref().unwrap().shape).members[0].target);
                    let mut depth = 1;
                    while let Some(next) = shape.member_named("next") {
                        shape = model.shape(next.target);
                        assert_ne!(&*shape.name, "<unresolved>", "unresolved shape at depth {depth}");
                        depth += 1;
                    }
                    assert_eq!(depth, CHAIN);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}

#[test]
fn a_bundle_with_a_corrupt_dictionary_is_an_error() {
    // A zstd dictionary magic followed by a header zstd cannot load.
    let dict = [0x37, 0xa4, 0x30, 0xec, 1, 2, 3, 4];
    let mut data = bundle::MAGIC.to_vec();
    data.extend_from_slice(&(dict.len() as u32).to_le_bytes());
    data.extend_from_slice(&dict);
    data.extend_from_slice(&0u32.to_le_bytes());
    let err = bundle::Bundle::parse(bytes::Bytes::from(data)).unwrap_err();
    assert!(err.to_string().contains("dictionary"), "{err}");
}

#[test]
fn bundle_entries_name_their_documents() {
    let bundle = Bundle::embedded().unwrap();
    let entry = bundle.find("ec2", "service-2").unwrap();
    assert_eq!((entry.service(), entry.api_version(), entry.type_name()), ("ec2", "2016-11-15", "service-2"));
    let partitions = bundle.find("", "partitions").unwrap();
    assert_eq!((partitions.service(), partitions.api_version()), ("", ""));
    assert!(bundle.find("ec2", "service").is_none());
    assert!(bundle.find("ec", "service-2").is_none());
}

#[test]
fn large_models_are_chunked_and_read_only_what_an_operation_reaches() {
    let bundle = Bundle::embedded().unwrap();
    let index = bundle.read(bundle.find("ec2", "service-2").unwrap()).unwrap();
    assert!(frame::is_chunked(&index), "EC2's model is stored chunked");
    assert!(!frame::is_chunked(&bundle_doc("sts", "service-2")), "small models are whole");
    let model = Bundle::embedded().unwrap().service_model(bundle.find("ec2", "service-2").unwrap(), "test").unwrap();
    assert_eq!(model.metadata().endpoint_prefix, "ec2");
    assert!(model.has_operation("DescribeInstances"));
    let read = model.chunks_read();
    assert_eq!(read, 0, "nothing read before an operation is asked for");
    let op = model.operation("DescribeInstances").unwrap().unwrap();
    let output = model.shape(op.output.as_ref().unwrap().shape);
    assert_eq!(output.name.as_ref(), "DescribeInstancesResult");
    let total = model.chunk_count();
    let read = model.chunks_read();
    assert!(read > 0 && read * 4 < total, "DescribeInstances read {read} of {total} chunks");
    // The JSON texts are those of the pieces.
    let json: serde_json::Value = serde_json::from_str(model.shape_json("DescribeInstancesRequest").unwrap()).unwrap();
    assert_eq!(json["type"], "structure");
    assert!(model.operation_json("RunInstances").unwrap().contains("RunInstancesRequest"));
}

#[test]
fn a_chunked_model_needs_its_chunks() {
    let index = bundle_doc("ec2", "service-2");
    let err = ServiceModel::from_bytes("ec2", "1", "alone", index).unwrap_err();
    assert!(err.to_string().contains("without its chunks"), "{err}");
    // A missing chunk is an error naming the model, when it is needed.
    struct Missing;
    impl service::ChunkSource for Missing {
        fn chunk(&self, i: u32) -> Result<Vec<u8>, ModelError> {
            Err(ModelError::DataNotFound(format!("chunk {i}")))
        }
    }
    let model =
        ServiceModel::from_chunks("ec2", "1", "no chunks", bundle_doc("ec2", "service-2").into(), Box::new(Missing))
            .unwrap();
    let err = model.operation("DescribeInstances").unwrap_err().to_string();
    assert!(err.contains("no chunks") && err.contains("chunk"), "{err}");
    assert!(model.shape_json("Instance").is_none());
}

#[test]
fn chunked_frames_round_trip() {
    use frame::Piece;
    let piece = |operation: bool, name: &str, json: &str| Piece {
        operation,
        name: name.into(),
        json: json.into(),
        exception: name.ends_with("Fault"),
    };
    let chunks = vec![
        vec![
            piece(
                true,
                "Ping",
                r#"{"name":"Ping","http":{"method":"POST","requestUri":"/"},"input":{"shape":"PingInput"}}"#,
            ),
            piece(false, "PingInput", r#"{"type":"structure","members":{"N":{"shape":"Str"}}}"#),
        ],
        vec![
            piece(false, "Str", r#"{"type":"string"}"#),
            piece(false, "PingFault", r#"{"type":"structure","members":{},"exception":true}"#),
            piece(false, "Pinger", r#"{"type":"string"}"#),
        ],
    ];
    let (index, bodies) = frame::encode_chunked(r#"{"apiVersion":"1","protocol":"json"}"#, "", &chunks);
    let table = frame::read_frame(&index).unwrap();
    assert_eq!(table.chunks, 2);
    let names: Vec<&[u8]> = table.shapes.iter().map(|e| frame::slice(&table.names, e.name)).collect();
    assert_eq!(names, [&b"PingFault"[..], b"PingInput", b"Pinger", b"Str"]);
    assert_eq!(table.shapes.iter().map(|e| e.maybe_exception).collect::<Vec<_>>(), [true, false, false, false]);
    struct Bodies(Vec<Vec<u8>>);
    impl service::ChunkSource for Bodies {
        fn chunk(&self, i: u32) -> Result<Vec<u8>, ModelError> {
            Ok(self.0[i as usize].clone())
        }
    }
    let model = ServiceModel::from_chunks("x", "1", "test", index.clone().into(), Box::new(Bodies(bodies))).unwrap();
    let op = model.operation("Ping").unwrap().unwrap();
    assert_eq!(model.shape(op.input.as_ref().unwrap().shape).members.len(), 1);
    assert_eq!(model.error_shape_for_code("PingFault").unwrap().unwrap().name.as_ref(), "PingFault");
    // Names out of order, or a prefix longer than the name before, are errors.
    let text = String::from_utf8(index).unwrap();
    assert!(text.contains("0\tPingFault\t1\t1\te\n"), "{text}");
    for bad in [
        text.replace("0\tPingFault", "0\tPingZ"),
        text.replace("4\tInput", "12\tInput"),
        text.replace("PingFault\t1\t1\te", "PingFault\t1\t1\tx"),
        text.replace("PingFault\t1\t1\te", "PingFault\t1\t1\t"),
        text.replace("PingFault\t1\t1\te", "PingFault\t2\t1\te"),
        text.replace("PingFault\t1\t1\te", "PingFault\t1\t1a\te"),
        text.replace("PingFault\t1\t1\te", "PingFault\t1\t\te"),
        text.replace("PingFault\t1\t1\te", "PingFault\t1234567890\t1\te"),
        text.replace("0\tPingFault", "x\tPingFault"),
        text.trim_end_matches('\n').to_owned(),
    ] {
        assert!(frame::read_frame(bad.as_bytes()).is_err(), "{bad}");
    }
    // Names are checked to be UTF-8 (the JSON parser checks the rest).
    let mut bad = text.clone().into_bytes();
    let at = text.find("\tStr\t").unwrap() + 3;
    bad[at] = 0xff;
    let err = frame::read_frame(&bad).unwrap_err();
    assert_eq!((err.location.as_str(), err.message.as_str()), ("shapes[3]", "name not UTF-8"));
}

#[test]
fn sdk_extras_merge_onto_an_embedded_chunked_model() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ec2/2016-11-15/service-2.sdk-extras.json",
        r#"{"version": 1.0, "merge": {"metadata": {"serviceId": "EC2 Extra"}}}"#,
    );
    let loader = Loader::new(vec![dir.path().to_owned()], true);
    let model = loader.service_model("ec2", None).unwrap();
    assert_eq!(model.metadata().service_id, "EC2 Extra");
    assert!(model.operation("DescribeInstances").unwrap().is_some());
}

#[test]
fn string_lists_hold_escaped_strings_and_refuse_other_values() {
    let list: StrList = serde_json::from_str(r#"["a\"b", "", "\u00e9t\u00e9"]"#).unwrap();
    assert_eq!(list.iter().collect::<Vec<_>>(), ["a\"b", "", "été"]);
    assert_eq!(list.get(3), None);
    assert_eq!(format!("{list:?}"), r#"["a\"b", "", "été"]"#);
    assert_eq!(list, ["a\"b", "", "été"].into_iter().collect::<StrList>());
    for bad in ["[1]", r#"["a", null]"#, r#""a""#, "{}"] {
        assert!(serde_json::from_str::<StrList>(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_member_named_twice_is_an_error() {
    let doc = r#"{"metadata":{"apiVersion":"1","protocol":"json"},
        "operations":{"Ping":{"name":"Ping","http":{"method":"POST","requestUri":"/"},"input":{"shape":"In"}}},
        "shapes":{"In":{"type":"structure","members":{"B":{"shape":"S"},"A":{"shape":"S"},"B":{"shape":"S"}}},
                  "S":{"type":"string"}}}"#;
    let model = ServiceModel::from_bytes("x", "1", "test", doc.as_bytes().to_vec()).unwrap();
    let err = model.operation("Ping").unwrap_err().to_string();
    assert!(err.contains("shapes.In.members.B") && err.contains("member named twice"), "{err}");
}
