package io.edgesync.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that streams a large chunked body (no {@code Content-Length}) over a raw socket and reads the
 * answer while it is still sending. It holds back the terminating chunk until the answer has come (or
 * {@link #HOLD} has passed), so an answer that arrives before the body was complete proves the server did
 * not read the whole body: a server that reads everything can only answer after the terminator.
 */
public final class ChunkedFlood {
    /** How long the terminating chunk is held back waiting for an early answer. */
    public static final Duration HOLD = Duration.ofSeconds(15);
    private static final int CHUNK = 16 * 1024;

    /**
     * What the server answered, how many body bytes the client had written when the answer was complete,
     * and whether the body had been completed (terminating chunk sent) by then.
     */
    public record Answer(int status, Map<String, String> headers, String body, long bytesWrittenAtAnswer,
                         boolean bodyCompleteAtAnswer, long bodyBytes) {
        public boolean answeredBeforeBodyEnded() {
            return !bodyCompleteAtAnswer;
        }
    }

    private ChunkedFlood() {
    }

    /** Sends {@code method path} to {@code base} (http only) with {@code bodyBytes} of chunked body. */
    public static Answer send(URI base, String method, String path, Map<String, String> headers, long bodyBytes)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout((int) HOLD.multipliedBy(3).toMillis());
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\nTransfer-Encoding: chunked\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            AtomicLong written = new AtomicLong();
            AtomicBoolean complete = new AtomicBoolean();
            CountDownLatch answered = new CountDownLatch(1);
            Thread writer = new Thread(() -> write(out, bodyBytes, written, complete, answered), "chunked-flood");
            writer.setDaemon(true);
            writer.start();
            try {
                Answer a = read(socket.getInputStream(), written, complete, bodyBytes);
                answered.countDown();
                return a;
            } finally {
                answered.countDown();
                socket.close();
                writer.join(10_000);
            }
        }
    }

    private static void write(OutputStream out, long bodyBytes, AtomicLong written, AtomicBoolean complete,
                              CountDownLatch answered) {
        byte[] data = new byte[CHUNK];
        Arrays.fill(data, (byte) ' ');
        data[0] = '[';
        try {
            while (written.get() < bodyBytes && answered.getCount() > 0) {
                int n = (int) Math.min(CHUNK, bodyBytes - written.get());
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(data, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                written.addAndGet(n);
                data[0] = ' ';
            }
            if (answered.await(HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            complete.set(true); // before the terminator: an answer read after this may have seen the whole body
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the server closed the connection after answering: expected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Answer read(InputStream in, AtomicLong written, AtomicBoolean complete, long bodyBytes)
            throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
                    n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                all.write(in.readNBytes(n));
                line(in);
            }
            body = all.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Answer(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8), written.get(),
                complete.get(), bodyBytes);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + s);
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
