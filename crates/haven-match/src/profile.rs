//! Programmes, mentors and mentees as plain data, serialisable so the web layer can store them as
//! JSON. Nothing here decides anything: rules and criteria read these types.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::criteria::WeightedCriterion;
use crate::rules::HardRule;

/// Identifies a mentor within an organisation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MentorId(pub String);

/// Identifies a mentee within an organisation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MenteeId(pub String);

impl std::fmt::Display for MentorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for MenteeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mentoring programme run by an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    /// Display name, for explanations and logs.
    pub name: String,
    /// Scored criteria and their weights; a pair's score is the weighted sum.
    pub criteria: Vec<WeightedCriterion>,
    /// Hard rules every proposed pair must pass. Safeguarding always applies, listed or not.
    pub rules: Vec<HardRule>,
    /// Mentees per mentor unless a mentor says otherwise: 1 to 3.
    pub mentor_capacity: u8,
    /// What a mentor's DBS check must satisfy to mentor under-18s or mentees at risk.
    pub safeguarding: SafeguardingPolicy,
}

/// The programme's safeguarding requirement for mentors of under-18s and mentees at risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeguardingPolicy {
    /// Minimum DBS check level.
    pub required_level: DbsLevel,
    /// Oldest acceptable certificate, in days since issue, unless the mentor is on the Update
    /// Service (which keeps a certificate current). `None`: no age limit.
    pub max_certificate_age_days: Option<u32>,
}

/// A volunteer mentor's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mentor {
    /// Identifier, unique among the mentors of one run.
    pub id: MentorId,
    /// Languages spoken, each with a level.
    pub languages: Vec<Language>,
    /// Where and how the mentor can meet.
    pub meeting: Meeting,
    /// Goals the mentor can help with.
    pub skills: BTreeSet<Goal>,
    /// Weekly slots when the mentor is free.
    pub availability: BTreeSet<Slot>,
    /// The mentor's gender.
    pub gender: Gender,
    /// Which mentees' genders the mentor accepts.
    pub gender_preference: GenderPreference,
    /// The mentor's age band.
    pub age_band: AgeBand,
    /// Safeguarding metadata: the latest DBS check, if any.
    pub dbs: Option<DbsCheck>,
    /// Mentees this mentor takes, overriding the programme's default: 1 to 3.
    pub capacity: Option<u8>,
}

/// A mentee's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mentee {
    /// Identifier, unique among the mentees of one run.
    pub id: MenteeId,
    /// Languages spoken, each with a level.
    pub languages: Vec<Language>,
    /// Where and how the mentee can meet.
    pub meeting: Meeting,
    /// What the mentee wants help with.
    pub goals: BTreeSet<Goal>,
    /// Weekly slots when the mentee is free.
    pub availability: BTreeSet<Slot>,
    /// The mentee's gender.
    pub gender: Gender,
    /// Which mentors' genders the mentee accepts.
    pub gender_preference: GenderPreference,
    /// The mentee's age band; under-18s need a safeguarded mentor.
    pub age_band: AgeBand,
    /// Flagged as at risk by the organisation; needs a safeguarded mentor.
    pub at_risk: bool,
}

/// A spoken language (an ISO 639 code such as `"en"` or `"ar"`) and how well it is spoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639 code, compared exactly.
    pub code: String,
    /// How well it is spoken.
    pub level: LanguageLevel,
}

/// How well a language is spoken, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageLevel {
    /// A few words and phrases.
    Basic,
    /// Everyday conversation.
    Conversational,
    /// Fluent.
    Fluent,
    /// First language.
    Native,
}

/// A point on the map, in degrees (WGS84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
}

/// How a person can meet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Meeting {
    /// Only online or by phone.
    RemoteOnly,
    /// In person around `place`, travelling at most `max_travel_km`; `remote_ok` if online also
    /// works.
    InPerson {
        /// Where the person is based.
        place: GeoPoint,
        /// How far they can travel, in kilometres.
        max_travel_km: u32,
        /// Whether meeting online is also acceptable.
        remote_ok: bool,
    },
}

/// What a mentee wants help with, and what a mentor can help with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Re-qualifying as a nurse in the UK.
    RequalifyNurse,
    /// Re-qualifying as a dentist in the UK.
    RequalifyDentist,
    /// Re-qualifying as a doctor in the UK.
    RequalifyDoctor,
    /// Learning or practising English.
    English,
    /// Finding work.
    Employment,
    /// Applying to or studying at university.
    University,
    /// Wellbeing and settling in.
    Wellbeing,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

/// A weekly availability slot, such as Tuesday evening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    /// Day of the week.
    pub day: Weekday,
    /// Part of that day.
    pub part: DayPart,
}

/// A person's gender, as they describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Gender {
    Woman,
    Man,
    NonBinary,
    NotSaid,
}

/// Whose gender a person accepts in the other role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenderPreference {
    /// Any gender.
    Any,
    /// Only these genders.
    Only(BTreeSet<Gender>),
}

/// Age band, from youngest to oldest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum AgeBand {
    Under18,
    From18To24,
    From25To34,
    From35To49,
    From50To64,
    From65,
}

/// DBS check levels, from least to most thorough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum DbsLevel {
    Basic,
    Standard,
    Enhanced,
    EnhancedWithBarredLists,
}

/// Safeguarding metadata about a mentor's DBS check. No certificate content is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbsCheck {
    /// Level of the check.
    pub level: DbsLevel,
    /// Date the certificate was issued.
    pub issued: Date,
    /// Whether the certificate is registered with the DBS Update Service.
    pub update_service: bool,
    /// Date after which the organisation no longer accepts it, if it set one.
    pub expires: Option<Date>,
}
