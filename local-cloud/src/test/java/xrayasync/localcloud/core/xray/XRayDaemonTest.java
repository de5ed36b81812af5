package xrayasync.localcloud.core.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import xrayasync.localcloud.core.store.TemporaryStore;

/** What the X-Ray daemon does with the datagrams it receives. */
class XRayDaemonTest {

    private static final String TRACE = "1-6743a1b2-0123456789abcdef01234567";
    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

    @RegisterExtension
    final TemporaryStore temporary = new TemporaryStore();

    private TraceStore store;

    @BeforeEach
    void open() {
        store = new TraceStore(temporary.store());
    }

    @Test
    void segmentDocumentSentOverUdpReachesTheStore() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store); DatagramSocket sender = new DatagramSocket()) {
            byte[] datagram = (HEADER + "{\"id\":\"a1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"fn\",\"start_time\":1}")
                    .getBytes(StandardCharsets.UTF_8);
            sender.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), daemon.port()));

            awaitDocuments(1);
            assertEquals("fn", store.segments(TRACE).orElseThrow().getFirst().path("name").asText());
            assertEquals(1, daemon.documentCount());
        }
    }

    @Test
    void malformedDatagramsAreCountedAndSkipped() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store)) {
            daemon.accept("no header at all");
            daemon.accept(HEADER + "{not json");
            daemon.accept(HEADER + "{\"name\":\"no ids\"}");
            daemon.accept(HEADER + "{\"id\":\"a1\",\"trace_id\":\"" + TRACE + "\",\"name\":\"ok\",\"start_time\":1}");

            assertEquals(3, daemon.malformedCount());
            temporary.store().flush();
            assertEquals(1, store.documentCount());
        }
    }

    @Test
    void sampledOtlpSpanBatchIsStoredAsSegments() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store)) {
            daemon.accept(HEADER + "T1S" + Base64.getEncoder().encodeToString(
                    OtlpSpansTest.handlerWithS3Call().toByteArray()));

            assertEquals(2, daemon.documentCount());
            temporary.store().flush();
            List<ObjectNode> trace = store.segments("1-6743a1b2-0123456789abcdef01234567").orElseThrow();
            assertEquals("S3", trace.getFirst().path("subsegments").get(0).path("name").asText());
        }
    }

    @Test
    void unsampledOtlpSpanBatchIsCountedButKeptOutOfTraces() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store)) {
            daemon.accept(HEADER + "T1U" + Base64.getEncoder().encodeToString(
                    OtlpSpansTest.handlerWithS3Call().toByteArray()));

            assertEquals(2, daemon.documentCount());
            temporary.store().flush();
            assertEquals(List.of(), store.traceIds());
        }
    }

    @Test
    void malformedOtlpBatchesAreCountedAndSkipped() throws Exception {
        try (XRayDaemon daemon = new XRayDaemon(store)) {
            daemon.accept(HEADER + "T1S" + "not base64 at all!");
            daemon.accept(HEADER + "T1S" + Base64.getEncoder().encodeToString(new byte[] {8, (byte) 0xff}));

            assertEquals(2, daemon.malformedCount());
            assertEquals(0, daemon.documentCount());
        }
    }

    private void awaitDocuments(long count) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (store.documentCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IOException("The daemon kept " + store.documentCount() + " of " + count + " documents.");
            }
            Thread.sleep(10);
        }
    }
}
