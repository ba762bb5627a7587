//! The demonstration data set: real organisations from the sector, with services described from
//! what they do, as an HSDS dataset using Haven's vocabulary. Ids are derived from names, so
//! loading the set twice changes nothing. No real contact details: see `directory.toml`.

use haven_geo::Gazetteer;
use haven_hsds::Dataset;
use haven_hsds::Table;
use haven_hsds::vocabulary::{ImmigrationStatus, Need, Scope, Term, vocabulary_dataset};
use haven_store::Store;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

const SOURCE: &str = include_str!("directory.toml");

/// The meta key marking a database as holding demonstration data.
pub const DEMO_MARKER: &str = "demo_data";

/// Namespace for deriving demo ids (a fixed random UUID).
const NAMESPACE: Uuid = Uuid::from_u128(0x4f1c_2b8e_9d3a_4c57_a1e6_0b7d_52f9_c3a8);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    organisation: Vec<DemoOrganisation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrganisation {
    name: String,
    town: String,
    scope: String,
    description: String,
    services: Vec<DemoService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoService {
    name: String,
    description: String,
    needs: Vec<String>,
    languages: Vec<String>,
    eligibility: Vec<String>,
    remote: bool,
    /// Local authorities the service covers wherever its office is.
    #[serde(default)]
    areas: Vec<String>,
}

fn id(key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, key.as_bytes())
}

/// Collects records as HSDS JSON and checks each against the model on the way in.
struct Builder {
    dataset: Dataset,
}

impl Builder {
    fn push(&mut self, table: Table, value: Value) -> anyhow::Result<()> {
        self.dataset.push_json(table, value).map_err(|e| {
            anyhow::anyhow!(
                "demo data: a {} record is not valid HSDS: {e}",
                table.name()
            )
        })
    }

    fn tag<T: Term>(&mut self, link_id: Uuid, term: T) {
        self.dataset.attribute.push(term.attribute_for(link_id));
    }
}

/// The demo set as an HSDS dataset.
pub fn dataset() -> anyhow::Result<Dataset> {
    let file: DemoFile = toml::from_str(SOURCE)?;
    let gazetteer = Gazetteer::embedded()?;
    let mut builder = Builder {
        dataset: vocabulary_dataset(),
    };
    let mut phone_number = 0;
    for o in &file.organisation {
        let organisation_id = id(&o.name);
        builder.push(
            Table::Organization,
            json!({ "id": organisation_id, "name": o.name, "description": o.description }),
        )?;
        let scope = Scope::from_code(&o.scope)
            .ok_or_else(|| anyhow::anyhow!("demo data: unknown scope {}", o.scope))?;
        builder.tag(organisation_id, scope);
        let place = gazetteer
            .resolve(&o.town)
            .map_err(|e| anyhow::anyhow!("demo data: town {} not found: {e:?}", o.town))?;
        let location_id = id(&format!("{}/location", o.name));
        builder.push(
            Table::Location,
            json!({
                "id": location_id,
                "location_type": "physical",
                "organization_id": organisation_id,
                "name": format!("{} (town centre; demo location)", o.town),
                "latitude": (place.point.lat() * 10_000.0).round() / 10_000.0,
                "longitude": (place.point.lon() * 10_000.0).round() / 10_000.0,
            }),
        )?;
        for s in &o.services {
            let key = format!("{}/{}", o.name, s.name);
            let service_id = id(&key);
            builder.push(
                Table::Service,
                json!({
                    "id": service_id,
                    "organization_id": organisation_id,
                    "name": s.name,
                    "description": s.description,
                    "status": "active",
                    "assured_date": "2026-11-01",
                }),
            )?;
            for need in &s.needs {
                let need = Need::from_code(need)
                    .ok_or_else(|| anyhow::anyhow!("demo data: unknown need {need}"))?;
                builder.tag(service_id, need);
            }
            for status in &s.eligibility {
                let status = ImmigrationStatus::from_code(status)
                    .ok_or_else(|| anyhow::anyhow!("demo data: unknown eligibility {status}"))?;
                builder.tag(service_id, status);
            }
            for code in &s.languages {
                let name = haven_domain::spoken::spoken(code).map_or(code.as_str(), |l| l.english);
                builder.push(
                    Table::Language,
                    json!({ "id": id(&format!("{key}/language/{code}")), "service_id": service_id, "name": name, "code": code }),
                )?;
            }
            for area in &s.areas {
                builder.push(
                    Table::ServiceArea,
                    json!({ "id": id(&format!("{key}/area/{area}")), "service_id": service_id, "name": area }),
                )?;
            }
            if !s.remote {
                builder.push(
                    Table::ServiceAtLocation,
                    json!({ "id": id(&format!("{key}/at")), "service_id": service_id, "location_id": location_id }),
                )?;
            }
            phone_number += 1;
            builder.push(
                Table::Phone,
                json!({
                    "id": id(&format!("{key}/phone")),
                    "service_id": service_id,
                    "number": format!("020 7946 0{phone_number:03}"),
                    "type": "voice",
                    "description": "Demo number from Ofcom's range reserved for drama: it reaches no one.",
                }),
            )?;
            builder.push(
                Table::Schedule,
                json!({
                    "id": id(&format!("{key}/hours")),
                    "service_id": service_id,
                    "freq": "WEEKLY",
                    "byday": "MO,TU,WE,TH,FR",
                    "opens_at": "10:00",
                    "closes_at": "16:00",
                    "description": "Monday to Friday, 10:00 to 16:00 (demo hours)",
                }),
            )?;
        }
    }
    Ok(builder.dataset)
}

/// Loads the demo set into `store` and marks the database as demo data.
pub async fn load(store: &dyn Store) -> anyhow::Result<()> {
    store.store_dataset(&dataset()?).await?;
    store.set_meta(DEMO_MARKER, "true").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_set_is_valid_hsds_with_the_acceptance_organisations() {
        let set = dataset().unwrap();
        let names: Vec<&str> = set.organization.iter().map(|o| o.name.as_str()).collect();
        for needed in [
            "Compas",
            "West Yorkshire Racial Justice Network",
            "Migrants Organise",
        ] {
            assert!(names.contains(&needed), "{needed} missing");
        }
        assert_eq!(set.service.len(), 19);
        // Round trip through the HSDS importer: the demo set is valid HSDS.
        let dir = tempfile::tempdir().unwrap();
        haven_hsds::export::write_package(&set, dir.path()).unwrap();
        let again = haven_hsds::import::read_package(dir.path());
        assert!(!again.report.has_errors(), "{}", again.report);
        let phones: Vec<&str> = set.phone.iter().map(|p| p.number.as_str()).collect();
        assert!(
            phones.iter().all(|n| n.starts_with("020 7946 0")),
            "only Ofcom drama numbers"
        );
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(
            dataset().unwrap().service[0].id,
            dataset().unwrap().service[0].id
        );
    }
}
