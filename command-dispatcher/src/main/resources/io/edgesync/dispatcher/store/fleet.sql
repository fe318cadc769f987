-- Fleet-wide figures for the dispatcher's gauges (CockroachDB and PostgreSQL); read every 15 s.

-- name: devices-by-presence
SELECT CASE WHEN last_seen_at IS NULL THEN 'registered'
            WHEN last_seen_at < ? THEN 'offline' ELSE 'online' END AS presence,
       count(*) AS devices,
       COALESCE(sum(pending_records), 0) AS pending
FROM devices
WHERE token_status <> 'revoked'
GROUP BY 1;

-- name: commands-by-status
SELECT status, count(*) AS commands FROM commands GROUP BY status;
