package io.edgesync.agent.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The checks of one control-plane endpoint (gateway or dispatcher), each only when the one before it
 * passed: DNS, TCP connect, TLS handshake (https only), {@code /health/ready}, clock skew from the
 * answer's {@code Date} header, and whether the service accepts the device token.
 */
final class EndpointChecks {
    /** How the auth step asks the service whether it accepts the token. */
    enum Probe { GATEWAY, DISPATCHER }

    private final SSLContext tls;
    private final DoctorLimits limits;
    private final Clock clock;

    EndpointChecks(SSLContext tls, DoctorLimits limits, Clock clock) {
        this.tls = tls;
        this.limits = limits;
        this.clock = clock;
    }

    void run(List<Finding> out, String name, String url, Probe probe, String deviceId, String token) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (RuntimeException e) {
            out.add(Finding.fail("url " + name, "'" + url + "': " + e.getMessage(), "fix agent." + name + "-url"));
            return;
        }
        String host = uri.getHost();
        boolean https = uri.getScheme().equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
            out.add(Finding.ok("dns " + name, host + " -> " + Arrays.stream(addresses).map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", "))));
        } catch (UnknownHostException e) {
            out.add(Finding.fail("dns " + name, "cannot resolve " + host,
                    "check agent." + name + "-url and the device's resolver (/etc/resolv.conf, `getent hosts " + host
                            + "`)"));
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(addresses[0], port), (int) limits.timeout().toMillis());
            out.add(Finding.ok("connect " + name, host + ":" + port));
        } catch (IOException e) {
            out.add(Finding.fail("connect " + name, host + ":" + port + ": " + e.getMessage(),
                    "is the " + name + " running and listening on " + port + "? check firewalls and agent." + name
                            + "-url"));
            return;
        }
        if (https && !handshake(out, name, host, port)) {
            return;
        }
        http(out, name, uri, probe, deviceId, token);
    }

    private boolean handshake(List<Finding> out, String name, String host, int port) {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), (int) limits.timeout().toMillis());
            socket.setSoTimeout((int) limits.timeout().toMillis());
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            X509Certificate leaf = (X509Certificate) chain[0];
            Instant notAfter = leaf.getNotAfter().toInstant();
            String detail = socket.getSession().getProtocol() + ", " + leaf.getSubjectX500Principal().getName()
                    + ", valid until " + notAfter;
            if (Duration.between(clock.instant(), notAfter).compareTo(Duration.ofDays(14)) < 0) {
                out.add(Finding.warn("tls " + name, detail, "the " + name + "'s certificate expires soon: renew it"));
            } else {
                out.add(Finding.ok("tls " + name, detail));
            }
            return true;
        } catch (IOException e) {
            out.add(Finding.fail("tls " + name, "handshake with " + host + ":" + port + " failed: " + e.getMessage(),
                    "check that the " + name + " serves TLS 1.3 with a certificate for " + host + " that the device"
                            + " trusts (its CA in the agent's trust store), that the clock is right (certificate"
                            + " validity), and that the URL's scheme matches the port"));
            return false;
        }
    }

    private void http(List<Finding> out, String name, URI base, Probe probe, String deviceId, String token) {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(limits.timeout()).build();
        long before = clock.millis();
        HttpResponse<String> ready;
        try {
            ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(limits.timeout()).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            out.add(Finding.fail("http " + name, "GET /health/ready: " + e.getMessage(),
                    "the port answers but not HTTP: check the URL's scheme (http/https) and port"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long after = clock.millis();
        if (ready.statusCode() == 200) {
            out.add(Finding.ok("ready " + name, "GET /health/ready: 200"));
        } else {
            out.add(Finding.warn("ready " + name, "GET /health/ready: " + ready.statusCode() + " " + ready.body(),
                    "the " + name + " is up but not ready (its Kafka or database is unreachable): the agent keeps"
                            + " readings and retries; operators: see docs/troubleshooting.md"));
        }
        ready.headers().firstValue("Date").ifPresent(date -> out.add(skew(name, date, before, after)));
        if (token != null && deviceId != null) {
            out.add(auth(http, name, base, probe, deviceId, token));
        }
    }

    private Finding skew(String name, String date, long before, long after) {
        long server;
        try {
            server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return Finding.warn("clock " + name, "cannot read the " + name + "'s Date header '" + date + "'", "");
        }
        // Date has 1 s resolution: the server's clock was in [server, server + 1000) while we were in [before, after]
        long local = (before + after) / 2;
        long skew = local - (server + 500);
        long uncertainty = (after - before) / 2 + 500;
        String detail = "this device is " + Math.abs(skew) + " ms " + (skew >= 0 ? "ahead of" : "behind") + " the "
                + name + " (±" + uncertainty + " ms)";
        if (Math.abs(skew) - uncertainty > limits.maxClockSkew().toMillis()) {
            return Finding.fail("clock " + name, detail, "synchronise the clock (NTP: `timedatectl set-ntp true`, or"
                    + " chrony); readings carry this clock's timestamps and tokens are checked against it");
        }
        return Finding.ok("clock " + name, detail);
    }

    private Finding auth(HttpClient http, String name, URI base, Probe probe, String deviceId, String token) {
        HttpRequest.Builder request = switch (probe) {
            // an empty batch: authenticated first, then refused as a bad batch; nothing is written
            case GATEWAY -> HttpRequest.newBuilder(base.resolve("/api/v1/sync/telemetry"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId
                            + "\",\"batchId\":\"doctor\",\"records\":[]}"));
            // the newest config changes: read-only
            case DISPATCHER -> HttpRequest.newBuilder(base.resolve("/api/v1/sync/config/"
                    + java.net.URLEncoder.encode(deviceId, java.nio.charset.StandardCharsets.UTF_8)
                    + "?since=2147483647")).GET();
        };
        try {
            HttpResponse<String> r = http.send(request.timeout(limits.timeout())
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            return switch (r.statusCode()) {
                case 401 -> Finding.fail("auth " + name, "the " + name + " refused the device token (401: revoked,"
                        + " expired or signed by another key)", "re-enroll (`edgesync agent enroll`) or ask an"
                        + " operator to rotate this device's token; a revoked device needs an operator first");
                case 403 -> Finding.fail("auth " + name, "the " + name + " refused the token for " + deviceId
                        + " (403: the device is revoked, or the token names another device)", "a revoked device"
                        + " needs an operator (re-register or a new token); otherwise use this device's own token");
                default -> Finding.ok("auth " + name, "token accepted (" + r.statusCode() + ")");
            };
        } catch (IOException e) {
            return Finding.warn("auth " + name, "could not ask: " + e.getMessage(), "run the doctor again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warn("auth " + name, "interrupted", "");
        }
    }
}
