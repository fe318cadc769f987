-- The audit trail is read newest first, for one deployment or for all.
CREATE INDEX IF NOT EXISTS deployment_audit_deployment ON deployment_audit (deployment_id, at DESC);
