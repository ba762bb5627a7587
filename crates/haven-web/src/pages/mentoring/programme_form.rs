//! A programme's settings from its form (or the API's flat JSON): name, capacity, a weight per
//! criterion, the hard rules switched on, and the safeguarding policy.

use std::collections::HashMap;

use haven_domain::Text;
use haven_domain::mentoring::MAX_NAME_CHARS;
use haven_match::criteria::{Criterion, MAX_CRITERION_WEIGHT, WeightedCriterion};
use haven_match::profile::{LanguageLevel, SafeguardingPolicy};
use haven_match::rules::HardRule;

use super::fields::{DBS_LEVELS, Fields, LANGUAGE_LEVELS, Problem, code_of};
use super::participants::options;
use super::view::CRITERIA;
use crate::locale::Tr;

/// Longest certificate age a programme may accept without the Update Service: ten years.
const MAX_CERTIFICATE_AGE_DAYS: u32 = 3650;

/// Default weights offered on a new programme's form.
pub(crate) const DEFAULT_WEIGHTS: [(Criterion, u32); 6] = [
    (Criterion::Language, 3),
    (Criterion::Goals, 5),
    (Criterion::Availability, 2),
    (Criterion::Proximity, 1),
    (Criterion::AgeBand, 0),
    (Criterion::SameGender, 0),
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
    let name = Text::parse_line(f.value("name"), MAX_NAME_CHARS).ok();
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
    for (_, criterion) in CRITERIA {
        let field = weight_field(criterion);
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

/// The form field of a criterion's weight: one arm per criterion, so a new criterion cannot
/// fall to another's field unnoticed.
pub(crate) const fn weight_field(criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Language => "weight_language",
        Criterion::Goals => "weight_goals",
        Criterion::Availability => "weight_availability",
        Criterion::Proximity => "weight_proximity",
        Criterion::AgeBand => "weight_age_band",
        Criterion::SameGender => "weight_same_gender",
    }
}

/// One criterion's weight box on the form.
pub(crate) struct WeightInput {
    pub field: &'static str,
    pub label: String,
    pub value: String,
}

/// The programme form as `mentoring_programme_fields.html` shows it, for creating a programme
/// and for changing one: the values (typed, stored or defaults), a weight box per criterion,
/// and the choices of the select boxes.
pub(crate) struct FormView {
    form: HashMap<String, String>,
    pub weights: Vec<WeightInput>,
    pub dbs_levels: Vec<(&'static str, String)>,
    pub language_levels: Vec<(&'static str, String)>,
}

impl FormView {
    pub(crate) fn new(tr: &Tr, form: HashMap<String, String>) -> Self {
        let weights = CRITERIA
            .iter()
            .map(|&(code, criterion)| {
                let field = weight_field(criterion);
                WeightInput {
                    field,
                    label: tr.get(&format!("mentoring-criterion-{code}")),
                    value: form.get(field).cloned().unwrap_or_default(),
                }
            })
            .collect();
        Self {
            weights,
            dbs_levels: options(tr, "mentoring-dbs-", &DBS_LEVELS),
            language_levels: options(tr, "mentoring-level-", &LANGUAGE_LEVELS),
            form,
        }
    }

    pub(crate) fn value(&self, field: &str) -> String {
        self.form.get(field).cloned().unwrap_or_default()
    }

    pub(crate) fn checked(&self, field: &str) -> bool {
        self.form
            .get(field)
            .is_some_and(|v| v == "on" || v == "yes")
    }
}

/// A programme's stored settings as the form's fields, so the form opens filled in; reading
/// them back with [`programme`] gives the same settings.
pub(crate) fn form_of(name: &str, p: &haven_match::profile::Programme) -> HashMap<String, String> {
    let mut form = HashMap::new();
    let mut set = |field: &str, value: String| {
        form.insert(field.to_owned(), value);
    };
    set("name", name.to_owned());
    set("capacity", p.mentor_capacity.to_string());
    for (_, criterion) in CRITERIA {
        let weight = p
            .criteria
            .iter()
            .find(|c| c.criterion == criterion)
            .map_or(0, |c| c.weight);
        set(weight_field(criterion), weight.to_string());
    }
    set("rule_language_level", "conversational".to_owned());
    set("rule_min_slots", "1".to_owned());
    for rule in &p.rules {
        match rule {
            HardRule::SharedLanguage { min_level } => {
                set("rule_shared_language", "on".to_owned());
                set(
                    "rule_language_level",
                    code_of(&LANGUAGE_LEVELS, *min_level).to_owned(),
                );
            }
            HardRule::CompatibleMeeting => set("rule_compatible_meeting", "on".to_owned()),
            HardRule::GoalCovered => set("rule_goal_covered", "on".to_owned()),
            HardRule::GenderPreference => set("rule_gender_preference", "on".to_owned()),
            HardRule::AvailabilityOverlap { min_slots } => {
                set("rule_availability", "on".to_owned());
                set("rule_min_slots", min_slots.to_string());
            }
        }
    }
    set(
        "dbs_required_level",
        code_of(&DBS_LEVELS, p.safeguarding.required_level).to_owned(),
    );
    set(
        "dbs_max_age_days",
        p.safeguarding
            .max_certificate_age_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    form
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_form_of_a_programme_reads_back_as_the_same_settings() {
        let mut form = HashMap::new();
        for (k, v) in [
            ("name", "Health 2026"),
            ("capacity", "2"),
            ("weight_goals", "7"),
            ("weight_language", "3"),
            ("rule_shared_language", "on"),
            ("rule_language_level", "fluent"),
            ("rule_availability", "on"),
            ("rule_min_slots", "2"),
            ("rule_gender_preference", "on"),
            ("dbs_required_level", "enhanced_barred"),
            ("dbs_max_age_days", ""),
        ] {
            form.insert(k.to_owned(), v.to_owned());
        }
        let (name, settings) = programme(&form).unwrap();
        let again = form_of(name.as_str(), &settings);
        assert_eq!(again["weight_proximity"], "0");
        assert_eq!(again["dbs_max_age_days"], "");
        let (name2, settings2) = programme(&again).unwrap();
        assert_eq!(name2, name);
        assert_eq!(settings2, settings);
    }
}
