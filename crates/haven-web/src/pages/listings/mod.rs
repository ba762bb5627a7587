//! `/organisations/{tenant}/listing`: an organisation's admins look after its own listing in the
//! public directory: create it, add, edit and remove its services. Every save writes HSDS
//! records in one transaction with its audit event (ids only), marks the service checked today
//! by the editor, and refreshes the directory so the public pages show it at once.

mod form;
mod pages;
mod records;

pub(crate) use records::owned_records;

use haven_domain::accounts::Role;

use crate::access::Access::Member;
use crate::access::Routes;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Routes {
    let admin = Member(Role::OrganisationAdmin);
    Routes::new(state)
        .get("/organisations/{tenant}/listing", admin, pages::show)
        .post(
            "/organisations/{tenant}/listing",
            admin,
            pages::create_listing,
        )
        .get(
            "/organisations/{tenant}/listing/services/new",
            admin,
            pages::new_service,
        )
        .post(
            "/organisations/{tenant}/listing/services",
            admin,
            pages::create_service,
        )
        .get(
            "/organisations/{tenant}/listing/services/{service}",
            admin,
            pages::edit_service,
        )
        .post(
            "/organisations/{tenant}/listing/services/{service}",
            admin,
            pages::update_service,
        )
        .post(
            "/organisations/{tenant}/listing/services/{service}/remove",
            admin,
            pages::remove_service,
        )
}
