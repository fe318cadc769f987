-- Deleting a function checks whether any device still runs it.
CREATE INDEX IF NOT EXISTS node_function_deployments_function ON node_function_deployments (function_id);
