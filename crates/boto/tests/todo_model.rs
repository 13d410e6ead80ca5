//! The resource engine on boto3's own test model (`todo`, from boto3's
//! tests/unit/data), with a stubbed client.

use std::path::PathBuf;

use boto::resource::Category;
use boto::{params, ActionOutput, Error, Resource};
use boto_core::model::Loader;
use boto_core::{Client, Stubber};

/// The todo model copied into a temporary search path, with a one-rule
/// endpoint rule set (the model has none; clients need one).
fn todo_loader() -> Option<(tempfile::TempDir, Loader)> {
    let src = boto_core::testing::conformance_dir("misc/boto3-resource-model")?;
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("todo").join("2015-04-01");
    std::fs::create_dir_all(&dst).unwrap();
    let from: PathBuf = src.join("todo").join("2015-04-01");
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
    }
    let rules = serde_json::json!({
        "version": "1.0",
        "parameters": { "Endpoint": { "builtIn": "SDK::Endpoint", "required": false, "type": "String" } },
        "rules": [ { "conditions": [], "endpoint": { "url": "https://todo.example.com" }, "type": "endpoint" } ]
    });
    std::fs::write(dst.join("endpoint-rule-set-1.json"), rules.to_string()).unwrap();
    let loader = Loader::new(vec![tmp.path().to_owned()], true);
    Some((tmp, loader))
}

fn stubbed() -> Option<(tempfile::TempDir, Stubber, Resource)> {
    let (tmp, loader) = todo_loader()?;
    let client = Client::builder("todo")
        .loader(loader.clone())
        .region("us-east-1")
        .credentials(boto_core::testing::test_credentials())
        .build()
        .unwrap();
    let stubber = Stubber::new();
    let resource = Resource::from_client(stubber.activate(&client), &loader).unwrap();
    Some((tmp, stubber, resource))
}

#[test]
fn model_names() {
    let Some((_tmp, _stubber, todo)) = stubbed() else { return };
    assert!(todo.is_service_resource());
    assert_eq!(todo.display_name(), "todo.ServiceResource");
    let meta = todo.meta();
    assert_eq!(meta.actions, vec!["create_to_do"]);
    assert_eq!(meta.collections, vec!["to_dos"]);
    assert_eq!(meta.sub_resources, vec!["ToDo"]);
    assert!(!meta.has_load);

    let item = todo.sub_resource("ToDo", ["abc"]).unwrap();
    let meta = item.meta();
    assert_eq!(meta.identifiers, vec!["id"]);
    assert_eq!(meta.actions, vec!["delete"]);
    // `Id` is the identifier; the other members are attributes.
    assert_eq!(meta.attributes, vec!["title", "status"]);
    assert_eq!(meta.references, vec!["my_self"]);
    assert_eq!(meta.waiters, vec!["wait_until_ready"]);
    assert_eq!(item.identifiers(), vec![("id".to_owned(), params!("abc"))]);
    assert_eq!(format!("{item:?}"), "todo.ToDo(id=\"abc\")");
    assert_eq!(item.definition()["shape"], "ToDoItem");
    assert!(todo.definition()["hasMany"]["ToDos"].is_object());
    // Identifiers are required and counted.
    assert!(matches!(todo.sub_resource("ToDo", Vec::<String>::new()), Err(Error::Identifiers { .. })));
    assert!(matches!(todo.sub_resource("ToDo", ["a", "b"]), Err(Error::Identifiers { .. })));
    // Unknown names list what exists.
    let err = item.action("Archive", params!({})).await_err();
    assert!(err.to_string().contains("has no action \"Archive\"; it has: delete"), "{err}");
}

/// Runs a future to completion on a fresh runtime.
fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

trait AwaitErr {
    fn await_err(self) -> Error;
}

impl<F: std::future::Future<Output = Result<ActionOutput, Error>>> AwaitErr for F {
    fn await_err(self) -> Error {
        block(self).unwrap_err()
    }
}

