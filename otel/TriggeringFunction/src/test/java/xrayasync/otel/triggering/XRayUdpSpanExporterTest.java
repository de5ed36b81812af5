package xrayasync.otel.triggering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** The OTLP-over-UDP exporter against a real UDP socket on loopback, decoding what it receives. */
class XRayUdpSpanExporterTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(5);

    private RecordingOtlpDaemon daemon;
    private XRayUdpSpanExporter exporter;

    @BeforeEach
    void startTheDaemon() throws Exception {
        daemon = new RecordingOtlpDaemon();
        exporter = XRayUdpSpanExporter.to(daemon.address());
    }

    @AfterEach
    void stopTheDaemon() throws InterruptedException {
        exporter.shutdown();
        daemon.close();
    }

    @Test
    void sampledSpansArriveAsOneT1sDatagramBehindTheDaemonHeader() throws Exception {
        SpanData first = span("first", "note", "a");
        SpanData second = span("second", "note", "b");

        assertTrue(export(List.of(first, second)).isSuccess());

        List<RecordingOtlpDaemon.Datagram> datagrams = daemon.awaitSpans(2, ARRIVAL);
        assertEquals(1, datagrams.size());
        assertEquals(XRayUdpSpanExporter.SAMPLED, datagrams.getFirst().prefix());
        io.opentelemetry.proto.trace.v1.Span received = datagrams.getFirst().spans().stream()
                .filter(span -> span.getName().equals("first")).findFirst().orElseThrow();
        assertEquals(first.getTraceId(), RecordingOtlpDaemon.hex(received.getTraceId()));
        assertEquals(first.getSpanId(), RecordingOtlpDaemon.hex(received.getSpanId()));
        assertEquals(Map.of("note", "a"), RecordingOtlpDaemon.attributes(received.getAttributesList()));
    }

    @Test
    void unsampledSpansGoInADatagramOfTheirOwnMarkedT1u() throws Exception {
        assertTrue(export(List.of(span("kept", "note", "a"), unsampledSpan("recorded only"))).isSuccess());

        Map<String, String> prefixBySpan = new HashMap<>();
        for (RecordingOtlpDaemon.Datagram datagram : daemon.awaitSpans(2, ARRIVAL)) {
            datagram.spans().forEach(span -> prefixBySpan.put(span.getName(), datagram.prefix()));
        }
        assertEquals(Map.of("kept", XRayUdpSpanExporter.SAMPLED, "recorded only", XRayUdpSpanExporter.UNSAMPLED),
                prefixBySpan);
    }

    @Test
    void aBatchTooLargeForOneDatagramIsSplitAndNothingIsLost() throws Exception {
        List<SpanData> spans = new ArrayList<>();
        for (int index = 0; index < 40; index++) {
            spans.add(span("span-" + index, "payload", "x".repeat(4_000)));
        }

        assertTrue(export(spans).isSuccess());

        List<RecordingOtlpDaemon.Datagram> datagrams = daemon.awaitSpans(40, ARRIVAL);
        assertTrue(datagrams.size() > 1, "40 spans of 4 kB each need more than one datagram");
        for (RecordingOtlpDaemon.Datagram datagram : datagrams) {
            assertTrue(datagram.size() <= XRayUdpSpanExporter.DATAGRAM_LIMIT, datagram.size() + " bytes");
        }
        assertEquals(40, datagrams.stream().flatMap(datagram -> datagram.spans().stream())
                .map(span -> span.getName()).distinct().count());
    }

    @Test
    void aSpanTooLargeForAnyDatagramIsDroppedAndCountedWhileTheOthersArrive() throws Exception {
        CompletableResultCode result = export(List.of(span("before", "note", "a"),
                span("huge", "payload", "x".repeat(100_000)), span("after", "note", "b")));

        assertFalse(result.isSuccess(), "the batch did not leave whole");
        assertEquals(1, exporter.droppedSpans());
        Set<String> arrived = daemon.awaitSpans(2, ARRIVAL).stream().flatMap(datagram -> datagram.spans().stream())
                .map(span -> span.getName()).collect(Collectors.toSet());
        assertEquals(Set.of("before", "after"), arrived);
        assertEquals(List.of(), daemon.drain(Duration.ofMillis(300)));
    }

    @Test
    void anExporterIntoASinkHandsItTheDatagramTheDaemonWouldReceive() throws Exception {
        SpanData span = span("kept", "note", "a");
        List<byte[]> sink = new ArrayList<>();

        assertTrue(XRayUdpSpanExporter.into(sink::add).export(List.of(span)).join(5, TimeUnit.SECONDS).isSuccess());
        export(List.of(span));

        assertEquals(daemon.awaitSpans(1, ARRIVAL), sink.stream().map(RecordingOtlpDaemon::parse).toList());
    }

    @Test
    void theDatagramSizeIsTheHeaderThePrefixAndTheRequestInBase64() throws Exception {
        export(List.of(span("measured", "note", "a")));

        RecordingOtlpDaemon.Datagram datagram = daemon.awaitSpans(1, ARRIVAL).getFirst();
        assertEquals(XRayUdpSpanExporter.datagramSize(datagram.request().getSerializedSize()), datagram.size());
    }

    @Test
    void theDaemonAddressIsHostAndPort() {
        assertEquals(2000, XRayUdpSpanExporter.daemonAddress(XRayUdpSpanExporter.DEFAULT_DAEMON_ADDRESS).getPort());
        assertEquals("169.254.79.129", XRayUdpSpanExporter.daemonAddress("169.254.79.129:2000").getHostString());
    }

    @Test
    void aDaemonAddressThatIsNotHostAndPortFailsNamingTheVariable() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> XRayUdpSpanExporter.daemonAddress("daemon"));

        assertTrue(failure.getMessage().startsWith("AWS_XRAY_DAEMON_ADDRESS is 'daemon', which is not host:port"),
                failure.getMessage());
    }

    private CompletableResultCode export(List<SpanData> spans) {
        return exporter.export(spans).join(5, TimeUnit.SECONDS);
    }

    private static SpanData span(String name, String key, String value) {
        return finished(SdkTracerProvider.builder().build().get("test"), name, key, value);
    }

    private static SpanData unsampledSpan(String name) {
        Sampler recordOnly = new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parentContext, String traceId, String spanName,
                    SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
                return SamplingResult.recordOnly();
            }

            @Override
            public String getDescription() {
                return "RecordOnly";
            }
        };
        return finished(SdkTracerProvider.builder().setSampler(recordOnly).build().get("test"), name, "note", "u");
    }

    private static SpanData finished(Tracer tracer, String name, String key, String value) {
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder(name).setAttribute(key, value).startSpan();
        span.end();
        return ((ReadableSpan) span).toSpanData();
    }
}
