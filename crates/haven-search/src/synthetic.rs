//! A deterministic synthetic directory for benchmarks: services spread over the UK the way
//! people are, with realistic names, descriptions, needs, languages, eligibility, scope and
//! hours, and a fixed mix of 1,000 realistic queries.
//!
//! Geography comes from `haven_geo`'s public API only: every local authority is resolved as
//! "<name> council" to get its centre, radius and region, and weighted by its region's live
//! postcodes shared among the region's authorities (postcodes track addresses, so people),
//! with a multiplier for the largest cities, which a per-region average would flatten. (A
//! per-authority postcode count is in `haven_geo`'s data but not exposed; exposing it would
//! sharpen this.) Area ids: local authority `i` is `i`, region `r` is `REGION_AREA_BASE + r`.

use haven_geo::{Gazetteer, GeoError, LatLon};
use uuid::Uuid;

use crate::doc::{IndexDoc, OpeningHours, OpeningInterval, Scope};
use crate::query::{Near, Query, SortBy, WeekMinute};

pub const REGION_AREA_BASE: u32 = 10_000;

/// Need ids are positions in this list; labels are searched as text.
pub const NEEDS: &[(&str, &str)] = &[
    ("Legal advice", "مشورة قانونية"),
    ("Asylum support", "دعم اللجوء"),
    ("Destitution and food bank", "بنك الطعام"),
    ("Housing", "السكن"),
    ("Health and mental health", "الصحة النفسية"),
    ("Detention support", "دعم المحتجزين"),
    ("ESOL English classes", "دروس اللغة الإنجليزية"),
    ("Education and university", "التعليم والجامعة"),
    ("Employment and re-qualification", "العمل"),
    ("Mentoring and befriending", "الإرشاد"),
    ("Family reunion", "لم شمل الأسرة"),
    ("Resettlement", "إعادة التوطين"),
    ("Hate crime support", "جرائم الكراهية"),
    ("Women's groups", "مجموعات النساء"),
    ("Youth groups", "مجموعات الشباب"),
    ("Children and families", "الأطفال والأسر"),
    ("Roma communities", "مجتمعات الروما"),
    ("LGBTQI+ support", "دعم مجتمع الميم"),
    ("Community organising", "التنظيم المجتمعي"),
];

/// Language ids are positions in this list; English is the last.
pub const LANGUAGES: &[&str] = &[
    "Arabic",
    "Farsi",
    "Pashto",
    "Kurdish",
    "Tigrinya",
    "Amharic",
    "Somali",
    "Urdu",
    "Bengali",
    "Polish",
    "Romanian",
    "Romani",
    "Albanian",
    "Ukrainian",
    "French",
    "Spanish",
    "Portuguese",
    "Vietnamese",
    "Chinese",
    "English",
];
pub const ENGLISH: u16 = 19;

/// Eligibility ids are positions in this list; `ANYONE` is the "open to anyone" id.
pub const ELIGIBILITY: &[&str] = &[
    "Anyone",
    "People seeking asylum",
    "Refugees",
    "Women",
    "Young people (16-25)",
    "Families with children",
    "People with no recourse to public funds",
    "EU nationals",
    "Roma",
    "LGBTQI+",
];
pub const ANYONE: u16 = 0;

