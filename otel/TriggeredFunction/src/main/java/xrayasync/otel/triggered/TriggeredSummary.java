package xrayasync.otel.triggered;

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
}
