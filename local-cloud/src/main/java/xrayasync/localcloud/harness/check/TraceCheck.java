package xrayasync.localcloud.harness.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.Segment;
import software.amazon.awssdk.services.xray.model.Trace;
import software.amazon.awssdk.services.xray.model.TraceSummary;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * Invokes the caller in a new sampled trace, then reads the X-Ray API until it can say what became of the trace
 * across the async hop: JOINED (the callee's segments are in the caller's trace), LINKED (the callee ran in a trace
 * of its own whose Lambda segment links the caller's) or LOST, and why. Works against the local cloud and AWS.
 */
public final class TraceCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION_ORIGIN = "AWS::Lambda::Function";
    private static final String SERVICE_ORIGIN = "AWS::Lambda";
    /** The annotation the callee records the caller's trace in: it finds the callee wherever it ran. */
    private static final String CALLER_TRACE_ANNOTATION = "caller_trace_id";

    /** What X-Ray shows of the caller's trace across the hop (docs/async-hops.md). */
    public enum Verdict {
        /** One trace holds both functions. */
        JOINED,
        /** The callee's own trace links the caller's. */
        LINKED,
        /** The callee is in no trace, or in one that neither is nor links the caller's. */
        LOST
    }

    /**
     * What the check found.
     *
     * @param segments the segment documents of the caller's trace
     * @param calleeTraceId the trace the callee ran in instead, when it was found elsewhere; else null
     * @param calleeSegments that trace's segment documents; empty when there is none
     */
    public record Result(String traceId, String callee, Verdict verdict, List<JsonNode> segments,
            String calleeTraceId, List<JsonNode> calleeSegments, String explanation) {

        public boolean joined() {
            return verdict == Verdict.JOINED;
        }
    }

    private final LambdaClient lambda;
    private final XRayClient xray;
    private final PrintStream out;
    private final Duration timeout;
    private final Duration pollInterval;
    private final BooleanSupplier settled;

    /** A check that waits for X-Ray until the timeout (as against AWS, where nothing tells when the callee ran). */
    public TraceCheck(LambdaClient lambda, XRayClient xray, PrintStream out, Duration timeout, Duration pollInterval) {
        this(lambda, xray, out, timeout, pollInterval, null);
    }

    /**
     * @param settled true once no more segments can arrive (the local cloud knows when its queues are empty); null
     *     where nothing can tell
     */
    public TraceCheck(LambdaClient lambda, XRayClient xray, PrintStream out, Duration timeout, Duration pollInterval,
            BooleanSupplier settled) {
        this.lambda = lambda;
        this.xray = xray;
        this.out = out;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.settled = settled;
    }

    /**
     * @param caller the function to invoke, by name or ARN
     * @param callee the function expected behind the hop, by name; null to take it from the caller's answer
     *     (its {@code invokedFunction} field)
     */
    public Result run(String caller, String callee, byte[] event) throws InterruptedException {
        Instant started = Instant.now();
        TraceHeader trace = TraceHeader.newSampledTrace(XRayIds.system());
        String traceId = trace.root();
        out.println("Invoking " + caller + " in new trace " + traceId);
        // A sampled header from the caller is honoured by Lambda, so the check does not depend on the reservoir.
        InvokeResponse response = lambda.invoke(request -> request.functionName(caller)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(SdkBytes.fromByteArray(event))
                .overrideConfiguration(override -> override.putHeader(TraceHeader.HTTP_HEADER, trace.toString())));
        String answer = response.payload() == null ? "" : response.payload().asUtf8String();
        out.println(caller + " answered: " + answer);
        if (response.functionError() != null) {
            return new Result(traceId, callee, Verdict.LOST, List.of(), null, List.of(),
                    caller + " failed (" + response.functionError() + "): " + answer);
        }
        String expected = callee != null ? callee
                : FunctionArn.fromFunctionName(read(answer).path("invokedFunction").asText(), null, null).functionName();
        List<JsonNode> segments = List.of();
        Instant deadline = started.plus(timeout);
        long lastReported = -1;
        boolean lastLook = false;
        while (Instant.now().isBefore(deadline)) {
            segments = segments(traceId);
            if (ranIn(segments, expected, traceId)) {
                segments = onceSettled(traceId, segments, deadline);
                out.println("Trace " + traceId + " holds both functions:");
                out.print(TraceTree.render(segments));
                return new Result(traceId, expected, Verdict.JOINED, segments, null, List.of(),
                        expected + " joined the caller's trace " + traceId + ".");
            }
            Optional<String> other = calleeTrace(traceId, started);
            if (other.isPresent()) {
                List<JsonNode> otherSegments = segments(other.get());
                if (ranIn(otherSegments, expected, traceId) && linksTo(otherSegments, traceId)) {
                    otherSegments = onceSettled(other.get(), otherSegments, deadline);
                    out.println("Trace " + traceId + " (the caller's):");
                    out.print(TraceTree.render(segments));
                    out.println("Trace " + other.get() + " (" + expected + "'s), linked to it:");
                    out.print(TraceTree.render(otherSegments));
                    return new Result(traceId, expected, Verdict.LINKED, segments, other.get(), otherSegments,
                            expected + " ran in its own trace " + other.get() + ", whose Lambda segment links the"
                                    + " caller's trace " + traceId + ": X-Ray links a queue's consumer to its"
                                    + " producers instead of joining them.");
                }
            }
            if (lastLook) {
                break;
            }
            lastLook = settled != null && settled.getAsBoolean();
            long waited = Duration.between(started, Instant.now()).toSeconds();
            if (waited != lastReported) {
                out.printf("Waiting for %s's segments in trace %s or a trace linked to it (%d s)%n", expected,
                        traceId, waited);
                lastReported = waited;
            }
            Thread.sleep(pollInterval.toMillis());
        }
        out.println("Trace " + traceId + " after " + Duration.between(started, Instant.now()).toSeconds() + " s:");
        out.print(TraceTree.render(segments));
        return lost(traceId, expected, segments, started);
    }

    /**
     * The trace once nothing more can arrive, where the cloud can tell: the callee's function segment can be in before
     * Lambda's own segment for it, which is written when the event ends.
     */
    private List<JsonNode> onceSettled(String traceId, List<JsonNode> seen, Instant deadline)
            throws InterruptedException {
        if (settled == null) {
            return seen;
        }
        while (!settled.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(pollInterval.toMillis());
        }
        return segments(traceId);
    }

    /** The trace, other than the caller's, whose callee recorded the caller's trace id. */
    private Optional<String> calleeTrace(String traceId, Instant started) {
        return xray.getTraceSummariesPaginator(request -> request
                        .startTime(started.minusSeconds(60)).endTime(Instant.now().plusSeconds(60))
                        .filterExpression("annotation." + CALLER_TRACE_ANNOTATION + " = \"" + traceId + "\""))
                .traceSummaries().stream().map(TraceSummary::id).filter(id -> !id.equals(traceId)).findFirst();
    }

    private Result lost(String traceId, String callee, List<JsonNode> segments, Instant started) {
        Optional<String> other = calleeTrace(traceId, started);
        if (other.isPresent()) {
            List<JsonNode> otherSegments = segments(other.get());
            out.println(callee + " ran in a different trace, " + other.get() + ":");
            out.print(TraceTree.render(otherSegments));
            String why = startedWithoutCaller(otherSegments, callee)
                    ? " Lambda's segment for it has no parent and no link: the hop carried no trace header (an"
                            + " Invoke without X-Amzn-Trace-Id, a message without AWSTraceHeader), and the callee's"
                            + " Active tracing sampled a trace of its own."
                    : "";
            return new Result(traceId, callee, Verdict.LOST, segments, other.get(), otherSegments, callee
                    + " started a new trace " + other.get() + " instead of joining or linking " + traceId + "." + why
                    + " It is found only through its " + CALLER_TRACE_ANNOTATION + " annotation.");
        }
        return new Result(traceId, callee, Verdict.LOST, segments, null, List.of(), "No segment of " + callee
                + " reached X-Ray. Lambda does not trace a PassThrough function, even when the hop carries the"
                + " caller's sampled trace header, so with PassThrough the callee vanishes with or without trace"
                + " propagation; set its tracing to Active (or it did not run). The caller's trace ends at the hand-off"
                + " (the Invoke call's 202, the SendMessage): the original report's symptom.");
    }

    /** Whether Lambda's service segment for the callee is a root: no caller's subsegment was named to it. */
    private static boolean startedWithoutCaller(List<JsonNode> segments, String callee) {
        return segments.stream().anyMatch(segment -> SERVICE_ORIGIN.equals(segment.path("origin").asText())
                && callee.equals(segment.path("name").asText()) && !segment.hasNonNull("parent_id")
                && segment.path("links").isEmpty());
    }

    /** Whether the callee's function segment is there and it recorded the caller's trace. */
    private static boolean ranIn(List<JsonNode> segments, String callee, String callerTraceId) {
        boolean functionSegment = segments.stream().anyMatch(segment ->
                FUNCTION_ORIGIN.equals(segment.path("origin").asText()) && callee.equals(segment.path("name").asText()));
        return functionSegment && segments.stream().anyMatch(segment -> annotated(segment, callerTraceId));
    }

    /** Whether a segment of the trace links the given trace: X-Ray's top-level {@code links}, by {@code trace_id}. */
    private static boolean linksTo(List<JsonNode> segments, String traceId) {
        return segments.stream().anyMatch(segment -> {
            for (JsonNode link : segment.path("links")) {
                if (traceId.equals(link.path("trace_id").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    private static boolean annotated(JsonNode entity, String traceId) {
        if (traceId.equals(entity.path("annotations").path(CALLER_TRACE_ANNOTATION).asText())) {
            return true;
        }
        for (JsonNode child : entity.path("subsegments")) {
            if (annotated(child, traceId)) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> segments(String traceId) {
        List<JsonNode> documents = new ArrayList<>();
        for (Trace trace : xray.batchGetTraces(request -> request.traceIds(traceId)).traces()) {
            for (Segment segment : trace.segments()) {
                documents.add(read(segment.document()));
            }
        }
        return documents;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