/// Per need: words for service names, and sentences for descriptions.
const NEED_TEXT: &[(&[&str], &[&str])] = &[
    (
        &[
            "Legal Advice Clinic",
            "Immigration Advice",
            "Free Legal Advice",
        ],
        &[
            "Free immigration and asylum legal advice from OISC-regulated advisers and solicitors.",
            "We help with appeals, fresh claims and Home Office interviews.",
        ],
    ),
    (
        &["Asylum Support", "Asylum Drop-in", "Asylum Seeker Support"],
        &[
            "Practical support for people seeking asylum, including help with asylum support applications.",
            "Drop-in for people in hotels and dispersal accommodation.",
        ],
    ),
    (
        &["Food Bank", "Community Pantry", "Destitution Project"],
        &[
            "Emergency food parcels and hot meals for people facing destitution.",
            "Small hardship grants and bus passes for people with no recourse to public funds.",
        ],
    ),
    (
        &["Housing Advice", "Night Shelter", "Hosting Scheme"],
        &[
            "Help finding safe accommodation, including hosting and night shelter places.",
            "Advice on homelessness applications and private renting.",
        ],
    ),
    (
        &[
            "Wellbeing Service",
            "Mental Health Support",
            "Health Access",
        ],
        &[
            "Trauma-informed counselling and mental health support in your own language.",
            "Help registering with a GP and understanding the NHS.",
        ],
    ),
    (
        &["Detention Visits", "Detention Support"],
        &[
            "Visits and befriending for people held in immigration detention.",
            "Help applying for bail and preparing for release.",
        ],
    ),
    (
        &["English Classes", "ESOL Classes", "Conversation Club"],
        &[
            "Free ESOL English lessons for beginners and improvers, with childcare.",
            "Conversation practice in a friendly group.",
        ],
    ),
    (
        &["Education Project", "University Access", "Homework Club"],
        &[
            "Guidance on school places, college courses and university sanctuary scholarships.",
            "Support with applications and study skills.",
        ],
    ),
    (
        &[
            "Employment Support",
            "Jobs Club",
            "Requalification Programme",
        ],
        &[
            "Help with CVs, job applications and getting overseas qualifications recognised.",
            "Volunteering and work placements.",
        ],
    ),
    (
        &["Mentoring", "Befriending Scheme", "Buddy Project"],
        &[
            "One-to-one mentoring and befriending with trained volunteers.",
            "Regular meet-ups to reduce isolation.",
        ],
    ),
    (
        &["Family Reunion", "Family Reunion Advice"],
        &[
            "Legal help for refugees bringing family members to the UK.",
            "Support with travel documents and arrival.",
        ],
    ),
    (
        &["Resettlement Service", "Welcome Project"],
        &[
            "Support for resettled families during their first year, from school places to benefits.",
            "Orientation sessions about life in the UK.",
        ],
    ),
    (
        &["Hate Crime Support", "Hate Crime Reporting"],
        &[
            "Confidential support if you have experienced hate crime, racism or harassment.",
            "Third-party reporting centre.",
        ],
    ),
    (
        &["Women's Group", "Women's Circle", "Women's Space"],
        &[
            "A safe space for refugee and migrant women, with creche.",
            "Sewing, cooking and wellbeing sessions for women.",
        ],
    ),
    (
        &["Youth Club", "Youth Group", "Young Refugees Project"],
        &[
            "Activities, trips and support for young refugees aged 14 to 25.",
            "Sport, art and homework support.",
        ],
    ),
    (
        &[
            "Family Support",
            "Children and Families Service",
            "Play Sessions",
        ],
        &[
            "Support for children and families, including play sessions and parenting help.",
            "Help with school admissions.",
        ],
    ),
    (
        &[
            "Roma Support",
            "Roma Community Project",
            "English Classes for Roma Children",
        ],
        &[
            "Advocacy and community work with Roma families.",
            "Romani-speaking caseworkers.",
        ],
    ),
    (
        &[
            "LGBTQI+ Refugee Group",
            "Rainbow Migrants",
            "LGBT Asylum Support",
        ],
        &[
            "Peer support for LGBTQI+ people seeking asylum, and help with claims based on sexuality or gender identity.",
            "Monthly social evenings.",
        ],
    ),
    (
        &[
            "Community Organising",
            "Migrant Voice Network",
            "Campaigns Group",
        ],
        &[
            "Bringing migrants and local people together to campaign for change.",
            "Training in community leadership.",
        ],
    ),
];

const ORG_PATTERNS: &[&str] = &[
    "{town} Refugee Action",
    "{town} Migrant Support",
    "{town} City of Sanctuary",
    "Refugee Council {town}",
    "{town} Welcome Network",
    "Red Cross {town}",
    "{town} Law Centre",
    "St Mary's {town}",
    "{town} Community Trust",
    "Together {town}",
];

/// Small deterministic generator (SplitMix64): fast, seedable, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % (n.max(1) as u64)) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// One local authority as the generator uses it.
#[derive(Debug, Clone)]
pub struct Authority {
    pub name: String,
    pub point: LatLon,
    pub radius_km: f64,
    pub area_id: u32,
    pub region_area_id: u32,
}

/// Where people live, for placing services and queries.
#[derive(Debug, Clone)]
pub struct Geography {
    pub authorities: Vec<Authority>,
    cumulative: Vec<f64>,
}

