//! The mentoring service against a real (SQLite) store: the store itself is checked on both
//! backends by the conformance suite; here it is the decisions on top.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haven_domain::Text;
use haven_domain::accounts::Tenant;
use haven_domain::mentoring::{ConstraintKind, Ending, MatchStatus, Outcome, Programme};
use haven_match::UnmatchedReason;
use haven_match::profile::{AgeBand, DbsCheck, DbsLevel, Goal};
use haven_match::rules::RuleKind;
use haven_mentoring::{Actor, MentoringError, pairs, people, reminders, run};
use haven_store::conformance::{
    sample_mentee, sample_mentor, sample_programme, sample_tenant, site_event,
};
use haven_store::{AccountStore, MentoringStore, MentoringStoreExt, StoreError};
use haven_store_sqlite::SqliteStore;
use time::macros::{date, datetime};

struct Fixture {
    store: SqliteStore,
    _dir: tempfile::TempDir,
    actor: Actor,
    programme: Programme,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("haven.db"))
        .await
        .unwrap();
    let tenant: Tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    let actor = Actor {
        tenant: tenant.id,
        user: None,
        now: datetime!(2026-11-25 10:00 UTC),
    };
    let programme = sample_programme(tenant.id, "Work");
    store
        .create_programme(
            &programme,
            &actor.event("programme_created", "programme", programme.id.to_string()),
        )
        .await
        .unwrap();
    Fixture {
        store,
        _dir: dir,
        actor,
        programme,
    }
}

fn event(f: &Fixture) -> haven_domain::accounts::AuditEvent {
    f.actor
        .event("test", "programme", f.programme.id.to_string())
}

