//! `haven-bench search`: generates a synthetic national directory with
//! `haven_search::synthetic` (fixed seed), builds Haven's in-memory index, runs the fixed
//! 1,000-query mix on one thread, and in the same run loads the same services into SQLite
//! (FTS5 + R*Tree, see `sqlite.rs`), runs the same queries translated into SQL, and checks
//! that the two engines agree where their semantics match. With `HAVEN_BENCH_POSTGRES_URL`
//! set it does the same against PostgreSQL (tsvector + GIN, GiST over points, see
//! `postgres.rs`), in a schema of its own that it drops afterwards. Last, it measures the
//! start-up of the real `haven serve` binary on a generated database (see `startup.rs`).

mod postgres;
mod sql_terms;
mod sqlite;
mod startup;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use haven_bench::system::load_average;
use haven_search::analysis::Analyzer;
use haven_search::synthetic::{Geography, documents, queries};
use haven_search::{IndexDoc, Query, SearchIndex};

/// Options of `haven-bench search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Services per directory, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    sizes: Vec<usize>,
    /// Seed of the corpus and of the query mix.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Haven alone: skip the SQLite reference.
    #[arg(long)]
    no_sqlite: bool,
    /// Where the SQLite databases are written, and the start-up databases (`startup-N.db`,
    /// kept and reused) with the servers' logs (default: the system temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Measure the start-up of `haven serve` (launch to the first 200 from /readyz, one cold
    /// start then warm ones) at these sizes, comma-separated, or `none`. Default: the largest
    /// of --sizes. Each size needs a database made by `haven generate` in --dir, kept for the
    /// next run (about 11 minutes and 4 GB at 1,000,000 services).
    #[arg(long, value_name = "SIZES|none", value_parser = startup::parse_sizes)]
    startup: Option<startup::Sizes>,
    /// Measure start-up on this existing SQLite database (PATH or sqlite://PATH) instead of
    /// generating one. The server writes to it as in production, and the cold start deletes
    /// the snapshot beside it (`PATH.directory`).
    #[arg(long, value_name = "PATH", value_parser = startup::parse_database, conflicts_with = "startup")]
    startup_database: Option<PathBuf>,
    /// Warm starts (reading the snapshot) after the cold one.
    #[arg(long, value_name = "N", default_value_t = 3)]
    startup_warm: usize,
    /// The `haven` binary to measure (default: beside haven-bench, in the same target
    /// directory; build it with `cargo build --release -p haven`).
    #[arg(long, value_name = "PATH", value_parser = startup::parse_haven)]
    haven: Option<PathBuf>,
}

impl SearchArgs {
    /// Where files are written.
    fn dir(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(std::env::temp_dir)
    }
}

/// Latency summary of one engine over the mix.
struct Timing {
    p50: Duration,
    p99: Duration,
    max: Duration,
    qps: f64,
}

impl Timing {
    fn of(mut times: Vec<Duration>, wall: Duration) -> Self {
        times.sort_unstable();
        let at = |p: f64| {
            times
                .get(((times.len().saturating_sub(1)) as f64 * p) as usize)
                .copied()
                .unwrap_or_default()
        };
        Self {
            p50: at(0.5),
            p99: at(0.99),
            max: times.last().copied().unwrap_or_default(),
            qps: times.len() as f64 / wall.as_secs_f64().max(1e-9),
        }
    }

