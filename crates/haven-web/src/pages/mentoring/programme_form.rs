//! A programme's settings from its form (or the API's flat JSON): name, capacity, a weight per
//! criterion, the hard rules switched on, and the safeguarding policy.

use haven_domain::Text;
use haven_domain::mentoring::MAX_NAME_CHARS;
use haven_match::criteria::{MAX_CRITERION_WEIGHT, WeightedCriterion};
use haven_match::profile::{LanguageLevel, SafeguardingPolicy};
use haven_match::rules::HardRule;

use super::fields::{DBS_LEVELS, Fields, LANGUAGE_LEVELS, Problem};
use super::view::CRITERIA;

/// Longest certificate age a programme may accept without the Update Service: ten years.
const MAX_CERTIFICATE_AGE_DAYS: u32 = 3650;

/// Default weights offered on a new programme's form.
pub(crate) const DEFAULT_WEIGHTS: [(&str, u32); 6] = [
    ("language", 3),
    ("goals", 5),
    ("availability", 2),
    ("proximity", 1),
    ("age_band", 0),
    ("same_gender", 0),
];

fn on(raw: &str) -> bool {
    matches!(
        raw.to_ascii_lowercase().as_str(),
        "on" | "yes" | "true" | "1"
    )
}

/// The settings, or every problem by field.
pub(crate) fn programme<F: Fields + ?Sized>(
    f: &F,
) -> Result<(Text, haven_match::profile::Programme), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut fail = |field: &'static str, message: &'static str| {
        problems.push(Problem { field, message });
    };
    let name = Text::parse(f.value("name"), MAX_NAME_CHARS).ok();
    if name.is_none() {
        fail("name", "mentoring-error-name");
    }
    let capacity = f
        .value("capacity")
        .parse::<u8>()
        .ok()
        .filter(|c| (1..=3).contains(c));
    if capacity.is_none() {
        fail("capacity", "mentoring-error-capacity");
    }
    let mut criteria = Vec::new();
    for (code, criterion) in CRITERIA {
        let field = weight_field(code);
        match f.value(field) {
            "" => {}
            raw => match raw.parse::<u32>() {
                Ok(0) => {}
                Ok(weight) if weight <= MAX_CRITERION_WEIGHT => {
                    criteria.push(WeightedCriterion { criterion, weight });
                }
                _ => fail(field, "mentoring-error-weight"),
            },
        }
    }
    let mut rules = Vec::new();
    if on(f.value("rule_shared_language")) {
        match LANGUAGE_LEVELS
            .iter()
            .find(|(c, _)| *c == f.value("rule_language_level"))
        {
            Some((_, min_level)) => rules.push(HardRule::SharedLanguage {
                min_level: *min_level,
            }),
            None if f.value("rule_language_level").is_empty() => {
                rules.push(HardRule::SharedLanguage {
                    min_level: LanguageLevel::Conversational,
                })
            }
            None => fail("rule_language_level", "mentoring-error-level"),
        }
    }
    if on(f.value("rule_compatible_meeting")) {
        rules.push(HardRule::CompatibleMeeting);
    }
    if on(f.value("rule_goal_covered")) {
        rules.push(HardRule::GoalCovered);
    }
    if on(f.value("rule_gender_preference")) {
        rules.push(HardRule::GenderPreference);
    }
    if on(f.value("rule_availability")) {
        match f.value("rule_min_slots").parse::<u8>() {
            Ok(n) if (1..=21).contains(&n) => {
                rules.push(HardRule::AvailabilityOverlap { min_slots: n })
            }
            _ => fail("rule_min_slots", "mentoring-error-slots"),
        }
    }
    let required_level = DBS_LEVELS
        .iter()
        .find(|(c, _)| *c == f.value("dbs_required_level"))
        .map(|(_, l)| *l);
    if required_level.is_none() {
        fail("dbs_required_level", "mentoring-error-dbs-level");
    }
    let max_age = match f.value("dbs_max_age_days") {
        "" => Some(None),
        raw => raw
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_CERTIFICATE_AGE_DAYS).contains(d))
            .map(Some),
    };
    if max_age.is_none() {
        fail("dbs_max_age_days", "mentoring-error-dbs-age");
    }
    match (name, capacity, required_level, max_age) {
        (
            Some(name),
            Some(mentor_capacity),
            Some(required_level),
            Some(max_certificate_age_days),
        ) if problems.is_empty() => Ok((
            name.clone(),
            haven_match::profile::Programme {
                name: name.into_string(),
                criteria,
                rules,
                mentor_capacity,
                safeguarding: SafeguardingPolicy {
                    required_level,
                    max_certificate_age_days,
                },
            },
        )),
        _ => Err(problems),
    }
}

/// The form field of a criterion's weight.
pub(crate) fn weight_field(code: &str) -> &'static str {
    match code {
        "language" => "weight_language",
        "goals" => "weight_goals",
        "availability" => "weight_availability",
        "proximity" => "weight_proximity",
        "age_band" => "weight_age_band",
        _ => "weight_same_gender",
    }
}