/// Multipliers for the biggest cities (population well above their region's average
/// authority).
const BIG_CITIES: &[(&str, f64)] = &[
    ("Birmingham", 4.5),
    ("Leeds", 3.2),
    ("Glasgow City", 2.6),
    ("Sheffield", 2.2),
    ("Manchester", 2.4),
    ("Bradford", 2.2),
    ("Liverpool", 2.0),
    ("City of Edinburgh", 2.1),
    ("Bristol, City of", 1.9),
    ("Cardiff", 2.4),
    ("Belfast", 3.0),
    ("Leicester", 1.5),
    ("Coventry", 1.4),
    ("Nottingham", 1.3),
    ("Newcastle upon Tyne", 1.4),
    ("Kirklees", 1.7),
    ("Cornwall", 2.3),
    ("County Durham", 2.1),
    ("Wiltshire", 2.0),
    ("North Yorkshire", 2.4),
];

impl Geography {
    /// Reads the gazetteer compiled into `haven_geo` (no I/O).
    pub fn uk() -> Result<Self, GeoError> {
        let gazetteer = Gazetteer::embedded()?;
        let regions = gazetteer.regions();
        let names: Vec<String> = gazetteer
            .local_authority_names()
            .map(str::to_owned)
            .collect();
        let mut authorities = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (i, name) in names.iter().enumerate() {
            let place = gazetteer
                .resolve(&format!("{name} council"))
                .or_else(|_| gazetteer.resolve(name));
            let Ok(place) = place else {
                continue;
            };
            let Some((r, region)) = regions
                .iter()
                .enumerate()
                .find(|(_, r)| r.name == place.region)
            else {
                continue;
            };
            let per_authority =
                f64::from(region.live_postcodes) / f64::from(region.local_authorities.max(1));
            let boost = BIG_CITIES
                .iter()
                .find(|(n, _)| n == name)
                .map_or(1.0, |(_, b)| *b);
            total += per_authority * boost;
            cumulative.push(total);
            authorities.push(Authority {
                name: name.split(',').next().unwrap_or(name).trim().to_owned(),
                point: place.point,
                radius_km: place.radius_km.clamp(1.0, 40.0),
                area_id: i as u32,
                region_area_id: REGION_AREA_BASE + r as u32,
            });
        }
        Ok(Self {
            authorities,
            cumulative,
        })
    }

    /// An authority chosen in proportion to where people live.
    pub fn weighted(&self, rng: &mut Rng) -> Option<&Authority> {
        let total = *self.cumulative.last()?;
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        self.authorities
            .get(i.min(self.authorities.len().saturating_sub(1)))
    }

    /// A point within an authority (uniform over a disc of its radius, clamped to range).
    fn point_in(&self, a: &Authority, rng: &mut Rng) -> LatLon {
        let r = a.radius_km * 0.8 * rng.unit().sqrt();
        let theta = rng.unit() * std::f64::consts::TAU;
        let lat = a.point.lat() + (r * theta.sin()) / 111.2;
        let lon = a.point.lon() + (r * theta.cos()) / (111.2 * a.point.lat().to_radians().cos());
        LatLon::new(lat.clamp(-90.0, 90.0), lon.clamp(-180.0, 180.0)).unwrap_or(a.point)
    }
}

fn hours(rng: &mut Rng) -> OpeningHours {
    if rng.chance(0.25) {
        return OpeningHours::Unknown;
    }
    if rng.chance(0.05) {
        // Around the clock (helplines) or a night shelter crossing midnight.
        return OpeningHours::Weekly(
            (0..7)
                .map(|weekday| OpeningInterval {
                    weekday,
                    open_minute: if rng.chance(0.5) { 0 } else { 20 * 60 },
                    close_minute: if rng.chance(0.5) { 0 } else { 8 * 60 },
                })
                .collect(),
        );
    }
    let days = 1 + rng.below(5);
    let open = (8 + rng.below(4) as u16) * 60 + if rng.chance(0.5) { 30 } else { 0 };
    let close = open + (3 + rng.below(6) as u16) * 60;
    let first = rng.below(5) as u8;
    OpeningHours::Weekly(
        (0..days as u8)
            .map(|d| OpeningInterval {
                weekday: (first + d) % 5,
                open_minute: open,
                close_minute: close.min(23 * 60),
            })
            .collect(),
    )
}

/// One generated service and the town it is based in.
#[derive(Debug, Clone)]
pub struct Generated {
    pub doc: IndexDoc,
    /// The local authority the service is based in (its home), by name.
    pub town: String,
}