#[tokio::test]
async fn action_creates_resource_from_response() {
    let Some((_tmp, stubber, todo)) = stubbed() else { return };
    stubber.add_response(
        "CreateToDo",
        params!({ "Id": "t-1", "Title": "milk", "Status": "CREATING" }),
        Some(params!({ "Title": "milk" })),
    );
    let out = todo.action("create_to_do", params!({ "Title": "milk" })).await.unwrap();
    let item = out.into_resource().expect("a ToDo");
    assert_eq!(item.resource_name(), "ToDo");
    assert_eq!(item.id_str("id"), Some("t-1"));
    // No path in the model: no data, and the ToDo has no load.
    assert!(item.data().is_none());
    assert!(matches!(item.get("title").await, Err(Error::ResourceLoad { .. })));
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn identifiers_fill_the_request() {
    let Some((_tmp, stubber, todo)) = stubbed() else { return };
    let item = todo.sub_resource("to_do", ["t-9"]).unwrap();
    stubber.add_response("DeleteToDo", params!({}), Some(params!({ "Id": "t-9" })));
    let out = item.action("delete", params!({})).await.unwrap();
    assert!(out.response().is_some());
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn collection_makes_resources_per_identifier() {
    let Some((_tmp, stubber, todo)) = stubbed() else { return };
    stubber.add_response(
        "DescribeToDos",
        params!({ "ToDoList": [ { "Id": "a", "Title": "x" }, { "Id": "b" }, { "Id": "c" } ] }),
        Some(params!({})),
    );
    let all = todo.collection("to_dos").unwrap().to_vec().await.unwrap();
    let ids: Vec<_> = all.iter().map(|r| r.id_str("id").unwrap().to_owned()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    // limit truncates.
    stubber.add_response("DescribeToDos", params!({ "ToDoList": [ { "Id": "a" }, { "Id": "b" } ] }), None);
    let one = todo.collection("ToDos").unwrap().limit(1).to_vec().await.unwrap();
    assert_eq!(one.len(), 1);
    // An empty answer is an empty collection.
    stubber.add_response("DescribeToDos", params!({ "ToDoList": [] }), None);
    assert!(todo.collection("to_dos").unwrap().to_vec().await.unwrap().is_empty());
    // A filter that is not a map fails when the collection is used.
    let bad = todo.collection("to_dos").unwrap().filter(params!("not a map"));
    assert!(matches!(bad.to_vec().await, Err(Error::InvalidParams(_))));
    // A failing call surfaces through the stream.
    stubber.add_client_error("DescribeToDos", "ToDoServerException", "boom", 500, None);
    let err = todo.collection("to_dos").unwrap().to_vec().await.unwrap_err();
    assert!(err.is("ToDoServerException"));
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn reference_from_data() {
    let Some((_tmp, stubber, todo)) = stubbed() else { return };
    let item = todo.sub_resource("ToDo", ["t-1"]).unwrap();
    // The reference needs data; there is no load.
    assert!(matches!(item.reference("my_self").await, Err(Error::ResourceLoad { .. })));
    item.set_data(Some(params!({ "Id": "t-2", "Title": "eggs", "Status": "READY" })));
    let other = item.reference("MySelf").await.unwrap().into_resource().unwrap();
    assert_eq!(other.id_str("id"), Some("t-2"));
    // Attributes come from the data now.
    assert_eq!(item.get("title").await.unwrap(), params!("eggs"));
    assert_eq!(item.get("Status").await.unwrap(), params!("READY"));
    assert!(matches!(item.get("colour").await, Err(Error::Unknown { category: Category::Attribute, .. })));
    // Data naming no resource: nothing.
    item.set_data(Some(params!({ "Title": "no id" })));
    assert!(item.reference("my_self").await.unwrap().is_none());
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn waiter_request_from_identifiers() {
    let Some((_tmp, _stubber, todo)) = stubbed() else { return };
    let item = todo.sub_resource("ToDo", ["t-1"]).unwrap();
    let (waiter, params) = item.waiter_request("wait_until_ready", params!({ "Extra": 1 })).await.unwrap();
    assert_eq!(waiter, "ToDoReady");
    assert_eq!(params, params!({ "Id": "t-1", "Extra": 1 }));
    assert!(item.waiter_request("gone", params!({})).await.is_err());
}

#[tokio::test]
async fn resource_waiter_polls_the_client_waiter() {
    let Some((_tmp, stubber, todo)) = stubbed() else { return };
    let item = todo.sub_resource("ToDo", ["t-1"]).unwrap();
    // ToDoReady: GetToDo until ToDo.Status is READY or DONE.
    stubber.add_response("GetToDo", params!({ "ToDo": { "Status": "CREATING" } }), Some(params!({ "Id": "t-1" })));
    stubber.add_response("GetToDo", params!({ "ToDo": { "Status": "DONE" } }), Some(params!({ "Id": "t-1" })));
    item.wait_until("ready", params!({ "WaiterConfig": { "Delay": 0, "MaxAttempts": 3 } })).await.unwrap();
    stubber.assert_no_pending_responses();
    // Out of attempts: the waiter's error.
    for _ in 0..2 {
        stubber.add_response("GetToDo", params!({ "ToDo": { "Status": "CREATING" } }), None);
    }
    let err = item.wait_until("wait_until_ready", params!({ "WaiterConfig": { "Delay": 0, "MaxAttempts": 2 } })).await;
    assert!(matches!(err, Err(Error::Core(boto_core::Error::Waiter(_)))), "{err:?}");
    stubber.assert_no_pending_responses();
}
