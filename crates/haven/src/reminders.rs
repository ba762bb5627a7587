//! DBS expiry reminders: coordinators (caseworkers and admins) of each organisation get one
//! e-mail listing their mentors whose checks stop being accepted within a threshold (30 and 7
//! days). Each reminder is sent once per check and threshold, and recorded after sending, so a
//! later run (the periodic task in `haven serve`, or `haven mentoring remind`) does not repeat
//! it. Logs carry counts only: names and addresses are personal data.

use std::collections::BTreeMap;
use std::sync::Arc;

use haven_domain::TenantId;
use haven_domain::accounts::Role;
use haven_i18n::{Catalog, FluentArgs, FluentValue, Language, default_language, language_by_tag};
use haven_mail::{Mailer, OutgoingMail};
use haven_mentoring::reminders::{DEFAULT_THRESHOLDS, Due, pending};
use haven_store::{Store, StoreError};
use time::OffsetDateTime;

/// How often `haven serve` looks for checks about to lapse.
pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);

fn message(catalog: &Catalog, language: Language, key: &str, args: &[(&str, &str)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, FluentValue::from(*value));
    }
    catalog.message(language, key, Some(&fluent))
}

/// The reminder for one organisation's coordinators, in `language`.
fn reminder(catalog: &Catalog, language: Language, dues: &[Due]) -> (String, String) {
    let mut body = message(catalog, language, "mentoring-reminder-body", &[]);
    body.push_str("\n\n");
    for d in dues {
        body.push_str(&message(
            catalog,
            language,
            "mentoring-reminder-line",
            &[
                ("name", &d.mentor_name),
                ("programme", &d.programme),
                ("day", &d.last_day.to_string()),
            ],
        ));
        body.push('\n');
    }
    // Fluent isolates placeables with invisible marks; plain-text mail does not need them.
    let body = body.replace(['\u{2068}', '\u{2069}'], "");
    let subject = message(catalog, language, "mentoring-reminder-subject", &[]);
    (subject, body)
}

/// Sends every reminder due at `now`; returns how many reminders were sent.
pub async fn send_due(
    store: &dyn Store,
    mailer: &dyn Mailer,
    catalog: &Catalog,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let due = pending(store, now.date(), &DEFAULT_THRESHOLDS).await?;
    let mut by_tenant: BTreeMap<TenantId, Vec<Due>> = BTreeMap::new();
    for d in due {
        by_tenant.entry(d.tenant).or_default().push(d);
    }
    let mut sent = 0;
    for (tenant, dues) in by_tenant {
        // Each coordinator reads the reminder in their own language.
        let mut recipients = Vec::new();
        for m in store.members_of(tenant).await? {
            if m.role >= Role::Caseworker {
                let user = store.user(m.user).await?;
                let language = user
                    .language
                    .as_deref()
                    .and_then(language_by_tag)
                    .unwrap_or_else(default_language);
                recipients.push((user.email, language));
            }
        }
        if recipients.is_empty() {
            // Nobody to tell yet: try again next time rather than record a reminder nobody read.
            continue;
        }
        // One message per language, built once for the organisation.
        let mut messages: Vec<(Language, (String, String))> = Vec::new();
        let mut delivered = false;
        for (to, language) in recipients {
            let (subject, body) = match messages.iter().find(|(l, _)| *l == language) {
                Some((_, message)) => message.clone(),
                None => {
                    let message = reminder(catalog, language, &dues);
                    messages.push((language, message.clone()));
                    message
                }
            };
            let mail = OutgoingMail {
                to: to.as_str().to_owned(),
                subject,
                body,
            };
            match mailer.send(&mail).await {
                Ok(()) => delivered = true,
                // The organisation and what went wrong; never the address or the error's text.
                Err(e) => tracing::warn!(
                    tenant = %tenant,
                    kind = e.kind(),
                    "a DBS reminder could not be sent"
                ),
            }
        }
        if !delivered {
            continue;
        }
        for d in &dues {
            if store
                .record_dbs_reminder(d.tenant, d.mentor, d.threshold_days, d.last_day, now)
                .await?
            {
                sent += 1;
            }
        }
    }
    if sent > 0 {
        tracing::info!(reminders = sent, "DBS expiry reminders sent");
    }
    Ok(sent)
}

