-- EdgeSync control-plane schema. Runs unchanged on CockroachDB and PostgreSQL.
-- Telemetry is keyed (device_id, id): record ids are unique per device. On CockroachDB the
-- device_id prefix spreads writes from many devices across ranges instead of one hot range.

CREATE TABLE IF NOT EXISTS telemetry_data (
    device_id    TEXT             NOT NULL,
    id           TEXT             NOT NULL,
    sensor_id    TEXT             NOT NULL,
    "timestamp"  TIMESTAMPTZ      NOT NULL,
    data_type    TEXT             NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    unit         TEXT,
    metadata     JSONB,
    version      INT              NOT NULL DEFAULT 1,
    payload_hash BIGINT           NOT NULL DEFAULT 0,
    received_at  TIMESTAMPTZ,
    synced_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, id)
);

CREATE INDEX IF NOT EXISTS telemetry_data_device_time ON telemetry_data (device_id, "timestamp" DESC);
CREATE INDEX IF NOT EXISTS telemetry_data_sensor_time ON telemetry_data (sensor_id, "timestamp" DESC);

CREATE TABLE IF NOT EXISTS conflict_log (
    id             UUID        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    device_id      TEXT        NOT NULL,
    record_id      TEXT        NOT NULL,
    conflict_type  TEXT        NOT NULL,
    incoming       JSONB       NOT NULL,
    current_value  JSONB,
    resolved       JSONB,
    strategy       TEXT        NOT NULL,
    detected_at    TIMESTAMPTZ NOT NULL,
    logged_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS conflict_log_device ON conflict_log (device_id, detected_at DESC);

CREATE TABLE IF NOT EXISTS sync_status (
    device_id             TEXT        NOT NULL PRIMARY KEY,
    last_sync_at          TIMESTAMPTZ,
    last_sync_status      TEXT,
    last_record_at        TIMESTAMPTZ,
    last_received_at      TIMESTAMPTZ,
    pending_records_count BIGINT      NOT NULL DEFAULT 0,
    total_synced_records  BIGINT      NOT NULL DEFAULT 0,
    duplicates_dropped    BIGINT      NOT NULL DEFAULT 0,
    conflicts             BIGINT      NOT NULL DEFAULT 0,
    last_error            TEXT,
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS devices (
    device_id        TEXT        NOT NULL PRIMARY KEY,
    name             TEXT        NOT NULL,
    device_type      TEXT        NOT NULL,
    location         TEXT,
    metadata         JSONB,
    status           TEXT        NOT NULL DEFAULT 'registered',
    token_hash       TEXT,
    token_expires_at TIMESTAMPTZ,
    agent_version    TEXT,
    config_version   BIGINT      NOT NULL DEFAULT 0,
    reported_config_version BIGINT,
    clock_skew_ms    BIGINT,
    pending_records  BIGINT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at     TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS commands (
    command_id    UUID        NOT NULL PRIMARY KEY,
    device_id     TEXT        NOT NULL,
    command_type  TEXT        NOT NULL,
    payload       JSONB,
    status        TEXT        NOT NULL,
    result        JSONB,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ,
    delivered_at  TIMESTAMPTZ,
    delivery_count INT        NOT NULL DEFAULT 0,
    completed_at  TIMESTAMPTZ
);

CREATE INDEX IF NOT EXISTS commands_device_status ON commands (device_id, status, created_at);

CREATE TABLE IF NOT EXISTS device_configs (
    device_id   TEXT        NOT NULL,
    config_key  TEXT        NOT NULL,
    value       JSONB,
    version     BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, config_key)
);