/// Services one at a time from `seed`: the same seed always gives the same sequence, so a
/// caller can stream a million services without holding them all.
#[derive(Debug, Clone)]
pub struct Generator<'g> {
    geo: &'g Geography,
    rng: Rng,
    seed: u64,
    next: usize,
}

impl<'g> Generator<'g> {
    pub fn new(geo: &'g Geography, seed: u64) -> Self {
        Self {
            geo,
            rng: Rng::new(seed),
            seed,
            next: 0,
        }
    }

    fn generate(&mut self) -> Option<Generated> {
        let i = self.next;
        self.next += 1;
        let home = self.geo.weighted(&mut self.rng)?;
        let primary = self.rng.below(NEEDS.len());
        let mut needs = vec![primary as u16];
        for _ in 0..self.rng.below(3) {
            needs.push(self.rng.below(NEEDS.len()) as u16);
        }
        needs.sort_unstable();
        needs.dedup();
        let (titles, sentences) = NEED_TEXT.get(primary).copied().unwrap_or((&[], &[]));
        let title = self.rng.pick(titles).copied().unwrap_or("Support");
        let town = home.name.as_str();
        let name = match self.rng.below(3) {
            0 => format!("{town} {title}"),
            1 => title.to_owned(),
            _ => format!("{title} ({town})"),
        };
        let organisation_name = self
            .rng
            .pick(ORG_PATTERNS)
            .map_or_else(String::new, |p| p.replace("{town}", town));
        let mut description = String::with_capacity(240);
        for s in sentences.iter().take(1 + self.rng.below(2)) {
            description.push_str(s);
            description.push(' ');
        }
        if let Some(&other) = needs.iter().find(|&&n| usize::from(n) != primary)
            && let Some((_, more)) = NEED_TEXT.get(usize::from(other))
            && let Some(s) = self.rng.pick(more)
        {
            description.push_str(s);
            description.push(' ');
        }
        let mut languages = vec![ENGLISH];
        for _ in 0..self.rng.below(4) {
            languages.push(self.rng.below(LANGUAGES.len()) as u16);
        }
        languages.sort_unstable();
        languages.dedup();
        if languages.len() > 1 {
            description.push_str("Interpreters available in ");
            let named: Vec<&str> = languages
                .iter()
                .filter(|&&l| l != ENGLISH)
                .filter_map(|&l| LANGUAGES.get(usize::from(l)).copied())
                .collect();
            description.push_str(&named.join(" and "));
            description.push('.');
        }
        let eligibility = if self.rng.chance(0.55) {
            vec![ANYONE]
        } else {
            let mut e: Vec<u16> = (0..1 + self.rng.below(2))
                .map(|_| 1 + self.rng.below(ELIGIBILITY.len() - 1) as u16)
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        };
        let roll = self.rng.unit();
        let scope = if roll < 0.80 {
            Scope::Local
        } else if roll < 0.95 {
            Scope::Regional
        } else {
            Scope::National
        };
        let remote = self
            .rng
            .chance(if scope == Scope::National { 0.5 } else { 0.03 });
        let locations = match scope {
            Scope::National if self.rng.chance(0.5) => vec![],
            _ => (0..1 + usize::from(self.rng.chance(0.15)) * (1 + self.rng.below(3)))
                .map(|_| {
                    let a = if self.rng.chance(0.8) {
                        home
                    } else {
                        self.geo.weighted(&mut self.rng).unwrap_or(home)
                    };
                    self.geo.point_in(a, &mut self.rng)
                })
                .collect(),
        };
        let service_area = match scope {
            Scope::Regional => vec![home.region_area_id],
            Scope::Local if self.rng.chance(0.3) => vec![home.area_id],
            _ => vec![],
        };
        let mut need_labels = Vec::with_capacity(needs.len() * 2);
        let arabic = self.rng.chance(0.3);
        for &nd in &needs {
            if let Some((en, ar)) = NEEDS.get(usize::from(nd)) {
                need_labels.push((*en).to_owned());
                if arabic {
                    need_labels.push((*ar).to_owned());
                }
            }
        }
        let doc = IndexDoc {
            id: Uuid::from_u64_pair(self.seed, i as u64),
            name,
            organisation_name,
            description,
            need_labels,
            needs,
            languages,
            eligibility,
            scope,
            remote,
            locations,
            service_area,
            hours: hours(&mut self.rng),
        };
        Some(Generated {
            doc,
            town: home.name.clone(),
        })
    }
}