    fn line(&self, engine: &str) -> String {
        format!(
            "  {engine:<8} p50 {:>9.1} us  p99 {:>9.1} us  max {:>9.1} us  {:>8.0} qps",
            us(self.p50),
            us(self.p99),
            us(self.max),
            self.qps
        )
    }
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

pub fn run(args: &SearchArgs) -> anyhow::Result<()> {
    println!(
        "haven-bench search: seed {}, sizes {:?}, load average {}",
        args.seed,
        args.sizes,
        load_average()
    );
    let geo = Geography::uk().context("reading the embedded gazetteer")?;
    let mix = queries(&geo, args.seed);
    if std::env::var_os("HAVEN_BENCH_POSTGRES_URL").is_none() {
        println!("note: HAVEN_BENCH_POSTGRES_URL is not set; skipping PostgreSQL");
    }
    let startup = startup::intent(args);
    match &startup {
        startup::Intent::Skip(why) => {
            println!("note: start-up of `haven serve` will not be measured, because {why}")
        }
        startup::Intent::Measure(haven, databases) => println!(
            "note: start-up of `haven serve` ({}) is measured last: {}",
            haven.display(),
            databases
                .iter()
                .map(startup::describe)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    for &n in &args.sizes {
        bench_size(args, &geo, &mix, n)?;
    }
    startup::run(args, &startup, &args.dir())
}

fn bench_size(args: &SearchArgs, geo: &Geography, mix: &[Query], n: usize) -> anyhow::Result<()> {
    println!("\n## {n} services (load average {})", load_average());
    let docs = documents(geo, args.seed, n);
    let t = Instant::now();
    let index = SearchIndex::build(docs.clone()).context("building Haven's index")?;
    let build = t.elapsed();
    let heap = index.heap_bytes();
    println!(
        "  haven    build {:.2} s, index heap {:.1} MB = {} bytes/service",
        build.as_secs_f64(),
        heap as f64 / 1e6,
        heap / n.max(1)
    );
    // One warm-up pass, then one timed pass (each query timed once).
    for q in mix {
        std::hint::black_box(index.search(q).ok());
    }
    let mut times = Vec::with_capacity(mix.len());
    let mut haven_totals = Vec::with_capacity(mix.len());
    let wall = Instant::now();
    for q in mix {
        let t = Instant::now();
        let r = index.search(std::hint::black_box(q));
        times.push(t.elapsed());
        haven_totals.push(r.map(|r| r.total).unwrap_or(u64::MAX));
    }
    let haven = Timing::of(times, wall.elapsed());
    println!("{}", haven.line("haven"));
    let reference = References {
        mix,
        haven: &haven,
        haven_totals: &haven_totals,
        index: &index,
        comparable: Comparable::new(&docs),
        ids: docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i as i64))
            .collect(),
    };
    if !args.no_sqlite {
        let dir = args.dir();
        let path = dir.join(format!(
            "haven-bench-search-{n}-{}.sqlite",
            std::process::id()
        ));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let t = Instant::now();
        let mut db = sqlite::Db::load(&path, &docs)?;
        let load = t.elapsed();
        let file = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "  sqlite   load + index {:.1} s, file {:.1} MB = {} bytes/service",
            load.as_secs_f64(),
            file as f64 / 1e6,
            file / n.max(1) as u64
        );
        reference.run("sqlite", &mut db)?;
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    if let Ok(url) = std::env::var("HAVEN_BENCH_POSTGRES_URL") {
        let t = Instant::now();
        let mut db = postgres::Db::load(&url, &docs)?;
        let load = t.elapsed();
        let size = db.size_bytes()?;
        println!(
            "  postgres load + index {:.1} s, tables and indexes {:.1} MB = {} bytes/service \
             (shared_buffers {})",
            load.as_secs_f64(),
            size as f64 / 1e6,
            size / n.max(1) as i64,
            db.shared_buffers
        );
        let outcome = reference.run("postgres", &mut db);
        db.drop_schema()?;
        outcome?;
    }
    Ok(())
}

/// A reference engine: the same query, translated.
trait Reference {
    /// Runs `q` in full (counts and page) and returns the total.
    fn total(&mut self, q: &Query) -> anyhow::Result<u64>;
    /// Every id matching `q`, called right after [`Reference::total`] for the same query.
    fn ids(&mut self, q: &Query) -> anyhow::Result<BTreeSet<i64>>;
}

impl Reference for sqlite::Db {
    fn total(&mut self, q: &Query) -> anyhow::Result<u64> {
        let r = self.search(q)?;
        std::hint::black_box(&r.page);
        Ok(r.total)
    }

    fn ids(&mut self, _: &Query) -> anyhow::Result<BTreeSet<i64>> {
        Ok(self.last_ids()?.into_iter().collect())
    }
}

impl Reference for postgres::Db {
    fn total(&mut self, q: &Query) -> anyhow::Result<u64> {
        let r = self.search(q)?;
        std::hint::black_box(&r.page);
        Ok(r.total)
    }

    fn ids(&mut self, q: &Query) -> anyhow::Result<BTreeSet<i64>> {
        Ok(postgres::Db::ids(self, q)?
            .into_iter()
            .map(i64::from)
            .collect())
    }
}

/// What every reference is measured and checked against.
struct References<'a> {
    mix: &'a [Query],
    haven: &'a Timing,
    haven_totals: &'a [u64],
    index: &'a SearchIndex,
    comparable: Comparable,
    ids: HashMap<uuid::Uuid, i64>,
}

