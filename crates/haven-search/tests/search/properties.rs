//! Property tests: the index agrees with the brute-force oracle on random corpora, random
//! update sequences and random queries; and no input makes it panic.

use std::collections::BTreeMap;

use haven_geo::LatLon;
use haven_search::{
    IndexDoc, Near, OpeningHours, OpeningInterval, Query, Reach, Scope, SearchIndex, SortBy,
    WeekMinute,
};
use proptest::prelude::*;
use uuid::Uuid;

use crate::oracle::Oracle;

/// Small deterministic generator, so one seed describes a whole scenario.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const WORDS: &[&str] = &[
    "legal",
    "regal",
    "advice",
    "advise",
    "English",
    "classes",
    "lessons",
    "class",
    "Roma",
    "children",
    "housing",
    "accommodation",
    "food",
    "bank",
    "women's",
    "Café",
    "cafe",
    "ESOL",
    "support",
    "asylum",
    "for",
    "and",
    "مساعدة",
    "قانونية",
    "youth",
    "mentoring",
    "solicitor",
];

fn sentence(rng: &mut Rng, max: u64) -> String {
    let n = rng.below(max + 1);
    (0..n)
        .map(|_| *rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn values(rng: &mut Rng, range: u64, max: u64) -> Vec<u16> {
    (0..rng.below(max + 1))
        .map(|_| rng.below(range) as u16)
        .collect()
}

fn point(rng: &mut Rng) -> LatLon {
    LatLon::new(rng.float(51.0, 52.0), rng.float(-1.5, 0.0)).unwrap()
}

fn doc(rng: &mut Rng, id: u128) -> IndexDoc {
    let hours = if rng.chance(30) {
        OpeningHours::Unknown
    } else {
        OpeningHours::Weekly(
            (0..rng.below(4))
                .map(|_| OpeningInterval {
                    weekday: rng.below(7) as u8,
                    open_minute: rng.below(1440) as u16,
                    close_minute: rng.below(1441) as u16,
                })
                .collect(),
        )
    };
    IndexDoc {
        id: Uuid::from_u128(id),
        name: sentence(rng, 4),
        organisation_name: sentence(rng, 3),
        description: sentence(rng, 8),
        need_labels: (0..rng.below(3)).map(|_| sentence(rng, 2)).collect(),
        needs: values(rng, 6, 3),
        languages: values(rng, 5, 3),
        eligibility: values(rng, 4, 2),
        scope: *rng.pick(&[
            Scope::Local,
            Scope::Local,
            Scope::Local,
            Scope::Regional,
            Scope::National,
        ]),
        remote: rng.chance(10),
        locations: (0..rng.below(4)).map(|_| point(rng)).collect(),
        service_area: (0..rng.below(3)).map(|_| rng.below(5) as u32).collect(),
        hours,
    }
}

fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let i = rng.below(chars.len() as u64) as usize;
    match rng.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, 'x'),
        _ => chars[i] = 'q',
    }
    chars.into_iter().collect()
}

fn query(rng: &mut Rng) -> Query {
    let mut words: Vec<String> = (0..rng.below(3))
        .map(|_| rng.pick(WORDS).to_string())
        .collect();
    if rng.chance(30) {
        let w = rng.pick(WORDS).to_string();
        words.push(typo(rng, &w));
    }
    let near = rng.chance(60).then(|| {
        let p = point(rng);
        Near {
            lat: p.lat(),
            lon: p.lon(),
            radius_km: *rng.pick(&[0.0, 5.0, 20.0, 50.0, 150.0]),
            area_ids: (0..rng.below(3)).map(|_| rng.below(5) as u32).collect(),
        }
    });
    let open_at = rng.chance(40).then(|| WeekMinute {
        weekday: rng.below(7) as u8,
        minute: rng.below(1440) as u16,
    });
    Query {
        text: words.join(" "),
        near,
        needs: if rng.chance(40) {
            values(rng, 7, 2)
        } else {
            vec![]
        },
        languages: if rng.chance(30) {
            values(rng, 6, 2)
        } else {
            vec![]
        },
        eligibility: if rng.chance(30) {
            values(rng, 4, 2)
        } else {
            vec![]
        },
        anyone_eligibility: rng.chance(50).then_some(0),
        scopes: if rng.chance(30) {
            vec![*rng.pick(&SCOPES)]
        } else {
            vec![]
        },
        open_now: open_at.is_some() && rng.chance(50),
        open_at,
        sort: if rng.chance(50) {
            SortBy::Relevance
        } else {
            SortBy::Distance
        },
        page: 1,
        per_page: 100,
    }
}

