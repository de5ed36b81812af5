package xrayasync.otel.triggering;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.SdkHttpClient;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/**
 * SnapStart priming of the OpenTelemetry flavor: a function's AWS calls against canned answers, traced, their spans
 * encoded as datagrams for the X-Ray daemon, the trace header propagated, so the snapshot Lambda takes of a published
 * version holds that code loaded and warm. Nothing leaves the process: no request, no datagram.
 */
final class TelemetryPriming {

    /** A trace header as Lambda hands a sampled invocation (X-Ray's documented example), so the calls are traced. */
    static final String SAMPLE_TRACE_HEADER =
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    // How the Lambda instrumentation reads its headers map when it extracts the invocation's parent context.
    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String name) {
            return headers == null ? null : headers.get(name);
        }
    };

    /** The AWS calls a function primes, through clients built as its handler builds them but on these two. */
    @FunctionalInterface
    interface Calls {
        void run(SdkHttpClient http, AwsSdkTelemetry aws);
    }

    /**
     * What priming did.
     *
     * @param requests the requests the calls made, as "METHOD /encoded/path", all answered in-process
     * @param datagrams the datagrams the calls' spans became, as the daemon would receive them; none was sent
     * @param propagatedTraceHeader the X-Ray trace header the propagator wrote for the sample invocation's context
     */
    record Run(List<String> requests, List<byte[]> datagrams, String propagatedTraceHeader) {
    }

    private TelemetryPriming() {
    }

    /** Runs the calls once within the sample invocation's context, on an OpenTelemetry SDK of priming's own. */
    static Run run(Calls calls) {
        CannedHttpClient http = CannedHttpClient.forPriming();
        List<byte[]> datagrams = new CopyOnWriteArrayList<>();
        Map<String, String> propagated = new HashMap<>();
        // Built like the handler's SDK, so the same code gets warm, but closed here: the handler's SDK keeps no span,
        // context or exporter state from priming, and the exporter hands its datagrams to the list, not the daemon.
        try (OpenTelemetrySdk telemetry = LambdaTelemetry.create(System.getenv(),
                XRayUdpSpanExporter.into(datagrams::add))) {
            TextMapPropagator propagator = telemetry.getPropagators().getTextMapPropagator();
            Context invocation = propagator.extract(Context.root(), Map.of(TRACE_HEADER, SAMPLE_TRACE_HEADER),
                    HEADERS);
            propagator.inject(invocation, propagated, Map::put);
            try (Scope scope = invocation.makeCurrent()) {
                calls.run(http, AwsSdkTelemetry.create(telemetry));
            }
        }
        return new Run(http.requests(), List.copyOf(datagrams), propagated.get(TRACE_HEADER));
    }
}
