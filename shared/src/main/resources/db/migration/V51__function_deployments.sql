-- Deployments: a function version assigned to one device (selector_type 'device'), every device of a
-- type ('type') or every device whose metadata.labels has key = value ('label', selector_value
-- 'key=value'). One version of a function name per selector; functions apply in ascending
-- apply_order, ties by name.
CREATE TABLE IF NOT EXISTS function_deployments (
    deployment_id  UUID        NOT NULL PRIMARY KEY,
    function_id    UUID        NOT NULL REFERENCES functions (function_id),
    function_name  TEXT        NOT NULL,
    selector_type  TEXT        NOT NULL,
    selector_value TEXT        NOT NULL,
    apply_order    INT         NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT function_deployments_selector UNIQUE (function_name, selector_type, selector_value)
);
