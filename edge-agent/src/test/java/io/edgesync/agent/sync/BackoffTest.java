package io.edgesync.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff.Policy policy = Backoff.Policy.defaults();

    @Test
    void withoutJitterTheWaitDoublesFromOneSecondUpToTheSixtySecondCap() {
        Backoff middle = new Backoff(policy, () -> 0.5);
        assertEquals(1000, middle.waitMillis(1, null));
        assertEquals(2000, middle.waitMillis(2, null));
        assertEquals(4000, middle.waitMillis(3, null));
        assertEquals(32000, middle.waitMillis(6, null));
        assertEquals(60000, middle.waitMillis(7, null));
        assertEquals(60000, middle.waitMillis(30, null));
    }

    @Test
    void jitterSpreadsTheWaitByHalfEitherWayAndNeverPastTheCap() {
        assertEquals(2000, new Backoff(policy, () -> 0.0).waitMillis(3, null));
        assertEquals(6000, new Backoff(policy, () -> 1.0).waitMillis(3, null));
        assertEquals(30000, new Backoff(policy, () -> 0.0).waitMillis(10, null));
        assertEquals(60000, new Backoff(policy, () -> 0.99).waitMillis(10, null));
    }

    @Test
    void retryAfterRaisesTheWaitButNeverPastTheCap() {
        Backoff b = new Backoff(policy, () -> 0.5);
        assertEquals(5000, b.waitMillis(1, Duration.ofSeconds(5)));
        assertEquals(4000, b.waitMillis(3, Duration.ofSeconds(1)));
        assertEquals(policy.maxInterval().toMillis(), b.waitMillis(10, Duration.ofSeconds(120)));
        assertEquals(policy.maxInterval().toMillis(), b.waitMillis(1, Duration.ofDays(365)));
    }

    @Test
    void onlyAWellFormedAnswerIsTrusted() throws Exception {
        String ok = "{\"batchId\":\"b1\",\"accepted\":2,\"rejected\":[{\"index\":1,\"id\":\"r\",\"code\":\"invalid_field\",\"message\":\"m\"}]}";
        TelemetryUploader.Outcome outcome = TelemetryUploader.parse(ok.getBytes(), "b1", 3);
        assertEquals(2, outcome.accepted());
        assertEquals(1, outcome.rejected().size());
        for (String bad : new String[] {
            "", "null", "[]", "{}", "not json", "{\"accepted\":3,\"rejected\":[]}",
            "{\"batchId\":\"other\",\"accepted\":3,\"rejected\":[]}",
            "{\"batchId\":\"b1\",\"accepted\":2,\"rejected\":[]}",
            "{\"batchId\":\"b1\",\"accepted\":4,\"rejected\":[]}",
            "{\"batchId\":\"b1\",\"accepted\":\"3\",\"rejected\":[]}",
            "{\"batchId\":\"b1\",\"accepted\":3}",
            "{\"batchId\":\"b1\",\"accepted\":-1,\"rejected\":[{},{},{},{}]}",
            "{\"batchId\":\"b1\",\"accepted\":1,\"rejected\":[{\"index\":0,\"code\":\"x\"},{\"index\":0,\"code\":\"x\"}]}",
            "{\"batchId\":\"b1\",\"accepted\":2,\"rejected\":[{\"index\":3,\"code\":\"x\"}]}",
            "{\"batchId\":\"b1\",\"accepted\":2,\"rejected\":[{\"code\":\"x\"}]}",
        }) {
            UploadException e = org.junit.jupiter.api.Assertions.assertThrows(UploadException.class,
                    () -> TelemetryUploader.parse(bad.getBytes(), "b1", 3), bad);
            assertEquals(true, e.retryable(), bad);
        }
    }

    @Test
    void retryAfterInSecondsIsParsedAndAnythingElseIgnored() {
        assertEquals(Duration.ofSeconds(3), RetryAfter.parse(" 3 ").orElseThrow());
        assertEquals(true, RetryAfter.parse("soon").isEmpty());
        assertEquals(true, RetryAfter.parse("-1").isEmpty());
    }

    @Test
    void onlyNetworkErrors429AndServerErrorsAreRetryable() {
        assertEquals(true, UploadException.retryableStatus(429));
        assertEquals(true, UploadException.retryableStatus(503));
        assertEquals(true, UploadException.retryableStatus(500));
        assertEquals(false, UploadException.retryableStatus(400));
        assertEquals(false, UploadException.retryableStatus(401));
        assertEquals(false, UploadException.retryableStatus(413));
    }
}
