-- Every HSDS record of the directory, as imported: one row per record, its HSDS JSON kept whole
-- so that import → export gives back exactly what came in. `organizations` and `services`
-- hold the projection of these records that Haven's own tables refer to.
CREATE TABLE hsds_records (
    table_name TEXT NOT NULL,
    id         TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (table_name, id)
) STRICT;
