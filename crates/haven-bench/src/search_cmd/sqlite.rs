//! The reference: the same directory in SQLite, as a typical application would index it
//! (FTS5 with the porter tokenizer and bm25 field weights, an R*Tree over location points,
//! junction tables with covering indexes for the facet columns), and each query translated
//! into SQL: text MATCH, R*Tree bounding box, exact haversine distance, facet filters, facet
//! counts by GROUP BY, top-k by ORDER BY … LIMIT.
//!
//! Tuning: WAL, `synchronous=NORMAL`, a 4 GB mmap, a 512 MB page cache, temporary tables in
//! memory, `ANALYZE` after loading, and every statement prepared once and cached. The
//! R*Tree drives the location join (`CROSS JOIN`: left alone, the planner scanned every
//! location and probed the R*Tree by id), and the matches drive the facet joins. Each query
//! first materialises its matches (text ∩ place) with one flag per filter into a temporary
//! table, so the text and geo work is done once and the six counting statements and the page
//! read only that table.

use std::path::Path;

use anyhow::Context;
use haven_geo::{BoundingBox, LatLon};
use haven_search::analysis::Analyzer;
use haven_search::{IndexDoc, Query, SortBy};

use super::sql_terms::{
    eligibility_with_anyone, everywhere, kept_words, minute_of_week, opening_periods, scope_code,
};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

const SCHEMA: &str = "
CREATE TABLE service (
    id INTEGER PRIMARY KEY,
    scope INTEGER NOT NULL,
    remote INTEGER NOT NULL,
    everywhere INTEGER NOT NULL
);
CREATE TABLE service_need (need INTEGER NOT NULL, service_id INTEGER NOT NULL,
    PRIMARY KEY (need, service_id)) WITHOUT ROWID;
CREATE TABLE service_language (language INTEGER NOT NULL, service_id INTEGER NOT NULL,
    PRIMARY KEY (language, service_id)) WITHOUT ROWID;
CREATE TABLE service_eligibility (eligibility INTEGER NOT NULL, service_id INTEGER NOT NULL,
    PRIMARY KEY (eligibility, service_id)) WITHOUT ROWID;
CREATE TABLE service_area (area INTEGER NOT NULL, service_id INTEGER NOT NULL,
    PRIMARY KEY (area, service_id)) WITHOUT ROWID;
CREATE TABLE opening (service_id INTEGER NOT NULL, start INTEGER NOT NULL, len INTEGER NOT NULL);
CREATE TABLE location (id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL);
CREATE VIRTUAL TABLE location_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE service_fts USING fts5(name, organisation, description, needs,
    tokenize = 'porter unicode61 remove_diacritics 2');
";

/// Built after loading, as a bulk import would.
const INDEXES: &str = "
CREATE INDEX service_need_by_service ON service_need (service_id, need);
CREATE INDEX service_language_by_service ON service_language (service_id, language);
CREATE INDEX service_eligibility_by_service ON service_eligibility (service_id, eligibility);
CREATE INDEX service_area_by_service ON service_area (service_id, area);
CREATE INDEX opening_by_service ON opening (service_id, start, len);
CREATE INDEX location_by_service ON location (service_id, lat, lon);
CREATE INDEX service_everywhere ON service (everywhere) WHERE everywhere = 1;
INSERT INTO service_fts (service_fts) VALUES ('optimize');
ANALYZE;
";

/// One query's answer, as far as the comparison needs it.
#[derive(Debug)]
pub struct SqlResult {
    pub total: u64,
    pub page: Vec<i64>,
}

#[derive(Debug)]
pub struct Db {
    conn: Connection,
    analyzer: Analyzer,
}

fn open_conn(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA mmap_size = 4294967296;
         PRAGMA cache_size = -524288;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.create_scalar_function(
        "haversine_km",
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let a = LatLon::new(ctx.get::<f64>(0)?, ctx.get::<f64>(1)?);
            let b = LatLon::new(ctx.get::<f64>(2)?, ctx.get::<f64>(3)?);
            match (a, b) {
                (Ok(a), Ok(b)) => Ok(a.haversine_km(b)),
                _ => Ok(f64::INFINITY),
            }
        },
    )?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

