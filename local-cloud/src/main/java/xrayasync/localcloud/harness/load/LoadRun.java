package xrayasync.localcloud.harness.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.FunctionPair;

/**
 * Many invocations of the caller at once against the local cloud, then an account of what arrived: every caller and
 * callee in one trace with its S3 subsegment, every segment document the functions sent, the async hop.
 */
public final class LoadRun {

    /**
     * Documents the functions send per linked pair with the X-Ray SDK: the caller's S3 and Lambda subsegments, the
     * callee's handler subsegment (its S3 call inside). The OpenTelemetry flavor sends a span per call and per handler.
     */
    public static final int XRAY_SDK_DOCUMENTS_PER_PAIR = 3;

    /**
     * The account of one run.
     *
     * @param asyncHopP50Millis median time from Lambda accepting the event (202) to the callee's start
     */
    public record Report(FunctionPair pair, int sent, int answered, int failed, long calleeCompleted, long calleeKept, int linked,
            long documentsReceived, long documentsExpected, long malformedDocuments, double asyncHopP50Millis,
            double asyncHopP99Millis, int callerConcurrency, int calleeConcurrency, Duration elapsed) {

        public boolean nothingLost() {
            return answered == sent && linked == sent && calleeCompleted == sent
                    && documentsReceived == documentsExpected && malformedDocuments == 0;
        }

        public void print(PrintStream out) {
            out.printf("invocations sent:              %d (answered %d, failed %d)%n", sent, answered, failed);
            out.printf("callee invocations done:       %d (kept in the failure queue: %d)%n", calleeCompleted,
                    calleeKept);
            out.printf("traces complete and linked:    %d / %d%n", linked, sent);
            out.printf("segment documents received:    %d / %d expected (malformed: %d)%n", documentsReceived,
                    documentsExpected, malformedDocuments);
            out.printf("async hop (202 -> start):      p50 %.1f ms, p99 %.1f ms%n", asyncHopP50Millis,
                    asyncHopP99Millis);
            out.printf("concurrency reached:           %s %d, %s %d environments%n", pair.callerLogicalId(),
                    callerConcurrency, pair.calleeLogicalId(), calleeConcurrency);
            out.printf("elapsed:                       %.1f s%n", elapsed.toMillis() / 1000.0);
            out.println(nothingLost() ? "RESULT: nothing lost" : "RESULT: LOSS");
        }
    }

    private final LocalCloud cloud;
    private final FunctionPair pair;
    private final int documentsPerPair;
    private final LambdaClient lambda;
    private final PrintStream out;

    /** @param documentsPerPair the segment documents and spans the two functions send for one linked pair */
    public LoadRun(LocalCloud cloud, FunctionPair pair, int documentsPerPair, LambdaClient lambda, PrintStream out) {
        this.cloud = cloud;
        this.pair = pair;
        this.documentsPerPair = documentsPerPair;
        this.lambda = lambda;
        this.out = out;
    }

    /** What the invocations came to, before X-Ray is read. */
    private record Sent(List<String> traceIds, int answered, int failed) {
    }

    /**
     * Sends {@code count} invocations, at most {@code inFlight} at a time, each in a new sampled trace, then waits
     * (at most {@code timeout}) for the async events to finish and the segments to arrive.
     */
    public Report run(int count, int inFlight, byte[] event, Duration timeout) throws Exception {
        long documentsBefore = cloud.daemon().documentCount();
        long malformedBefore = cloud.daemon().malformedCount();
        Instant started = Instant.now();
        Sent sent = send(count, inFlight, event);
        out.println("all " + count + " answered; waiting for the async events and their segments");
        cloud.lambda().asyncQueue().awaitIdle(timeout);
        long expected = (long) count * documentsPerPair;
        List<Double> hops = awaitLinked(sent.traceIds(), () -> cloud.daemon().documentCount() - documentsBefore
                >= expected, Instant.now().plus(timeout));
        return new Report(pair, count, sent.answered(), sent.failed(), cloud.lambda().asyncQueue().succeededCount(),
                cloud.lambda().asyncQueue().sentToDestinationCount(), hops.size(),
                cloud.daemon().documentCount() - documentsBefore, expected,
                cloud.daemon().malformedCount() - malformedBefore, percentile(hops, 0.50), percentile(hops, 0.99),
                cloud.lambda().peakConcurrency(cloud.stack().function(pair.callerLogicalId()).name()),
                cloud.lambda().peakConcurrency(cloud.stack().function(pair.calleeLogicalId()).name()),
                Duration.between(started, Instant.now()));
    }

