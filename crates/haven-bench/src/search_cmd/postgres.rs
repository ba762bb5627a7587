//! The PostgreSQL reference: the same directory as a typical PostgreSQL application would
//! index it without extensions, and each query translated into one SQL statement.
//!
//! - Text: a stored generated `tsvector` column (`english` configuration: Snowball English
//!   stemming, like Haven) with field weights A/B/D/C for name, organisation, description
//!   and need labels, a GIN index, `plainto_tsquery('english', …)` (every word required) and
//!   `ts_rank` with weights 3 : 2 : 1.5 : 1 (scaled to PostgreSQL's 0–1 weights).
//! - Place: PostGIS is not part of Debian's `postgresql` package, so locations are built-in
//!   `point(lon, lat)` values with a GiST index, searched with `<@ box(…)` over the same
//!   bounding box SQLite's R*Tree gets, then filtered by exact haversine distance in an
//!   inlinable SQL function (the same formula and Earth radius as `haven_geo`). `cube` and
//!   `earthdistance` are available as contrib, but `earth_box` is a 3-D cube around a sphere
//!   of a different radius, so it would still need the same exact filter and adds an
//!   extension for no gain at UK distances.
//! - Facets: needs, languages, eligibility and service areas as `int4[]` columns on the
//!   service (GIN on the areas, which the place query probes with `&&`); opening periods in
//!   a table of their own with a covering index.
//!
//! One statement per query: a `MATERIALIZED` CTE holds the matches (text ∩ place) with one
//! flag per filter, and a `UNION ALL` reads it for the total, the open-now count, the three
//! facet `GROUP BY`s, the scope counts and the top-k page, so there is one round trip and no
//! temporary-table churn. Session settings: `jit = off` (the usual choice for interactive
//! queries: JIT compiles on every execution of a costly plan; not measured both ways here),
//! `work_mem = 64MB`,
//! `random_page_cost = 1.1`, `effective_cache_size = 8GB`; the server's `shared_buffers`
//! is whatever the cluster was started with (printed). Every statement is prepared once per
//! shape and cached by sqlx.

use anyhow::Context;
use haven_geo::{BoundingBox, LatLon};
use haven_search::analysis::Analyzer;
use haven_search::{IndexDoc, Query, SortBy};

use super::sql_terms::{
    eligibility_with_anyone, everywhere, kept_words, minute_of_week, opening_periods, scope_code,
};
use sqlx::{Connection, PgConnection, Row};
use tokio::runtime::Runtime;

const SCHEMA: &str = "
CREATE FUNCTION haversine_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 6371.0088 * atan2(
    sqrt(least(1.0, greatest(0.0, sin(radians(lat2 - lat1) / 2) ^ 2
      + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))),
    sqrt(1 - least(1.0, greatest(0.0, sin(radians(lat2 - lat1) / 2) ^ 2
      + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))))
$$;
CREATE TABLE service (
    id int4 PRIMARY KEY,
    scope int4 NOT NULL,
    remote bool NOT NULL,
    everywhere bool NOT NULL,
    needs int4[] NOT NULL,
    languages int4[] NOT NULL,
    eligibility int4[] NOT NULL,
    areas int4[] NOT NULL,
    name text NOT NULL,
    organisation text NOT NULL,
    description text NOT NULL,
    need_labels text NOT NULL,
    doc tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', organisation), 'B')
        || setweight(to_tsvector('english', need_labels), 'C')
        || setweight(to_tsvector('english', description), 'D')) STORED
);
CREATE TABLE opening (service_id int4 NOT NULL, start int4 NOT NULL, len int4 NOT NULL);
CREATE TABLE location (service_id int4 NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL,
    pt point NOT NULL);
";

/// Built after loading, as a bulk import would.
const INDEXES: [&str; 6] = [
    "CREATE INDEX service_doc ON service USING gin (doc)",
    "CREATE INDEX service_areas ON service USING gin (areas)",
    "CREATE INDEX service_everywhere ON service (id) WHERE everywhere",
    "CREATE INDEX opening_by_service ON opening (service_id, start, len)",
    "CREATE INDEX location_pt ON location USING gist (pt)",
    "VACUUM ANALYZE",
];

/// One query's answer, as far as the comparison needs it.
#[derive(Debug)]
pub struct PgResult {
    pub total: u64,
    pub page: Vec<i32>,
}

/// A bound parameter of a generated statement.
#[derive(Debug, Clone)]
enum Param {
    F64(f64),
    I32(i32),
    I64(i64),
    Text(String),
    Array(Vec<i32>),
}

pub struct Db {
    rt: Runtime,
    conn: PgConnection,
    schema: String,
    analyzer: Analyzer,
    pub shared_buffers: String,
}