#[tokio::test]
async fn reruns_keep_agreed_pairs_and_respect_forbids() {
    let f = fixture().await;
    let p = &f.programme;
    let mut mentors = vec![sample_mentor(p, "Amal"), sample_mentor(p, "Bilal")];
    mentors[0].profile.capacity = Some(1);
    mentors[1].profile.capacity = Some(1);
    let mentees = vec![sample_mentee(p, "Dina"), sample_mentee(p, "Eman")];
    f.store
        .add_mentors(f.actor.tenant, &mentors, &event(&f))
        .await
        .unwrap();
    f.store
        .add_mentees(f.actor.tenant, &mentees, &event(&f))
        .await
        .unwrap();

    let outcome = run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    assert_eq!(outcome.pairs.len(), 2);
    assert!(
        outcome
            .pairs
            .iter()
            .all(|pair| pair.score == 300 && pair.criteria.len() == 1)
    );
    let stored = f.store.matches(f.actor.tenant, p.id).await.unwrap();
    assert_eq!(stored.len(), 2);

    // Agree Dina's pair; forbid Eman's; re-run.
    let dina = stored
        .iter()
        .find(|m| m.mentee == mentees[0].id)
        .unwrap()
        .clone();
    let eman = stored
        .iter()
        .find(|m| m.mentee == mentees[1].id)
        .unwrap()
        .clone();
    pairs::advance(&f.store, &f.actor, dina.id, MatchStatus::Agreed, None)
        .await
        .unwrap();
    pairs::constrain(
        &f.store,
        &f.actor,
        p.id,
        eman.mentor,
        eman.mentee,
        ConstraintKind::Forbid,
    )
    .await
    .unwrap();
    let outcome = run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let after = f.store.matches(f.actor.tenant, p.id).await.unwrap();
    let kept = after.iter().find(|m| m.id == dina.id).unwrap();
    assert_eq!(kept.status, MatchStatus::Agreed);
    // Eman's only other mentor is Dina's (capacity 1): unmatched, with the reason.
    assert_eq!(after.len(), 1);
    assert_eq!(outcome.unmatched.len(), 1);
    assert!(matches!(
        &outcome.unmatched[0].reason,
        UnmatchedReason::CandidatesTaken { .. }
    ));
    let snapshot = run::Snapshot::load(&f.store, &f.actor, p.id).await.unwrap();
    let now = run::unmatched_now(&snapshot, &f.actor).unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].mentee.0, mentees[1].id.to_string());

    // Picking the forbidden pair by hand names the rule.
    let err = pairs::propose_by_hand(&f.store, &f.actor, p.id, eman.mentor, eman.mentee)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MentoringError::RuleFails(RuleKind::Forbidden)),
        "{err:?}"
    );
    // The full mentor cannot take another.
    let err = pairs::propose_by_hand(&f.store, &f.actor, p.id, dina.mentor, eman.mentee)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MentoringError::MentorFull { capacity: 1 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn withdrawn_people_leave_runs_and_pairs_but_keep_their_history() {
    let f = fixture().await;
    let p = &f.programme;
    let mut mentors = vec![sample_mentor(p, "Amal"), sample_mentor(p, "Bilal")];
    mentors[0].profile.capacity = Some(1);
    mentors[1].profile.capacity = Some(1);
    let mentees = vec![sample_mentee(p, "Dina"), sample_mentee(p, "Eman")];
    let t = f.actor.tenant;
    f.store.add_mentors(t, &mentors, &event(&f)).await.unwrap();
    f.store.add_mentees(t, &mentees, &event(&f)).await.unwrap();
    run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let agreed = f.store.matches(t, p.id).await.unwrap()[0].clone();
    pairs::advance(&f.store, &f.actor, agreed.id, MatchStatus::Agreed, None)
        .await
        .unwrap();

    // Someone of another programme is not found; the agreed mentor withdraws.
    let other = sample_programme(t, "Other");
    f.store.create_programme(&other, &event(&f)).await.unwrap();
    let wrong = people::withdraw(&f.store, &f.actor, other.id, agreed.mentor).await;
    assert!(matches!(
        wrong,
        Err(MentoringError::Store(StoreError::NotFound { .. }))
    ));
    let (side, ended) = people::withdraw(&f.store, &f.actor, p.id, agreed.mentor)
        .await
        .unwrap();
    assert_eq!((side.code(), ended), ("mentor", 1));

    // The next run leaves them out: both mentees go to the one mentor left, who takes one.
    let outcome = run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    assert_eq!(outcome.pairs.len(), 1);
    assert!(
        outcome
            .pairs
            .iter()
            .all(|pair| pair.mentor.0 != agreed.mentor.to_string())
    );
    assert_eq!(outcome.unmatched.len(), 1);
    let history = f.store.get_match(t, agreed.id).await.unwrap();
    assert_eq!(history.ending.unwrap().outcome, Outcome::Withdrawn);

    // They cannot be paired, locked or forbidden any more.
    let mentee = agreed.mentee;
    for refused in [
        pairs::propose_by_hand(&f.store, &f.actor, p.id, agreed.mentor, mentee)
            .await
            .map(|_| ()),
        pairs::constrain(
            &f.store,
            &f.actor,
            p.id,
            agreed.mentor,
            mentee,
            ConstraintKind::Lock,
        )
        .await,
        pairs::constrain(
            &f.store,
            &f.actor,
            p.id,
            agreed.mentor,
            mentee,
            ConstraintKind::Forbid,
        )
        .await,
    ] {
        assert!(
            matches!(refused, Err(MentoringError::Withdrawn)),
            "{refused:?}"
        );
    }
    let twice = people::withdraw(&f.store, &f.actor, p.id, agreed.mentor).await;
    assert!(matches!(
        twice,
        Err(MentoringError::Store(StoreError::Refused { .. }))
    ));
}

#[tokio::test]
async fn locked_pairs_survive_reruns() {
    let f = fixture().await;
    let p = &f.programme;
    let mentors = vec![sample_mentor(p, "Amal"), sample_mentor(p, "Bilal")];
    let mut dina = sample_mentee(p, "Dina");
    dina.profile.goals.insert(Goal::English);
    f.store
        .add_mentors(f.actor.tenant, &mentors, &event(&f))
        .await
        .unwrap();
    f.store
        .add_mentees(f.actor.tenant, std::slice::from_ref(&dina), &event(&f))
        .await
        .unwrap();
    run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let first = f.store.matches(f.actor.tenant, p.id).await.unwrap()[0].clone();
    let other = mentors.iter().find(|m| m.id != first.mentor).unwrap().id;
    // The coordinator prefers the other mentor: picked by hand, so locked.
    let picked = pairs::propose_by_hand(&f.store, &f.actor, p.id, other, dina.id)
        .await
        .unwrap();
    for _ in 0..2 {
        let outcome = run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
        assert!(outcome.pairs[0].locked);
        let now = f.store.matches(f.actor.tenant, p.id).await.unwrap();
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].mentor, picked.mentor);
    }
}

