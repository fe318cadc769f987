-- The audit trail of every deployment, newest first.
CREATE INDEX IF NOT EXISTS deployment_audit_at ON deployment_audit (at DESC);
