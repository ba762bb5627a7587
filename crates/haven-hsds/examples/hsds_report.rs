//! Prints the import report for a package: `cargo run --example hsds_report -- PATH`.
fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: hsds_report PATH");
        std::process::exit(2);
    };
    let imported = haven_hsds::import::read_package(std::path::Path::new(&path));
    println!("{}", imported.report);
    println!("{} records", imported.dataset.record_count());
}
