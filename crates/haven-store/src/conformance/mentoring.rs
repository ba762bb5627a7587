//! Conformance cases for mentoring: organisation isolation, all-or-nothing writes, the match
//! lifecycle, locks and forbids, and DBS reminders.

use std::collections::BTreeSet;

use haven_domain::accounts::{AuditEvent, AuditScope, Email, Tenant};
use haven_domain::mentoring::{
    ConstraintKind, Ending, Match, MatchStatus, MenteeProfile, MentorProfile, Outcome,
    PairConstraint, Programme, StatusChange,
};
use haven_domain::{MatchId, ParticipantId, ProgrammeId, TenantId, Text};
use haven_match::criteria::{Criterion, CriterionScore, WeightedCriterion};
use haven_match::profile::{
    AgeBand, DbsLevel, Gender, GenderPreference, Goal, Language, LanguageLevel, Meeting, Mentee,
    MenteeId, Mentor, MentorId, SafeguardingPolicy,
};
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::{assert_not_found, sample_tenant, sample_user, site_event};
use crate::mentoring::{Advance, Withdrawal};
use crate::{MentoringStoreExt, Store, StoreError};

fn at() -> OffsetDateTime {
    datetime!(2026-11-25 10:00 UTC)
}

fn event(tenant: TenantId, action: &'static str) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Tenant(tenant),
        at: at(),
        actor: None,
        action,
        subject: None,
    }
}

async fn tenant(store: &dyn Store, name: &str) -> Tenant {
    let t = sample_tenant(name);
    store
        .create_tenant(&t, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    t
}

/// A programme of `tenant` with a couple of criteria and rules.
pub fn sample_programme(tenant: TenantId, name: &str) -> Programme {
    Programme {
        id: ProgrammeId::new_random(),
        tenant,
        name: Text::parse(name, 200).unwrap(),
        settings: haven_match::profile::Programme {
            name: name.to_owned(),
            criteria: vec![WeightedCriterion {
                criterion: Criterion::Goals,
                weight: 3,
            }],
            rules: vec![haven_match::rules::HardRule::GoalCovered],
            mentor_capacity: 2,
            safeguarding: SafeguardingPolicy {
                required_level: DbsLevel::Enhanced,
                max_certificate_age_days: Some(1095),
            },
        },
        created_at: at(),
        settings_changed_at: None,
        last_run: None,
    }
}

fn english() -> Vec<Language> {
    vec![Language {
        code: "en".to_owned(),
        level: LanguageLevel::Fluent,
    }]
}

/// A mentor of `programme` who helps with employment.
pub fn sample_mentor(programme: &Programme, name: &str) -> MentorProfile {
    let id = ParticipantId::new_random();
    MentorProfile {
        id,
        tenant: programme.tenant,
        programme: programme.id,
        name: Text::parse(name, 200).unwrap(),
        email: Some(Email::parse("mentor@example.org").unwrap()),
        user: None,
        profile: Mentor {
            id: MentorId(id.to_string()),
            languages: english(),
            meeting: Meeting::RemoteOnly,
            skills: BTreeSet::from([Goal::Employment]),
            availability: BTreeSet::new(),
            gender: Gender::Woman,
            gender_preference: GenderPreference::Any,
            age_band: AgeBand::From35To49,
            dbs: Some(haven_match::profile::DbsCheck {
                level: DbsLevel::Enhanced,
                issued: date!(2025 - 01 - 10),
                update_service: false,
                expires: None,
            }),
            capacity: None,
        },
        place: None,
        withdrawn: None,
    }
}

/// A mentee of `programme` looking for work.
pub fn sample_mentee(programme: &Programme, name: &str) -> MenteeProfile {
    let id = ParticipantId::new_random();
    MenteeProfile {
        id,
        tenant: programme.tenant,
        programme: programme.id,
        name: Text::parse(name, 200).unwrap(),
        email: None,
        user: None,
        profile: Mentee {
            id: MenteeId(id.to_string()),
            languages: english(),
            meeting: Meeting::RemoteOnly,
            goals: BTreeSet::from([Goal::Employment]),
            availability: BTreeSet::new(),
            gender: Gender::Woman,
            gender_preference: GenderPreference::Any,
            age_band: AgeBand::From25To34,
            at_risk: false,
        },
        place: None,
        withdrawn: None,
    }
}

fn proposal(p: &Programme, mentor: &MentorProfile, mentee: &MenteeProfile) -> Match {
    Match {
        id: MatchId::new_random(),
        tenant: p.tenant,
        programme: p.id,
        mentor: mentor.id,
        mentee: mentee.id,
        status: MatchStatus::Proposed,
        score: 300,
        criteria: vec![CriterionScore {
            criterion: Criterion::Goals,
            points: 100,
            weight: 3,
            score: 300,
        }],
        history: vec![StatusChange {
            status: MatchStatus::Proposed,
            at: at(),
            actor: None,
        }],
        ending: None,
    }
}

/// Stores `p` for its organisation with its first mentors and mentees, as most tests start.
async fn programme_with(
    store: &dyn Store,
    p: &Programme,
    mentors: &[MentorProfile],
    mentees: &[MenteeProfile],
) {
    store
        .create_programme(p, &event(p.tenant, "programme_created"))
        .await
        .unwrap();
    if !mentors.is_empty() {
        store
            .add_mentors(p.tenant, mentors, &event(p.tenant, "mentors_added"))
            .await
            .unwrap();
    }
    if !mentees.is_empty() {
        store
            .add_mentees(p.tenant, mentees, &event(p.tenant, "mentees_added"))
            .await
            .unwrap();
    }
}

fn advance(m: &Match, to: MatchStatus) -> Advance<'static> {
    Advance {
        tenant: m.tenant,
        id: m.id,
        to,
        at: at(),
        actor: None,
        ending: None,
    }
}

