package xrayasync.otel.triggering;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * What TriggeringFunction returns to its caller.
 *
 * @param invokedFunction where the payload went: the function, queue URL, topic ARN or event bus name (the name is
 *                        kept from the Lambda-only version, which readers of the summary know)
 * @param invokeStatusCode the HTTP status of the service's accepting answer
 * @param traceId the X-Ray trace id the invocation ran under, or null when it ran without a trace header
 * @param asyncHop the hop used, as the AsyncHop parameter spells it
 * @param handOffId the id the service gave the hand-off (message or event id), or null for Lambda, which gives none
 */
record TriggeringSummary(
        int bucketCount,
        String invokedFunction,
        int invokeStatusCode,
        String traceId,
        String requestId,
        String asyncHop,
        String handOffId) {
}
