package io.edgesync.shared.http;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.util.Locale;
import java.util.Map;

/**
 * 415 {@code unsupported_media_type} unless a request says it is JSON: a web page can send a cross-site
 * POST only as a form or {@code text/plain} without a preflight, so a JSON-only endpoint cannot be posted to.
 */
public final class JsonContentType {
    private JsonContentType() {
    }

    public static void require(String contentType) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    Map.of("contentType", String.valueOf(contentType)), null);
        }
    }
}
