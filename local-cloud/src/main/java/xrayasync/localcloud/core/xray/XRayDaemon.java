package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The X-Ray daemon's UDP side: takes segment documents from the functions' X-Ray SDKs, and OTLP span batches from
 * their OpenTelemetry exporters, into the trace store.
 */
public final class XRayDaemon implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAXIMUM_DATAGRAM = 64 * 1024;
    private static final String SAMPLED_SPANS = "T1S";
    private static final String UNSAMPLED_SPANS = "T1U";
    // A deep kernel buffer and a reader that does nothing but parse keep bursts from concurrent functions intact.
    private static final int RECEIVE_BUFFER = 16 * 1024 * 1024;

    private final DatagramSocket socket;
    private final TraceStore store;
    private final Thread reader;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();

    public XRayDaemon(TraceStore store) throws SocketException {
        this.store = store;
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        reader = Thread.ofPlatform().daemon().name("xray-daemon").start(this::receive);
    }

    /** The value for AWS_XRAY_DAEMON_ADDRESS. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Segment documents and spans taken from well-formed datagrams, sampled or not. */
    public long documentCount() {
        return documents.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    private void receive() {
        byte[] buffer = new byte[MAXIMUM_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            accept(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Parses one datagram: the protocol header line, then either one segment document (the X-Ray SDKs) or {@code T1S}
     * / {@code T1U} and the base64 of an OTLP ExportTraceServiceRequest (OpenTelemetry in Lambda:
     * aws-observability/aws-otel-java-instrumentation, AwsXrayUdpSpanExporter). Spans marked T1U were not sampled: X-Ray
     * keeps them out of traces. Anything else is counted as malformed and skipped.
     */
    void accept(String datagram) {
        int newline = datagram.indexOf('\n');
        try {
            if (newline < 0 || !JSON.readTree(datagram.substring(0, newline)).path("format").asText().equals("json")) {
                malformed.incrementAndGet();
                return;
            }
            String body = datagram.substring(newline + 1);
            if (body.startsWith(SAMPLED_SPANS) || body.startsWith(UNSAMPLED_SPANS)) {
                List<ObjectNode> spans = OtlpSpans.toSegments(ExportTraceServiceRequest.parseFrom(
                        Base64.getDecoder().decode(body.substring(SAMPLED_SPANS.length()).trim())));
                documents.addAndGet(spans.size());
                if (body.startsWith(SAMPLED_SPANS)) {
                    spans.forEach(span -> store.putSoon(span, this::lost));
                }
                return;
            }
            JsonNode document = JSON.readTree(body);
            if (document instanceof ObjectNode segment) {
                store.putSoon(segment, this::lost);
                documents.incrementAndGet();
            } else {
                malformed.incrementAndGet();
            }
        } catch (IOException | IllegalArgumentException unreadable) {
            malformed.incrementAndGet();
        }
    }

    /** A document the store could not keep: said once per document, never dropped without a word. */
    private void lost(Throwable failure) {
        System.err.println("The X-Ray daemon could not keep a segment document: " + failure.getMessage());
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join();
    }
}
