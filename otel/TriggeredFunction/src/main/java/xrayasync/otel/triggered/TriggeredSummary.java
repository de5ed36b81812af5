package xrayasync.otel.triggered;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * What TriggeredFunction returns (kept by Lambda with the async invocation's record).
 *
 * @param traceId the X-Ray trace id this invocation ran under, or null when it ran without a trace header
 * @param joinedCallersTrace whether this invocation ran in the same trace as its caller
 */
record TriggeredSummary(
        String callerRequestId,
        String callerTraceId,
        int bucketCount,
        String traceId,
        boolean joinedCallersTrace,
        long asyncHopMillis,
        String requestId) {

    /** The summary of one run: the caller's payload, the buckets seen, and the trace this run had. */
    static TriggeredSummary of(TriggerPayload payload, int bucketCount, String traceId, String requestId) {
        return new TriggeredSummary(payload.callerRequestId(), payload.callerTraceId(), bucketCount, traceId,
                traceId != null && Objects.equals(traceId, payload.callerTraceId()),
                Duration.between(payload.sentAt(), Instant.now()).toMillis(), requestId);
    }

    /** The run's log line: ids and sizes only, so the payload itself stays out of the logs. */
    String logLine(String callerFunctionName, int payloadBytes) {
        return "Triggered by " + callerFunctionName + " request " + callerRequestId + " from trace " + callerTraceId
                + "; running in trace " + traceId + " (joined caller's trace: " + joinedCallersTrace + "), async hop "
                + asyncHopMillis + " ms, payload " + payloadBytes + " bytes, " + bucketCount + " buckets";
    }
}
