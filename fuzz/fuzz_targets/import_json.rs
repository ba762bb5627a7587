//! Any bytes as an HSDS JSON document: import must not panic, and whatever it accepts must
//! export and render without panicking.
#![no_main]

use haven_hsds::{export, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let imported = import::read_json_bytes(data, "fuzz.json");
    let _ = imported.report.to_string();
    let ds = &imported.dataset;
    let _ = export::tabular_json(ds);
    for service in &ds.service {
        let _ = export::service_full(ds, service.id);
    }
    for organization in &ds.organization {
        let _ = export::organization_full(ds, organization.id);
    }
    let _ = haven_hsds::redact::public_dataset(ds);
});