    private Sent send(int count, int inFlight, byte[] event) throws Exception {
        String caller = cloud.stack().function(pair.callerLogicalId()).name();
        ConcurrentLinkedQueue<String> traceIds = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(inFlight);
        List<Future<?>> calls = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                window.acquire();
                calls.add(callers.submit(() -> {
                    try {
                        TraceHeader trace = TraceHeader.newSampledTrace(XRayIds.system());
                        traceIds.add(trace.root());
                        InvokeResponse response = lambda.invoke(request -> request.functionName(caller)
                                .payload(SdkBytes.fromByteArray(event))
                                .overrideConfiguration(override -> override.putHeader(TraceHeader.HTTP_HEADER,
                                        trace.toString())));
                        if (response.functionError() == null) {
                            answered.incrementAndGet();
                        } else if (failed.incrementAndGet() <= 3) {
                            out.println("Invocation failed: " + response.payload().asUtf8String());
                        }
                    } catch (RuntimeException error) {
                        if (failed.incrementAndGet() <= 3) {
                            out.println("Invocation failed: " + error.getMessage());
                        }
                    } finally {
                        window.release();
                    }
                }));
                if ((i + 1) % 50 == 0) {
                    out.printf("sent %d of %d%n", i + 1, count);
                }
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        return new Sent(List.copyOf(traceIds), answered.get(), failed.get());
    }

    /**
     * Reads the traces until every one is linked and the documents are all in, or the deadline passes; returns the
     * async hops of the linked ones, sorted.
     */
    private List<Double> awaitLinked(List<String> traceIds, BooleanSupplier documentsIn, Instant deadline)
            throws InterruptedException {
        String caller = cloud.stack().function(pair.callerLogicalId()).name();
        String callee = cloud.stack().function(pair.calleeLogicalId()).name();
        while (true) {
            List<Double> hops = new ArrayList<>();
            for (String traceId : traceIds) {
                Double hop = linkedHop(cloud.traces().segments(traceId).orElse(List.of()), caller, callee);
                if (hop != null) {
                    hops.add(hop);
                }
            }
            if ((hops.size() == traceIds.size() && documentsIn.getAsBoolean()) || Instant.now().isAfter(deadline)) {
                hops.sort(Double::compare);
                return hops;
            }
            Thread.sleep(200);
        }
    }

    /**
     * The async hop of a trace that holds both functions with their S3 subsegments, or null when it is incomplete:
     * from the callee's AWS::Lambda segment (the 202) to the start of its function segment, which starts with the
     * invocation.
     */
    static Double linkedHop(List<ObjectNode> segments, String caller, String callee) {
        JsonNode callerFunction = null;
        JsonNode calleeService = null;
        JsonNode calleeFunction = null;
        for (JsonNode segment : segments) {
            String origin = segment.path("origin").asText();
            String name = segment.path("name").asText();
            if (origin.equals("AWS::Lambda::Function") && name.equals(caller)) {
                callerFunction = segment;
            } else if (origin.equals("AWS::Lambda::Function") && name.equals(callee)) {
                calleeFunction = segment;
            } else if (origin.equals("AWS::Lambda") && name.equals(callee)) {
                calleeService = segment;
            }
        }
        if (callerFunction == null || calleeService == null || calleeFunction == null
                || !hasNamed(withChildSegments(callerFunction, segments), "S3")
                || !hasNamed(withChildSegments(callerFunction, segments), "Lambda")
                || !hasNamed(withChildSegments(calleeFunction, segments), "S3")) {
            return null;
        }
        return (calleeFunction.path("start_time").asDouble() - calleeService.path("start_time").asDouble()) * 1000;
    }

    /**
     * A function segment with the segments that hang under it: an OpenTelemetry handler's SERVER span is a segment of
     * its own whose parent is Lambda's function segment, and its calls are under it.
     */
    private static List<JsonNode> withChildSegments(JsonNode function, List<ObjectNode> segments) {
        List<JsonNode> family = new ArrayList<>(List.of(function));
        for (ObjectNode segment : segments) {
            if (segment.path("parent_id").asText().equals(function.path("id").asText())) {
                family.add(segment);
            }
        }
        return family;
    }

    private static boolean hasNamed(List<JsonNode> entities, String name) {
        for (JsonNode entity : entities) {
            for (JsonNode child : entity.path("subsegments")) {
                if (child.path("name").asText().equals(name) || hasNamed(List.of(child), name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double percentile(List<Double> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
    }
}
