-- What each device actually runs, as its last successful sync acknowledgement reported it.
CREATE TABLE IF NOT EXISTS node_function_deployments (
    device_id    TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    function_id  UUID        NOT NULL,
    version      TEXT        NOT NULL,
    hash         TEXT        NOT NULL,
    apply_order  INT         NOT NULL DEFAULT 0,
    deployed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, name)
);
