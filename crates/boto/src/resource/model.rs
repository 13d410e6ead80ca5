//! boto3's resource model (`resources-1.json`), parsed: identifiers, the
//! shape, `load`, actions, batch actions, `has` (references and
//! sub-resources), `hasMany` (collections) and waiters, with boto3's names
//! for each (`xform_name`, and the renaming boto3 applies on clashes).

use std::collections::{HashMap, HashSet};

use boto_core::naming::xform_name;
use indexmap::IndexMap;
use serde::Deserialize;

/// Where a request parameter or an identifier comes from.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ParamDef {
    /// Where the value goes (`Bucket`, `Filters[0].Values[0]`,
    /// `Delete.Objects[*].Key`), or the identifier it fills.
    pub target: String,
    /// `identifier`, `data`, `string`, `integer`, `boolean`, `input`,
    /// `response` or `requestParameter`.
    pub source: String,
    /// The identifier name, for `identifier` sources.
    #[serde(default)]
    pub name: Option<String>,
    /// A path into the data, response or request, for `data`, `response`
    /// and `requestParameter` sources.
    #[serde(default)]
    pub path: Option<String>,
    /// A constant, for `string`, `integer` and `boolean` sources.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
}

/// The request an action makes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RequestDef {
    /// The operation (model name).
    pub operation: String,
    /// The parameters filled from the resource.
    #[serde(default)]
    pub params: Vec<ParamDef>,
}

/// How a response (or a resource's data) becomes resources.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ResponseResourceDef {
    /// The resource type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// How each identifier of the new resources is found.
    #[serde(default)]
    pub identifiers: Vec<ParamDef>,
    /// Where the new resources' data is in the response.
    #[serde(default)]
    pub path: Option<String>,
}

/// An action, a `load`, a collection (`hasMany`) or a `has` relation.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
pub struct ActionDef {
    /// The request (absent for `has`).
    #[serde(default)]
    pub request: Option<RequestDef>,
    /// The resources the response becomes.
    #[serde(default)]
    pub resource: Option<ResponseResourceDef>,
    /// The part of the response returned (raw responses, `load`).
    #[serde(default)]
    pub path: Option<String>,
}

/// A resource waiter.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct WaiterDef {
    /// The client waiter (`BucketExists`).
    #[serde(rename = "waiterName")]
    pub waiter_name: String,
    /// The parameters filled from the resource.
    #[serde(default)]
    pub params: Vec<ParamDef>,
}

/// An identifier of a resource.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct IdentifierDef {
    /// The model name (`BucketName`).
    pub name: String,
    /// The shape member that holds the same value, if any.
    #[serde(default, rename = "memberName")]
    pub member_name: Option<String>,
}

/// One resource (or the service resource) of a resource model.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResourceDef {
    #[serde(default)]
    pub identifiers: Vec<IdentifierDef>,
    #[serde(default)]
    pub shape: Option<String>,
    #[serde(default)]
    pub load: Option<ActionDef>,
    #[serde(default)]
    pub actions: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub batch_actions: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub has: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub has_many: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub waiters: IndexMap<String, WaiterDef>,
}

/// The kinds of things a resource has, for names and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// An identifier.
    Identifier,
    /// An action.
    Action,
    /// A batch action of a collection.
    BatchAction,
    /// A sub-resource (a `has` relation needing no data).
    SubResource,
    /// A reference (a `has` relation needing the resource's data).
    Reference,
    /// A collection (`hasMany`).
    Collection,
    /// A waiter.
    Waiter,
    /// An attribute (a member of the resource's shape).
    Attribute,
}

impl Category {
    /// boto3's word for it (used in renamed names: `meta_attribute`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Identifier => "identifier",
            Category::Action => "action",
            Category::BatchAction => "batch_action",
            Category::SubResource => "subresource",
            Category::Reference => "reference",
            Category::Collection => "collection",
            Category::Waiter => "waiter",
            Category::Attribute => "attribute",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Category::SubResource => "sub-resource",
            Category::BatchAction => "batch action",
            other => other.as_str(),
        })
    }
}

