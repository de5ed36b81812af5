package xrayasync.otel.triggering;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestStreamHandler;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** TriggeringFunction traced with OpenTelemetry: lists S3 buckets, then invokes TriggeredFunction asynchronously. */
public final class TriggeringHandler extends TracingRequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final AsyncInvoker invoker;

    /** Called by Lambda once per execution environment. */
    public TriggeringHandler() {
        this(TriggeringConfiguration.fromEnvironment(System.getenv()),
                LambdaTelemetry.fromEnvironment(System.getenv()));
    }

    private TriggeringHandler(TriggeringConfiguration configuration, OpenTelemetrySdk telemetry) {
        this(telemetry, AwsSdkTelemetry.create(telemetry), UrlConnectionHttpClient.create(), configuration);
    }

    private TriggeringHandler(OpenTelemetrySdk telemetry, AwsSdkTelemetry aws, SdkHttpClient http,
            TriggeringConfiguration configuration) {
        this(telemetry, s3Client(configuration.region(), http, aws),
                lambdaClient(configuration.region(), http, aws, configuration.tracePropagation()), configuration);
    }

    // The base class continues the runtime's trace header in a SERVER span around doHandleRequest, ends it with the
    // outcome (a failure as its status and an exception event) and flushes the SDK before the invocation returns.
    TriggeringHandler(OpenTelemetrySdk telemetry, S3Client s3, LambdaClient lambda,
            TriggeringConfiguration configuration) {
        super(telemetry);
        this.s3 = s3;
        this.invoker = new AsyncInvoker(lambda, configuration.triggeredFunctionName());
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

    // The interceptors run in the order added, so the trace header OpenTelemetry writes is then extended with the
    // caller's Lineage, or removed altogether to reproduce InvokeAsync.
    static LambdaClient lambdaClient(Region region, SdkHttpClient http, AwsSdkTelemetry aws,
            TracePropagation propagation) {
        return LambdaClient.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> override
                        .addExecutionInterceptor(aws.newExecutionInterceptor())
                        .addExecutionInterceptor(propagation == TracePropagation.DISABLED
                                ? new TraceHeaderRemover() : new LineagePropagation()))
                .build();
    }

    @Override
    protected void doHandleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        requireJson(event);
        int bucketCount = countBuckets();
        LambdaTraceHeader trace = LambdaTraceHeader.current();
        String traceHeader = trace.traceId() == null ? null : trace.text();
        TriggerPayload payload = new TriggerPayload(TriggerPayload.SCHEMA_VERSION, context.getAwsRequestId(),
                context.getFunctionName(), traceHeader, Instant.now().toString(), bucketCount);
        int status = invoker.invoke(JSON.writeValueAsBytes(payload));
        context.getLogger().log("Invoked " + invoker.target() + " asynchronously (HTTP " + status + ") under trace "
                + traceHeader + " after listing " + bucketCount + " buckets", LogLevel.INFO);
        JSON.writeValue(output, new TriggeringSummary(bucketCount, invoker.target(), status, trace.traceId(),
                context.getAwsRequestId()));
    }

    /** Any JSON value is a valid event (the console's Test button sends whatever was typed); anything else is not. */
    static void requireJson(InputStream event) throws IOException {
        try {
            JSON.readTree(event);
        } catch (JacksonException notJson) {
            throw new IllegalArgumentException("The event is not valid JSON (" + notJson.getOriginalMessage()
                    + "). Send a JSON value, for example {} or the content of events/triggering-event.json.", notJson);
        }
    }

    int countBuckets() {
        try {
            return (int) s3.listBucketsPaginator(request -> { }).buckets().stream().count();
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("S3 ListBuckets", failure,
                    failure instanceof S3Exception denied && denied.statusCode() == 403
                            ? "the execution role needs s3:ListAllMyBuckets; template.yaml grants it to both functions."
                            : "check that S3 is reachable from the function, then invoke again.");
        }
    }
}
