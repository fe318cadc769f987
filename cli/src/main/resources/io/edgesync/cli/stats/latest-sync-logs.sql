SELECT host_identifier, table_name, sync_started_at, sync_completed_at, records_synced, records_failed, status, error_message
FROM sync_logs
ORDER BY sync_started_at DESC NULLS LAST, host_identifier, id
LIMIT ?