impl References<'_> {
    /// Warms `db` up with the first 100 queries, times the whole mix once per query, prints
    /// latencies beside Haven's and the agreement on comparable queries.
    fn run(&self, engine: &str, db: &mut dyn Reference) -> anyhow::Result<()> {
        for q in self.mix.iter().take(100) {
            db.total(q)?;
        }
        let mut times = Vec::with_capacity(self.mix.len());
        let mut agree = Agreement::default();
        let mut timed = Duration::ZERO;
        for (q, &haven_total) in self.mix.iter().zip(self.haven_totals) {
            let t = Instant::now();
            let total = db.total(q)?;
            let elapsed = t.elapsed();
            timed += elapsed;
            times.push(elapsed);
            if self.comparable.check(q) {
                agree.compared += 1;
                if total == haven_total {
                    agree.same_total += 1;
                }
                if total <= 1000 && haven_total <= 1000 {
                    agree.set_checked += 1;
                    let theirs = db.ids(q)?;
                    let ours = haven_ids(self.index, q, &self.ids)?;
                    if theirs == ours {
                        agree.same_set += 1;
                    }
                }
            } else {
                agree.skipped += 1;
                if total == haven_total {
                    agree.skipped_same_total += 1;
                }
            }
        }
        let sql = Timing::of(times, timed);
        println!("{}", sql.line(engine));
        println!(
            "  ratio    {engine}/haven: p50 {:.1}x  p99 {:.1}x",
            us(sql.p50) / us(self.haven.p50).max(1e-9),
            us(sql.p99) / us(self.haven.p99).max(1e-9)
        );
        println!(
            "  agree    {engine}: comparable queries (no typo, no synonym): {} of {}; same \
             total {:.1}%; same id set {:.1}% of {} with at most 1,000 results; other queries \
             same total {:.1}% of {}",
            agree.compared,
            self.mix.len(),
            pct(agree.same_total, agree.compared),
            pct(agree.same_set, agree.set_checked),
            agree.set_checked,
            pct(agree.skipped_same_total, agree.skipped),
            agree.skipped
        );
        Ok(())
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

#[derive(Debug, Default)]
struct Agreement {
    compared: usize,
    same_total: usize,
    set_checked: usize,
    same_set: usize,
    skipped: usize,
    skipped_same_total: usize,
}

/// Every id Haven matches for `q` (at most 1,000), by paging.
fn haven_ids(
    index: &SearchIndex,
    q: &Query,
    ids: &HashMap<uuid::Uuid, i64>,
) -> anyhow::Result<BTreeSet<i64>> {
    let mut out = BTreeSet::new();
    for page in 1..=10 {
        let r = index.search(&Query {
            page,
            per_page: 100,
            ..q.clone()
        })?;
        let empty = r.hits.is_empty();
        out.extend(r.hits.iter().filter_map(|h| ids.get(&h.id).copied()));
        if empty {
            break;
        }
    }
    Ok(out)
}

/// Which queries both engines should answer identically: every text term is a word some
/// listing contains (so Haven's typo tolerance does not engage) and has no synonym (SQLite
/// knows none). Stemming still differs (Snowball English vs FTS5's Porter), so even these
/// can disagree.
struct Comparable {
    analyzer: Analyzer,
    vocabulary: BTreeSet<String>,
}

impl Comparable {
    fn new(docs: &[IndexDoc]) -> Self {
        let analyzer = Analyzer::new();
        let mut vocabulary = BTreeSet::new();
        // The synthetic vocabulary is complete well before 20,000 services.
        for d in docs.iter().take(20_000) {
            for text in [&d.name, &d.organisation_name, &d.description]
                .into_iter()
                .chain(d.need_labels.iter())
            {
                vocabulary.extend(analyzer.terms(text));
            }
        }
        Self {
            analyzer,
            vocabulary,
        }
    }

    fn check(&self, q: &Query) -> bool {
        self.analyzer
            .terms(&q.text)
            .iter()
            .all(|t| self.vocabulary.contains(t) && self.analyzer.synonyms(t).is_empty())
    }
}
