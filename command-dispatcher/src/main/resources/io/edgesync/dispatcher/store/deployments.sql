-- Deployments of function versions to devices (CockroachDB and PostgreSQL).

-- name: lock-function
SELECT function_id, name FROM functions WHERE function_id = ? FOR UPDATE;

-- name: insert
INSERT INTO function_deployments (deployment_id, function_id, function_name, selector_type, selector_value,
                                  apply_order, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: update
UPDATE function_deployments SET function_id = ?, apply_order = ?, updated_at = ? WHERE deployment_id = ?;

-- name: by-selector
SELECT d.deployment_id, d.function_id, d.function_name, f.version, f.hash, d.selector_type, d.selector_value,
       d.apply_order, d.created_at, d.updated_at
FROM function_deployments d JOIN functions f ON f.function_id = d.function_id
WHERE d.function_name = ? AND d.selector_type = ? AND d.selector_value = ?;

-- name: by-id
SELECT d.deployment_id, d.function_id, d.function_name, f.version, f.hash, d.selector_type, d.selector_value,
       d.apply_order, d.created_at, d.updated_at
FROM function_deployments d JOIN functions f ON f.function_id = d.function_id
WHERE d.deployment_id = ?;

-- name: list
SELECT d.deployment_id, d.function_id, d.function_name, f.version, f.hash, d.selector_type, d.selector_value,
       d.apply_order, d.created_at, d.updated_at
FROM function_deployments d JOIN functions f ON f.function_id = d.function_id
WHERE (CAST(? AS UUID) IS NULL OR d.function_id = ?)
ORDER BY d.function_name, d.selector_type, d.selector_value LIMIT ?;

-- name: delete
DELETE FROM function_deployments WHERE deployment_id = ?;

-- name: targets
-- every deployment matching the device, the most specific selector first (device, label, type)
SELECT d.deployment_id, f.function_id, f.name, f.version, f.hash, d.apply_order, d.selector_type
FROM function_deployments d
JOIN functions f ON f.function_id = d.function_id
JOIN devices v ON v.device_id = ?
WHERE (d.selector_type = 'device' AND d.selector_value = v.device_id)
   OR (d.selector_type = 'type' AND d.selector_value = v.device_type)
   OR (d.selector_type = 'label' AND v.metadata -> 'labels' ->> split_part(d.selector_value, '=', 1)
                                     = substr(d.selector_value, strpos(d.selector_value, '=') + 1))
ORDER BY CASE d.selector_type WHEN 'device' THEN 0 WHEN 'label' THEN 1 ELSE 2 END, d.selector_value;

-- name: devices-by-device
SELECT device_id FROM devices WHERE device_id = ?;

-- name: devices-by-type
SELECT device_id FROM devices WHERE device_type = ? ORDER BY device_id;

-- name: devices-by-label
SELECT device_id FROM devices WHERE metadata -> 'labels' ->> ? = ? ORDER BY device_id;

-- name: running
SELECT version, hash, deployed_at FROM node_function_deployments WHERE device_id = ? AND name = ?;

-- name: latest-record
SELECT status, actions, error_message, completed_at FROM sync_records WHERE device_id = ? ORDER BY seq DESC LIMIT 1;

-- name: clear-running
DELETE FROM node_function_deployments WHERE device_id = ?;

-- name: insert-running
INSERT INTO node_function_deployments (device_id, name, function_id, version, hash, apply_order, deployed_at)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: audit-list
-- the deployment trail, kept in the security audit log (kinds deployment.*, subject the deployment id)
SELECT event_id, at, actor_id, kind, subject, detail
FROM audit_events
WHERE kind IN ('deployment.deployed', 'deployment.replaced', 'deployment.undeployed')
  AND (CAST(? AS TEXT) IS NULL OR subject = ?)
ORDER BY at DESC, event_id LIMIT ?;

-- name: devices-by-ids
SELECT device_id FROM devices WHERE device_id = ANY(?) ORDER BY device_id;
