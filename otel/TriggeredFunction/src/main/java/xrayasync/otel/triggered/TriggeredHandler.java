package xrayasync.otel.triggered;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestStreamHandler;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeredFunction traced with OpenTelemetry: validates the caller's payload, records the caller, lists buckets. */
public final class TriggeredHandler extends TracingRequestStreamHandler implements Resource {

    // X-Ray turns span attributes into metadata, except those whose keys this attribute lists, which become
    // annotations, searchable with filter expressions (AWS X-Ray Developer Guide, "Migrating from X-Ray
    // instrumentation to OpenTelemetry instrumentation", Working with span attributes; opentelemetry-collector-contrib,
    // internal/aws/xray/awsxray.go, AWSXraySegmentAnnotationsAttribute).
    static final AttributeKey<List<String>> XRAY_ANNOTATIONS = AttributeKey.stringArrayKey("aws.xray.annotations");
    private final BucketListing buckets;
    private final Region region;

    /** Called by Lambda once per execution environment. */
    public TriggeredHandler() {
        this(region(System.getenv("AWS_REGION")), LambdaTelemetry.fromEnvironment(System.getenv()));
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    private TriggeredHandler(Region region, OpenTelemetrySdk telemetry) {
        this(telemetry, s3Client(region, PackagedHttpClient.create(), AwsSdkTelemetry.create(telemetry)));
    }

    // The base class continues the runtime's trace header in a SERVER span around doHandleRequest, ends it with the
    // outcome (a failure as its status and an exception event, as the X-Ray flavor adds it to its subsegment) and
    // flushes the SDK before the invocation returns.
    TriggeredHandler(OpenTelemetrySdk telemetry, S3Client s3) {
        super(telemetry);
        this.buckets = new BucketListing(s3);
        this.region = s3.serviceClientConfiguration().region();
    }

    /** Before Lambda snapshots a SnapStart version: prime the AWS call, span export and propagation, offline. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: XRayIdGenerator draws from SecureRandom per id; UDP and the client keep no connection.
    }

    /** Runs ListBuckets through a client built as this handler's is, in its region, against a canned answer. */
    TelemetryPriming.Run prime() {
        return TelemetryPriming.run((http, aws) -> new BucketListing(s3Client(region, http, aws)).count());
    }

    static Region region(String awsRegion) {
        if (awsRegion == null || awsRegion.isBlank()) {
            throw new IllegalStateException("Environment variable AWS_REGION is missing or empty: Lambda sets it;"
                    + " when running elsewhere, export the region the stack is deployed in.");
        }
        return Region.of(awsRegion.trim());
    }

    // Endpoints are not set here: the SDK takes them from AWS_ENDPOINT_URL* when present.
    static S3Client s3Client(Region region, SdkHttpClient http, AwsSdkTelemetry aws) {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> override.addExecutionInterceptor(aws.newExecutionInterceptor()))
                .build();
    }

    @Override
    protected void doHandleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        byte[] received = event.readAllBytes();
        TriggerPayload payload = TriggerPayload.parse(received);
        annotate(Span.current(), payload);
        int bucketCount = buckets.count();
        String traceId = LambdaTraceHeader.current().traceId();
        TriggeredSummary summary = TriggeredSummary.of(payload, bucketCount, traceId, context.getAwsRequestId());
        context.getLogger().log(summary.logLine(payload.callerFunctionName(), received.length), LogLevel.INFO);
        output.write(RecordJson.write(summary));
    }

    /** Records the caller on the span as X-Ray annotations, so a filter expression finds this invocation. */
    static void annotate(Span span, TriggerPayload payload) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("caller_request_id", payload.callerRequestId());
        annotations.put("caller_function_name", payload.callerFunctionName());
        if (payload.callerTraceId() != null) {
            annotations.put("caller_trace_id", payload.callerTraceId());
        }
        annotations.forEach(span::setAttribute);
        span.setAttribute(XRAY_ANNOTATIONS, List.copyOf(annotations.keySet()));
    }
}
