use super::*;
use crate::params;

#[test]
fn keeps_key_order_and_types() {
    let ts = time::macros::datetime!(2024-01-02 03:04:05 UTC);
    let mut page = params!({ "Contents": [{ "Key": "b", "Size": 2 }, { "Key": "a", "Size": 1 }] });
    page["Contents"].as_list_mut().unwrap()[0].insert("LastModified", ts);
    let out = search("Contents[0]", &page).unwrap();
    let keys: Vec<&String> = out.as_map().unwrap().keys().collect();
    assert_eq!(keys, ["Key", "Size", "LastModified"]);
    assert_eq!(out["LastModified"].as_timestamp(), Some(ts));
    assert_eq!(search("{z: Contents[0].Key, a: `1`}", &page).unwrap().as_map().unwrap().keys().next().unwrap(), "z");
}

#[test]
fn projections_filters_and_functions() {
    let v = params!({ "Reservations": [
        { "Instances": [{ "State": { "Name": "running" } }, { "State": { "Name": "pending" } }] },
        { "Instances": [{ "State": { "Name": "running" } }] }
    ] });
    assert_eq!(
        search("Reservations[].Instances[].State.Name", &v).unwrap(),
        params!(["running", "pending", "running"])
    );
    assert_eq!(search("length(Reservations[].Instances[?State.Name == 'running'][])", &v).unwrap(), params!(2));
    assert_eq!(search("Reservations[*].Instances[*].State.Name | [0]", &v).unwrap(), params!(["running", "pending"]));
    assert_eq!(search("sort_by(@, &a)[].a", &params!([{ "a": 3 }, { "a": 1 }])).unwrap(), params!([1, 3]));
    assert_eq!(search("max_by(@, &a).a", &params!([{ "a": 3 }, { "a": 1 }])).unwrap(), params!(3));
    assert_eq!(search("[-1]", &params!([1, 2, 3])).unwrap(), params!(3));
    assert_eq!(search("[::-1]", &params!([1, 2, 3])).unwrap(), params!([3, 2, 1]));
    assert_eq!(search("to_string(@)", &params!({ "a": [1, true] })).unwrap(), params!("{\"a\":[1,true]}"));
    assert_eq!(search("a || b", &params!({ "a": "", "b": "x" })).unwrap(), params!("x"));
}

#[test]
fn errors_have_kinds() {
    assert_eq!(compile("a[").unwrap_err().kind(), "syntax");
    assert_eq!(compile("frob(a)").unwrap_err().kind(), "unknown-function");
    assert_eq!(compile("length(a, b)").unwrap_err().kind(), "invalid-arity");
    assert_eq!(search("length(`1`)", &Value::Null).unwrap_err().kind(), "invalid-type");
    assert_eq!(search("[::0]", &params!([1])).unwrap_err().kind(), "invalid-value");
    assert_eq!(search("sort(@)", &params!([1, "a"])).unwrap_err().kind(), "invalid-type");
}

#[test]
fn exact_integers_compare_exactly() {
    let v = params!({ "a": 9007199254740993i64, "b": 9007199254740992i64 });
    assert_eq!(search("a == b", &v).unwrap(), params!(false));
    assert_eq!(search("a > b", &v).unwrap(), params!(true));
}

#[test]
fn cache_returns_the_same_expression() {
    let a = compile("x.y.z").unwrap();
    let b = compile("x.y.z").unwrap();
    assert!(Arc::ptr_eq(&a, &b));
}

#[test]
fn first_identifiers_and_paths() {
    assert_eq!(compile("StreamDescription.Shards[-1].ShardId").unwrap().first_identifiers(), ["StreamDescription"]);
    assert!(compile("a.b.c").unwrap().is_dotted_path());
    assert!(!compile("a[0].b").unwrap().is_dotted_path());
}

#[test]
fn compliance_suite_passes() {
    let Some(dir) = crate::testing::conformance_dir("jmespath") else { return };
    let outcomes = conformance::run_dir(&dir).unwrap();
    let failed: Vec<_> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    assert!(outcomes.len() >= 900, "only {} cases found", outcomes.len());
    assert!(failed.is_empty(), "{failed:#?}");
}