#[tokio::test]
async fn safeguarding_is_checked_when_matching_and_agreeing() {
    let f = fixture().await;
    let p = &f.programme;
    let mut unchecked = sample_mentor(p, "Amal");
    unchecked.profile.dbs = None;
    let mut young = sample_mentee(p, "Dina");
    young.profile.age_band = AgeBand::Under18;
    f.store
        .add_mentors(f.actor.tenant, std::slice::from_ref(&unchecked), &event(&f))
        .await
        .unwrap();
    f.store
        .add_mentees(f.actor.tenant, std::slice::from_ref(&young), &event(&f))
        .await
        .unwrap();
    let outcome = run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    assert!(outcome.pairs.is_empty());
    let UnmatchedReason::NoEligibleMentor { excluded_by } = &outcome.unmatched[0].reason else {
        panic!("{:?}", outcome.unmatched);
    };
    assert_eq!(excluded_by[0].rule, RuleKind::Safeguarding);
    let err = pairs::propose_by_hand(&f.store, &f.actor, p.id, unchecked.id, young.id)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        MentoringError::RuleFails(RuleKind::Safeguarding)
    ));

    // A current enhanced check makes the pair possible; once it lapses, agreeing is refused.
    let mut checked = unchecked.clone();
    checked.profile.dbs = Some(DbsCheck {
        level: DbsLevel::Enhanced,
        issued: date!(2026 - 01 - 01),
        update_service: false,
        expires: Some(date!(2026 - 12 - 01)),
    });
    f.store.save_mentor(&checked, &event(&f)).await.unwrap();
    run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let m = f.store.matches(f.actor.tenant, p.id).await.unwrap()[0].clone();
    let later = Actor {
        now: datetime!(2026-12-02 10:00 UTC),
        ..f.actor
    };
    let err = pairs::advance(&f.store, &later, m.id, MatchStatus::Agreed, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MentoringError::RuleFails(RuleKind::Safeguarding)),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_lifecycle_is_enforced() {
    let f = fixture().await;
    let p = &f.programme;
    let mentor = sample_mentor(p, "Amal");
    let mentee = sample_mentee(p, "Dina");
    f.store
        .add_mentors(f.actor.tenant, std::slice::from_ref(&mentor), &event(&f))
        .await
        .unwrap();
    f.store
        .add_mentees(f.actor.tenant, std::slice::from_ref(&mentee), &event(&f))
        .await
        .unwrap();
    run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let m = f.store.matches(f.actor.tenant, p.id).await.unwrap()[0].clone();
    let err = pairs::advance(&f.store, &f.actor, m.id, MatchStatus::Active, None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a match cannot move from proposed to active"
    );
    for to in [
        MatchStatus::Agreed,
        MatchStatus::Introduced,
        MatchStatus::Active,
    ] {
        pairs::advance(&f.store, &f.actor, m.id, to, None)
            .await
            .unwrap();
    }
    let ending = Ending {
        outcome: Outcome::PartlyMet,
        mentor_feedback: Some(Text::parse("Good progress.", 4000).unwrap()),
        mentee_feedback: Some(Text::parse("Helpful.", 4000).unwrap()),
    };
    let ended = pairs::advance(&f.store, &f.actor, m.id, MatchStatus::Ended, Some(&ending))
        .await
        .unwrap();
    assert_eq!(ended.history.len(), 5);
    // Another organisation's actor cannot even see it.
    let stranger = Actor {
        tenant: haven_domain::TenantId::new_random(),
        ..f.actor
    };
    let err = pairs::advance(&f.store, &stranger, m.id, MatchStatus::Ended, Some(&ending))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        MentoringError::Store(StoreError::NotFound { .. })
    ));
    let err = run::run_matching(&f.store, &stranger, p.id)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        MentoringError::Store(StoreError::NotFound { .. })
    ));
}