/// COPY text format: backslash, tab, newline and carriage return escaped.
fn copy_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn copy_array<T: std::fmt::Display>(out: &mut String, values: &[T]) {
    out.push('{');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&v.to_string());
    }
    out.push('}');
}

impl Db {
    /// Connects to `url`, creates a schema of its own (dropped by [`Db::drop_schema`]) and
    /// loads `docs`; service `i` gets id `i`.
    pub fn load(url: &str, docs: &[IndexDoc]) -> anyhow::Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let schema = format!("haven_bench_{}_{}", docs.len(), std::process::id());
        let conn = rt.block_on(async {
            let mut conn = PgConnection::connect(url)
                .await
                .context("connecting to HAVEN_BENCH_POSTGRES_URL")?;
            for stmt in [
                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                format!("CREATE SCHEMA {schema}"),
                format!("SET search_path = {schema}"),
                "SET jit = off".to_owned(),
                "SET work_mem = '64MB'".to_owned(),
                "SET maintenance_work_mem = '1GB'".to_owned(),
                "SET random_page_cost = 1.1".to_owned(),
                "SET effective_cache_size = '8GB'".to_owned(),
            ] {
                sqlx::raw_sql(&stmt).execute(&mut conn).await?;
            }
            sqlx::raw_sql(SCHEMA).execute(&mut conn).await?;
            copy_all(&mut conn, docs).await?;
            for stmt in INDEXES {
                sqlx::raw_sql(stmt).execute(&mut conn).await?;
            }
            anyhow::Ok(conn)
        })?;
        let mut db = Self {
            rt,
            conn,
            schema,
            analyzer: Analyzer::new(),
            shared_buffers: String::new(),
        };
        db.shared_buffers = db.rt.block_on(async {
            sqlx::query_scalar::<_, String>("SHOW shared_buffers")
                .fetch_one(&mut db.conn)
                .await
        })?;
        Ok(db)
    }

    /// Bytes of the schema's tables and indexes.
    pub fn size_bytes(&mut self) -> anyhow::Result<i64> {
        let schema = self.schema.clone();
        Ok(self.rt.block_on(async {
            sqlx::query_scalar::<_, i64>(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind = 'r'",
            )
            .bind(schema)
            .fetch_one(&mut self.conn)
            .await
        })?)
    }

    pub fn drop_schema(mut self) -> anyhow::Result<()> {
        let stmt = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
        self.rt
            .block_on(async { sqlx::raw_sql(&stmt).execute(&mut self.conn).await })?;
        Ok(())
    }

    /// Haven's words minus its stop words, for `plainto_tsquery` (which ANDs them).
    fn text(&self, text: &str) -> Option<String> {
        let kept = kept_words(&self.analyzer, text);
        (!kept.is_empty()).then(|| kept.join(" "))
    }

    /// The matches CTE (`m`, with one flag per filter) and its parameters.
    fn matches(&self, q: &Query, p: &mut Vec<Param>) -> anyhow::Result<(String, bool)> {
        let mut bind = |v: Param| -> String {
            p.push(v);
            format!("${}", p.len())
        };
        let text = self.text(&q.text);
        let mut ctes = Vec::new();
        let (mut reach, mut dist, mut place_cond) = ("NULL::int4", "NULL::float8", "true");
        let from;
        if let Some(expr) = &text {
            let e = bind(Param::Text(expr.clone()));
            ctes.push(format!(
                "t AS MATERIALIZED (SELECT id AS sid,
                    ts_rank('{{0.333,0.5,0.667,1.0}}', doc, plainto_tsquery('english', {e}))
                      AS rank
                 FROM service WHERE doc @@ plainto_tsquery('english', {e}))"
            ));
        }
        if let Some(near) = &q.near {
            let centre = LatLon::new(near.lat, near.lon)?;
            let bbox = BoundingBox::around(centre, near.radius_km);
            let (lat, lon, r) = (
                bind(Param::F64(near.lat)),
                bind(Param::F64(near.lon)),
                bind(Param::F64(near.radius_km)),
            );
            let (a, b, c, d) = (
                bind(Param::F64(bbox.min_lat)),
                bind(Param::F64(bbox.max_lat)),
                bind(Param::F64(bbox.min_lon)),
                bind(Param::F64(bbox.max_lon)),
            );
            ctes.push(format!(
                "near AS MATERIALIZED (SELECT l.service_id AS sid,
                    min(haversine_km(l.lat, l.lon, {lat}, {lon})) AS d
                 FROM location l
                 WHERE l.pt <@ box(point({c}, {a}), point({d}, {b}))
                   AND haversine_km(l.lat, l.lon, {lat}, {lon}) <= {r}
                 GROUP BY l.service_id)"
            ));
            let areas = bind(Param::Array(
                near.area_ids.iter().map(|&a| a as i32).collect(),
            ));
            ctes.push(format!(
                "area AS MATERIALIZED (SELECT id AS sid FROM service WHERE areas && {areas})"
            ));
            reach = "CASE WHEN n.sid IS NOT NULL THEN 0
                 WHEN s.id IN (SELECT sid FROM area) THEN 1
                 WHEN s.scope = 2 THEN 2 WHEN s.remote THEN 3 ELSE 4 END";
            dist = "n.d";
            place_cond = "(n.sid IS NOT NULL OR s.everywhere OR s.id IN (SELECT sid FROM area))";
            from = if text.is_some() {
                "t JOIN service s ON s.id = t.sid LEFT JOIN near n ON n.sid = s.id"
            } else {
                "(SELECT sid FROM near UNION SELECT sid FROM area
                  UNION SELECT id FROM service WHERE everywhere) c
                 JOIN service s ON s.id = c.sid LEFT JOIN near n ON n.sid = s.id"
            };
        } else {
            from = if text.is_some() {
                "t JOIN service s ON s.id = t.sid"
            } else {
                "service s"
            };
        }
        let rank = if text.is_some() {
            "t.rank"
        } else {
            "NULL::float4"
        };
        let mut overlaps = |column: &str, values: &[u16]| -> String {
            if values.is_empty() {
                return "true".to_owned();
            }
            let v = bind(Param::Array(values.iter().map(|&v| i32::from(v)).collect()));
            format!("s.{column} && {v}")
        };
        let pn = overlaps("needs", &q.needs);
        let pl = overlaps("languages", &q.languages);
        let eligibility = eligibility_with_anyone(q);
        let pe = overlaps("eligibility", &eligibility);
        let ps = if q.scopes.is_empty() {
            "true".to_owned()
        } else {
            let v = bind(Param::Array(
                q.scopes.iter().map(|s| scope_code(*s)).collect(),
            ));
            format!("s.scope = ANY({v})")
        };
        let po = match q.open_at {
            Some(at) => {
                let t = bind(Param::I32(minute_of_week(at)));
                // A scalar subquery, not EXISTS: the planner turned EXISTS into a hashed
                // subplan that scanned every opening period on every query.
                format!(
                    "coalesce((SELECT bool_or(({t} - h.start + 10080) % 10080 < h.len)
                     FROM opening h WHERE h.service_id = s.id), false)"
                )
            }
            None => "false".to_owned(),
        };
        let pt = if q.open_now { po.as_str() } else { "true" };
        ctes.push(format!(
            "m AS MATERIALIZED (SELECT s.id, {rank} AS rank, {dist} AS dist, {reach} AS reach,
                s.scope, s.needs, s.languages, s.eligibility,
                {pn} AS pn, {pl} AS pl, {pe} AS pe, {ps} AS ps, {po} AS po, {pt} AS pt
             FROM {from} WHERE {place_cond})"
        ));
        Ok((format!("WITH {}", ctes.join(",\n")), text.is_some()))
    }

    /// Runs one query: total, open-now count, facet counts, scope counts and the page, in
    /// one statement.
    pub fn search(&mut self, q: &Query) -> anyhow::Result<PgResult> {
        let mut p = Vec::new();
        let (with, has_text) = self.matches(q, &mut p)?;
        let order = match (q.sort, has_text) {
            (SortBy::Relevance, true) => "rank DESC, reach, dist, id",
            (SortBy::Relevance, false) => "reach, dist, id",
            (SortBy::Distance, _) => "reach, dist, rank DESC, id",
        };
        let limit = {
            p.push(Param::I64(i64::from(q.per_page)));
            p.len()
        };
        let offset = {
            p.push(Param::I64(
                i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page),
            ));
            p.len()
        };
        let open = if q.open_at.is_some() {
            "UNION ALL SELECT 1, NULL, count(*), NULL FROM m WHERE pn AND pl AND pe AND ps AND po"
        } else {
            ""
        };
        let sql = format!(
            "{with}
             SELECT 0 AS k, NULL::int4 AS v, count(*) AS n, NULL::int4[] AS ids
               FROM m WHERE pn AND pl AND pe AND ps AND pt
             {open}
             UNION ALL SELECT 2, x, count(*), NULL FROM m, unnest(m.needs) x
               WHERE pl AND pe AND ps AND pt GROUP BY x
             UNION ALL SELECT 3, x, count(*), NULL FROM m, unnest(m.languages) x
               WHERE pn AND pe AND ps AND pt GROUP BY x
             UNION ALL SELECT 4, x, count(*), NULL FROM m, unnest(m.eligibility) x
               WHERE pn AND pl AND ps AND pt GROUP BY x
             UNION ALL SELECT 5, scope, count(*), NULL FROM m
               WHERE pn AND pl AND pe AND pt GROUP BY scope
             UNION ALL SELECT 6, NULL, NULL, (SELECT array_agg(id) FROM (SELECT id FROM m
               WHERE pn AND pl AND pe AND ps AND pt ORDER BY {order}
               LIMIT ${limit} OFFSET ${offset}) page)"
        );
        if std::env::var_os("HAVEN_BENCH_SQL_PLAN").is_some() {
            for row in self.fetch(&format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"), &p)? {
                eprintln!("plan: {}", row.try_get::<String, _>(0)?);
            }
        }
        let rows = self.fetch(&sql, &p)?;
        let mut out = PgResult {
            total: 0,
            page: Vec::new(),
        };
        for row in rows {
            match row.try_get::<i32, _>(0)? {
                0 => out.total = row.try_get::<i64, _>(2)?.max(0) as u64,
                6 => out.page = row.try_get::<Option<Vec<i32>>, _>(3)?.unwrap_or_default(),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Every id matching `q` with all its filters, for the agreement check (not timed).
    pub fn ids(&mut self, q: &Query) -> anyhow::Result<Vec<i32>> {
        let mut p = Vec::new();
        let (with, _) = self.matches(q, &mut p)?;
        let sql = format!("{with} SELECT id FROM m WHERE pn AND pl AND pe AND ps AND pt");
        self.fetch(&sql, &p)?
            .iter()
            .map(|r| Ok(r.try_get::<i32, _>(0)?))
            .collect()
    }

    fn fetch(&mut self, sql: &str, p: &[Param]) -> anyhow::Result<Vec<sqlx::postgres::PgRow>> {
        let mut query = sqlx::query(sql);
        for v in p {
            query = match v {
                Param::F64(x) => query.bind(*x),
                Param::I32(x) => query.bind(*x),
                Param::I64(x) => query.bind(*x),
                Param::Text(x) => query.bind(x.clone()),
                Param::Array(x) => query.bind(x.clone()),
            };
        }
        let conn = &mut self.conn;
        self.rt
            .block_on(async { query.fetch_all(conn).await })
            .with_context(|| sql.to_owned())
    }
}

/// Loads every table with COPY (text format), a few megabytes per message.
async fn copy_all(conn: &mut PgConnection, docs: &[IndexDoc]) -> anyhow::Result<()> {
    const CHUNK: usize = 4 << 20;
    let mut service = conn
        .copy_in_raw(
            "COPY service (id, scope, remote, everywhere, needs, languages, eligibility, areas,
             name, organisation, description, need_labels) FROM STDIN",
        )
        .await?;
    let mut buf = String::new();
    for (i, doc) in docs.iter().enumerate() {
        let everywhere = everywhere(doc);
        buf.push_str(&format!(
            "{i}\t{}\t{}\t{}\t",
            scope_code(doc.scope),
            doc.remote,
            everywhere
        ));
        copy_array(&mut buf, &doc.needs);
        buf.push('\t');
        copy_array(&mut buf, &doc.languages);
        buf.push('\t');
        copy_array(&mut buf, &doc.eligibility);
        buf.push('\t');
        copy_array(&mut buf, &doc.service_area);
        for text in [
            &doc.name,
            &doc.organisation_name,
            &doc.description,
            &doc.need_labels.join(" "),
        ] {
            buf.push('\t');
            copy_text(&mut buf, text);
        }
        buf.push('\n');
        if buf.len() > CHUNK {
            service.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    service.send(std::mem::take(&mut buf).into_bytes()).await?;
    service.finish().await?;

    let mut opening = conn
        .copy_in_raw("COPY opening (service_id, start, len) FROM STDIN")
        .await?;
    for (i, doc) in docs.iter().enumerate() {
        for (start, len) in opening_periods(doc) {
            buf.push_str(&format!("{i}\t{start}\t{len}\n"));
        }
        if buf.len() > CHUNK {
            opening.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    opening.send(std::mem::take(&mut buf).into_bytes()).await?;
    opening.finish().await?;

    let mut location = conn
        .copy_in_raw("COPY location (service_id, lat, lon, pt) FROM STDIN")
        .await?;
    for (i, doc) in docs.iter().enumerate() {
        for point in &doc.locations {
            // `{:?}` prints an f64 with every digit needed to read it back exactly.
            let (lat, lon) = (point.lat(), point.lon());
            buf.push_str(&format!("{i}\t{lat:?}\t{lon:?}\t({lon:?},{lat:?})\n"));
        }
        if buf.len() > CHUNK {
            location.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    location.send(std::mem::take(&mut buf).into_bytes()).await?;
    location.finish().await?;
    Ok(())
}
