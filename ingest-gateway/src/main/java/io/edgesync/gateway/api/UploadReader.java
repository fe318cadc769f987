package io.edgesync.gateway.api;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Checks an upload's content type and decodes its body (optional gzip) with a decoded-size limit. */
public final class UploadReader {
    private final int maxDecodedBytes;
    private final int maxEncodedBytes;

    public UploadReader(int maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
        this.maxEncodedBytes = maxDecodedBytes + 64 * 1024; // room for gzip framing of an incompressible body
    }

    /**
     * Reads the request body, never more than the limit, whether or not it declared its length
     * (a chunked body has none): 413 past the limit.
     */
    public byte[] readBody(InputStream in, long declaredLength) {
        if (declaredLength > maxEncodedBytes) {
            throw tooLarge();
        }
        try {
            byte[] body = in.readNBytes(maxEncodedBytes + 1);
            if (body.length > maxEncodedBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "the request body could not be read");
        }
    }

    /** 415 unless the content type is JSON. */
    public void checkContentType(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    Map.of("contentType", String.valueOf(contentType)), null);
        }
    }

    /** The JSON bytes of the body: 415 for an unknown encoding, 413 past the limit, 400 for broken gzip. */
    public byte[] decode(String contentEncoding, byte[] body) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            if (body.length > maxDecodedBytes) {
                throw tooLarge();
            }
            return body;
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip or absent",
                    Map.of("contentEncoding", contentEncoding), null);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxDecodedBytes, body.length * 8 + 64));
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxDecodedBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid gzip");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "decoded body is larger than " + maxDecodedBytes + " bytes",
                Map.of("maxBytes", maxDecodedBytes), null);
    }
}
