package xrayasync.otel.triggering;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * Keeps the Lineage field of the incoming trace header on the outgoing one, so Lambda's recursive loop detection
 * keeps counting: the tracing interceptors write a new header without it (the X-Ray SDK's always, OpenTelemetry's
 * unless the field has the newer counter:hash:counter form).
 */
final class LineagePropagation implements ExecutionInterceptor {

    static final String LINEAGE = "Lineage";

    // Registered through the client's override configuration, so it runs after the tracing interceptor.
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        SdkHttpRequest request = context.httpRequest();
        String lineage = LambdaTraceHeader.current().field(LINEAGE);
        return request.firstMatchingHeader(TraceHeaderRemover.TRACE_HEADER)
                .filter(header -> lineage != null && !header.contains(LINEAGE + "="))
                .map(header -> request.toBuilder()
                        .putHeader(TraceHeaderRemover.TRACE_HEADER, header + ";" + LINEAGE + "=" + lineage)
                        .build())
                .orElse(request);
    }
}
