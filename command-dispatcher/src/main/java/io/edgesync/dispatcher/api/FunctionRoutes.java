package io.edgesync.dispatcher.api;

import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.deploy.Targets;
import io.edgesync.dispatcher.function.FunctionService;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The artifact API: {@code POST /api/v1/functions} (multipart name, version, file), list, metadata,
 * {@code /download} (307 to a signed URL) and delete. Operators write, viewers read, a device may
 * download only what it runs or is assigned.
 */
public final class FunctionRoutes {
    /** Name and version become part of the object key: no slashes, no dot-segments. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Multipart framing allowance on top of the module size. */
    private static final long FRAMING = 64 * 1024;

    /** The upload route, which reads its multipart body itself within its own limit. */
    public static final String UPLOAD = "POST /api/v1/functions";

    private final Authenticator auth;
    private final FunctionService functions;
    private final long maxBytes;

    public FunctionRoutes(Authenticator auth, FunctionService functions, long maxBytes) {
        this.auth = Objects.requireNonNull(auth);
        this.functions = Objects.requireNonNull(functions);
        this.maxBytes = maxBytes;
    }

    public void install(Javalin app) {
        app.post("/api/v1/functions", this::upload);
        app.get("/api/v1/functions", this::list);
        app.get("/api/v1/functions/{id}", this::get);
        app.get("/api/v1/functions/{id}/download", this::download);
        app.delete("/api/v1/functions/{id}", this::delete);
    }

    private void upload(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        if (ctx.contentLength() > maxBytes + FRAMING) {
            throw tooLarge();
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "body must be multipart/form-data with fields name, version and file");
        }
        UploadedFile file;
        String name;
        String version;
        try {
            file = ctx.uploadedFile("file");
            name = ctx.formParam("name");
            version = ctx.formParam("version");
        } catch (IllegalStateException e) {
            // Jetty refuses a part over the multipart limits
            throw tooLarge();
        } catch (RuntimeException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid multipart/form-data");
        }
        check(name, "name");
        check(version, "version");
        if (file == null) {
            throw Requests.invalid("file", "is required (the .wasm module)");
        }
        if (file.size() > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "file could not be read");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        FunctionService.Upload up = functions.upload(name, version, bytes);
        ctx.status(up.created() ? 201 : 200).json(up.function());
    }

    private void list(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        String name = ctx.queryParam("name");
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        ctx.json(Map.of("functions", functions.list(name == null || name.isEmpty() ? null : name, limit)));
    }

    private void get(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(functions.get(ctx.pathParam("id")));
    }

    private void download(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        FunctionService.FetchCheck check;
        if (p.isOperator()) {
            check = (c, id) -> true;
        } else if (p.kind() == Principal.Kind.DEVICE) {
            check = (c, id) -> FunctionService.deviceRuns(c, id, p.subject())
                    || Targets.targets(c, id, p.subject());
        } else {
            throw new ApiException(ErrorCode.FORBIDDEN, "requires an operator, viewer or device token");
        }
        String url = functions.downloadUrl(ctx.pathParam("id"), check);
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(url, io.javalin.http.HttpStatus.TEMPORARY_REDIRECT);
    }

    private void delete(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        functions.delete(ctx.pathParam("id"));
        ctx.status(204);
    }

    private static void check(String value, String field) {
        if (value == null || value.isBlank()) {
            throw Requests.invalid(field, "is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw Requests.invalid(field, "must be 1-128 characters of letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "function module larger than " + maxBytes
                + " bytes (functions.max-size-bytes)", Map.of("maxBytes", maxBytes), null);
    }
}
