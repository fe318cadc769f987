package io.edgesync.shared.http;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;

/**
 * Request bodies read with a limit whether or not they declare their length (a chunked body has none):
 * 413 {@code payload_too_large} as soon as the limit is passed, without reading the rest (Javalin 6 checks
 * only a declared {@code Content-Length}). {@link #install} reads every body of an app this way before its
 * handlers run; they take it with {@link #of(Context)}. A route with a limit of its own that it enforces
 * while streaming (a multipart upload, bounded by Jetty's multipart limits) is named in {@code ownLimits}.
 */
public final class BoundedBody {
    private static final String ATTRIBUTE = BoundedBody.class.getName();
    private static final byte[] EMPTY = new byte[0];

    private BoundedBody() {
    }

    /** Reads at most {@code maxBytes} of {@code in}: 413 if it declares or holds more, 400 if it breaks off. */
    public static byte[] read(InputStream in, long declaredLength, int maxBytes) {
        if (declaredLength > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "the request body could not be read");
        }
    }

    /**
     * Every request of {@code app} that has a body has it read, at most {@code maxBytes}, before routing,
     * except the routes ({@code "POST /path"}) in {@code ownLimits}, which read and bound their own body.
     */
    public static void install(Javalin app, int maxBytes, Set<String> ownLimits) {
        app.before(ctx -> {
            if (ownLimits.contains(ctx.method().name() + " " + ctx.path())) {
                return;
            }
            if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
                ctx.attribute(ATTRIBUTE, read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), maxBytes));
            }
        });
    }

    /** The body {@link #install} read; empty when the request had none. */
    public static byte[] of(Context ctx) {
        byte[] body = ctx.attribute(ATTRIBUTE);
        return body == null ? EMPTY : body;
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than " + maxBytes + " bytes",
                Map.of("maxBytes", maxBytes), null);
    }
}
