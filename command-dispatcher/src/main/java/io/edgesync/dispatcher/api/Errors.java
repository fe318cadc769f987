package io.edgesync.dispatcher.api;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.HttpServers;
import io.javalin.Javalin;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database failure (after the capped 40001 retries) is 503 with Retry-After, never 500; a value the
 * database refuses as data (SQLSTATE class 22: a NUL or lone surrogate in text, a date out of range)
 * is the client's, 400 {@code invalid_request}.
 */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    public static void install(Javalin app) {
        app.exception(SQLException.class, (e, ctx) -> {
            String state = e.getSQLState();
            if (state != null && state.startsWith("22")) {
                LOG.info("event=value_refused_by_database sqlstate={} path={}", state, ctx.path());
                HttpServers.respond(ctx, new ApiException(ErrorCode.INVALID_REQUEST,
                        "a value in the request cannot be stored (SQLSTATE " + state + ")",
                        Map.of("sqlstate", state), null));
                return;
            }
            LOG.warn("event=database_error sqlstate={} path={}", state, ctx.path());
            HttpServers.respond(ctx, databaseUnavailable());
        });
    }

    public static ApiException databaseUnavailable() {
        return new ApiException(ErrorCode.UNAVAILABLE, "database unavailable; retry", Map.of(), Duration.ofSeconds(1));
    }
}