/// Runs [`send_due`] now and then every [`INTERVAL`], until the process ends.
pub fn spawn_periodic(store: Arc<dyn Store>, mailer: Arc<dyn Mailer>, catalog: Arc<Catalog>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(INTERVAL);
        loop {
            every.tick().await;
            let now = OffsetDateTime::now_utc();
            if let Err(e) = send_due(store.as_ref(), mailer.as_ref(), &catalog, now).await {
                tracing::warn!(error = %e, "DBS reminders could not be checked");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use haven_domain::accounts::{AuditEvent, AuditScope, Membership};
    use haven_match::profile::{DbsCheck, DbsLevel};
    use haven_store::conformance::{sample_mentor, sample_programme, sample_tenant, sample_user};
    use haven_store::{AccountStore, MentoringStoreExt};
    use haven_store_sqlite::SqliteStore;
    use time::macros::{date, datetime};

    use super::*;

    #[tokio::test]
    async fn coordinators_are_reminded_once_per_threshold_through_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("haven.db"))
            .await
            .unwrap();
        let outbox = dir.path().join("outbox");
        let mailer = haven_mail::OutboxMailer::new(&outbox, "Haven <haven@example.org>").unwrap();
        let catalog = Catalog::load().unwrap();
        let at = datetime!(2026-11-25 09:00 UTC);
        let event = AuditEvent {
            scope: AuditScope::Site,
            at,
            actor: None,
            action: "test",
            subject: None,
        };
        let tenant = sample_tenant("Compas");
        store.create_tenant(&tenant, &event).await.unwrap();
        for (email, role, language) in [
            ("coordinator@example.org", Role::Caseworker, None),
            ("munassiq@example.org", Role::OrganisationAdmin, Some("ar")),
            ("viewer@example.org", Role::Viewer, None),
        ] {
            let mut user = sample_user(email);
            user.language = language.map(str::to_owned);
            store.create_user(&user, &event).await.unwrap();
            store
                .set_membership(
                    &Membership {
                        user: user.id,
                        tenant: tenant.id,
                        role,
                    },
                    &event,
                )
                .await
                .unwrap();
        }
        let programme = sample_programme(tenant.id, "Health professionals");
        store.create_programme(&programme, &event).await.unwrap();
        let mut mentor = sample_mentor(&programme, "Amal Haddad");
        mentor.profile.dbs = Some(DbsCheck {
            level: DbsLevel::Enhanced,
            issued: date!(2026 - 01 - 01),
            update_service: false,
            expires: Some(date!(2026 - 12 - 10)),
        });
        store
            .add_mentors(tenant.id, &[mentor], &event)
            .await
            .unwrap();

        assert_eq!(send_due(&store, &mailer, &catalog, at).await.unwrap(), 1);
        let mail = haven_mail::read_outbox(&outbox).unwrap();
        assert_eq!(mail.len(), 2, "the coordinators only, not the viewer");
        let to = |address: &str| {
            mail.iter()
                .find(|m| m.contains(&format!("To: {address}")))
                .map(|m| haven_mail::body_text(m))
                .unwrap()
        };
        let english = to("coordinator@example.org");
        assert!(english.contains("Amal Haddad (Health professionals): last valid day 2026-12-10"));
        let arabic = to("munassiq@example.org");
        assert!(arabic.contains("Amal Haddad") && arabic.contains("2026-12-10"));
        assert!(
            !arabic.contains("last valid day"),
            "the Arabic-reading coordinator gets Arabic: {arabic}"
        );
        // Not again the next day; again at the 7-day threshold.
        let next_day = at + time::Duration::days(1);
        assert_eq!(
            send_due(&store, &mailer, &catalog, next_day).await.unwrap(),
            0
        );
        let week_before = datetime!(2026-12-04 09:00 UTC);
        assert_eq!(
            send_due(&store, &mailer, &catalog, week_before)
                .await
                .unwrap(),
            1
        );
        assert_eq!(haven_mail::read_outbox(&outbox).unwrap().len(), 4);
    }
}
