package io.edgesync.sink.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionSqlTest {
    @Test
    void cockroachTtlExpiresRowsByTheirReadingTime() {
        List<String> sql = Retention.cockroachTtlStatements(Duration.ofDays(90), Duration.ofHours(1));
        assertEquals("ALTER TABLE telemetry_data SET (ttl_expiration_expression = '(\"timestamp\" + "
                + "INTERVAL ''7776000 seconds'')', ttl_job_cron = '@hourly')", sql.get(0));
        assertEquals("ALTER TABLE conflict_log SET (ttl_expiration_expression = '(detected_at + "
                + "INTERVAL ''7776000 seconds'')', ttl_job_cron = '@hourly')", sql.get(1));
    }

    @Test
    void ttlJobScheduleFollowsTheInterval() {
        assertEquals(true, Retention.cockroachTtlStatements(Duration.ofDays(1), Duration.ofMinutes(15)).get(0)
                .endsWith("ttl_job_cron = '*/15 * * * *')"));
        assertEquals(true, Retention.cockroachTtlStatements(Duration.ofDays(1), Duration.ofDays(2)).get(0)
                .endsWith("ttl_job_cron = '@daily')"));
    }

    @Test
    void postgresDeleteIsBatchedByKey() {
        assertEquals("DELETE FROM telemetry_data WHERE (device_id, id) IN (SELECT device_id, id FROM telemetry_data "
                + "WHERE \"timestamp\" < ? LIMIT ?)", Retention.deleteStatement(Retention.TARGETS.get(0)));
    }

    @Test
    void dialectIsReadFromVersion() {
        assertEquals(Dialect.COCKROACHDB, Dialect.fromVersion(
                "CockroachDB CCL v24.1.0 (x86_64-pc-linux-gnu, built 2024/05/15 21:28:29, go1.22.2)"));
        assertEquals(Dialect.POSTGRESQL, Dialect.fromVersion("PostgreSQL 18.6 on x86_64-pc-linux-gnu"));
    }
}