const SCOPES: [Scope; 3] = [Scope::Local, Scope::Regional, Scope::National];

fn same_reach(a: &Option<Reach>, b: &Option<Reach>) -> bool {
    match (a, b) {
        (Some(Reach::Local { distance_km: x }), Some(Reach::Local { distance_km: y })) => {
            (x - y).abs() < 1e-9
        }
        _ => a == b,
    }
}

fn check(index: &SearchIndex, oracle: &Oracle, q: &Query) -> Result<(), TestCaseError> {
    let got = index.search(q).unwrap();
    let want = oracle.run(q);
    let got_ids: BTreeMap<Uuid, Option<Reach>> = got.hits.iter().map(|h| (h.id, h.reach)).collect();
    prop_assert_eq!(got.total as usize, want.ids.len(), "total for {:?}", q);
    prop_assert_eq!(
        got_ids.keys().collect::<Vec<_>>(),
        want.ids.keys().collect::<Vec<_>>(),
        "ids for {:?}",
        q
    );
    for (id, reach) in &want.ids {
        prop_assert!(
            same_reach(&got_ids[id], reach),
            "reach of {} for {:?}: {:?} vs {:?}",
            id,
            q,
            got_ids[id],
            reach
        );
    }
    prop_assert_eq!(&got.facets.needs, &want.needs, "needs facet for {:?}", q);
    prop_assert_eq!(
        &got.facets.languages,
        &want.languages,
        "languages facet for {:?}",
        q
    );
    prop_assert_eq!(
        &got.facets.eligibility,
        &want.eligibility,
        "eligibility facet for {:?}",
        q
    );
    prop_assert_eq!(&got.facets.scopes, &want.scopes, "scope facet for {:?}", q);
    prop_assert_eq!(
        got.facets.open_now,
        want.open_now,
        "open-now count for {:?}",
        q
    );
    // Paging in small pages walks the same ranking as one big page.
    let small = Query {
        per_page: 3,
        ..q.clone()
    };
    let mut paged = Vec::new();
    for page in 1..=got.hits.len().div_ceil(3) as u32 {
        paged.extend(
            index
                .search(&Query {
                    page,
                    ..small.clone()
                })
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.id),
        );
    }
    prop_assert_eq!(paged, got.hits.iter().map(|h| h.id).collect::<Vec<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn index_agrees_with_linear_scan(seed in any::<u64>(), docs in 0u64..60, ops in 0u64..40) {
        let mut rng = Rng(seed);
        let mut live: BTreeMap<u128, IndexDoc> = BTreeMap::new();
        let initial: Vec<IndexDoc> = (0..docs).map(|_| {
            let id = u128::from(rng.below(50));
            doc(&mut rng, id)
        }).collect();
        for d in &initial {
            live.insert(d.id.as_u128(), d.clone());
        }
        let mut index = SearchIndex::build(initial).unwrap();
        for _ in 0..ops {
            let id = u128::from(rng.below(50));
            match rng.below(10) {
                0..=5 => {
                    let d = doc(&mut rng, id);
                    index.upsert(&d).unwrap();
                    live.insert(id, d);
                }
                6..=8 => {
                    prop_assert_eq!(index.remove(Uuid::from_u128(id)), live.remove(&id).is_some());
                }
                _ => index.compact(),
            }
        }
        prop_assert_eq!(index.len(), live.len());
        let oracle = Oracle::new(live.into_values().collect());
        for _ in 0..25 {
            let q = query(&mut rng);
            check(&index, &oracle, &q)?;
        }
    }

    #[test]
    fn a_stored_index_reads_back_answering_as_the_original(
        seed in any::<u64>(), docs in 0u64..60, ops in 0u64..40,
    ) {
        let mut rng = Rng(seed);
        let mut index = SearchIndex::build((0..docs).map(|_| {
            let id = u128::from(rng.below(50));
            doc(&mut rng, id)
        })).unwrap();
        // Updates leave tombstones and appended versions, which must survive too.
        for _ in 0..ops {
            let id = u128::from(rng.below(50));
            if rng.chance(60) {
                index.upsert(&doc(&mut rng, id)).unwrap();
            } else {
                index.remove(Uuid::from_u128(id));
            }
        }
        let bytes = postcard::to_stdvec(&index).unwrap();
        let mut read: SearchIndex = postcard::from_bytes(&bytes).unwrap();
        prop_assert_eq!(read.len(), index.len());
        prop_assert_eq!(read.term_count(), index.term_count());
        prop_assert_eq!(postcard::to_stdvec(&read).unwrap(), bytes);
        for _ in 0..25 {
            let q = query(&mut rng);
            prop_assert_eq!(read.search(&q), index.search(&q), "{:?}", q);
        }
        // And it goes on updating as the original does.
        for _ in 0..10 {
            let id = u128::from(rng.below(50));
            let d = doc(&mut rng, id);
            index.upsert(&d).unwrap();
            read.upsert(&d).unwrap();
        }
        index.compact();
        read.compact();
        for _ in 0..10 {
            let q = query(&mut rng);
            prop_assert_eq!(read.search(&q), index.search(&q), "{:?}", q);
        }
    }

    #[test]
    fn a_damaged_stored_index_is_refused_or_searched_without_panic(
        seed in any::<u64>(), flips in proptest::collection::vec(any::<(usize, u8)>(), 1..4),
        cut in any::<usize>(),
    ) {
        let mut rng = Rng(seed);
        let index = SearchIndex::build((0..30).map(|i| doc(&mut rng, i))).unwrap();
        let bytes = postcard::to_stdvec(&index).unwrap();
        let mut damaged = bytes.clone();
        for (at, bits) in flips {
            let at = at % damaged.len();
            damaged[at] ^= bits.max(1);
        }
        let truncated = &bytes[..cut % bytes.len()];
        prop_assert!(postcard::from_bytes::<SearchIndex>(truncated).is_err());
        if let Ok(read) = postcard::from_bytes::<SearchIndex>(&damaged) {
            for _ in 0..10 {
                let _ = read.search(&query(&mut rng));
            }
        }
    }

    #[test]
    fn no_query_input_panics(
        text in ".{0,80}",
        lat in any::<f64>(),
        lon in any::<f64>(),
        radius in any::<f64>(),
        page in any::<u32>(),
        per_page in any::<u32>(),
        needs in proptest::collection::vec(any::<u16>(), 0..4),
        weekday in any::<u8>(),
        minute in any::<u16>(),
        areas in proptest::collection::vec(any::<u32>(), 0..3),
    ) {
        let mut rng = Rng(7);
        let index = SearchIndex::build((0..20).map(|i| doc(&mut rng, i))).unwrap();
        let q = Query {
            text,
            near: Some(Near { lat, lon, radius_km: radius, area_ids: areas }),
            needs,
            open_at: Some(WeekMinute { weekday, minute }),
            open_now: true,
            page,
            per_page,
            ..Query::default()
        };
        let _ = index.search(&q);
        let _ = index.search(&Query { near: None, ..q });
    }
}
