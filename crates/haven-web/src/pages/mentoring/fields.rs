//! Mentor and mentee profiles from flat text fields: the same names serve the HTML form, the CSV
//! columns and the JSON API, so a problem is reported the same way wherever it came from (the
//! field or column name and a message id).

use std::collections::BTreeSet;

use haven_domain::Text;
use haven_domain::accounts::Email;
use haven_domain::mentoring::{Ending, MAX_FEEDBACK_CHARS, MAX_NAME_CHARS, MatchStatus, Outcome};
use haven_geo::Gazetteer;
use haven_match::profile::{
    AgeBand, DayPart, DbsCheck, DbsLevel, Gender, GenderPreference, GeoPoint, Goal, Language,
    LanguageLevel, Meeting, Mentee, MenteeId, Mentor, MentorId, Slot, Weekday,
};
use time::Date;

/// Columns every profile has, in CSV order.
pub(crate) const COMMON: [&str; 11] = [
    "name",
    "email",
    "account",
    "languages",
    "place",
    "travel_km",
    "remote",
    "availability",
    "gender",
    "gender_preference",
    "age_band",
];
/// Columns only mentors have.
pub(crate) const MENTOR_ONLY: [&str; 6] = [
    "skills",
    "capacity",
    "dbs_level",
    "dbs_issued",
    "dbs_update_service",
    "dbs_expires",
];
/// Columns only mentees have.
pub(crate) const MENTEE_ONLY: [&str; 2] = ["goals", "at_risk"];

/// Longest distance a person may say they travel.
const MAX_TRAVEL_KM: u32 = 500;
/// Travel distance when a place is given and the distance left blank.
const DEFAULT_TRAVEL_KM: u32 = 10;

/// A field that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub field: &'static str,
    pub message: &'static str,
}

/// Where field values come from.
pub(crate) trait Fields {
    /// The trimmed value of a field, empty when absent.
    fn value(&self, name: &str) -> &str;
}

impl Fields for std::collections::HashMap<String, String> {
    fn value(&self, name: &str) -> &str {
        self.get(name).map_or("", |v| v.trim())
    }
}

/// A step in a match's lifecycle from its fields: `to` (any status after proposed), and when
/// it ends, the `outcome` a coordinator may choose and both sides' feedback
/// (`mentor_feedback`, `mentee_feedback`). The form and the JSON API read it the same way.
pub(crate) fn step<F: Fields + ?Sized>(
    f: &F,
) -> Result<(MatchStatus, Option<Ending>), Vec<Problem>> {
    let mut c = Collector {
        fields: f,
        problems: Vec::new(),
    };
    let Some(to) = MatchStatus::from_code(c.get("to")).filter(|s| *s != MatchStatus::Proposed)
    else {
        return Err(vec![Problem {
            field: "to",
            message: "mentoring-error-step",
        }]);
    };
    if to != MatchStatus::Ended {
        return Ok((to, None));
    }
    let outcome = match Outcome::from_code(c.get("outcome")).filter(|o| Outcome::CHOSEN.contains(o))
    {
        Some(o) => Some(o),
        None => c.fail("outcome", "mentoring-error-outcome"),
    };
    let mut feedback = |field: &'static str| match Text::parse(c.get(field), MAX_FEEDBACK_CHARS) {
        Ok(t) => Some(t),
        Err(_) => c.fail(field, "mentoring-error-feedback"),
    };
    let mentor_feedback = feedback("mentor_feedback");
    let mentee_feedback = feedback("mentee_feedback");
    match (outcome, mentor_feedback, mentee_feedback) {
        (Some(outcome), Some(mentor_feedback), Some(mentee_feedback)) => Ok((
            to,
            Some(Ending {
                outcome,
                mentor_feedback: Some(mentor_feedback),
                mentee_feedback: Some(mentee_feedback),
            }),
        )),
        _ => Err(c.problems),
    }
}