pub async fn mentoring_programmes_belong_to_their_organisation(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let mut p = sample_programme(a.id, "Health professionals");
    store
        .create_programme(&p, &event(a.id, "programme_created"))
        .await
        .unwrap();
    assert_eq!(store.programme(a.id, p.id).await.unwrap(), p);
    assert_eq!(store.programmes(a.id).await.unwrap(), vec![p.clone()]);
    assert!(store.programmes(b.id).await.unwrap().is_empty());
    assert_not_found(store.programme(b.id, p.id).await);
    // Another organisation cannot change it, even naming it by id.
    let mut stolen = p.clone();
    stolen.tenant = b.id;
    assert_not_found(
        store
            .save_programme(&stolen, &event(b.id, "programme_updated"))
            .await,
    );
    p.name = Text::parse("Nurses and doctors", 200).unwrap();
    p.settings.name = "Nurses and doctors".to_owned();
    p.settings.mentor_capacity = 3;
    p.settings_changed_at = Some(at() + time::Duration::hours(1));
    store
        .save_programme(&p, &event(a.id, "programme_updated"))
        .await
        .unwrap();
    assert_eq!(store.programme(a.id, p.id).await.unwrap(), p);
    assert_eq!(store.all_programmes().await.unwrap(), vec![p]);
    let entries = store.audit_entries(&a.id.to_string()).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["programme_created", "programme_updated"]);
}

