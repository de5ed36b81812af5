package xrayasync.otel.triggering;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * Sends requests without X-Amzn-Trace-Id, as the deprecated InvokeAsync API did: the original report's broken trace.
 */
final class TraceHeaderRemover implements ExecutionInterceptor {

    static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    // Registered through the client's override configuration, so it runs after both the tracing interceptor (the X-Ray
    // SDK's or OpenTelemetry's) and the SDK's own TraceIdExecutionInterceptor, each of which would otherwise add the
    // header back.
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        return context.httpRequest().toBuilder().removeHeader(TRACE_HEADER).build();
    }
}