/// Who a profile is about, beside what matching reads.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name: Text,
    pub email: Option<Email>,
    /// The e-mail of the Haven account to link, resolved by the caller.
    pub account: Option<Email>,
    /// The place as typed, kept beside its point; `None` when left empty (an edit keeping the
    /// stored place: the caller keeps its name too) or meeting only remotely.
    pub place: Option<Text>,
}

struct Collector<'a, F: Fields + ?Sized> {
    fields: &'a F,
    problems: Vec<Problem>,
}

impl<F: Fields + ?Sized> Collector<'_, F> {
    fn fail<T>(&mut self, field: &'static str, message: &'static str) -> Option<T> {
        self.problems.push(Problem { field, message });
        None
    }

    fn get(&self, field: &str) -> &str {
        self.fields.value(field)
    }
}

fn items(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', ',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn yes_no(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" => Some(false),
        "yes" | "true" | "1" | "on" => Some(true),
        _ => None,
    }
}

pub(crate) fn goal(code: &str) -> Option<Goal> {
    find(&GOALS, code)
}

/// Every goal with its code, for forms and labels.
pub(crate) const GOALS: [(&str, Goal); 7] = [
    ("requalify_nurse", Goal::RequalifyNurse),
    ("requalify_dentist", Goal::RequalifyDentist),
    ("requalify_doctor", Goal::RequalifyDoctor),
    ("english", Goal::English),
    ("employment", Goal::Employment),
    ("university", Goal::University),
    ("wellbeing", Goal::Wellbeing),
];

pub(crate) fn goal_code(goal: Goal) -> &'static str {
    code_of(&GOALS, goal)
}

pub(crate) const GENDERS: [(&str, Gender); 4] = [
    ("woman", Gender::Woman),
    ("man", Gender::Man),
    ("non_binary", Gender::NonBinary),
    ("not_said", Gender::NotSaid),
];

pub(crate) const AGE_BANDS: [(&str, AgeBand); 6] = [
    ("under_18", AgeBand::Under18),
    ("18_24", AgeBand::From18To24),
    ("25_34", AgeBand::From25To34),
    ("35_49", AgeBand::From35To49),
    ("50_64", AgeBand::From50To64),
    ("65_plus", AgeBand::From65),
];

pub(crate) const DBS_LEVELS: [(&str, DbsLevel); 4] = [
    ("basic", DbsLevel::Basic),
    ("standard", DbsLevel::Standard),
    ("enhanced", DbsLevel::Enhanced),
    ("enhanced_barred", DbsLevel::EnhancedWithBarredLists),
];

pub(crate) const LANGUAGE_LEVELS: [(&str, LanguageLevel); 4] = [
    ("basic", LanguageLevel::Basic),
    ("conversational", LanguageLevel::Conversational),
    ("fluent", LanguageLevel::Fluent),
    ("native", LanguageLevel::Native),
];

fn find<T: Copy>(table: &[(&str, T)], code: &str) -> Option<T> {
    table.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

pub(crate) fn code_of<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(c, _)| c)
}

fn slot(code: &str) -> Option<Slot> {
    let (day, part) = code.split_once('-')?;
    Some(Slot {
        day: find(&DAYS, day)?,
        part: find(&PARTS, part)?,
    })
}

fn date(raw: &str) -> Option<Date> {
    Date::parse(raw, &time::format_description::well_known::Iso8601::DATE).ok()
}

/// On an edit, the stored meeting point and the place name typed for it, kept when the place is
/// left empty.
pub(crate) type KeptPlace = Option<(GeoPoint, Option<Text>)>;

/// The parts every profile shares.
struct Common {
    person: Person,
    languages: Vec<Language>,
    meeting: Meeting,
    availability: BTreeSet<Slot>,
    gender: Gender,
    gender_preference: GenderPreference,
    age_band: AgeBand,
}

