-- Group commands: one command for every device a selector matches ('device', 'type', 'label' as for
-- deployments, or 'ids': selector_value the comma-separated device ids), fanned out as individual
-- commands (commands.group_id) in batches. device_count: the devices selected when it was created.
CREATE TABLE IF NOT EXISTS command_groups (
    group_id       UUID        NOT NULL PRIMARY KEY,
    command_type   TEXT        NOT NULL,
    payload        JSONB,
    selector_type  TEXT        NOT NULL,
    selector_value TEXT        NOT NULL,
    device_count   INT         NOT NULL,
    ttl_seconds    BIGINT      NOT NULL,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    cancelled_at   TIMESTAMPTZ
);
