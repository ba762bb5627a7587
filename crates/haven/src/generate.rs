//! `haven generate`: a realistic synthetic UK-wide directory written into the database as HSDS
//! records with Haven's vocabulary, for load tests and start-up measurements.
//!
//! Names, descriptions, needs, languages, eligibility, places and hours come from
//! `haven_search::synthetic` (services placed where people live). Every id is derived from the
//! seed, so the same command always writes the same records. Services are written in batches,
//! each batch its own transaction, so a million services never sit in memory at once.

use std::collections::{HashMap, HashSet};

use haven_hsds::vocabulary::{ImmigrationStatus, Need, Scope, Term, vocabulary_dataset};
use haven_hsds::{Dataset, Table};
use haven_search::synthetic::{Generated, Generator, Geography};
use haven_search::{OpeningHours, OpeningInterval};
use haven_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Failure;

/// Services of one organisation (branch) before the next branch of the same name starts.
const SERVICES_PER_ORGANISATION: u32 = 12;

/// Namespace of generated ids (a fixed random UUID).
const NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_0c8a_52b4_4e0b_9a3e_71c2_d84f_a016);

/// The synthetic corpus's needs (by position) as Haven's terms.
const NEEDS: [Need; 19] = [
    Need::LegalAdvice,
    Need::AsylumSupport,
    Need::AsylumSupport,
    Need::Housing,
    Need::Health,
    Need::DetentionSupport,
    Need::Esol,
    Need::Education,
    Need::Employment,
    Need::Mentoring,
    Need::FamilyReunion,
    Need::Resettlement,
    Need::HateCrime,
    Need::WomensGroups,
    Need::YouthGroups,
    Need::ChildrenAndFamilies,
    Need::RomaCommunities,
    Need::Lgbtqi,
    Need::CommunityOrganising,
];

/// The corpus's eligibility groups (by position) as Haven's immigration statuses; groups that
/// are not about status (women, families) are open to anyone.
const ELIGIBILITY: [ImmigrationStatus; 10] = [
    ImmigrationStatus::Anyone,
    ImmigrationStatus::AsylumSeeker,
    ImmigrationStatus::Refugee,
    ImmigrationStatus::Anyone,
    ImmigrationStatus::UnaccompaniedChild,
    ImmigrationStatus::Anyone,
    ImmigrationStatus::RefusedAsylumSeeker,
    ImmigrationStatus::EuSettledStatus,
    ImmigrationStatus::EuSettledStatus,
    ImmigrationStatus::AsylumSeeker,
];