/// A resource's definition with its names resolved.
#[derive(Debug)]
pub(crate) struct ResourceModel {
    /// The resource name (`Bucket`), or the service name for the service
    /// resource.
    pub name: String,
    pub is_service: bool,
    pub def: ResourceDef,
    /// `has` relations, with the service resource's implicit ones.
    pub has: IndexMap<String, ActionDef>,
    /// Members of the shape, in model order.
    pub shape_members: Vec<String>,
    /// Per category: every accepted spelling to the model name.
    lookup: HashMap<Category, HashMap<String, String>>,
    /// Per category: boto3's final names (after renaming), model order.
    names: HashMap<Category, Vec<(String, String)>>,
}

impl ResourceModel {
    /// Builds the model of `name` (`None` for the service resource) from
    /// the whole document's `resources` and the shape's member names.
    pub fn new(
        name: &str,
        is_service: bool,
        def: ResourceDef,
        all: &IndexMap<String, ResourceDef>,
        shape_members: Vec<String>,
    ) -> ResourceModel {
        let has = if is_service {
            // boto3's _get_has_definition for the service resource: every
            // resource type is reachable, by the model's `has` entry for it
            // or by an implicit one taking all identifiers as input.
            let mut out = IndexMap::new();
            for (type_name, resource_def) in all {
                let mut found = false;
                for (has_name, has_def) in &def.has {
                    if has_def.resource.as_ref().is_some_and(|r| &r.type_name == type_name) {
                        out.insert(has_name.clone(), has_def.clone());
                        found = true;
                    }
                }
                if !found {
                    let identifiers = resource_def
                        .identifiers
                        .iter()
                        .map(|i| ParamDef {
                            target: i.name.clone(),
                            source: "input".into(),
                            name: None,
                            path: None,
                            value: None,
                        })
                        .collect();
                    out.insert(
                        type_name.clone(),
                        ActionDef {
                            request: None,
                            resource: Some(ResponseResourceDef {
                                type_name: type_name.clone(),
                                identifiers,
                                path: None,
                            }),
                            path: None,
                        },
                    );
                }
            }
            out
        } else {
            def.has.clone()
        };
        let mut model = ResourceModel {
            name: name.to_owned(),
            is_service,
            def,
            has,
            shape_members,
            lookup: HashMap::new(),
            names: HashMap::new(),
        };
        model.build_names();
        model
    }

    fn build_names(&mut self) {
        // boto3's load_rename_map: names are taken in this order, and a
        // name already taken gets the category appended.
        let mut taken: HashSet<String> = HashSet::from(["meta".to_owned()]);
        if self.def.load.is_some() {
            taken.insert("load".into());
        }
        let mut entries: Vec<(Category, String, String)> = Vec::new();
        let mut take = |taken: &mut HashSet<String>, category: Category, model_name: &str, snake: bool| {
            let mut name = if snake { xform_name(model_name) } else { model_name.to_owned() };
            if taken.contains(&name) {
                name = format!("{name}_{}", category.as_str());
            }
            taken.insert(name.clone());
            entries.push((category, model_name.to_owned(), name));
        };
        for i in &self.def.identifiers {
            take(&mut taken, Category::Identifier, &i.name, true);
        }
        for name in self.def.actions.keys() {
            take(&mut taken, Category::Action, name, true);
        }
        for (name, has) in &self.has {
            if needs_data(has) {
                take(&mut taken, Category::Reference, name, true);
            } else {
                take(&mut taken, Category::SubResource, name, false);
            }
        }
        for name in self.def.has_many.keys() {
            take(&mut taken, Category::Collection, name, true);
        }
        for name in self.def.waiters.keys() {
            take(&mut taken, Category::Waiter, &format!("WaitUntil{name}"), true);
        }
        let identifier_snakes: HashSet<String> = self.def.identifiers.iter().map(|i| xform_name(&i.name)).collect();
        for member in self.shape_members.clone() {
            // Members named like an identifier are the identifier.
            if identifier_snakes.contains(&xform_name(&member)) {
                continue;
            }
            take(&mut taken, Category::Attribute, &member, true);
        }
        for name in self.def.batch_actions.keys() {
            entries.push((Category::BatchAction, name.clone(), xform_name(name)));
        }
        for (category, model_name, final_name) in entries {
            let model_key = match category {
                Category::Waiter => model_name.trim_start_matches("WaitUntil").to_owned(),
                _ => model_name.clone(),
            };
            let map = self.lookup.entry(category).or_default();
            map.insert(model_key.clone(), model_key.clone());
            map.insert(model_name.clone(), model_key.clone());
            map.insert(xform_name(&model_name), model_key.clone());
            map.insert(final_name.clone(), model_key.clone());
            if category == Category::Waiter {
                // `exists` for `wait_until_exists`.
                map.insert(xform_name(&model_key), model_key.clone());
            }
            self.names.entry(category).or_default().push((model_key, final_name));
        }
    }

