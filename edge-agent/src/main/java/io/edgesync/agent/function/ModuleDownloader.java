package io.edgesync.agent.function;

import io.edgesync.agent.plan.FunctionActions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Fetches a module from the signed URL of a {@code deploy_function} action (no token: the URL is signed;
 * up to 3 redirects are followed, so the dispatcher's {@code /download} answering 307 works too), at most
 * {@code maxBytes}, and checks its SHA-256 against the expected hash before anything else looks at it.
 * A refused URL (403, 404: expired or gone; a fresh plan brings a new one), a 5xx or an I/O error is
 * retryable; a hash mismatch, an oversized or otherwise refused download is permanent.
 */
public final class ModuleDownloader {
    private static final int MAX_REDIRECTS = 3;

    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;

    public ModuleDownloader(HttpClient http, Duration timeout, long maxBytes) {
        this.http = Objects.requireNonNull(http);
        this.timeout = Objects.requireNonNull(timeout);
        this.maxBytes = maxBytes;
    }

    /** The module's bytes, whose SHA-256 is {@code expectedHash} (hex, any case). */
    public byte[] download(String url, String expectedHash) throws FunctionActions.Failed {
        if (url == null || url.isBlank()) {
            throw new FunctionActions.Failed("deploy_function has no url", true, null);
        }
        if (expectedHash == null || !expectedHash.matches("[0-9a-fA-F]{64}")) {
            throw new FunctionActions.Failed("deploy_function has no valid sha-256 hash: " + expectedHash, false, null);
        }
        byte[] bytes = fetch(url);
        String actual = sha256(bytes);
        if (!actual.equals(expectedHash.toLowerCase(Locale.ROOT))) {
            throw new FunctionActions.Failed("sha-256 mismatch: expected " + expectedHash.toLowerCase(Locale.ROOT)
                    + ", downloaded " + actual + " (" + bytes.length + " bytes); module refused, not run", false, null);
        }
        return bytes;
    }

    private byte[] fetch(String url) throws FunctionActions.Failed {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new FunctionActions.Failed("deploy_function url is not a URL", false, e);
        }
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> res;
            try {
                res = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new FunctionActions.Failed("module download failed: " + e.getMessage(), true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FunctionActions.Failed("module download interrupted", true, e);
            } catch (IllegalArgumentException e) {
                throw new FunctionActions.Failed("deploy_function url is not an http(s) URL", false, e);
            }
            int status = res.statusCode();
            if (status >= 300 && status < 400 && hop < MAX_REDIRECTS) {
                String location = res.headers().firstValue("Location").orElse(null);
                close(res);
                if (location == null) {
                    throw new FunctionActions.Failed("module download answered " + status + " without Location", true,
                            null);
                }
                uri = uri.resolve(location);
                continue;
            }
            if (status != 200) {
                close(res);
                boolean retryable = status == 403 || status == 404 || status == 408 || status == 429 || status >= 500;
                throw new FunctionActions.Failed("module download refused: HTTP " + status
                        + (status == 403 ? " (signed URL expired or tampered; the next plan brings a fresh one)" : ""),
                        retryable, null);
            }
            return readCapped(res.body());
        }
    }

    private byte[] readCapped(InputStream body) throws FunctionActions.Failed {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new FunctionActions.Failed("module is larger than " + maxBytes
                        + " bytes (agent.functions.max-module-bytes); refused", false, null);
            }
            return bytes;
        } catch (IOException e) {
            throw new FunctionActions.Failed("module download failed: " + e.getMessage(), true, e);
        }
    }

    private static void close(HttpResponse<InputStream> res) {
        try {
            res.body().close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
