package xrayasync.otel.triggering;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** A UDP socket on loopback that receives OTLP span datagrams (T1S, T1U) the way the Lambda X-Ray daemon does. */
final class RecordingOtlpDaemon implements AutoCloseable {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    private static final int PREFIX_LENGTH = 3;

    /** One datagram as received: its size, its sampling prefix and the OTLP request it carried. */
    record Datagram(int size, String prefix, ExportTraceServiceRequest request) {

        /** Every span of the request, in order. */
        List<Span> spans() {
            return request.getResourceSpansList().stream()
                    .flatMap(resource -> resource.getScopeSpansList().stream())
                    .flatMap(scope -> scope.getSpansList().stream())
                    .toList();
        }

        /** The resource attributes the first batch of spans came with. */
        Map<String, Object> resource() {
            return attributes(request.getResourceSpansList().stream().findFirst()
                    .map(ResourceSpans::getResource).orElseThrow().getAttributesList());
        }
    }

    private final DatagramSocket socket;
    private final BlockingQueue<Datagram> datagrams = new LinkedBlockingQueue<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final Thread reader;

    RecordingOtlpDaemon() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        reader = Thread.ofPlatform().daemon().name("otlp-daemon-" + socket.getLocalPort()).start(this::receive);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void receive() {
        // One byte over the largest UDP payload, so an oversized datagram would show as one, not be cut to fit.
        byte[] buffer = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            byte[] received = Arrays.copyOf(packet.getData(), packet.getLength());
            try {
                datagrams.add(parse(received));
            } catch (RuntimeException malformed) {
                String datagram = new String(received, StandardCharsets.UTF_8);
                rejected.add(datagram.substring(0, Math.min(200, datagram.length())) + " (" + malformed + ")");
            }
        }
    }

    /** Reads a datagram as the daemon does, failing on one it would reject. */
    static Datagram parse(byte[] datagram) {
        String text = new String(datagram, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER)) {
            throw new IllegalArgumentException("no daemon header");
        }
        String body = text.substring(HEADER.length());
        byte[] request = Base64.getDecoder().decode(body.substring(PREFIX_LENGTH));
        try {
            return new Datagram(datagram.length, body.substring(0, PREFIX_LENGTH),
                    ExportTraceServiceRequest.parseFrom(request));
        } catch (IOException malformed) {
            throw new UncheckedIOException(malformed);
        }
    }

    /** Waits until datagrams holding the given number of spans arrived, failing when they do not in time. */
    List<Datagram> awaitSpans(int count, Duration timeout) throws InterruptedException {
        List<Datagram> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.stream().mapToInt(datagram -> datagram.spans().size()).sum() < count) {
            Datagram next = datagrams.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("Expected datagrams with " + count + " spans, received " + received);
            }
            received.add(next);
        }
        assertWellFormed();
        return received;
    }

    /** The spans of the given number, by name, once they all arrived. */
    Map<String, Span> awaitSpansByName(int count, Duration timeout) throws InterruptedException {
        return byName(awaitSpans(count, timeout));
    }

    /** The spans of the datagrams by name; two spans of one name fail, as the tests name every span they expect. */
    static Map<String, Span> byName(List<Datagram> datagrams) {
        return datagrams.stream().flatMap(datagram -> datagram.spans().stream())
                .collect(Collectors.toMap(Span::getName, span -> span));
    }

    /** Everything that arrives within the given quiet period. */
    List<Datagram> drain(Duration quietPeriod) throws InterruptedException {
        Thread.sleep(quietPeriod.toMillis());
        List<Datagram> received = new ArrayList<>();
        datagrams.drainTo(received);
        assertWellFormed();
        return received;
    }

    private void assertWellFormed() {
        if (!rejected.isEmpty()) {
            throw new AssertionError("Datagrams the X-Ray daemon would reject: " + rejected);
        }
    }

    /** The attributes as plain values: String, Long, Double, Boolean, or a List of those. */
    static Map<String, Object> attributes(List<KeyValue> attributes) {
        Map<String, Object> values = new LinkedHashMap<>();
        attributes.forEach(attribute -> values.put(attribute.getKey(), value(attribute.getValue())));
        return values;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BOOL_VALUE -> value.getBoolValue();
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(RecordingOtlpDaemon::value).toList();
            default -> value.toString();
        };
    }

    /** An id as OpenTelemetry writes it: lower-case hex. */
    static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(Duration.ofSeconds(2));
    }
}