    /// The model name of the thing of `category` spelled `name` (model
    /// name, boto3 name or snake_case).
    pub fn resolve(&self, category: Category, name: &str) -> Option<&str> {
        self.lookup.get(&category)?.get(name).map(String::as_str)
    }

    /// boto3's names of everything of `category`, in model order.
    pub fn boto3_names(&self, category: Category) -> Vec<String> {
        self.names.get(&category).map(|v| v.iter().map(|(_, n)| n.clone()).collect()).unwrap_or_default()
    }

    /// The identifier definitions.
    pub fn identifiers(&self) -> &[IdentifierDef] {
        &self.def.identifiers
    }

    /// The position of an identifier spelled `name`.
    pub fn identifier_index(&self, name: &str) -> Option<usize> {
        let model_name = self.resolve(Category::Identifier, name)?;
        self.def.identifiers.iter().position(|i| i.name == model_name)
    }
}

/// True when a `has` relation needs the resource's data (a reference).
pub(crate) fn needs_data(has: &ActionDef) -> bool {
    has.resource.as_ref().is_some_and(|r| r.identifiers.iter().any(|i| i.source == "data"))
}

/// The parsed `resources-1` document.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
pub(crate) struct ResourceDocument {
    #[serde(default)]
    pub service: ResourceDef,
    #[serde(default)]
    pub resources: IndexMap<String, ResourceDef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: serde_json::Value) -> ResourceDocument {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn names_and_renames() {
        let d = doc(serde_json::json!({
            "service": { "has": { "Thing": { "resource": { "type": "Thing", "identifiers": [ { "target": "Name", "source": "input" } ] } } } },
            "resources": {
                "Thing": {
                    "identifiers": [ { "name": "Name" } ],
                    "load": { "request": { "operation": "GetThing" } },
                    "actions": { "Delete": { "request": { "operation": "DeleteThing" } }, "Meta": { "request": { "operation": "X" } } },
                    "hasMany": { "Delete": { "request": { "operation": "ListThings" } } },
                    "waiters": { "Exists": { "waiterName": "ThingExists" } }
                },
                "Other": { "identifiers": [ { "name": "Id" } ] }
            }
        }));
        let thing = ResourceModel::new(
            "Thing",
            false,
            d.resources["Thing"].clone(),
            &d.resources,
            vec!["Name".into(), "Load".into(), "Size".into()],
        );
        // `meta` is reserved: the action becomes meta_action.
        assert_eq!(thing.boto3_names(Category::Action), vec!["delete", "meta_action"]);
        assert_eq!(thing.resolve(Category::Action, "meta_action"), Some("Meta"));
        assert_eq!(thing.resolve(Category::Action, "Meta"), Some("Meta"));
        // The collection clashes with the action.
        assert_eq!(thing.boto3_names(Category::Collection), vec!["delete_collection"]);
        // `load` is taken by the load action; `Name` is the identifier.
        assert_eq!(thing.boto3_names(Category::Attribute), vec!["load_attribute", "size"]);
        assert_eq!(thing.boto3_names(Category::Waiter), vec!["wait_until_exists"]);
        assert_eq!(thing.resolve(Category::Waiter, "exists"), Some("Exists"));
        assert_eq!(thing.resolve(Category::Waiter, "wait_until_exists"), Some("Exists"));
        assert_eq!(thing.identifier_index("name"), Some(0));

        let service = ResourceModel::new("svc", true, d.service.clone(), &d.resources, vec![]);
        // Declared has plus an implicit one for Other.
        assert_eq!(service.boto3_names(Category::SubResource), vec!["Thing", "Other"]);
        assert_eq!(service.resolve(Category::SubResource, "other"), Some("Other"));
    }
}
