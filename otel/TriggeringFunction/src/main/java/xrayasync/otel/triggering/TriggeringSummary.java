package xrayasync.otel.triggering;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * What TriggeringFunction returns to its caller.
 *
 * @param traceId the X-Ray trace id the invocation ran under, or null when it ran without a trace header
 */
record TriggeringSummary(
        int bucketCount,
        String invokedFunction,
        int invokeStatusCode,
        String traceId,
        String requestId) {
}