impl Db {
    /// Creates the database at `path` (which must not exist) and loads `docs`; service `i`
    /// gets id `i`.
    pub fn load(path: &Path, docs: &[IndexDoc]) -> anyhow::Result<Self> {
        let mut conn = open_conn(path)?;
        conn.execute_batch(SCHEMA)?;
        let tx = conn.transaction()?;
        {
            let mut service = tx.prepare("INSERT INTO service VALUES (?1, ?2, ?3, ?4)")?;
            let mut need = tx.prepare("INSERT OR IGNORE INTO service_need VALUES (?1, ?2)")?;
            let mut language =
                tx.prepare("INSERT OR IGNORE INTO service_language VALUES (?1, ?2)")?;
            let mut eligibility =
                tx.prepare("INSERT OR IGNORE INTO service_eligibility VALUES (?1, ?2)")?;
            let mut area = tx.prepare("INSERT OR IGNORE INTO service_area VALUES (?1, ?2)")?;
            let mut opening = tx.prepare("INSERT INTO opening VALUES (?1, ?2, ?3)")?;
            let mut location =
                tx.prepare("INSERT INTO location (service_id, lat, lon) VALUES (?1, ?2, ?3)")?;
            let mut rtree = tx.prepare("INSERT INTO location_rtree VALUES (?1, ?2, ?2, ?3, ?3)")?;
            let mut fts = tx.prepare(
                "INSERT INTO service_fts (rowid, name, organisation, description, needs)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, doc) in docs.iter().enumerate() {
                let id = i as i64;
                let everywhere = everywhere(doc);
                service.execute(params![id, scope_code(doc.scope), doc.remote, everywhere])?;
                for &v in &doc.needs {
                    need.execute(params![v, id])?;
                }
                for &v in &doc.languages {
                    language.execute(params![v, id])?;
                }
                for &v in &doc.eligibility {
                    eligibility.execute(params![v, id])?;
                }
                for &v in &doc.service_area {
                    area.execute(params![v, id])?;
                }
                for (start, len) in opening_periods(doc) {
                    opening.execute(params![id, start, len])?;
                }
                for point in &doc.locations {
                    location.execute(params![id, point.lat(), point.lon()])?;
                    rtree.execute(params![tx.last_insert_rowid(), point.lat(), point.lon()])?;
                }
                fts.execute(params![
                    id,
                    doc.name,
                    doc.organisation_name,
                    doc.description,
                    doc.need_labels.join(" ")
                ])?;
            }
        }
        tx.commit()?;
        conn.execute_batch(INDEXES)?;
        conn.execute_batch(
            "CREATE TEMP TABLE m (id INTEGER PRIMARY KEY, rank REAL, dist REAL,
                reach INTEGER, scope INTEGER,
                pn INTEGER, pl INTEGER, pe INTEGER, ps INTEGER, po INTEGER, pt INTEGER);",
        )?;
        Ok(Self {
            conn,
            analyzer: Analyzer::new(),
        })
    }

    /// The FTS5 query for Haven's text: every non-stop word quoted, all required.
    pub fn match_expr(&self, text: &str) -> Option<String> {
        let terms: Vec<String> = kept_words(&self.analyzer, text)
            .into_iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        (!terms.is_empty()).then(|| terms.join(" "))
    }

    /// Runs one query: materialise the matches, then total, facet counts and the page.
    pub fn search(&self, q: &Query) -> anyhow::Result<SqlResult> {
        let mut p: Vec<Value> = Vec::new();
        let mut bind = |v: Value| -> String {
            p.push(v);
            format!("?{}", p.len())
        };
        let text = self.match_expr(&q.text);
        let mut ctes = Vec::new();
        let mut reach = "NULL".to_owned();
        let mut dist = "NULL".to_owned();
        let mut place_cond = "1".to_owned();
        let from;
        if let Some(near) = &q.near {
            let centre = LatLon::new(near.lat, near.lon)?;
            let bbox = BoundingBox::around(centre, near.radius_km);
            let (lat, lon, r) = (
                bind(Value::Real(near.lat)),
                bind(Value::Real(near.lon)),
                bind(Value::Real(near.radius_km)),
            );
            let (a, b, c, d) = (
                bind(Value::Real(bbox.min_lat)),
                bind(Value::Real(bbox.max_lat)),
                bind(Value::Real(bbox.min_lon)),
                bind(Value::Real(bbox.max_lon)),
            );
            ctes.push(format!(
                "near AS MATERIALIZED (SELECT l.service_id AS sid,
                    MIN(haversine_km(l.lat, l.lon, {lat}, {lon})) AS d
                 FROM location_rtree r CROSS JOIN location l ON l.id = r.id
                 WHERE r.max_lat >= {a} AND r.min_lat <= {b} AND r.max_lon >= {c}
                   AND r.min_lon <= {d} AND haversine_km(l.lat, l.lon, {lat}, {lon}) <= {r}
                 GROUP BY l.service_id)"
            ));
            let areas: Vec<String> = near
                .area_ids
                .iter()
                .map(|&a| bind(Value::Integer(i64::from(a))))
                .collect();
            let areas = if areas.is_empty() {
                "NULL".to_owned()
            } else {
                areas.join(",")
            };
            ctes.push(format!(
                "area AS MATERIALIZED (SELECT DISTINCT service_id AS sid FROM service_area
                 WHERE area IN ({areas}))"
            ));
            reach = "CASE WHEN n.sid IS NOT NULL THEN 0
                 WHEN s.id IN (SELECT sid FROM area) THEN 1
                 WHEN s.scope = 2 THEN 2 WHEN s.remote THEN 3 ELSE 4 END"
                .to_owned();
            dist = "n.d".to_owned();
            place_cond = "(n.sid IS NOT NULL OR s.everywhere = 1
                 OR s.id IN (SELECT sid FROM area))"
                .to_owned();
            from = match &text {
                Some(_) => {
                    "t JOIN service s ON s.id = t.sid LEFT JOIN near n ON n.sid = s.id".to_owned()
                }
                None => "(SELECT sid FROM near UNION SELECT sid FROM area
                          UNION SELECT id FROM service WHERE everywhere = 1) c
                         JOIN service s ON s.id = c.sid LEFT JOIN near n ON n.sid = s.id"
                    .to_owned(),
            };
        } else {
            from = match &text {
                Some(_) => "t JOIN service s ON s.id = t.sid".to_owned(),
                None => "service s".to_owned(),
            };
        }
        let rank = if let Some(expr) = &text {
            let e = bind(Value::Text(expr.clone()));
            ctes.insert(
                0,
                format!(
                    "t AS MATERIALIZED (SELECT rowid AS sid,
                        bm25(service_fts, 3.0, 2.0, 1.0, 1.5) AS rank
                     FROM service_fts WHERE service_fts MATCH {e})"
                ),
            );
            "t.rank"
        } else {
            "NULL"
        };
        let mut exists = |table: &str, column: &str, values: &[u16]| -> String {
            if values.is_empty() {
                return "1".to_owned();
            }
            let list: Vec<String> = values
                .iter()
                .map(|&v| bind(Value::Integer(i64::from(v))))
                .collect();
            format!(
                "EXISTS (SELECT 1 FROM {table} x WHERE x.service_id = s.id
                 AND x.{column} IN ({}))",
                list.join(",")
            )
        };
        let pn = exists("service_need", "need", &q.needs);
        let pl = exists("service_language", "language", &q.languages);
        let eligibility = eligibility_with_anyone(q);
        let pe = exists("service_eligibility", "eligibility", &eligibility);
        let ps = if q.scopes.is_empty() {
            "1".to_owned()
        } else {
            let list: Vec<String> = q
                .scopes
                .iter()
                .map(|s| scope_code(*s).to_string())
                .collect();
            format!("s.scope IN ({})", list.join(","))
        };
        let po = match q.open_at {
            Some(at) => {
                let t = bind(Value::Integer(i64::from(minute_of_week(at))));
                format!(
                    "EXISTS (SELECT 1 FROM opening h WHERE h.service_id = s.id
                     AND ({t} - h.start + 10080) % 10080 < h.len)"
                )
            }
            None => "0".to_owned(),
        };
        let pt = if q.open_now { po.as_str() } else { "1" };
        let with = if ctes.is_empty() {
            String::new()
        } else {
            format!("WITH {}", ctes.join(",\n"))
        };
        let sql = format!(
            "INSERT INTO m (id, rank, dist, reach, scope, pn, pl, pe, ps, po, pt)
             {with}
             SELECT s.id, {rank}, {dist}, {reach}, s.scope, {pn}, {pl}, {pe}, {ps}, {po}, {pt}
             FROM {from} WHERE {place_cond}"
        );
        if std::env::var_os("HAVEN_BENCH_SQL_PLAN").is_some() {
            let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = stmt.query_map(params_from_iter(p.iter()), |r| r.get::<_, String>(3))?;
            for row in rows {
                eprintln!("plan: {}", row?);
            }
        }
        self.conn.execute("DELETE FROM m", [])?;
        self.conn
            .prepare_cached(&sql)
            .with_context(|| sql.clone())?
            .execute(params_from_iter(p.iter()))?;

        let count = |cond: &str| -> anyhow::Result<u64> {
            let n: i64 = self
                .conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM m WHERE {cond}"))?
                .query_row([], |r| r.get(0))?;
            Ok(n as u64)
        };
        let total = count("pn AND pl AND pe AND ps AND pt")?;
        if q.open_at.is_some() {
            count("pn AND pl AND pe AND ps AND po")?;
        }
        for (table, column, cond) in [
            ("service_need", "need", "pl AND pe AND ps AND pt"),
            ("service_language", "language", "pn AND pe AND ps AND pt"),
            (
                "service_eligibility",
                "eligibility",
                "pn AND pl AND ps AND pt",
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT x.{column}, COUNT(*) FROM m CROSS JOIN {table} x ON x.service_id = m.id
                 WHERE {cond} GROUP BY x.{column}"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                row?;
            }
        }
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT scope, COUNT(*) FROM m WHERE pn AND pl AND pe AND pt GROUP BY scope",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                row?;
            }
        }
        let order = match (q.sort, text.is_some()) {
            (SortBy::Relevance, true) => "rank, reach, dist, id",
            (SortBy::Relevance, false) => "reach, dist, id",
            (SortBy::Distance, _) => "reach, dist, rank, id",
        };
        let limit = i64::from(q.per_page);
        let offset = i64::from(q.page.saturating_sub(1)) * limit;
        let page = self
            .conn
            .prepare_cached(&format!(
                "SELECT id FROM m WHERE pn AND pl AND pe AND ps AND pt
                 ORDER BY {order} LIMIT ?1 OFFSET ?2"
            ))?
            .query_map(params![limit, offset], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(SqlResult { total, page })
    }

    /// Every id matching the last query (with all its filters), for the agreement check.
    pub fn last_ids(&self) -> anyhow::Result<Vec<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM m WHERE pn AND pl AND pe AND ps AND pt")?
            .query_map([], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<i64>, _>>()?)
    }
}
