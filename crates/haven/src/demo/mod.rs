//! The demonstration data set: real organisations from the sector, with services described from
//! what they do. Ids are derived from names, so loading the set twice changes nothing.

use haven_domain::directory::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use haven_domain::{Organisation, OrganisationId, Scope, Service, ServiceId, ServiceStatus, Text};
use haven_store::Store;
use serde::Deserialize;
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
}

/// The demo set as domain values.
pub fn directory() -> anyhow::Result<Vec<(Organisation, Vec<Service>)>> {
    let file: DemoFile = toml::from_str(SOURCE)?;
    let text = |what: &str, raw: &str, max: usize| {
        Text::parse(raw, max).map_err(|e| anyhow::anyhow!("demo data: {what} \"{raw}\" {e}"))
    };
    file.organisation
        .into_iter()
        .map(|o| {
            let id = OrganisationId::from_uuid(Uuid::new_v5(&NAMESPACE, o.name.as_bytes()));
            let organisation = Organisation {
                id,
                name: text("name", &o.name, MAX_NAME_CHARS)?,
                description: text("description", &o.description, MAX_DESCRIPTION_CHARS)?,
                scope: Scope::from_code(&o.scope)
                    .ok_or_else(|| anyhow::anyhow!("demo data: unknown scope {}", o.scope))?,
                town: Some(text("town", &o.town, MAX_NAME_CHARS)?),
                website: None,
            };
            let services = o
                .services
                .iter()
                .map(|s| {
                    let key = format!("{}/{}", o.name, s.name);
                    Ok(Service {
                        id: ServiceId::from_uuid(Uuid::new_v5(&NAMESPACE, key.as_bytes())),
                        organisation_id: id,
                        name: text("service name", &s.name, MAX_NAME_CHARS)?,
                        description: text(
                            "service description",
                            &s.description,
                            MAX_DESCRIPTION_CHARS,
                        )?,
                        status: ServiceStatus::Active,
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok((organisation, services))
        })
        .collect()
}

/// Loads the demo set into `store` and marks the database as demo data.
pub async fn load(store: &dyn Store) -> anyhow::Result<()> {
    for (organisation, services) in directory()? {
        store.upsert_organisation(&organisation).await?;
        for service in &services {
            store.upsert_service(service).await?;
        }
    }
    store.set_meta(DEMO_MARKER, "true").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_set_is_valid_and_has_the_acceptance_organisations() {
        let set = directory().unwrap();
        let names: Vec<&str> = set.iter().map(|(o, _)| o.name.as_str()).collect();
        for needed in [
            "Compas",
            "West Yorkshire Racial Justice Network",
            "Migrants Organise",
        ] {
            assert!(names.contains(&needed), "{needed} missing");
        }
        assert!(set.iter().all(|(_, services)| !services.is_empty()));
    }

    #[test]
    fn ids_are_stable() {
        let a = directory().unwrap();
        let b = directory().unwrap();
        assert_eq!(a[0].0.id, b[0].0.id);
        assert_eq!(a[0].1[0].id, b[0].1[0].id);
    }
}
