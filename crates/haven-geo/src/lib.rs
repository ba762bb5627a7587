//! Offline UK geocoding for Haven's public directory.
//!
//! A person types a postcode (`CV1 2GT`), an outward code (`LS1`), a town (`Keighley`,
//! even `Keighly`), a Welsh name (`Abertawe`) or a council area (`Southwark`); the
//! [`Gazetteer`] turns it into a [`Place`] with a point and a search radius, or into a
//! [`PlaceNotFound`] with suggestions. Everything runs on data compiled into the binary
//! (`data/`), so a self-hosted Haven needs no geocoding service, sends nobody's location
//! anywhere, and works with no network.
//!
//! The data licences require attribution: show [`ATTRIBUTIONS`] on the About page.
//! The Northern Ireland postcode data is licensed for non-commercial use only (see
//! [`attribution::LPS_NORTHERN_IRELAND`]).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let gazetteer = haven_geo::Gazetteer::embedded()?; // once, at start-up
//! let place = gazetteer.resolve("Keighly")?;
//! assert_eq!(place.label, "Keighley");
//! # Ok(()) }
//! ```

pub mod attribution;
mod data;
mod error;
mod gazetteer;
mod latlon;
mod names;
mod normalise;
mod place;
mod postcode;
mod resolve;

pub use attribution::{ATTRIBUTIONS, Attribution};
pub use data::Region;
pub use error::{GeoError, NotFoundReason, PlaceNotFound};
pub use gazetteer::Gazetteer;
pub use latlon::{BoundingBox, LatLon, LatLonError};
pub use place::{Country, Place, PlaceKind};
pub use postcode::{Outcode, Postcode, PostcodeError, Sector};
