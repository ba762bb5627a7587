//! Exported JSON validates against the official HSDS 3.0 JSON schemas.

use std::collections::BTreeMap;

use haven_hsds::export::{self, Page};
use haven_hsds::import;
use haven_hsds::model::Dataset;
use serde_json::Value;

use super::official;

/// The schema of `object` (e.g. `service`) with every schema it refers to inlined under
/// `$defs`: the official files refer to each other by bare file name.
fn schema_for(object: &str) -> Value {
    let dir = official().join("schema");
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        rewrite_refs(&mut schema);
        all.insert(name, schema);
    }
    let mut root = all[object].clone();
    root["$schema"] = Value::from("https://json-schema.org/draft/2020-12/schema");
    root["$defs"] = Value::Object(all.into_iter().collect());
    root
}

fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(target) = v {
                        *target = format!("#/$defs/{}", target.trim_end_matches(".json"));
                    }
                } else {
                    rewrite_refs(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

fn assert_valid(object: &str, instance: &Value) {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema_for(object))
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{object}: {errors:#?}");
}

fn dataset() -> Dataset {
    let mut ds = import::read_package(&official().join("csv")).dataset;
    ds.extend(haven_hsds::vocabulary::vocabulary_dataset());
    ds
}

#[test]
fn schemas_reject_what_they_should() {
    // Guards the harness: a validator that accepts everything would prove nothing.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema_for("service"))
        .unwrap();
    assert!(
        !validator
            .is_valid(&serde_json::json!({"id": "not-a-uuid", "name": "x", "status": "active"}))
    );
    assert!(
        !validator.is_valid(
            &serde_json::json!({"id": "ac148810-d857-441c-9679-408f346de14b", "name": "x"})
        )
    );
}

#[test]
fn service_full_is_valid() {
    let ds = dataset();
    for service in &ds.service {
        assert_valid("service", &export::service_full(&ds, service.id).unwrap());
    }
}

#[test]
fn organization_full_is_valid() {
    let ds = dataset();
    assert_valid(
        "organization",
        &export::organization_full(&ds, ds.organization[0].id).unwrap(),
    );
}

#[test]
fn service_at_location_and_location_are_valid() {
    let ds = dataset();
    let sal = export::service_at_location_full(&ds, ds.service_at_location[0].id).unwrap();
    assert_valid("service_at_location", &sal);
    assert_valid(
        "location",
        &export::location_full(&ds, ds.location[0].id).unwrap(),
    );
}

#[test]
fn taxonomies_and_terms_are_valid() {
    let ds = dataset();
    for t in &ds.taxonomy {
        assert_valid("taxonomy", &export::taxonomy(&ds, t.id).unwrap());
    }
    for t in &ds.taxonomy_term {
        assert_valid("taxonomy_term", &export::taxonomy_term(&ds, t.id).unwrap());
    }
}

#[test]
fn list_page_items_are_valid_and_page_has_the_api_fields() {
    let ds = dataset();
    let contents: Vec<Value> = ds
        .service
        .iter()
        .filter_map(|s| export::service_full(&ds, s.id))
        .collect();
    let page = serde_json::to_value(Page::new(contents, 1, 1, 10)).unwrap();
    for key in [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ] {
        assert!(page.get(key).is_some(), "{key}");
    }
    for item in page["contents"].as_array().unwrap() {
        assert_valid("service", item);
    }
}

#[test]
fn tabular_json_rows_are_valid() {
    let ds = dataset();
    let tabular = export::tabular_json(&ds);
    for table in haven_hsds::Table::ALL {
        for row in tabular[table.file_name()].as_array().unwrap() {
            assert_valid(table.name(), row);
        }
    }
}
