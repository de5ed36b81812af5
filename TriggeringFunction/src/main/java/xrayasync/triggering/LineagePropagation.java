package xrayasync.triggering;

import com.amazonaws.xray.contexts.LambdaSegmentContext;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Keeps the Lineage field of the incoming trace header on the outgoing one, so Lambda's recursive loop detection
 * keeps counting: the X-Ray SDK's TracingInterceptor writes a new header with Root, Parent and Sampled only.
 */
final class LineagePropagation implements ExecutionInterceptor {

    static final String LINEAGE = "Lineage";

    // Registered through the client's override configuration, so it runs after the X-Ray TracingInterceptor.
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        SdkHttpRequest request = context.httpRequest();
        String lineage = LambdaSegmentContext.getTraceHeaderFromEnvironment().getAdditionalParams().get(LINEAGE);
        return request.firstMatchingHeader(TraceHeaderRemover.TRACE_HEADER)
                .filter(header -> lineage != null && !header.contains(LINEAGE + "="))
                .map(header -> request.toBuilder()
                        .putHeader(TraceHeaderRemover.TRACE_HEADER, header + ";" + LINEAGE + "=" + lineage)
                        .build())
                .orElse(request);
    }
}