#[tokio::test]
async fn dbs_reminders_are_due_once_per_threshold() {
    let f = fixture().await;
    let p = &f.programme;
    let mut mentor = sample_mentor(p, "Amal");
    mentor.profile.dbs = Some(DbsCheck {
        level: DbsLevel::Enhanced,
        issued: date!(2026 - 01 - 01),
        update_service: false,
        expires: Some(date!(2026 - 12 - 20)),
    });
    // Bilal's certificate reaches the programme's age limit on 2026-12-09, inside every window
    // below, but the Update Service keeps it current; Carla's lapses too, but she has left.
    let lapsing = DbsCheck {
        level: DbsLevel::Enhanced,
        issued: date!(2023 - 12 - 10),
        update_service: false,
        expires: None,
    };
    let mut updated = sample_mentor(p, "Bilal");
    updated.profile.dbs = Some(DbsCheck {
        update_service: true,
        ..lapsing.clone()
    });
    let mut left = sample_mentor(p, "Carla");
    left.profile.dbs = Some(lapsing);
    f.store
        .add_mentors(
            f.actor.tenant,
            &[mentor.clone(), updated, left.clone()],
            &event(&f),
        )
        .await
        .unwrap();
    let th = reminders::DEFAULT_THRESHOLDS;
    // Carla, still taking part, would be due: the check of the check.
    let carla_due = reminders::pending(&f.store, date!(2026 - 11 - 25), &th)
        .await
        .unwrap();
    assert!(
        carla_due.iter().any(|d| d.mentor == left.id),
        "{carla_due:?}"
    );
    people::withdraw(&f.store, &f.actor, p.id, left.id)
        .await
        .unwrap();
    // 40 days before: nothing; 25 days before: the 30-day reminder, once.
    assert!(
        reminders::pending(&f.store, date!(2026 - 11 - 10), &th)
            .await
            .unwrap()
            .is_empty()
    );
    let due = reminders::pending(&f.store, date!(2026 - 11 - 25), &th)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].mentor, due[0].threshold_days), (mentor.id, 30));
    assert!(
        f.store
            .record_dbs_reminder(
                due[0].tenant,
                due[0].mentor,
                30,
                due[0].last_day,
                f.actor.now
            )
            .await
            .unwrap()
    );
    assert!(
        reminders::pending(&f.store, date!(2026 - 11 - 26), &th)
            .await
            .unwrap()
            .is_empty()
    );
    // 5 days before: the 7-day one; after it lapses: nothing.
    let due = reminders::pending(&f.store, date!(2026 - 12 - 15), &th)
        .await
        .unwrap();
    assert_eq!(due[0].threshold_days, 7);
    assert!(
        reminders::pending(&f.store, date!(2026 - 12 - 21), &th)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn agreeing_respects_a_capacity_lowered_after_the_run() {
    let f = fixture().await;
    let p = &f.programme;
    let mut amal = sample_mentor(p, "Amal");
    amal.profile.capacity = Some(2);
    let mentees = vec![sample_mentee(p, "Dina"), sample_mentee(p, "Eman")];
    f.store
        .add_mentors(f.actor.tenant, std::slice::from_ref(&amal), &event(&f))
        .await
        .unwrap();
    f.store
        .add_mentees(f.actor.tenant, &mentees, &event(&f))
        .await
        .unwrap();
    run::run_matching(&f.store, &f.actor, p.id).await.unwrap();
    let proposed = f.store.matches(f.actor.tenant, p.id).await.unwrap();
    assert_eq!(proposed.len(), 2, "Amal takes both while she takes two");

    // Amal can now take only one: the first agreement stands, the second is refused.
    let mut amal = f.store.mentor(f.actor.tenant, amal.id).await.unwrap();
    amal.profile.capacity = Some(1);
    f.store.save_mentor(&amal, &event(&f)).await.unwrap();
    pairs::advance(
        &f.store,
        &f.actor,
        proposed[0].id,
        MatchStatus::Agreed,
        None,
    )
    .await
    .unwrap();
    let err = pairs::advance(
        &f.store,
        &f.actor,
        proposed[1].id,
        MatchStatus::Agreed,
        None,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, MentoringError::MentorFull { capacity: 1 }),
        "{err:?}"
    );
    let second = f
        .store
        .get_match(f.actor.tenant, proposed[1].id)
        .await
        .unwrap();
    assert_eq!(second.status, MatchStatus::Proposed, "nothing changed");
}
