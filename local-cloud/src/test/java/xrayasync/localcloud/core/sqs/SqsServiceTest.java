package xrayasync.localcloud.core.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xrayasync.localcloud.core.store.Store;

/** SQS's rules that take time to see, on a clock the test moves: retention, delays and redrive. */
class SqsServiceTest {

    @TempDir
    Path folder;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private Store store;
    private SqsService sqs;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(folder);
        sqs = new SqsService(store, clock, "us-east-1", "123456789012", URI.create("http://127.0.0.1:4566"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void send(String queue, String body) {
        sqs.send(queue, new SqsService.Outgoing(body, null, Map.of(), Map.of(), "123456789012", null));
    }

    private List<String> receive(String queue) throws InterruptedException {
        return sqs.receive(queue, 10, 30, 0).stream().map(SqsService.Message::body).toList();
    }

    @Test
    void aMessageOlderThanTheRetentionPeriodIsGone() throws Exception {
        sqs.createQueue("short", Map.of("MessageRetentionPeriod", "60"), Map.of());
        send("short", "old");
        clock.advance(Duration.ofSeconds(30));
        send("short", "new");

        clock.advance(Duration.ofSeconds(31));

        assertEquals(List.of("new"), receive("short"));
    }

    @Test
    void aDelayedMessageIsVisibleAfterItsDelay() throws Exception {
        sqs.createQueue("delayed", Map.of("DelaySeconds", "10"), Map.of());
        send("delayed", "later");

        assertEquals(List.of(), receive("delayed"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of("later"), receive("delayed"));
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueue() throws Exception {
        sqs.createQueue("dead", Map.of(), Map.of());
        sqs.createQueue("work", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + sqs.arn("dead")
                + "\",\"maxReceiveCount\":\"2\"}"), Map.of());
        send("work", "poison");

        assertEquals(List.of("poison"), receive("work"));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of("poison"), receive("work"));
        clock.advance(Duration.ofSeconds(31));

        assertEquals(List.of(), receive("work"));
        assertEquals(List.of("poison"), receive("dead"));
    }

    @Test
    void declaringAQueueAgainKeepsItsMessagesAndTakesTheNewSettings() throws Exception {
        sqs.declareQueue("declared", Map.of("VisibilityTimeout", "10"));
        send("declared", "kept");

        sqs.declareQueue("declared", Map.of("VisibilityTimeout", "20"));

        assertEquals("20", sqs.attributes("declared", List.of("VisibilityTimeout")).get("VisibilityTimeout"));
        assertEquals(List.of("kept"), receive("declared"));
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
