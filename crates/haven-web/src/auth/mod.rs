//! Who is asking: the session cookie, the signed-in person, CSRF tokens, and the checks every
//! state-changing request passes.

pub(crate) mod devices;
pub(crate) mod next;
pub(crate) mod origin;
pub(crate) mod reauth;
pub mod secrets;
pub(crate) mod session;
pub(crate) mod throttle;

pub(crate) use session::{Signed, SignedIn};