fn common<F: Fields + ?Sized>(
    c: &mut Collector<'_, F>,
    gazetteer: &Gazetteer,
    kept_place: KeptPlace,
) -> Option<Common> {
    // A name is one line: it goes into e-mail bodies (reminders) and table cells, where a line
    // break would let a name pose as another line.
    let name = match Text::parse_line(c.get("name"), MAX_NAME_CHARS) {
        Ok(name) => Some(name),
        Err(_) => c.fail("name", "mentoring-error-name"),
    };
    let email = match c.get("email") {
        "" => Some(None),
        raw => match Email::parse(raw) {
            Ok(e) => Some(Some(e)),
            Err(_) => c.fail("email", "mentoring-error-email"),
        },
    };
    let account = match c.get("account") {
        "" => Some(None),
        raw => match Email::parse(raw) {
            Ok(e) => Some(Some(e)),
            Err(_) => c.fail("account", "mentoring-error-email"),
        },
    };
    let mut languages = Vec::new();
    let mut languages_ok = true;
    for item in items(&c.get("languages").to_ascii_lowercase()) {
        let parsed = item.split_once(':').and_then(|(code, level)| {
            let code_ok =
                (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
            Some(Language {
                code: code_ok.then(|| code.to_owned())?,
                level: find(&LANGUAGE_LEVELS, level)?,
            })
        });
        match parsed {
            Some(l) => languages.push(l),
            None => languages_ok = false,
        }
    }
    if !languages_ok || languages.is_empty() || languages.len() > 20 {
        languages_ok = false;
        c.fail::<()>("languages", "mentoring-error-languages");
    }
    let remote = c.get("remote").to_ascii_lowercase();
    let remote_ok = match remote.as_str() {
        "only" => None,
        // Blank means in person and online too: the least restrictive answer.
        "" => Some(Some(true)),
        other => match yes_no(other) {
            Some(ok) => Some(Some(ok)),
            None => {
                c.fail::<()>("remote", "mentoring-error-remote");
                Some(None)
            }
        },
    };
    let travel = match c.get("travel_km") {
        "" => Some(DEFAULT_TRAVEL_KM),
        raw => match raw.parse::<u32>() {
            Ok(km) if km <= MAX_TRAVEL_KM => Some(km),
            _ => c.fail("travel_km", "mentoring-error-travel"),
        },
    };
    let mut place_name = None;
    let meeting = match remote_ok {
        None => Some(Meeting::RemoteOnly),
        Some(None) => None,
        Some(Some(remote_ok)) => {
            let place = c.get("place").to_owned();
            if place.is_empty() {
                // An edit that leaves the place empty keeps the point the profile already has,
                // and so its name.
                match kept_place {
                    Some((point, name)) => {
                        place_name = name;
                        travel.map(|max_travel_km| Meeting::InPerson {
                            place: point,
                            max_travel_km,
                            remote_ok,
                        })
                    }
                    None => c.fail("place", "mentoring-error-place-or-remote"),
                }
            } else {
                place_name = Text::parse(&place, MAX_NAME_CHARS).ok();
                match gazetteer.resolve(&place) {
                    Ok(found) if place_name.is_some() => {
                        travel.map(|max_travel_km| Meeting::InPerson {
                            place: GeoPoint {
                                latitude: found.point.lat(),
                                longitude: found.point.lon(),
                            },
                            max_travel_km,
                            remote_ok,
                        })
                    }
                    Ok(_) | Err(_) => c.fail("place", "mentoring-error-place"),
                }
            }
        }
    };
    let mut availability = BTreeSet::new();
    for item in items(&c.get("availability").to_ascii_lowercase()) {
        match slot(item) {
            Some(s) => {
                availability.insert(s);
            }
            None => {
                c.fail::<()>("availability", "mentoring-error-availability");
                break;
            }
        }
    }
    let gender = match find(&GENDERS, &c.get("gender").to_ascii_lowercase()) {
        Some(g) => Some(g),
        None => c.fail("gender", "mentoring-error-gender"),
    };
    let preference_raw = c.get("gender_preference").to_ascii_lowercase();
    let gender_preference = if preference_raw.is_empty() || preference_raw == "any" {
        Some(GenderPreference::Any)
    } else {
        let accepted: Option<BTreeSet<Gender>> =
            items(&preference_raw).map(|g| find(&GENDERS, g)).collect();
        match accepted {
            Some(set) if !set.is_empty() => Some(GenderPreference::Only(set)),
            _ => c.fail("gender_preference", "mentoring-error-gender-preference"),
        }
    };
    let age_band = match find(&AGE_BANDS, &c.get("age_band").to_ascii_lowercase()) {
        Some(a) => Some(a),
        None => c.fail("age_band", "mentoring-error-age-band"),
    };
    Some(Common {
        person: Person {
            name: name?,
            email: email?,
            account: account?,
            place: place_name,
        },
        languages: languages_ok.then_some(languages)?,
        meeting: meeting?,
        availability,
        gender: gender?,
        gender_preference: gender_preference?,
        age_band: age_band?,
    })
}

fn goals<F: Fields + ?Sized>(
    c: &mut Collector<'_, F>,
    field: &'static str,
) -> Option<BTreeSet<Goal>> {
    let parsed: Option<BTreeSet<Goal>> = items(&c.get(field).to_ascii_lowercase())
        .map(goal)
        .collect();
    match parsed {
        Some(set) if !set.is_empty() => Some(set),
        _ => c.fail(field, "mentoring-error-goals"),
    }
}

/// A mentor from fields; `today` refuses check dates in the future.
#[cfg(test)]
pub(crate) fn mentor<F: Fields + ?Sized>(
    fields: &F,
    gazetteer: &Gazetteer,
    today: Date,
) -> Result<(Person, Mentor), Vec<Problem>> {
    mentor_keeping(fields, gazetteer, today, None)
}

/// A mentor from fields, keeping `kept_place` when the place is left empty (an edit).
pub(crate) fn mentor_keeping<F: Fields + ?Sized>(
    fields: &F,
    gazetteer: &Gazetteer,
    today: Date,
    kept_place: KeptPlace,
) -> Result<(Person, Mentor), Vec<Problem>> {
    let mut c = Collector {
        fields,
        problems: Vec::new(),
    };
    let common = common(&mut c, gazetteer, kept_place);
    let skills = goals(&mut c, "skills");
    let capacity = match c.get("capacity") {
        "" => Some(None),
        raw => match raw.parse::<u8>() {
            Ok(n) if (1..=3).contains(&n) => Some(Some(n)),
            _ => c.fail("capacity", "mentoring-error-capacity"),
        },
    };
    let dbs = dbs(&mut c, today);
    match (common, skills, capacity, dbs) {
        (Some(common), Some(skills), Some(capacity), Some(dbs)) if c.problems.is_empty() => Ok((
            common.person,
            Mentor {
                id: MentorId(String::new()),
                languages: common.languages,
                meeting: common.meeting,
                skills,
                availability: common.availability,
                gender: common.gender,
                gender_preference: common.gender_preference,
                age_band: common.age_band,
                dbs,
                capacity,
            },
        )),
        _ => Err(c.problems),
    }
}

fn dbs<F: Fields + ?Sized>(c: &mut Collector<'_, F>, today: Date) -> Option<Option<DbsCheck>> {
    let level_raw = c.get("dbs_level").to_ascii_lowercase();
    if level_raw.is_empty() || level_raw == "none" {
        return Some(None);
    }
    let level = match find(&DBS_LEVELS, &level_raw) {
        Some(l) => Some(l),
        None => c.fail("dbs_level", "mentoring-error-dbs-level"),
    };
    let issued = match date(c.get("dbs_issued")) {
        Some(d) if d <= today => Some(d),
        _ => c.fail("dbs_issued", "mentoring-error-dbs-issued"),
    };
    let update_service = match yes_no(c.get("dbs_update_service")) {
        Some(b) => Some(b),
        None => c.fail("dbs_update_service", "mentoring-error-yes-no"),
    };
    let expires = match c.get("dbs_expires") {
        "" => Some(None),
        raw => match (date(raw), issued) {
            (Some(d), Some(i)) if d >= i => Some(Some(d)),
            (Some(d), None) => Some(Some(d)),
            _ => c.fail("dbs_expires", "mentoring-error-dbs-expires"),
        },
    };
    Some(Some(DbsCheck {
        level: level?,
        issued: issued?,
        update_service: update_service?,
        expires: expires?,
    }))
}

/// A mentee from fields.
#[cfg(test)]
pub(crate) fn mentee<F: Fields + ?Sized>(
    fields: &F,
    gazetteer: &Gazetteer,
) -> Result<(Person, Mentee), Vec<Problem>> {
    mentee_keeping(fields, gazetteer, None)
}

/// A mentee from fields, keeping `kept_place` when the place is left empty (an edit).
pub(crate) fn mentee_keeping<F: Fields + ?Sized>(
    fields: &F,
    gazetteer: &Gazetteer,
    kept_place: KeptPlace,
) -> Result<(Person, Mentee), Vec<Problem>> {
    let mut c = Collector {
        fields,
        problems: Vec::new(),
    };
    let common = common(&mut c, gazetteer, kept_place);
    let goals = goals(&mut c, "goals");
    let at_risk = match yes_no(c.get("at_risk")) {
        Some(b) => Some(b),
        None => c.fail("at_risk", "mentoring-error-yes-no"),
    };
    match (common, goals, at_risk) {
        (Some(common), Some(goals), Some(at_risk)) if c.problems.is_empty() => Ok((
            common.person,
            Mentee {
                id: MenteeId(String::new()),
                languages: common.languages,
                meeting: common.meeting,
                goals,
                availability: common.availability,
                gender: common.gender,
                gender_preference: common.gender_preference,
                age_band: common.age_band,
                at_risk,
            },
        )),
        _ => Err(c.problems),
    }
}

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];
const PARTS: [(&str, DayPart); 3] = [
    ("morning", DayPart::Morning),
    ("afternoon", DayPart::Afternoon),
    ("evening", DayPart::Evening),
];

