//! DBS expiry reminders: which mentors' checks lapse within a threshold, once per check and
//! threshold. Sending the e-mail is the caller's job; recording it is the store's.

use haven_domain::mentoring::{MentorProfile, Programme, dbs_last_valid_day};
use haven_domain::{ParticipantId, TenantId};
use haven_store::{MentoringStore, MentoringStoreExt, StoreError};
use time::Date;

/// Days before a check lapses when coordinators are reminded, largest first.
pub const DEFAULT_THRESHOLDS: [u32; 2] = [30, 7];

/// One reminder to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub tenant: TenantId,
    /// The programme's name, on one line.
    pub programme: String,
    pub mentor: ParticipantId,
    /// The mentor's name on one line, for the coordinators' e-mail only (never logged).
    pub mentor_name: String,
    pub last_day: Date,
    /// The threshold this reminder is for: the smallest one the days left fall within.
    pub threshold_days: u32,
}

/// Mentors taking part in `programme` whose check lapses within a threshold of `today` (and has
/// not lapsed already), each with the smallest threshold it falls within.
pub fn due(
    programme: &Programme,
    mentors: &[MentorProfile],
    today: Date,
    thresholds: &[u32],
) -> Vec<Due> {
    let mut out = Vec::new();
    // Someone who has left the programme needs no reminder about their check.
    for m in mentors.iter().filter(|m| m.is_active()) {
        let Some(check) = &m.profile.dbs else {
            continue;
        };
        let Some(last_day) = dbs_last_valid_day(check, &programme.settings.safeguarding) else {
            continue;
        };
        let left = (last_day - today).whole_days();
        if left < 0 {
            continue;
        }
        let threshold = thresholds
            .iter()
            .copied()
            .filter(|&t| left <= i64::from(t))
            .min();
        if let Some(threshold_days) = threshold {
            out.push(Due {
                tenant: programme.tenant,
                programme: programme.name.one_line(),
                mentor: m.id,
                // Names are one line now, but a row stored earlier may hold a line break.
                mentor_name: m.name.one_line(),
                last_day,
                threshold_days,
            });
        }
    }
    out
}

/// Every organisation's reminders due on `today` that have not been sent yet.
pub async fn pending<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    today: Date,
    thresholds: &[u32],
) -> Result<Vec<Due>, StoreError> {
    let mut out = Vec::new();
    for programme in store.all_programmes().await? {
        let mentors = store.mentors(programme.tenant, programme.id).await?;
        for d in due(&programme, &mentors, today, thresholds) {
            if !store
                .dbs_reminder_sent(d.tenant, d.mentor, d.threshold_days, d.last_day)
                .await?
            {
                out.push(d);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use haven_match::profile::{DbsCheck, DbsLevel};
    use haven_store::conformance::{sample_mentor, sample_programme};
    use time::macros::date;

    #[test]
    fn a_name_stored_with_a_line_break_reaches_the_email_on_one_line() {
        let programme = sample_programme(TenantId::new_random(), "Work\nplacements");
        // Stored before names had to be one line.
        let mut mentor = sample_mentor(&programme, "Amal Haddad\r\nDear coordinator");
        mentor.profile.dbs = Some(DbsCheck {
            level: DbsLevel::Enhanced,
            issued: date!(2026 - 01 - 01),
            update_service: false,
            expires: Some(date!(2026 - 12 - 20)),
        });
        let due = due(
            &programme,
            &[mentor],
            date!(2026 - 11 - 25),
            &DEFAULT_THRESHOLDS,
        );
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].mentor_name, "Amal Haddad Dear coordinator");
        assert_eq!(due[0].programme, "Work placements");
    }
}
