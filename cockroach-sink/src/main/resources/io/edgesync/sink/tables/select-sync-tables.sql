SELECT table_name, key_column, time_column, columns FROM sync_tables ORDER BY table_name
