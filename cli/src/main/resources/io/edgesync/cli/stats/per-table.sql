SELECT table_name, count(*) AS runs, coalesce(sum(records_synced), 0) AS rows_synced,
       coalesce(sum(records_failed), 0) AS rows_failed, max(sync_completed_at) AS last_sync,
       count(*) FILTER (WHERE status = 'failed') AS failed_runs
FROM sync_logs
GROUP BY table_name
ORDER BY table_name