impl Iterator for Generator<'_> {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        self.generate()
    }
}

/// `n` services from `seed`; the same arguments always give the same documents.
pub fn documents(geo: &Geography, seed: u64, n: usize) -> Vec<IndexDoc> {
    Generator::new(geo, seed).take(n).map(|g| g.doc).collect()
}

/// What people type, with the need it is about (`None`: a general query).
const QUERY_TEXTS: &[&str] = &[
    "legal advice",
    "immigration advice",
    "solicitor",
    "asylum support",
    "food bank",
    "food",
    "housing",
    "accommodation",
    "night shelter",
    "mental health",
    "counselling",
    "detention",
    "english classes",
    "esol",
    "english lessons",
    "conversation club",
    "university",
    "college courses",
    "jobs",
    "employment support",
    "cv help",
    "mentoring",
    "befriending",
    "family reunion",
    "resettlement",
    "hate crime",
    "women's group",
    "women",
    "youth club",
    "young refugees",
    "children families",
    "roma",
    "lgbt",
    "lgbtqi+ asylum",
    "community organising",
    "legl advice",
    "asylim support",
    "acommodation",
    "mentering",
    "englsh classes",
    "مشورة قانونية",
    "بنك الطعام",
    "free legal advice for asylum seekers",
    "help with appeal",
    "gp registration",
];

/// A fixed mix of 1,000 queries from `seed`: text with a place (most), a place with
/// filters and no text, text alone, national-only, open-now, typos and Arabic.
pub fn queries(geo: &Geography, seed: u64) -> Vec<Query> {
    let mut rng = Rng::new(seed ^ 0x005E_ED0F_0BE5);
    (0..1000)
        .map(|_| {
            let kind = rng.below(100);
            let text = if (55..75).contains(&kind) {
                String::new()
            } else {
                rng.pick(QUERY_TEXTS)
                    .map_or_else(String::new, |t| (*t).to_owned())
            };
            let place = if (75..85).contains(&kind) || (90..100).contains(&kind) {
                None
            } else {
                geo.weighted(&mut rng).map(|a| {
                    let p = geo.point_in(a, &mut rng);
                    Near {
                        lat: p.lat(),
                        lon: p.lon(),
                        // 3, 5, 10, 25 miles and 40 km, as the directory offers.
                        radius_km: *rng.pick(&[4.8, 8.0, 16.1, 16.1, 40.2]).unwrap_or(&16.1),
                        area_ids: vec![a.area_id, a.region_area_id],
                    }
                })
            };
            let needs = if (55..75).contains(&kind) || rng.chance(0.15) {
                vec![rng.below(NEEDS.len()) as u16]
            } else {
                vec![]
            };
            let languages = if rng.chance(0.2) {
                vec![rng.below(LANGUAGES.len()) as u16]
            } else {
                vec![]
            };
            let eligibility = if rng.chance(0.1) {
                vec![1 + rng.below(ELIGIBILITY.len() - 1) as u16]
            } else {
                vec![]
            };
            let scopes = if (90..100).contains(&kind) {
                vec![Scope::National]
            } else {
                vec![]
            };
            let open_at = rng.chance(0.5).then(|| WeekMinute {
                weekday: rng.below(7) as u8,
                minute: (8 * 60 + rng.below(12 * 60)) as u16,
            });
            Query {
                text,
                near: place,
                needs,
                languages,
                eligibility,
                anyone_eligibility: Some(ANYONE),
                scopes,
                open_now: open_at.is_some() && rng.chance(0.3),
                open_at,
                sort: if rng.chance(0.3) {
                    SortBy::Distance
                } else {
                    SortBy::Relevance
                },
                page: if rng.chance(0.1) { 2 } else { 1 },
                per_page: 20,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SearchIndex;

    #[test]
    fn deterministic_valid_and_searchable() {
        let geo = Geography::uk().unwrap();
        assert!(geo.authorities.len() > 300);
        let docs = documents(&geo, 7, 300);
        assert_eq!(docs, documents(&geo, 7, 300));
        let national = docs.iter().filter(|d| d.scope == Scope::National).count();
        assert!(national < 60);
        let mix = queries(&geo, 7);
        assert_eq!(mix.len(), 1000);
        let index = SearchIndex::build(docs).unwrap();
        let mut matched = 0;
        for q in &mix {
            matched += index.search(q).unwrap().total;
        }
        assert!(matched > 0);
    }
}
