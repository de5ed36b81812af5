package xrayasync.triggering;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends requests without X-Amzn-Trace-Id, as the deprecated InvokeAsync API did: the original report's broken trace.
 */
final class TraceHeaderRemover implements ExecutionInterceptor {

    static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    // Registered through the client's override configuration, so it runs after both the X-Ray TracingInterceptor and
    // the SDK's own TraceIdExecutionInterceptor, each of which would otherwise add the header back.
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        return context.httpRequest().toBuilder().removeHeader(TRACE_HEADER).build();
    }
}
