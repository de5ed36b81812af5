package xrayasync.otel.triggering;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * What TriggeringFunction sends to TriggeredFunction: enough to find the caller, and its trace, from the callee.
 *
 * @param callerTraceHeader the trace header the caller ran under, or null when it ran without one
 */
record TriggerPayload(
        int schemaVersion,
        String callerRequestId,
        String callerFunctionName,
        String callerTraceHeader,
        String sentAt,
        int bucketCount) {

    static final int SCHEMA_VERSION = 1;
}
