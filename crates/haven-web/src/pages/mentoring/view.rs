//! The words a page uses for the engine's and the lifecycle's codes, in the reader's language.

use haven_domain::mentoring::{MatchStatus, Outcome};
use haven_match::UnmatchedReason;
use haven_match::criteria::Criterion;
use haven_match::profile::Goal;
use haven_match::rules::RuleKind;

use super::fields::{code_of, goal_code};
use crate::locale::Tr;

pub(crate) const RULES: [(&str, RuleKind); 7] = [
    ("safeguarding", RuleKind::Safeguarding),
    ("forbidden", RuleKind::Forbidden),
    ("shared_language", RuleKind::SharedLanguage),
    ("compatible_meeting", RuleKind::CompatibleMeeting),
    ("goal_covered", RuleKind::GoalCovered),
    ("gender_preference", RuleKind::GenderPreference),
    ("availability_overlap", RuleKind::AvailabilityOverlap),
];

pub(crate) const CRITERIA: [(&str, Criterion); 6] = [
    ("language", Criterion::Language),
    ("goals", Criterion::Goals),
    ("availability", Criterion::Availability),
    ("proximity", Criterion::Proximity),
    ("age_band", Criterion::AgeBand),
    ("same_gender", Criterion::SameGender),
];

pub(crate) fn rule_code(rule: RuleKind) -> &'static str {
    code_of(&RULES, rule)
}

pub(crate) fn rule_name(tr: &Tr, rule: RuleKind) -> String {
    tr.get(&format!("mentoring-rule-{}", rule_code(rule)))
}

pub(crate) fn criterion_code(criterion: Criterion) -> &'static str {
    code_of(&CRITERIA, criterion)
}

pub(crate) fn criterion_name(tr: &Tr, criterion: Criterion) -> String {
    tr.get(&format!(
        "mentoring-criterion-{}",
        criterion_code(criterion)
    ))
}

pub(crate) fn status_name(tr: &Tr, status: MatchStatus) -> String {
    tr.get(&format!("mentoring-status-{}", status.code()))
}

pub(crate) fn outcome_name(tr: &Tr, outcome: Outcome) -> String {
    tr.get(&format!("mentoring-outcome-{}", outcome.code()))
}

pub(crate) fn goal_name(tr: &Tr, goal: Goal) -> String {
    tr.get(&format!("mentoring-goal-{}", goal_code(goal)))
}

pub(crate) fn goals_text<'a>(tr: &Tr, goals: impl IntoIterator<Item = &'a Goal>) -> String {
    goals
        .into_iter()
        .map(|g| goal_name(tr, *g))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a mentee has no mentor, in a sentence; `names` turns mentor ids into names.
pub(crate) fn reason_text(
    tr: &Tr,
    reason: &UnmatchedReason,
    names: impl Fn(&str) -> String,
) -> String {
    match reason {
        UnmatchedReason::NoMentors => tr.get("mentoring-reason-no-mentors"),
        UnmatchedReason::NoEligibleMentor { excluded_by } => {
            let parts = excluded_by
                .iter()
                .map(|c| {
                    tr.get_with(
                        "mentoring-reason-excluded",
                        &[
                            ("rule", &rule_name(tr, c.rule)),
                            ("count", &c.mentors.to_string()),
                        ],
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            tr.get_with("mentoring-reason-no-eligible", &[("rules", &parts)])
        }
        UnmatchedReason::CandidatesTaken { candidates } => {
            let list = candidates
                .iter()
                .map(|id| names(&id.0))
                .collect::<Vec<_>>()
                .join(", ");
            tr.get_with("mentoring-reason-taken", &[("mentors", &list)])
        }
    }
}
