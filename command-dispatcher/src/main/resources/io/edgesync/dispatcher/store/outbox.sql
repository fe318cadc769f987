-- Transactional outbox (CockroachDB and PostgreSQL).

-- name: add
INSERT INTO event_outbox (id, topic, record_key, payload, created_at) VALUES (?, ?, ?, ?, ?);

-- name: oldest
SELECT id, topic, record_key, payload FROM event_outbox ORDER BY created_at, id LIMIT ?;

-- name: delete
DELETE FROM event_outbox WHERE id = ?;
