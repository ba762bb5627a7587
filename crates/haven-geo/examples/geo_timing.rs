//! Measures load and lookup times. Run in release:
//! `cargo run --release -p haven-geo --example geo_timing`
//! With arguments, resolves each instead: `… --example geo_timing -- Keighly "CV1 2GT"`.

use std::time::{Duration, Instant};

use haven_geo::{Gazetteer, LatLon};

fn per_call(label: &str, queries: &[&str], mut f: impl FnMut(&str)) {
    const ROUNDS: u32 = 200;
    let start = Instant::now();
    for _ in 0..ROUNDS {
        for q in queries {
            f(q);
        }
    }
    let calls = ROUNDS * u32::try_from(queries.len()).unwrap_or(1);
    let each = start.elapsed() / calls;
    println!("{label:<34} {:>9.1} µs/call", each.as_secs_f64() * 1e6);
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut loads = Vec::new();
    let mut gazetteer = None;
    for _ in 0..5 {
        let start = Instant::now();
        gazetteer = Some(Gazetteer::embedded()?);
        loads.push(start.elapsed());
    }
    loads.sort();
    let g = gazetteer.ok_or("no gazetteer")?;
    let queries: Vec<String> = std::env::args().skip(1).collect();
    if !queries.is_empty() {
        for q in &queries {
            match g.resolve(q) {
                Ok(p) => {
                    let alternatives: Vec<String> =
                        p.alternatives.iter().map(|a| a.qualified_label()).collect();
                    println!(
                        "{q:?} → {} [{:?} via {:?}] {} r={:.1} km; alternatives {alternatives:?}",
                        p.qualified_label(),
                        p.kind,
                        p.resolved_to,
                        p.point,
                        p.radius_km
                    );
                }
                Err(e) => println!("{q:?} → {e}; suggestions {:?}", e.suggestions),
            }
        }
        return Ok(());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "load: min {:.1} ms, median {:.1} ms, max {:.1} ms ({g:?})",
        ms(loads[0]),
        ms(loads[2]),
        ms(loads[4])
    );

    per_call(
        "resolve postcode",
        &["CV1 2GT", "cv12gt", "SW1A 1AA"],
        |q| {
            let _ = g.resolve(q);
        },
    );
    per_call("resolve outcode", &["LS1", "BD21", "BT1"], |q| {
        let _ = g.resolve(q);
    });
    per_call(
        "resolve exact name",
        &["Keighley", "Newcastle upon Tyne", "Southwark"],
        |q| {
            let _ = g.resolve(q);
        },
    );
    per_call(
        "resolve typo (fuzzy)",
        &["Keighly", "Peterbrough", "Birmingam"],
        |q| {
            let _ = g.resolve(q);
        },
    );
    per_call(
        "resolve unknown (suggestions)",
        &["Xyzzyborough", "Qqqq"],
        |q| {
            let _ = g.resolve(q);
        },
    );
    let long = "x".repeat(500);
    per_call("resolve 500-char junk", &[long.as_str()], |q| {
        let _ = g.resolve(q);
    });
    per_call("suggest prefix", &["Keig", "s", "new", "ls1"], |q| {
        let _ = g.suggest(q);
    });
    let here = LatLon::new(53.868, -1.907)?;
    per_call("nearest_outcode", &[""], |_| {
        let _ = g.nearest_outcode(here);
    });
    Ok(())
}