/// The corpus's languages (by position) as ISO 639 codes.
const LANGUAGES: [(&str, &str); 20] = [
    ("ar", "Arabic"),
    ("fa", "Persian (Farsi)"),
    ("ps", "Pashto"),
    ("ku", "Kurdish"),
    ("ti", "Tigrinya"),
    ("am", "Amharic"),
    ("so", "Somali"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("rom", "Romani"),
    ("sq", "Albanian"),
    ("uk", "Ukrainian"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("en", "English"),
];

// The tables above are read by position in the synthetic corpus's own tables: a table that
// gains or loses an entry on one side only must not build.
const _: () = assert!(NEEDS.len() == haven_search::synthetic::NEEDS.len());
const _: () = assert!(ELIGIBILITY.len() == haven_search::synthetic::ELIGIBILITY.len());
const _: () = assert!(LANGUAGES.len() == haven_search::synthetic::LANGUAGES.len());

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Turns generated services into HSDS records, remembering which organisations exist.
struct Writer {
    seed: u64,
    branches: HashMap<(String, Scope), u32>,
    written: HashSet<Uuid>,
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", (minute / 60) % 24, minute % 60)
}

impl Writer {
    fn id(&self, key: std::fmt::Arguments<'_>) -> Uuid {
        Uuid::new_v5(&NAMESPACE, format!("{}/{key}", self.seed).as_bytes())
    }

    fn push(dataset: &mut Dataset, table: Table, value: Value) -> Result<(), Failure> {
        dataset.push_json(table, value).map_err(|e| {
            Failure::runtime(format!(
                "generated {} record is not valid HSDS: {e}",
                table.name()
            ))
        })
    }

    fn organisation(
        &mut self,
        dataset: &mut Dataset,
        name: &str,
        town: &str,
        scope: Scope,
    ) -> Result<Uuid, Failure> {
        let count = self.branches.entry((name.to_owned(), scope)).or_insert(0);
        let branch = *count / SERVICES_PER_ORGANISATION;
        *count += 1;
        let id = self.id(format_args!(
            "organisation/{name}/{}/{branch}",
            scope.code()
        ));
        if self.written.insert(id) {
            Self::push(
                dataset,
                Table::Organization,
                json!({
                    "id": id,
                    "name": name,
                    "description": format!(
                        "A synthetic {} organisation based in {town}, generated for load testing.",
                        scope.code()
                    ),
                }),
            )?;
            dataset.attribute.push(scope.attribute_for(id));
        }
        Ok(id)
    }

    fn service(&mut self, dataset: &mut Dataset, g: &Generated, n: u64) -> Result<(), Failure> {
        let doc = &g.doc;
        let scope = match doc.scope {
            haven_search::Scope::Local => Scope::Local,
            haven_search::Scope::Regional => Scope::Regional,
            haven_search::Scope::National => Scope::National,
        };
        let organisation = self.organisation(dataset, &doc.organisation_name, &g.town, scope)?;
        let id = doc.id;
        Self::push(
            dataset,
            Table::Service,
            json!({
                "id": id,
                "organization_id": organisation,
                "name": doc.name,
                "description": doc.description.trim(),
                "status": "active",
                "assured_date": "2026-11-01",
            }),
        )?;
        let mut needs: Vec<Need> = doc
            .needs
            .iter()
            .filter_map(|n| NEEDS.get(usize::from(*n)).copied())
            .collect();
        needs.sort();
        needs.dedup();
        for need in needs {
            dataset.attribute.push(need.attribute_for(id));
        }
        let mut eligibility: Vec<ImmigrationStatus> = doc
            .eligibility
            .iter()
            .filter_map(|e| ELIGIBILITY.get(usize::from(*e)).copied())
            .collect();
        eligibility.sort();
        eligibility.dedup();
        for status in eligibility {
            dataset.attribute.push(status.attribute_for(id));
        }
        for language in &doc.languages {
            let Some((code, name)) = LANGUAGES.get(usize::from(*language)) else {
                continue;
            };
            Self::push(
                dataset,
                Table::Language,
                json!({
                    "id": self.id(format_args!("{id}/language/{code}")),
                    "service_id": id,
                    "name": name,
                    "code": code,
                }),
            )?;
        }
        for (i, point) in doc.locations.iter().enumerate() {
            let location = self.id(format_args!("{id}/location/{i}"));
            Self::push(
                dataset,
                Table::Location,
                json!({
                    "id": location,
                    "location_type": "physical",
                    "organization_id": organisation,
                    "name": format!("{} (synthetic location {})", g.town, i + 1),
                    "latitude": (point.lat() * 100_000.0).round() / 100_000.0,
                    "longitude": (point.lon() * 100_000.0).round() / 100_000.0,
                }),
            )?;
            Self::push(
                dataset,
                Table::ServiceAtLocation,
                json!({
                    "id": self.id(format_args!("{id}/at/{i}")),
                    "service_id": id,
                    "location_id": location,
                }),
            )?;
        }
        Self::push(
            dataset,
            Table::Phone,
            json!({
                "id": self.id(format_args!("{id}/phone")),
                "service_id": id,
                // Ofcom's range reserved for drama: it reaches no one.
                "number": format!("020 7946 0{:03}", n % 1000),
                "type": "voice",
            }),
        )?;
        if let OpeningHours::Weekly(intervals) = &doc.hours {
            // One schedule per distinct opening time, listing its days.
            let mut groups: Vec<(u16, u16, Vec<u8>)> = Vec::new();
            for OpeningInterval {
                weekday,
                open_minute,
                close_minute,
            } in intervals
            {
                match groups
                    .iter_mut()
                    .find(|(o, c, _)| o == open_minute && c == close_minute)
                {
                    Some((_, _, days)) => days.push(*weekday),
                    None => groups.push((*open_minute, *close_minute, vec![*weekday])),
                }
            }
            for (i, (opens, closes, mut days)) in groups.into_iter().enumerate() {
                days.sort_unstable();
                days.dedup();
                let byday: Vec<&str> = days
                    .iter()
                    .filter_map(|d| WEEKDAYS.get(usize::from(*d)).copied())
                    .collect();
                Self::push(
                    dataset,
                    Table::Schedule,
                    json!({
                        "id": self.id(format_args!("{id}/hours/{i}")),
                        "service_id": id,
                        "freq": "WEEKLY",
                        "byday": byday.join(","),
                        "opens_at": clock(opens),
                        "closes_at": clock(closes),
                    }),
                )?;
            }
        }
        Ok(())
    }
}

/// Writes `services` synthetic services from `seed` into `store`, `batch` per transaction.
pub async fn generate(
    store: &dyn Store,
    services: u64,
    seed: u64,
    batch: u64,
) -> Result<(), Failure> {
    let geography =
        Geography::uk().map_err(|e| Failure::runtime(format!("reading the gazetteer: {e}")))?;
    let mut generator = Generator::new(&geography, seed);
    let mut writer = Writer {
        seed,
        branches: HashMap::new(),
        written: HashSet::new(),
    };
    // A bar on a terminal only; indicatif draws nothing when stderr is not one.
    let bar = ProgressBar::new(services);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:30}] {pos}/{len} services ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("generating");
    let started = std::time::Instant::now();
    let mut done: u64 = 0;
    let mut records: usize = 0;
    let mut first = true;
    while done < services {
        let mut dataset = if first {
            vocabulary_dataset()
        } else {
            Dataset::new()
        };
        first = false;
        let size = (services - done).min(batch.max(1));
        for _ in 0..size {
            let Some(generated) = generator.next() else {
                return Err(Failure::runtime("the generator ran dry"));
            };
            writer.service(&mut dataset, &generated, done)?;
            done += 1;
        }
        records += dataset.record_count();
        store
            .store_dataset(&dataset)
            .await
            .map_err(|e| Failure::runtime(format!("storing generated services: {e}")))?;
        bar.set_position(done);
    }
    bar.finish_and_clear();
    println!(
        "generated {done} service(s) of {} organisation(s): {records} HSDS record(s) in {:.1} s (seed {seed})",
        writer.written.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
