package xrayasync.localcloud.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.TraceSummary;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.WireProtocol;
import xrayasync.localcloud.core.logs.LogsApi;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.store.Store;
import xrayasync.localcloud.core.store.WorkFolderLock;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayApi;

/**
 * How fast the reads that {@code sam traces}, {@code sam logs} and the trace check make stay as the store grows: a
 * store filled with the given numbers of segments and log events, spread over the last day, then GetTraceSummaries
 * over a five-minute window, BatchGetTraces of five traces and FilterLogEvents over one stream (its last five minutes,
 * as {@code sam logs} asks, and the first page of the whole stream), each timed over HTTP on loopback with the AWS SDK,
 * as a client sees it.
 */
public final class StoreReadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEGMENTS_PER_TRACE = 5;
    private static final String GROUP = "/aws/lambda/xray-async-TriggeredFunction";
    private static final String STREAM = "2026/12/04/[1]0123456789abcdef0123456789abcdef";
    private static final Duration SPREAD = Duration.ofDays(1);
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final Path work;
    private final PrintStream out;

    public StoreReadBenchmark(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /** Fills a new store, then times each read {@code repetitions} times and prints min / median / max. */
    public void run(int segments, int logEvents, int repetitions) throws IOException {
        try (WorkFolderLock lock = WorkFolderLock.take(work); Store store = Store.open(work)) {
            TraceStore traces = new TraceStore(store);
            LogsService logs = new LogsService(store, Clock.systemUTC());
            Instant now = Instant.now();
            long started = System.nanoTime();
            List<String> traceIds = fillTraces(traces, segments, now);
            fillLogs(logs, logEvents, now);
            store.flush();
            out.printf(Locale.ROOT, "Stored %,d segments in %,d traces and %,d log events in one stream, over the last"
                    + " %s, in %.1f s%n", segments, traceIds.size(), logEvents, SPREAD,
                    (System.nanoTime() - started) / 1e9);
            ModelledApi xray = new XRayApi(traces).wire();
            ModelledApi logsApi = new LogsApi(logs, LocalCloud.Settings.REGION, LocalCloud.Settings.ACCOUNT).wire();
            try (LoopbackServer edge = LoopbackServer.bind("The store benchmark", WireProtocol.REST_JSON).serve(
                    new EdgeRouter(List.of(new EdgeRouter.Service("xray", xray.errors(), xray::recognizes, xray),
                            new EdgeRouter.Service("logs", logsApi.errors(), logsApi::recognizes, logsApi)),
                            request -> {
                            }));
                    Clients clients = new Clients(edge)) {
                Instant windowEnd = now.minus(SPREAD.dividedBy(2));
                Instant windowStart = windowEnd.minus(WINDOW);
                List<String> five = traceIds.subList(traceIds.size() / 2, traceIds.size() / 2 + 5);
                out.printf(Locale.ROOT, "%-58s %10s %10s %10s  %s%n", "read", "min ms", "median ms", "max ms", "found");
                time("GetTraceSummaries, 5-minute window", repetitions, () -> summaries(clients.xray, windowStart,
                        windowEnd) + " traces");
                time("BatchGetTraces, 5 traces", repetitions, () -> clients.xray.batchGetTraces(request -> request
                        .traceIds(five)).traces().stream().mapToInt(trace -> trace.segments().size()).sum()
                        + " segments");
                time("FilterLogEvents, one stream, its last 5 minutes", repetitions, () -> clients.logs
                        .filterLogEvents(request -> request.logGroupName(GROUP).logStreamNames(STREAM)
                                .startTime(now.minus(WINDOW).toEpochMilli()).endTime(now.toEpochMilli()))
                        .events().size() + " events");
                time("FilterLogEvents, one stream, first page (10,000)", repetitions, () -> clients.logs
                        .filterLogEvents(request -> request.logGroupName(GROUP).logStreamNames(STREAM)).events().size()
                        + " events");
            }
        }
    }

    private static int summaries(XRayClient xray, Instant start, Instant end) {
        List<TraceSummary> all = new ArrayList<>();
        xray.getTraceSummariesPaginator(request -> request.startTime(start).endTime(end)).forEach(page ->
                all.addAll(page.traceSummaries()));
        return all.size();
    }

    /** Traces of five documents each, their starts spread evenly over the last day. */
    private static List<String> fillTraces(TraceStore traces, int segments, Instant now) {
        int count = Math.max(1, segments / SEGMENTS_PER_TRACE);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<String> ids = new ArrayList<>();
        double first = now.minus(SPREAD).toEpochMilli() / 1000.0;
        double step = SPREAD.toMillis() / 1000.0 / count;
        for (int trace = 0; trace < count; trace++) {
            double start = first + trace * step;
            String traceId = String.format(Locale.ROOT, "1-%08x-%024x", (long) start, trace);
            ids.add(traceId);
            for (int document = 0; document < SEGMENTS_PER_TRACE; document++) {
                ObjectNode segment = JSON.createObjectNode().put("trace_id", traceId)
                        .put("id", String.format(Locale.ROOT, "%08x%08x", trace, document))
                        .put("name", document == 0 ? "xray-async-TriggeringFunction" : "S3")
                        .put("start_time", start + document * 0.01).put("end_time", start + 0.5);
                if (document > 0) {
                    segment.put("type", "subsegment").put("parent_id", String.format(Locale.ROOT, "%08x%08x", trace, 0));
                } else {
                    segment.put("origin", "AWS::Lambda::Function");
                }
                traces.putSoon(segment, failed::set);
            }
        }
        if (failed.get() != null) {
            throw new IllegalStateException("The store refused a segment: " + failed.get().getMessage());
        }
        return ids;
    }

    private static void fillLogs(LogsService logs, int events, Instant now) {
        long first = now.minus(SPREAD).toEpochMilli();
        long step = Math.max(1, SPREAD.toMillis() / Math.max(1, events));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int event = 0; event < events; event++) {
            logs.putSoon(GROUP, STREAM, first + event * step, "{\"level\":\"INFO\",\"message\":\"line " + event
                    + "\"}", failed::set);
        }
        if (failed.get() != null) {
            throw new IllegalStateException("The store refused a log event: " + failed.get().getMessage());
        }
    }

    private void time(String read, int repetitions, Supplier<String> call) {
        String found = call.get();
        List<Double> millis = new ArrayList<>();
        for (int repetition = 0; repetition < repetitions; repetition++) {
            long start = System.nanoTime();
            call.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(Double::compare);
        out.printf(Locale.ROOT, "%-58s %10.1f %10.1f %10.1f  %s%n", read, millis.getFirst(),
                millis.get(millis.size() / 2), millis.getLast(), found);
    }

    /** SDK clients of the benchmark's edge. */
    private static final class Clients implements AutoCloseable {
        final XRayClient xray;
        final CloudWatchLogsClient logs;

        Clients(LoopbackServer edge) {
            SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(2)).build();
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCloud.ACCESS_KEY,
                    LocalCloud.SECRET_KEY));
            xray = XRayClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(LocalCloud.Settings.REGION)).endpointOverride(edge.endpoint()).build();
            logs = CloudWatchLogsClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(LocalCloud.Settings.REGION)).endpointOverride(edge.endpoint()).build();
        }

        @Override
        public void close() {
            xray.close();
            logs.close();
        }
    }
}
