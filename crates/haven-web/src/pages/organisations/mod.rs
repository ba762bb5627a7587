//! Organisations using Haven: signing up, approval by a site admin, the overview a member acts
//! from, members and invitations, and the organisation's audit trail.

mod admin;
mod audit;
mod invitations;
pub(crate) use invitations::expired;
mod members;
mod overview;
mod sign_up;
mod tokens;

use haven_domain::accounts::{AuditEvent, AuditScope, Role};
use haven_domain::{TenantId, UserId};
use time::OffsetDateTime;

use crate::access::Access::{Member, Public, SiteAdmin};
use crate::access::Routes;
use crate::state::AppState;

/// How long set-up links from approvals and invitations work.
pub(crate) const LINK_LIFETIME: time::Duration = time::Duration::days(7);

pub(crate) fn routes(state: &AppState) -> Routes {
    use Role::{OrganisationAdmin, Viewer};
    Routes::new(state)
        .get("/organisations/sign-up", Public, sign_up::form)
        .post("/organisations/sign-up", Public, sign_up::submit)
        .get("/admin/organisations", SiteAdmin, admin::list)
        .post(
            "/admin/organisations/{tenant}/approve",
            SiteAdmin,
            admin::approve,
        )
        .post(
            "/admin/organisations/{tenant}/reject",
            SiteAdmin,
            admin::reject,
        )
        .get("/organisations/{tenant}", Member(Viewer), overview::show)
        .post("/organisations/{tenant}/act", Member(Viewer), overview::act)
        .get(
            "/organisations/{tenant}/members",
            Member(OrganisationAdmin),
            members::list,
        )
        .post(
            "/organisations/{tenant}/members",
            Member(OrganisationAdmin),
            members::invite,
        )
        .post(
            "/organisations/{tenant}/members/{user}/role",
            Member(OrganisationAdmin),
            members::change_role,
        )
        .post(
            "/organisations/{tenant}/members/{user}/remove",
            Member(OrganisationAdmin),
            members::remove,
        )
        .get(
            "/organisations/{tenant}/audit",
            Member(OrganisationAdmin),
            audit::show,
        )
        .get(
            "/organisations/{tenant}/tokens",
            Member(OrganisationAdmin),
            tokens::list,
        )
        .post(
            "/organisations/{tenant}/tokens",
            Member(OrganisationAdmin),
            tokens::create,
        )
        .post(
            "/organisations/{tenant}/tokens/{token}/revoke",
            Member(OrganisationAdmin),
            tokens::revoke,
        )
        .get("/invitations/{token}", Public, invitations::show)
        .post("/invitations/{token}", Public, invitations::submit)
}

/// An event in one organisation's audit chain, about a user. Ids only.
pub(crate) fn tenant_event(
    tenant: TenantId,
    action: &'static str,
    actor: Option<UserId>,
    subject: Option<UserId>,
    at: OffsetDateTime,
) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Tenant(tenant),
        at,
        actor,
        action,
        subject: subject.map(|id| ("user", id.to_string())),
    }
}

/// A site-wide event about an organisation.
pub(crate) fn site_tenant_event(
    tenant: TenantId,
    action: &'static str,
    actor: Option<UserId>,
    at: OffsetDateTime,
) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Site,
        at,
        actor,
        action,
        subject: Some(("tenant", tenant.to_string())),
    }
}

/// The localised name of a role.
pub(crate) fn role_name(tr: &crate::locale::Tr, role: Role) -> String {
    tr.get(&format!("role-{}", role.code()))
}
