-- Deleting a function checks its deployments by function_id.
CREATE INDEX IF NOT EXISTS function_deployments_function ON function_deployments (function_id);