/// The point a profile meets around, if it meets in person.
pub(crate) fn place_of(meeting: &Meeting) -> Option<GeoPoint> {
    match meeting {
        Meeting::RemoteOnly => None,
        Meeting::InPerson { place, .. } => Some(*place),
    }
}

/// The fields every profile has, as a form shows them (the place's name is the participant's,
/// not the profile's: the caller fills it in).
fn common_fields(
    out: &mut std::collections::HashMap<String, String>,
    languages: &[Language],
    meeting: &Meeting,
    availability: &BTreeSet<Slot>,
    gender: Gender,
    preference: &GenderPreference,
    age_band: AgeBand,
) {
    let mut set = |k: &str, v: String| {
        out.insert(k.to_owned(), v);
    };
    set(
        "languages",
        languages
            .iter()
            .map(|l| format!("{}:{}", l.code, code_of(&LANGUAGE_LEVELS, l.level)))
            .collect::<Vec<_>>()
            .join("; "),
    );
    match meeting {
        Meeting::RemoteOnly => set("remote", "only".to_owned()),
        Meeting::InPerson {
            max_travel_km,
            remote_ok,
            ..
        } => {
            set("remote", if *remote_ok { "yes" } else { "no" }.to_owned());
            set("travel_km", max_travel_km.to_string());
        }
    }
    set(
        "availability",
        availability
            .iter()
            .map(|s| format!("{}-{}", code_of(&DAYS, s.day), code_of(&PARTS, s.part)))
            .collect::<Vec<_>>()
            .join("; "),
    );
    set("gender", code_of(&GENDERS, gender).to_owned());
    set(
        "gender_preference",
        match preference {
            GenderPreference::Any => "any".to_owned(),
            GenderPreference::Only(set) => set
                .iter()
                .map(|g| code_of(&GENDERS, *g))
                .collect::<Vec<_>>()
                .join("; "),
        },
    );
    set("age_band", code_of(&AGE_BANDS, age_band).to_owned());
}

