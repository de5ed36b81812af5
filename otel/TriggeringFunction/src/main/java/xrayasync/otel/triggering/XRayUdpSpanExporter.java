package xrayasync.otel.triggering;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** A SpanExporter that sends spans to the Lambda X-Ray daemon as OTLP over UDP, as ADOT does in Lambda. */
final class XRayUdpSpanExporter implements SpanExporter {

    static final String DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS";
    static final String DEFAULT_DAEMON_ADDRESS = "127.0.0.1:2000";
    // The datagram format of aws-observability/aws-otel-java-instrumentation's AwsXrayUdpSpanExporter (and its
    // builder): the daemon's header, a newline, T1S or T1U for sampled or unsampled spans, then the base64 of an OTLP
    // ExportTraceServiceRequest. That exporter's artifact is not on this project's Maven Central, hence this class.
    static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    static final String SAMPLED = "T1S";
    static final String UNSAMPLED = "T1U";
    /** The largest UDP payload over IPv4, just under 64 KiB: one datagram can carry no more. */
    static final int DATAGRAM_LIMIT = 65_507;

    private static final Logger LOG = Logger.getLogger(XRayUdpSpanExporter.class.getName());

    /** Where the exporter's datagrams go: the X-Ray daemon, or a sink that keeps them from the network. */
    @FunctionalInterface
    interface DatagramSink {

        void send(byte[] datagram) throws IOException;

        // Only the daemon's sink holds a socket to release.
        default void close() {
        }
    }

    /** The daemon's UDP address, reached from a socket of the exporter's own. */
    private record Daemon(DatagramSocket socket, InetSocketAddress address) implements DatagramSink {

        @Override
        public void send(byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, address));
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return "the X-Ray daemon at " + address;
        }
    }

    private final DatagramSink sink;
    private final AtomicLong dropped = new AtomicLong();

    private XRayUdpSpanExporter(DatagramSink sink) {
        this.sink = sink;
    }

    /** An exporter to the daemon at host:port, as Lambda sets AWS_XRAY_DAEMON_ADDRESS. */
    static XRayUdpSpanExporter to(String address) {
        InetSocketAddress daemon = daemonAddress(address);
        try {
            return new XRayUdpSpanExporter(new Daemon(new DatagramSocket(), daemon));
        } catch (SocketException failure) {
            throw new UncheckedIOException("Could not open a UDP socket to send spans to " + daemon + ".", failure);
        }
    }

    /** An exporter that encodes and frames datagrams as for the daemon, then hands them to the sink, not to UDP. */
    static XRayUdpSpanExporter into(DatagramSink sink) {
        return new XRayUdpSpanExporter(sink);
    }

    /** An exporter to the daemon the environment names, or to the X-Ray daemon's default address. */
    static XRayUdpSpanExporter fromEnvironment(Map<String, String> environment) {
        String address = environment.get(DAEMON_ADDRESS);
        return to(address == null || address.isBlank() ? DEFAULT_DAEMON_ADDRESS : address.trim());
    }

    static InetSocketAddress daemonAddress(String address) {
        int colon = address.lastIndexOf(':');
        try {
            return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (RuntimeException malformed) {
            throw new IllegalStateException(DAEMON_ADDRESS + " is '" + address + "', which is not host:port: Lambda"
                    + " sets it; when running elsewhere, unset it to use " + DEFAULT_DAEMON_ADDRESS + ".", malformed);
        }
    }

    /** Spans dropped so far because one alone does not fit in a datagram. */
    long droppedSpans() {
        return dropped.get();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        Map<Boolean, List<SpanData>> bySampling = spans.stream()
                .collect(Collectors.partitioningBy(span -> span.getSpanContext().isSampled()));
        // & rather than &&: the unsampled spans are sent even when the sampled ones could not be.
        boolean sent = send(SAMPLED, bySampling.get(true)) & send(UNSAMPLED, bySampling.get(false));
        return sent ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }

    /** Sends the spans in as few datagrams as fit; returns whether all of them left. */
    private boolean send(String prefix, List<SpanData> spans) {
        if (spans.isEmpty()) {
            return true;
        }
        TraceRequestMarshaler request = TraceRequestMarshaler.create(spans);
        int size = datagramSize(request.getBinarySerializedSize());
        if (size <= DATAGRAM_LIMIT) {
            return sendDatagram(prefix, request);
        }
        if (spans.size() == 1) {
            drop(spans.getFirst(), size);
            return false;
        }
        List<SpanData> first = new ArrayList<>(spans.subList(0, spans.size() / 2));
        List<SpanData> second = new ArrayList<>(spans.subList(spans.size() / 2, spans.size()));
        return send(prefix, first) & send(prefix, second); // both halves, whatever becomes of the first
    }

    /** The datagram's size for an OTLP request of the given size: header, prefix, then the request in base64. */
    static int datagramSize(int requestSize) {
        return HEADER.length() + SAMPLED.length() + 4 * ((requestSize + 2) / 3);
    }

    private boolean sendDatagram(String prefix, TraceRequestMarshaler request) {
        try {
            sink.send(datagram(prefix, request));
            return true;
        } catch (IOException failure) {
            LOG.log(Level.WARNING, "Could not send spans to " + sink + "; X-Ray will not show them.", failure);
            return false;
        }
    }

    // TraceRequestMarshaler is internal to opentelemetry-exporter-otlp-common (ADOT's exporter uses it the same way):
    // it writes the protobuf without a protobuf runtime, and the OpenTelemetry BOM pins the version it comes in.
    private static byte[] datagram(String prefix, TraceRequestMarshaler request) throws IOException {
        ByteArrayOutputStream datagram = new ByteArrayOutputStream();
        datagram.write((HEADER + prefix).getBytes(StandardCharsets.UTF_8));
        try (OutputStream base64 = Base64.getEncoder().wrap(datagram)) {
            request.writeBinaryTo(base64);
        }
        return datagram.toByteArray();
    }

    private void drop(SpanData span, int size) {
        LOG.warning("Dropped span '" + span.getName() + "' of trace " + span.getTraceId() + ": it takes " + size
                + " bytes as a datagram, over the " + DATAGRAM_LIMIT + "-byte limit of one UDP datagram, so X-Ray"
                + " will not show it (" + dropped.incrementAndGet() + " dropped so far). Record less on the span.");
    }

    @Override
    public CompletableResultCode flush() {
        // Every export sends at once: nothing waits here.
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        sink.close();
        return CompletableResultCode.ofSuccess();
    }
}
