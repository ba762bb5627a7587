//! Examples of each behaviour the directory relies on.

use haven_geo::LatLon;
use haven_search::{
    DocError, IndexDoc, Near, OpeningHours, OpeningInterval, Query, QueryError, Reach, Scope,
    SearchIndex, SortBy, WeekMinute,
};
use uuid::Uuid;

fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon).unwrap()
}

const LEEDS: (f64, f64) = (53.7997, -1.5492);
const BRADFORD: (f64, f64) = (53.7960, -1.7594);
const LONDON: (f64, f64) = (51.5074, -0.1278);

fn doc(id: u128, name: &str) -> IndexDoc {
    IndexDoc {
        id: Uuid::from_u128(id),
        name: name.into(),
        organisation_name: String::new(),
        description: String::new(),
        need_labels: vec![],
        needs: vec![],
        languages: vec![],
        eligibility: vec![],
        scope: Scope::Local,
        remote: false,
        locations: vec![at(LEEDS.0, LEEDS.1)],
        service_area: vec![],
        hours: OpeningHours::Unknown,
    }
}

fn ids(index: &SearchIndex, q: &Query) -> Vec<u128> {
    index
        .search(q)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id.as_u128())
        .collect()
}

/// Result ids in id order, for tests about which services match rather than their order
/// (without text or place the order is the index's internal one: national and remote
/// services first, then by area).
fn id_set(index: &SearchIndex, q: &Query) -> Vec<u128> {
    let mut ids = ids(index, q);
    ids.sort_unstable();
    ids
}

fn text(t: &str) -> Query {
    Query {
        text: t.into(),
        ..Query::default()
    }
}

fn near(point: (f64, f64), radius_km: f64) -> Option<Near> {
    Some(Near {
        lat: point.0,
        lon: point.1,
        radius_km,
        area_ids: vec![],
    })
}

#[test]
fn english_classes_finds_name_and_esol_lessons() {
    let index = SearchIndex::build([
        doc(1, "English classes for Roma children"),
        IndexDoc {
            description: "ESOL for adults: free English lessons twice a week".into(),
            ..doc(2, "Community learning")
        },
        doc(3, "Legal advice clinic"),
        doc(4, "Maths classes"),
    ])
    .unwrap();
    let found = ids(&index, &text("english classes"));
    assert_eq!(found, [1, 2], "name match outranks description match");
}

#[test]
fn typo_finds_the_word_nobody_misspelt() {
    let index = SearchIndex::build([doc(1, "Legal advice"), doc(2, "Food bank")]).unwrap();
    assert_eq!(ids(&index, &text("legl advice")), [1]);
    assert_eq!(ids(&index, &text("lgeal advise")), [1]);
    // Short words get no typo tolerance.
    assert!(ids(&index, &text("fod")).is_empty());
    // A real word is never "corrected" into another.
    let index = SearchIndex::build([doc(1, "Legal advice"), doc(2, "Regal cinema")]).unwrap();
    assert_eq!(ids(&index, &text("regal")), [2]);
}

#[test]
fn stemming_and_diacritics_and_arabic() {
    let index = SearchIndex::build([
        doc(1, "Housing advisers"),
        doc(2, "Café for refugees"),
        IndexDoc {
            need_labels: vec!["مُساعَدة قانونية".into()],
            ..doc(3, "Legal help")
        },
    ])
    .unwrap();
    assert_eq!(ids(&index, &text("housing adviser")), [1]);
    assert_eq!(ids(&index, &text("cafe refugee")), [2]);
    assert_eq!(ids(&index, &text("مساعدة")), [3]);
}

#[test]
fn field_weights_order_name_organisation_needs_description() {
    let index = SearchIndex::build([
        IndexDoc {
            description: "mentoring for young people".into(),
            ..doc(1, "Drop-in")
        },
        IndexDoc {
            need_labels: vec!["Mentoring".into()],
            ..doc(2, "Drop-in")
        },
        IndexDoc {
            organisation_name: "Mentoring".into(),
            ..doc(3, "Drop-in")
        },
        doc(4, "Mentoring"),
    ])
    .unwrap();
    assert_eq!(ids(&index, &text("mentoring")), [4, 3, 2, 1]);
}