/// A mentor's profile as form fields.
pub(crate) fn mentor_fields(m: &Mentor) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    common_fields(
        &mut out,
        &m.languages,
        &m.meeting,
        &m.availability,
        m.gender,
        &m.gender_preference,
        m.age_band,
    );
    out.insert("skills".to_owned(), goal_list(&m.skills));
    if let Some(c) = m.capacity {
        out.insert("capacity".to_owned(), c.to_string());
    }
    if let Some(dbs) = &m.dbs {
        out.insert(
            "dbs_level".to_owned(),
            code_of(&DBS_LEVELS, dbs.level).to_owned(),
        );
        out.insert("dbs_issued".to_owned(), dbs.issued.to_string());
        if dbs.update_service {
            out.insert("dbs_update_service".to_owned(), "yes".to_owned());
        }
        if let Some(e) = dbs.expires {
            out.insert("dbs_expires".to_owned(), e.to_string());
        }
    }
    out
}

/// A mentee's profile as form fields.
pub(crate) fn mentee_fields(m: &Mentee) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    common_fields(
        &mut out,
        &m.languages,
        &m.meeting,
        &m.availability,
        m.gender,
        &m.gender_preference,
        m.age_band,
    );
    out.insert("goals".to_owned(), goal_list(&m.goals));
    if m.at_risk {
        out.insert("at_risk".to_owned(), "yes".to_owned());
    }
    out
}

