//! Small random people and programmes built from a seed, with attributes drawn from tiny domains
//! so that every rule both passes and fails often.

use std::collections::BTreeSet;

use haven_match::criteria::{Criterion, WeightedCriterion};
use haven_match::profile::*;
use haven_match::rules::HardRule;
use time::Date;

pub fn today() -> Date {
    time::macros::date!(2026 - 06 - 01)
}

struct Bits(u64);

impl Bits {
    fn take(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn languages(b: &mut Bits) -> Vec<Language> {
    let codes = ["en", "ar", "uk"];
    let levels = [
        LanguageLevel::Basic,
        LanguageLevel::Conversational,
        LanguageLevel::Fluent,
        LanguageLevel::Native,
    ];
    let mut out = Vec::new();
    for code in codes {
        if b.take(2) == 0 {
            out.push(Language {
                code: code.into(),
                level: levels[b.take(4) as usize],
            });
        }
    }
    out
}

fn meeting(b: &mut Bits) -> Meeting {
    if b.take(3) == 0 {
        return Meeting::RemoteOnly;
    }
    let place = GeoPoint {
        latitude: 51.0 + b.take(3) as f64 * 0.5,
        longitude: -1.0,
    };
    Meeting::InPerson {
        place,
        max_travel_km: 10 + b.take(40) as u32,
        remote_ok: b.take(2) == 0,
    }
}

fn goals(b: &mut Bits) -> BTreeSet<Goal> {
    [
        Goal::RequalifyNurse,
        Goal::English,
        Goal::Employment,
        Goal::Wellbeing,
    ]
    .into_iter()
    .filter(|_| b.take(2) == 0)
    .collect()
}

fn slots(b: &mut Bits) -> BTreeSet<Slot> {
    let days = [Weekday::Monday, Weekday::Wednesday, Weekday::Saturday];
    let parts = [DayPart::Morning, DayPart::Evening];
    days.iter()
        .flat_map(|&day| parts.iter().map(move |&part| Slot { day, part }))
        .filter(|_| b.take(2) == 0)
        .collect()
}

fn gender(b: &mut Bits) -> Gender {
    [Gender::Woman, Gender::Man, Gender::NonBinary][b.take(3) as usize]
}

fn preference(b: &mut Bits) -> GenderPreference {
    match b.take(3) {
        0 => GenderPreference::Only([gender(b)].into()),
        _ => GenderPreference::Any,
    }
}

fn age(b: &mut Bits) -> AgeBand {
    [
        AgeBand::Under18,
        AgeBand::From18To24,
        AgeBand::From25To34,
        AgeBand::From50To64,
    ][b.take(4) as usize]
}

pub fn mentor(index: usize, seed: u64) -> Mentor {
    let mut b = Bits(seed);
    let dbs = match b.take(3) {
        0 => None,
        _ => Some(DbsCheck {
            level: [DbsLevel::Basic, DbsLevel::Enhanced][b.take(2) as usize],
            issued: today() - time::Duration::days(b.take(1500) as i64),
            update_service: b.take(2) == 0,
            expires: (b.take(3) == 0)
                .then(|| today() + time::Duration::days(b.take(60) as i64 - 30)),
        }),
    };
    Mentor {
        id: MentorId(format!("r{index}")),
        languages: languages(&mut b),
        meeting: meeting(&mut b),
        skills: goals(&mut b),
        availability: slots(&mut b),
        gender: gender(&mut b),
        gender_preference: preference(&mut b),
        age_band: [AgeBand::From25To34, AgeBand::From50To64][b.take(2) as usize],
        dbs,
        capacity: (b.take(2) == 0).then(|| 1 + b.take(3) as u8),
    }
}

pub fn mentee(index: usize, seed: u64) -> Mentee {
    let mut b = Bits(seed);
    Mentee {
        id: MenteeId(format!("e{index}")),
        languages: languages(&mut b),
        meeting: meeting(&mut b),
        goals: goals(&mut b),
        availability: slots(&mut b),
        gender: gender(&mut b),
        gender_preference: preference(&mut b),
        age_band: age(&mut b),
        at_risk: b.take(5) == 0,
    }
}

pub fn programme(seed: u64) -> Programme {
    let mut b = Bits(seed);
    let all_rules = [
        HardRule::SharedLanguage {
            min_level: LanguageLevel::Conversational,
        },
        HardRule::CompatibleMeeting,
        HardRule::GoalCovered,
        HardRule::GenderPreference,
        HardRule::AvailabilityOverlap { min_slots: 1 },
    ];
    let criteria = [
        Criterion::Language,
        Criterion::Goals,
        Criterion::Availability,
        Criterion::Proximity,
        Criterion::AgeBand,
        Criterion::SameGender,
    ];
    Programme {
        name: "test".into(),
        rules: all_rules.into_iter().filter(|_| b.take(3) == 0).collect(),
        criteria: criteria
            .into_iter()
            .map(|criterion| WeightedCriterion {
                criterion,
                weight: b.take(11) as u32,
            })
            .collect(),
        mentor_capacity: 1 + b.take(3) as u8,
        safeguarding: SafeguardingPolicy {
            required_level: DbsLevel::Enhanced,
            max_certificate_age_days: Some(1095),
        },
    }
}