#[test]
fn adjacent_terms_score_higher() {
    let index = SearchIndex::build([
        doc(1, "Advice on legal matters and family"),
        doc(2, "Family legal advice"),
    ])
    .unwrap();
    let results = index.search(&text("legal advice")).unwrap();
    assert_eq!(results.hits[0].id.as_u128(), 2);
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn all_query_terms_must_match() {
    let index = SearchIndex::build([doc(1, "Legal advice"), doc(2, "Housing advice")]).unwrap();
    assert_eq!(ids(&index, &text("legal advice")), [1]);
    assert!(ids(&index, &text("legal zebra")).is_empty());
    // Only stop words: no text, everything.
    assert_eq!(index.search(&text("for the")).unwrap().total, 2);
}

#[test]
fn radius_boundary_is_inclusive_and_nearest_location_wins() {
    let leeds = at(LEEDS.0, LEEDS.1);
    let bradford = at(BRADFORD.0, BRADFORD.1);
    let d = leeds.haversine_km(bradford);
    let index = SearchIndex::build([
        IndexDoc {
            locations: vec![at(LONDON.0, LONDON.1), bradford],
            ..doc(1, "Two offices")
        },
        doc(2, "Leeds only"),
    ])
    .unwrap();
    let q = |r: f64| Query {
        near: near(LEEDS, r),
        sort: SortBy::Distance,
        ..Query::default()
    };
    assert_eq!(ids(&index, &q(d)), [2, 1]);
    assert_eq!(ids(&index, &q(d - 1e-6)), [2]);
    let hits = index.search(&q(d)).unwrap().hits;
    match hits[1].reach {
        Some(Reach::Local { distance_km }) => assert!((distance_km - d).abs() < 1e-9),
        other => panic!("expected local reach, got {other:?}"),
    }
    assert_eq!(hits[0].reach, Some(Reach::Local { distance_km: 0.0 }));
}

#[test]
fn national_remote_and_service_area_reach_every_place() {
    let index = SearchIndex::build([
        IndexDoc {
            scope: Scope::National,
            locations: vec![at(LONDON.0, LONDON.1)],
            ..doc(1, "National helpline")
        },
        IndexDoc {
            remote: true,
            locations: vec![],
            ..doc(2, "Online advice")
        },
        IndexDoc {
            service_area: vec![77],
            locations: vec![at(LONDON.0, LONDON.1)],
            ..doc(3, "Covers West Yorkshire")
        },
        IndexDoc {
            locations: vec![at(LONDON.0, LONDON.1)],
            ..doc(4, "London only")
        },
        doc(5, "In Leeds"),
    ])
    .unwrap();
    let q = Query {
        near: Some(Near {
            area_ids: vec![77, 12],
            ..near(LEEDS, 10.0).unwrap()
        }),
        sort: SortBy::Distance,
        ..Query::default()
    };
    let results = index.search(&q).unwrap();
    let reach: Vec<(u128, Option<Reach>)> = results
        .hits
        .iter()
        .map(|h| (h.id.as_u128(), h.reach))
        .collect();
    assert_eq!(
        reach,
        [
            (5, Some(Reach::Local { distance_km: 0.0 })),
            (3, Some(Reach::CoversArea)),
            (1, Some(Reach::National)),
            (2, Some(Reach::Remote)),
        ]
    );
    // Radius zero, far away: still national and remote.
    let q = Query {
        near: near((57.1, -2.1), 0.0),
        ..Query::default()
    };
    let mut found = ids(&index, &q);
    found.sort_unstable();
    assert_eq!(found, [1, 2]);
}

fn faceted_index() -> SearchIndex {
    let anyone = 0;
    let women = 1;
    SearchIndex::build([
        IndexDoc {
            needs: vec![10, 11],
            languages: vec![100],
            eligibility: vec![anyone],
            ..doc(1, "a")
        },
        IndexDoc {
            needs: vec![10],
            languages: vec![101],
            eligibility: vec![women],
            scope: Scope::Regional,
            ..doc(2, "b")
        },
        IndexDoc {
            needs: vec![11],
            languages: vec![100, 101],
            eligibility: vec![women],
            scope: Scope::National,
            ..doc(3, "c")
        },
    ])
    .unwrap()
}

#[test]
fn filters_are_or_within_and_across() {
    let index = faceted_index();
    let q = |needs: Vec<u16>, languages: Vec<u16>| Query {
        needs,
        languages,
        ..Query::default()
    };
    assert_eq!(id_set(&index, &q(vec![10], vec![])), [1, 2]);
    assert_eq!(id_set(&index, &q(vec![10, 11], vec![])), [1, 2, 3]);
    assert_eq!(id_set(&index, &q(vec![10], vec![101])), [2]);
    assert!(id_set(&index, &q(vec![999], vec![])).is_empty());
    let scope = Query {
        scopes: vec![Scope::National, Scope::Regional],
        ..Query::default()
    };
    assert_eq!(id_set(&index, &scope), [2, 3]);
}

#[test]
fn anyone_matches_every_eligibility_filter() {
    let index = faceted_index();
    let q = Query {
        eligibility: vec![1],
        anyone_eligibility: Some(0),
        ..Query::default()
    };
    assert_eq!(id_set(&index, &q), [1, 2, 3]);
    let without = Query {
        anyone_eligibility: None,
        ..q
    };
    assert_eq!(id_set(&index, &without), [2, 3]);
}

#[test]
fn facet_counts_are_disjunctive() {
    let index = faceted_index();
    let results = index
        .search(&Query {
            needs: vec![10],
            languages: vec![100],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(results.total, 1);
    let counts = |list: &[haven_search::FacetCount<u16>]| {
        list.iter().map(|c| (c.value, c.count)).collect::<Vec<_>>()
    };
    // Needs counted with only the language filter: docs 1 and 3.
    assert_eq!(counts(&results.facets.needs), [(10, 1), (11, 2)]);
    // Languages counted with only the need filter: docs 1 and 2.
    assert_eq!(counts(&results.facets.languages), [(100, 1), (101, 1)]);
    // Eligibility counted with both filters: doc 1.
    assert_eq!(counts(&results.facets.eligibility), [(0, 1)]);
    assert_eq!(results.facets.scopes.len(), 1);
    assert_eq!(results.facets.open_now, None);
    // No filter at all: index-wide counts.
    let all = index.search(&Query::default()).unwrap();
    assert_eq!(counts(&all.facets.languages), [(100, 2), (101, 2)]);
    assert_eq!(all.facets.scopes.len(), 3);
}

#[test]
fn open_now_uses_the_given_moment_and_crosses_midnight() {
    let shelter = IndexDoc {
        hours: OpeningHours::Weekly(vec![OpeningInterval {
            weekday: 6,
            open_minute: 20 * 60,
            close_minute: 8 * 60,
        }]),
        ..doc(1, "Night shelter")
    };
    let office = IndexDoc {
        hours: OpeningHours::Weekly(vec![OpeningInterval {
            weekday: 0,
            open_minute: 9 * 60,
            close_minute: 17 * 60,
        }]),
        ..doc(2, "Office")
    };
    let unknown = doc(3, "Unknown hours");
    let index = SearchIndex::build([shelter, office, unknown]).unwrap();
    let open = |weekday: u8, minute: u16| Query {
        open_at: Some(WeekMinute { weekday, minute }),
        open_now: true,
        ..Query::default()
    };
    assert_eq!(ids(&index, &open(0, 7 * 60)), [1], "Monday 07:00");
    assert_eq!(ids(&index, &open(0, 10 * 60)), [2], "Monday 10:00");
    assert_eq!(ids(&index, &open(6, 23 * 60)), [1], "Sunday 23:00");
    assert!(ids(&index, &open(3, 12 * 60)).is_empty(), "Thursday noon");
    let count = index
        .search(&Query {
            open_now: false,
            ..open(0, 10 * 60)
        })
        .unwrap();
    assert_eq!((count.total, count.facets.open_now), (3, Some(1)));
}

#[test]
fn paging_and_total() {
    let index = SearchIndex::build((0..25).map(|i| doc(i, "Advice"))).unwrap();
    let page = |page: u32| {
        index
            .search(&Query {
                text: "advice".into(),
                page,
                per_page: 10,
                ..Query::default()
            })
            .unwrap()
    };
    assert_eq!(page(1).total, 25);
    assert_eq!(page(1).hits.len(), 10);
    assert_eq!(page(3).hits.len(), 5);
    assert!(page(4).hits.is_empty());
    let mut all: Vec<u128> = (1..=3)
        .flat_map(|p| page(p).hits.into_iter().map(|h| h.id.as_u128()))
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..25).collect::<Vec<_>>());
}

#[test]
fn upsert_replaces_and_remove_forgets() {
    let mut index = SearchIndex::build([doc(1, "Legal advice"), doc(2, "Food bank")]).unwrap();
    index.upsert(&doc(1, "Housing support")).unwrap();
    assert!(ids(&index, &text("legal")).is_empty());
    assert_eq!(ids(&index, &text("housing")), [1]);
    assert!(index.remove(Uuid::from_u128(2)));
    assert!(!index.remove(Uuid::from_u128(2)));
    assert!(ids(&index, &text("food")).is_empty());
    assert_eq!(index.len(), 1);
    assert_eq!(ids(&index, &Query::default()), [1]);
    index.compact();
    assert_eq!(ids(&index, &text("housing")), [1]);
    assert_eq!(ids(&index, &Query::default()), [1]);
    // "legal" is no longer in any live listing, so "legal" can now be a typo of nothing.
    assert!(ids(&index, &text("legl")).is_empty());
}

#[test]
fn many_distinct_values_spill_past_the_bitmask() {
    let index = SearchIndex::build((0..100u16).map(|i| IndexDoc {
        languages: vec![i, 1000 + i],
        ..doc(u128::from(i), "x")
    }))
    .unwrap();
    let q = Query {
        languages: vec![1090, 5],
        ..Query::default()
    };
    assert_eq!(ids(&index, &q), [5, 90]);
    let results = index.search(&q).unwrap();
    assert_eq!(results.facets.languages.len(), 200);
}

#[test]
fn invalid_queries_name_the_field() {
    let index = SearchIndex::new();
    let err = |q: Query| index.search(&q).unwrap_err();
    assert_eq!(
        err(Query {
            page: 0,
            ..Query::default()
        }),
        QueryError::PageZero
    );
    assert!(matches!(
        err(Query {
            per_page: 0,
            ..Query::default()
        }),
        QueryError::PerPage { .. }
    ));
    assert!(matches!(
        err(Query {
            per_page: 101,
            ..Query::default()
        }),
        QueryError::PerPage { .. }
    ));
    assert!(matches!(
        err(Query {
            page: 200,
            per_page: 100,
            ..Query::default()
        }),
        QueryError::PageTooDeep { .. }
    ));
    let bad = |lat: f64, lon: f64, r: f64| Query {
        near: Some(Near {
            lat,
            lon,
            radius_km: r,
            area_ids: vec![],
        }),
        ..Query::default()
    };
    assert!(
        err(bad(f64::NAN, 0.0, 1.0))
            .to_string()
            .starts_with("near.point")
    );
    assert!(
        err(bad(0.0, f64::INFINITY, 1.0))
            .to_string()
            .starts_with("near.point")
    );
    assert!(
        err(bad(0.0, 0.0, f64::NAN))
            .to_string()
            .starts_with("near.radius_km")
    );
    assert!(
        err(bad(0.0, 0.0, -1.0))
            .to_string()
            .starts_with("near.radius_km")
    );
    assert!(
        err(bad(0.0, 0.0, 1e12))
            .to_string()
            .starts_with("near.radius_km")
    );
    assert_eq!(
        err(Query {
            open_now: true,
            ..Query::default()
        }),
        QueryError::OpenNowWithoutTime
    );
    assert!(
        err(Query {
            open_at: Some(WeekMinute {
                weekday: 7,
                minute: 0
            }),
            ..Query::default()
        })
        .to_string()
        .starts_with("open_at.weekday")
    );
    assert!(
        err(Query {
            text: "a".repeat(501),
            ..Query::default()
        })
        .to_string()
        .starts_with("text")
    );
}

#[test]
fn invalid_documents_are_rejected() {
    let mut index = SearchIndex::new();
    let bad = IndexDoc {
        hours: OpeningHours::Weekly(vec![OpeningInterval {
            weekday: 9,
            open_minute: 0,
            close_minute: 10,
        }]),
        ..doc(1, "x")
    };
    assert!(matches!(index.upsert(&bad), Err(DocError::Weekday { .. })));
    assert!(index.is_empty());
}