fn goal_list(goals: &BTreeSet<Goal>) -> String {
    goals
        .iter()
        .map(|g| goal_code(*g))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::HashMap;

    use super::*;
    use time::macros::date;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_step_needs_an_outcome_and_both_feedbacks_only_to_end() {
        let step = |pairs: &[(&str, &str)]| super::step(&fields(pairs));
        assert_eq!(
            step(&[("to", "agreed")]).unwrap(),
            (MatchStatus::Agreed, None)
        );
        for to in ["", "proposed", "married"] {
            let problems = step(&[("to", to)]).unwrap_err();
            assert_eq!(problems.len(), 1, "{to}");
            assert_eq!(problems[0].field, "to", "{to}");
        }
        let problems = step(&[("to", "ended"), ("mentor_feedback", "Went well.")]).unwrap_err();
        let named: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(named, ["outcome", "mentee_feedback"]);
        let (to, ending) = step(&[
            ("to", "ended"),
            ("outcome", "goals_met"),
            ("mentor_feedback", " Went well. "),
            ("mentee_feedback", "Thank you."),
        ])
        .unwrap();
        assert_eq!(to, MatchStatus::Ended);
        let ending = ending.unwrap();
        assert_eq!(ending.outcome, Outcome::GoalsMet);
        assert_eq!(ending.mentor_feedback.unwrap().as_str(), "Went well.");
    }

    fn gazetteer() -> std::sync::Arc<Gazetteer> {
        crate::state::shared_gazetteer().unwrap()
    }

    #[test]
    fn a_full_mentor_reads() {
        let f = fields(&[
            ("name", "Amal Haddad"),
            ("languages", "ar:native; en:fluent"),
            ("place", "Leeds"),
            ("travel_km", "15"),
            ("availability", "monday-evening tuesday-morning"),
            ("gender", "woman"),
            ("age_band", "35_49"),
            ("skills", "requalify_nurse english"),
            ("capacity", "2"),
            ("dbs_level", "enhanced"),
            ("dbs_issued", "2026-01-10"),
            ("dbs_update_service", "yes"),
        ]);
        let (person, m) = mentor(&f, &gazetteer(), date!(2026 - 11 - 25)).unwrap();
        assert_eq!(person.name.as_str(), "Amal Haddad");
        assert_eq!(m.languages.len(), 2);
        assert!(matches!(
            m.meeting,
            Meeting::InPerson {
                max_travel_km: 15,
                remote_ok: true,
                ..
            }
        ));
        assert_eq!(m.availability.len(), 2);
        assert_eq!(m.capacity, Some(2));
        assert!(m.dbs.unwrap().update_service);
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = fields(&[
            ("name", " "),
            ("languages", "klingon"),
            ("remote", "perhaps"),
            ("availability", "someday"),
            ("gender", "x"),
            ("age_band", "old"),
            ("goals", "fame"),
            ("at_risk", "maybe"),
            ("email", "not-an-address"),
        ]);
        let problems = mentee(&f, &gazetteer()).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.field).collect();
        for field in [
            "name",
            "email",
            "languages",
            "remote",
            "availability",
            "gender",
            "age_band",
            "goals",
            "at_risk",
        ] {
            assert!(named.contains(&field), "{field} not named in {named:?}");
        }
    }

    #[test]
    fn a_name_is_one_line() {
        for name in ["Bilal\nHaddad", "Bilal\r\nNew line: fake", "Amal\rHaddad"] {
            let f = fields(&[
                ("name", name),
                ("languages", "ar:native"),
                ("remote", "only"),
                ("gender", "woman"),
                ("age_band", "25_34"),
                ("goals", "english"),
            ]);
            let problems = mentee(&f, &gazetteer()).unwrap_err();
            let named: Vec<&str> = problems.iter().map(|p| p.field).collect();
            assert_eq!(named, ["name"], "{name:?}");
        }
    }

    #[test]
    fn a_profile_read_back_into_fields_reads_the_same() {
        let f = fields(&[
            ("name", "Amal"),
            ("languages", "ar:native; en:fluent"),
            ("place", "Leeds"),
            ("travel_km", "15"),
            ("remote", "no"),
            ("availability", "monday-evening; tuesday-morning"),
            ("gender", "woman"),
            ("gender_preference", "woman; non_binary"),
            ("age_band", "35_49"),
            ("skills", "requalify_nurse; english"),
            ("capacity", "2"),
            ("dbs_level", "enhanced"),
            ("dbs_issued", "2026-01-10"),
            ("dbs_expires", "2027-01-10"),
        ]);
        let today = date!(2026 - 11 - 25);
        let (_, first) = mentor(&f, &gazetteer(), today).unwrap();
        let mut again = mentor_fields(&first);
        again.insert("name".to_owned(), "Amal".to_owned());
        let (kept, second) = mentor_keeping(
            &again,
            &gazetteer(),
            today,
            place_of(&first.meeting).map(|p| (p, Text::parse_line("Leeds", 200).ok())),
        )
        .unwrap();
        assert_eq!(first, second);
        // The place was left empty: the stored point stays, and so does its name.
        assert_eq!(kept.place.as_ref().map(Text::as_str), Some("Leeds"));
    }

    #[test]
    fn in_person_needs_a_known_place_and_checks_need_dates() {
        let f = fields(&[
            ("name", "B"),
            ("languages", "en:basic"),
            ("remote", "no"),
            ("gender", "man"),
            ("age_band", "18_24"),
            ("skills", "english"),
            ("dbs_level", "enhanced"),
            ("dbs_issued", "2030-01-01"),
        ]);
        let problems = mentor(&f, &gazetteer(), date!(2026 - 11 - 25)).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(named, ["place", "dbs_issued"]);
        let f = fields(&[
            ("name", "B"),
            ("languages", "en:basic"),
            ("remote", "only"),
            ("gender", "man"),
            ("age_band", "18_24"),
            ("goals", "english"),
        ]);
        let (_, m) = mentee(&f, &gazetteer()).unwrap();
        assert_eq!(m.meeting, Meeting::RemoteOnly);
    }
}
