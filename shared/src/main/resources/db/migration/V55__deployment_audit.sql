-- Audit trail of deployments: who deployed, replaced or undeployed which function version for which
-- selector, and when. Written in the transaction of the change; rows are never updated.
-- Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS deployment_audit (
    event_id       UUID        NOT NULL PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    deployment_id  UUID        NOT NULL,
    function_id    UUID        NOT NULL,
    function_name  TEXT        NOT NULL,
    version        TEXT        NOT NULL,
    selector_type  TEXT        NOT NULL,
    selector_value TEXT        NOT NULL,
    apply_order    INT         NOT NULL
);