pub async fn mentors_and_mentees_are_added_all_or_nothing(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let p = sample_programme(a.id, "Work");
    store
        .create_programme(&p, &event(a.id, "programme_created"))
        .await
        .unwrap();
    let user = sample_user("amal@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let mut amal = sample_mentor(&p, "Amal");
    amal.user = Some(user.id);
    let bilal = sample_mentor(&p, "Bilal");
    store
        .add_mentors(
            a.id,
            &[amal.clone(), bilal.clone()],
            &event(a.id, "mentors_added"),
        )
        .await
        .unwrap();
    // A batch with one bad row (a duplicate id) writes nothing, audit included.
    let carla = sample_mentor(&p, "Carla");
    let failed = store
        .add_mentors(
            a.id,
            &[carla.clone(), bilal.clone()],
            &event(a.id, "mentors_added"),
        )
        .await;
    assert!(
        matches!(failed, Err(StoreError::Conflict { .. })),
        "{failed:?}"
    );
    assert_eq!(
        store.mentors(a.id, p.id).await.unwrap(),
        vec![amal.clone(), bilal.clone()]
    );
    assert_not_found(store.mentor(a.id, carla.id).await);
    // Another organisation can neither add to the programme nor read its people.
    let mut intruder = sample_mentor(&p, "Intruder");
    intruder.tenant = b.id;
    assert_not_found(
        store
            .add_mentors(b.id, &[intruder], &event(b.id, "mentors_added"))
            .await,
    );
    assert_not_found(store.mentor(b.id, amal.id).await);
    assert!(store.mentors(b.id, p.id).await.unwrap().is_empty());

    let dina = sample_mentee(&p, "Dina");
    store
        .add_mentees(
            a.id,
            std::slice::from_ref(&dina),
            &event(a.id, "mentees_added"),
        )
        .await
        .unwrap();
    assert_eq!(store.mentees(a.id, p.id).await.unwrap(), vec![dina.clone()]);
    assert_not_found(store.mentor(a.id, dina.id).await);
    assert_not_found(store.mentee(a.id, amal.id).await);

    let mut changed = dina.clone();
    changed.profile.at_risk = true;
    store
        .save_mentee(&changed, &event(a.id, "mentee_updated"))
        .await
        .unwrap();
    assert_eq!(store.mentee(a.id, dina.id).await.unwrap(), changed);
    let mut stolen = changed.clone();
    stolen.tenant = b.id;
    assert_not_found(
        store
            .save_mentee(&stolen, &event(b.id, "mentee_updated"))
            .await,
    );

    let mine = store.participant_rows_of_user(a.id, user.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, amal.id.as_uuid());
    assert!(
        store
            .participant_rows_of_user(b.id, user.id)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn matches_move_forward_only_and_reruns_keep_agreed_pairs(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let p = sample_programme(a.id, "Work");
    let mentor = sample_mentor(&p, "Amal");
    let (m1, m2) = (sample_mentee(&p, "Dina"), sample_mentee(&p, "Eman"));
    programme_with(
        store,
        &p,
        std::slice::from_ref(&mentor),
        &[m1.clone(), m2.clone()],
    )
    .await;
    let first = proposal(&p, &mentor, &m1);
    let second = proposal(&p, &mentor, &m2);
    store
        .store_proposals(
            a.id,
            p.id,
            &[first.clone(), second.clone()],
            &event(a.id, "matching_run"),
        )
        .await
        .unwrap();
    assert_eq!(store.get_match(a.id, first.id).await.unwrap(), first);
    // The run is recorded on the programme: its event's time, and who it had then.
    let ran = store.programme(a.id, p.id).await.unwrap().last_run.unwrap();
    assert_eq!(
        (ran.at, ran.mentors, ran.mentees),
        (event(a.id, "matching_run").at, 1, 2)
    );
    assert_not_found(store.get_match(b.id, first.id).await);
    assert_not_found(
        store
            .store_proposals(b.id, p.id, &[], &event(b.id, "matching_run"))
            .await,
    );

    // Skipping a step, or moving another organisation's match, is refused.
    let skipped = store
        .advance_match(
            &advance(&first, MatchStatus::Active),
            &event(a.id, "match_moved"),
        )
        .await;
    assert!(
        matches!(skipped, Err(StoreError::Refused { .. })),
        "{skipped:?}"
    );
    let mut foreign = advance(&first, MatchStatus::Agreed);
    foreign.tenant = b.id;
    assert_not_found(
        store
            .advance_match(&foreign, &event(b.id, "match_moved"))
            .await,
    );
    store
        .advance_match(
            &advance(&first, MatchStatus::Agreed),
            &event(a.id, "match_agreed"),
        )
        .await
        .unwrap();

    // A re-run replaces proposals but keeps the agreed pair.
    store
        .store_proposals(a.id, p.id, &[], &event(a.id, "matching_run"))
        .await
        .unwrap();
    let kept = store.matches(a.id, p.id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].status, MatchStatus::Agreed);
    assert_eq!(kept[0].history.len(), 2);
    // The agreed mentee cannot get a second open match.
    let again = store
        .propose_by_hand(&proposal(&p, &mentor, &m1), &event(a.id, "match_proposed"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    // A proposal by hand for the other mentee works.
    store
        .propose_by_hand(&proposal(&p, &mentor, &m2), &event(a.id, "match_proposed"))
        .await
        .unwrap();
    assert_eq!(store.matches(a.id, p.id).await.unwrap().len(), 2);

    for to in [MatchStatus::Introduced, MatchStatus::Active] {
        store
            .advance_match(&advance(&first, to), &event(a.id, "match_moved"))
            .await
            .unwrap();
    }
    let unexplained = store
        .advance_match(
            &advance(&first, MatchStatus::Ended),
            &event(a.id, "match_ended"),
        )
        .await;
    assert!(
        matches!(unexplained, Err(StoreError::Refused { .. })),
        "{unexplained:?}"
    );
    let ending = Ending {
        outcome: Outcome::GoalsMet,
        mentor_feedback: Some(Text::parse("Dina found work as a nurse's aide.", 4000).unwrap()),
        mentee_feedback: Some(Text::parse("شكراً جزيلاً", 4000).unwrap()),
    };
    let mut end = advance(&first, MatchStatus::Ended);
    end.ending = Some(&ending);
    store
        .advance_match(&end, &event(a.id, "match_ended"))
        .await
        .unwrap();
    let ended = store.get_match(a.id, first.id).await.unwrap();
    assert_eq!(ended.status, MatchStatus::Ended);
    assert_eq!(ended.ending, Some(ending));
    let statuses: Vec<MatchStatus> = ended.history.iter().map(|h| h.status).collect();
    assert_eq!(statuses, MatchStatus::ALL);
    let reopened = store
        .advance_match(
            &advance(&first, MatchStatus::Active),
            &event(a.id, "match_moved"),
        )
        .await;
    assert!(matches!(reopened, Err(StoreError::Refused { .. })));
    // Ended matches are history: the mentee may be matched again.
    store
        .propose_by_hand(&proposal(&p, &mentor, &m1), &event(a.id, "match_proposed"))
        .await
        .unwrap();
    assert_eq!(
        store
            .matches_of_participant(a.id, m1.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .matches_of_participant(b.id, m1.id)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_place_name_is_kept_with_its_point(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let p = sample_programme(a.id, "Work");
    let mut mentor = sample_mentor(&p, "Amal");
    mentor.place = Some(Text::parse("Leeds (LS6)", 200).unwrap());
    let mentee = sample_mentee(&p, "Dina");
    programme_with(
        store,
        &p,
        std::slice::from_ref(&mentor),
        std::slice::from_ref(&mentee),
    )
    .await;
    assert_eq!(store.mentor(a.id, mentor.id).await.unwrap(), mentor);
    assert_eq!(store.mentee(a.id, mentee.id).await.unwrap().place, None);
    // Changing it replaces it; taking it away (remote only now) clears it.
    mentor.place = Some(Text::parse("برادفورد", 200).unwrap());
    store
        .save_mentor(&mentor, &event(a.id, "mentor_updated"))
        .await
        .unwrap();
    assert_eq!(
        store.mentors(a.id, p.id).await.unwrap(),
        vec![mentor.clone()]
    );
    mentor.place = None;
    store
        .save_mentor(&mentor, &event(a.id, "mentor_updated"))
        .await
        .unwrap();
    assert_eq!(store.mentor(a.id, mentor.id).await.unwrap().place, None);
}

pub async fn withdrawing_ends_open_matches_and_keeps_history(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let p = sample_programme(a.id, "Work");
    let (amal, bilal) = (sample_mentor(&p, "Amal"), sample_mentor(&p, "Bilal"));
    let (dina, eman) = (sample_mentee(&p, "Dina"), sample_mentee(&p, "Eman"));
    programme_with(
        store,
        &p,
        &[amal.clone(), bilal.clone()],
        &[dina.clone(), eman.clone()],
    )
    .await;
    // Amal–Dina introduced; Amal–Eman proposed and locked; Bilal–Eman forbidden.
    let (introduced, proposed) = (proposal(&p, &amal, &dina), proposal(&p, &amal, &eman));
    store
        .store_proposals(
            a.id,
            p.id,
            &[introduced.clone(), proposed.clone()],
            &event(a.id, "matching_run"),
        )
        .await
        .unwrap();
    for to in [MatchStatus::Agreed, MatchStatus::Introduced] {
        store
            .advance_match(&advance(&introduced, to), &event(a.id, "match_moved"))
            .await
            .unwrap();
    }
    store
        .set_constraint(
            a.id,
            &PairConstraint {
                programme: p.id,
                mentor: amal.id,
                mentee: eman.id,
                kind: ConstraintKind::Lock,
            },
            &event(a.id, "pair_locked"),
        )
        .await
        .unwrap();
    let forbid = PairConstraint {
        programme: p.id,
        mentor: bilal.id,
        mentee: eman.id,
        kind: ConstraintKind::Forbid,
    };
    store
        .set_constraint(a.id, &forbid, &event(a.id, "pair_forbidden"))
        .await
        .unwrap();
    let at_withdrawal = at() + time::Duration::days(3);
    let withdrawal = |tenant: TenantId, participant: ParticipantId| Withdrawal {
        tenant,
        participant,
        at: at_withdrawal,
        actor: None,
    };

    // Another organisation cannot withdraw anyone, and nothing changes.
    assert_not_found(
        store
            .withdraw_participant(&withdrawal(b.id, amal.id), &event(b.id, "mentor_withdrawn"))
            .await,
    );
    assert!(store.mentor(a.id, amal.id).await.unwrap().is_active());

    let ended = store
        .withdraw_participant(&withdrawal(a.id, amal.id), &event(a.id, "mentor_withdrawn"))
        .await
        .unwrap();
    assert_eq!(ended, 1, "the introduced match ends; the proposal goes");
    let amal_now = store.mentor(a.id, amal.id).await.unwrap();
    assert_eq!(amal_now.withdrawn, Some(at_withdrawal));
    assert_eq!(store.mentors(a.id, p.id).await.unwrap().len(), 2, "kept");
    let matches = store.matches(a.id, p.id).await.unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    let m = &matches[0];
    assert_eq!(m.id, introduced.id);
    assert_eq!(m.status, MatchStatus::Ended);
    assert_eq!(
        m.ending,
        Some(Ending {
            outcome: Outcome::Withdrawn,
            mentor_feedback: None,
            mentee_feedback: None,
        })
    );
    let last = m.history.last().unwrap();
    assert_eq!((last.status, last.at), (MatchStatus::Ended, at_withdrawal));
    assert_eq!(m.history.len(), 4);
    // Only the pairs naming Amal go; the partner stays in the programme.
    assert_eq!(store.constraints(a.id, p.id).await.unwrap(), vec![forbid]);
    assert!(store.mentee(a.id, dina.id).await.unwrap().is_active());
    let entries = store.audit_entries(&a.id.to_string()).await.unwrap();
    assert_eq!(entries.last().unwrap().action, "mentor_withdrawn");

    // Twice is refused; Dina is free to be matched again.
    let again = store
        .withdraw_participant(&withdrawal(a.id, amal.id), &event(a.id, "mentor_withdrawn"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Refused { .. })),
        "{again:?}"
    );
    store
        .propose_by_hand(&proposal(&p, &bilal, &dina), &event(a.id, "match_proposed"))
        .await
        .unwrap();
    // A mentee with nothing open withdraws with nothing ended; editing keeps the withdrawal.
    let ended = store
        .withdraw_participant(&withdrawal(a.id, eman.id), &event(a.id, "mentee_withdrawn"))
        .await
        .unwrap();
    assert_eq!(ended, 0);
    // Her forbid goes; the lock the pick by hand set on Bilal–Dina stays.
    let left = store.constraints(a.id, p.id).await.unwrap();
    assert_eq!(
        left.iter()
            .map(|c| (c.mentor, c.mentee, c.kind))
            .collect::<Vec<_>>(),
        [(bilal.id, dina.id, ConstraintKind::Lock)]
    );
    let mut eman_now = store.mentee(a.id, eman.id).await.unwrap();
    eman_now.name = Text::parse("Eman A.", 200).unwrap();
    eman_now.withdrawn = None;
    store
        .save_mentee(&eman_now, &event(a.id, "mentee_updated"))
        .await
        .unwrap();
    assert_eq!(
        store.mentee(a.id, eman.id).await.unwrap().withdrawn,
        Some(at_withdrawal)
    );
}

pub async fn pairs_are_locked_and_forbidden_per_programme(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let p = sample_programme(a.id, "Work");
    let mentor = sample_mentor(&p, "Amal");
    let (m1, m2) = (sample_mentee(&p, "Dina"), sample_mentee(&p, "Eman"));
    programme_with(
        store,
        &p,
        std::slice::from_ref(&mentor),
        &[m1.clone(), m2.clone()],
    )
    .await;
    let first = proposal(&p, &mentor, &m1);
    let second = proposal(&p, &mentor, &m2);
    store
        .store_proposals(
            a.id,
            p.id,
            &[first.clone(), second.clone()],
            &event(a.id, "matching_run"),
        )
        .await
        .unwrap();
    let lock = PairConstraint {
        programme: p.id,
        mentor: mentor.id,
        mentee: m1.id,
        kind: ConstraintKind::Lock,
    };
    store
        .set_constraint(a.id, &lock, &event(a.id, "pair_locked"))
        .await
        .unwrap();
    assert_not_found(
        store
            .set_constraint(b.id, &lock, &event(b.id, "pair_locked"))
            .await,
    );
    // Forbidding a proposed pair drops the proposal.
    let forbid = PairConstraint {
        mentee: m2.id,
        kind: ConstraintKind::Forbid,
        ..lock
    };
    store
        .set_constraint(a.id, &forbid, &event(a.id, "pair_forbidden"))
        .await
        .unwrap();
    let left: Vec<MatchId> = store
        .matches(a.id, p.id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(left, vec![first.id]);
    let mut constraints = store.constraints(a.id, p.id).await.unwrap();
    constraints.sort_by_key(|c| c.kind.code());
    assert_eq!(constraints, vec![forbid, lock]);
    assert!(store.constraints(b.id, p.id).await.unwrap().is_empty());
    // An agreed pair cannot be forbidden.
    store
        .advance_match(
            &advance(&first, MatchStatus::Agreed),
            &event(a.id, "match_agreed"),
        )
        .await
        .unwrap();
    let refused = store
        .set_constraint(
            a.id,
            &PairConstraint {
                kind: ConstraintKind::Forbid,
                ..lock
            },
            &event(a.id, "pair_forbidden"),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused { .. })),
        "{refused:?}"
    );
    // The forbid turns into a lock in place, then goes.
    store
        .set_constraint(
            a.id,
            &PairConstraint {
                kind: ConstraintKind::Lock,
                ..forbid
            },
            &event(a.id, "pair_locked"),
        )
        .await
        .unwrap();
    assert_eq!(store.constraints(a.id, p.id).await.unwrap().len(), 2);
    assert_not_found(
        store
            .remove_constraint(b.id, p.id, mentor.id, m2.id, &event(b.id, "pair_released"))
            .await,
    );
    store
        .remove_constraint(a.id, p.id, mentor.id, m2.id, &event(a.id, "pair_released"))
        .await
        .unwrap();
    assert_not_found(
        store
            .remove_constraint(a.id, p.id, mentor.id, m2.id, &event(a.id, "pair_released"))
            .await,
    );
    assert_eq!(store.constraints(a.id, p.id).await.unwrap(), vec![lock]);

    // One lock per mentee: locking Dina with another mentor releases the old lock in the same
    // write; a lock naming someone not in the programme changes nothing, the old lock included.
    let other = sample_mentor(&p, "Bilal");
    store
        .add_mentors(
            a.id,
            std::slice::from_ref(&other),
            &event(a.id, "mentors_added"),
        )
        .await
        .unwrap();
    let stranger = PairConstraint {
        mentor: sample_mentor(&p, "Not added").id,
        ..lock
    };
    assert_not_found(
        store
            .set_constraint(a.id, &stranger, &event(a.id, "pair_locked"))
            .await,
    );
    assert_eq!(store.constraints(a.id, p.id).await.unwrap(), vec![lock]);
    let moved = PairConstraint {
        mentor: other.id,
        ..lock
    };
    store
        .set_constraint(a.id, &moved, &event(a.id, "pair_locked"))
        .await
        .unwrap();
    assert_eq!(store.constraints(a.id, p.id).await.unwrap(), vec![moved]);
}

pub async fn dbs_reminders_are_recorded_once(store: &dyn Store) {
    let a = tenant(store, "Compas").await;
    let b = tenant(store, "Elsewhere").await;
    let p = sample_programme(a.id, "Work");
    let mentor = sample_mentor(&p, "Amal");
    programme_with(store, &p, std::slice::from_ref(&mentor), &[]).await;
    let day = date!(2027 - 01 - 10);
    assert!(
        !store
            .dbs_reminder_sent(a.id, mentor.id, 30, day)
            .await
            .unwrap()
    );
    assert!(
        store
            .record_dbs_reminder(a.id, mentor.id, 30, day, at())
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_dbs_reminder(a.id, mentor.id, 30, day, at())
            .await
            .unwrap()
    );
    assert!(
        store
            .dbs_reminder_sent(a.id, mentor.id, 30, day)
            .await
            .unwrap()
    );
    // Another threshold, or a renewed check, is a new reminder.
    assert!(
        store
            .record_dbs_reminder(a.id, mentor.id, 7, day, at())
            .await
            .unwrap()
    );
    assert!(
        store
            .record_dbs_reminder(a.id, mentor.id, 30, date!(2030 - 01 - 10), at())
            .await
            .unwrap()
    );
    // Another organisation's mentor is not recorded against it.
    assert!(
        !store
            .record_dbs_reminder(b.id, mentor.id, 60, day, at())
            .await
            .unwrap()
    );
    assert!(
        !store
            .dbs_reminder_sent(b.id, mentor.id, 30, day)
            .await
            .unwrap()
    );
}
