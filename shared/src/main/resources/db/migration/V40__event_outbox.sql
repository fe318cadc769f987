-- Transactional outbox of the command dispatcher: a registry change (and an audit event) is written
-- here in the same transaction as the change itself; a relay publishes the rows to Kafka and deletes
-- them, so a change committed while Kafka is down still reaches its topic once Kafka is back.
-- Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS event_outbox (
    id          UUID        NOT NULL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
