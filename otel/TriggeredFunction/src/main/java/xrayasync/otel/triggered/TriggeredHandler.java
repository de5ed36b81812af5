package xrayasync.otel.triggered;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.AwsLambdaRequest;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestStreamHandler;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.internal.AwsLambdaFunctionInstrumenter;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.internal.AwsLambdaFunctionInstrumenterFactory;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.internal.WrapperConfiguration;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * TriggeredFunction traced with OpenTelemetry: validates the caller's payload, records the caller, lists buckets.
 *
 * <p>Each async hop has its own handler method, named by the template's Handler string. The Java runtime interface
 * client loads {@code Class::method} as a POJO handler although this class is a RequestStreamHandler: with a method
 * name, EventHandlerLoader.loadEventHandler goes to loadEventPojoHandler, which picks the public method of that name
 * and, for an (event, Context) signature, deserializes the event with aws-lambda-java-serialization's mixins for the
 * aws-lambda-java-events types (aws-lambda-java-libs, aws-lambda-java-runtime-interface-client 2.9.0,
 * EventHandlerLoader.java: loadEventHandler, loadEventPojoHandler, getTwoLengthHandler, getSerializer). Only the
 * class name alone takes the RequestStreamHandler path, the base class's.
 * Checked here too: each of the three handler strings, loaded through that client's EventHandlerLoader (its released
 * POM brings aws-lambda-java-serialization 1.2.0) with events/triggered-*-event.json, reaches its method with the
 * payload parsed, and the SQS method's answer is written as {"batchItemFailures":[{"itemIdentifier":…}]}.
 */
public final class TriggeredHandler extends TracingRequestStreamHandler implements Resource {

    static final String QUEUE_SPAN = "## handleQueueMessages";
    static final String NOTIFICATION_SPAN = "## handleNotification";
    static final String EVENT_SPAN = "## handleEvent";

    // X-Ray turns span attributes into metadata, except those whose keys this attribute lists, which become
    // annotations, searchable with filter expressions (AWS X-Ray Developer Guide, "Migrating from X-Ray
    // instrumentation to OpenTelemetry instrumentation", Working with span attributes; opentelemetry-collector-contrib,
    // internal/aws/xray/awsxray.go, AWSXraySegmentAnnotationsAttribute).
    static final AttributeKey<List<String>> XRAY_ANNOTATIONS = AttributeKey.stringArrayKey("aws.xray.annotations");
    private final BucketListing buckets;
    private final Region region;
    private final OpenTelemetrySdk telemetry;
    // The instrumenter the base class uses (opentelemetry-aws-lambda-core-1.0), for the hop methods the base class
    // does not wrap. opentelemetry-aws-lambda-events-2.2's TracingSqsEventHandler is not used: it is a
    // RequestHandler<SQSEvent, Void>, so it cannot return the SQSBatchResponse that reports partial failures.
    private final AwsLambdaFunctionInstrumenter invocations;
    private final Tracer tracer;

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
        this.telemetry = telemetry;
        this.invocations = AwsLambdaFunctionInstrumenterFactory.createInstrumenter(telemetry);
        this.tracer = telemetry.getTracer(TriggeredHandler.class.getName());
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

    /** One invocation's work, run inside its SERVER span. */
    @FunctionalInterface
    private interface Invocation<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Lambda's entry for the SQS hop: the runtime prefers this stream overload, and the event is read into SQSEvent
     * with jackson-jr rather than by the runtime's serializer (HopEvents says why); the batch answer is written back.
     */
    public void handleQueueMessages(InputStream event, OutputStream output, Context context) throws IOException {
        HopEvents.write(handleQueueMessages(HopEvents.sqsEvent(event), context), output);
    }

    /** Lambda's entry for the SNS hop: the event read into SNSEvent with jackson-jr. */
    public void handleNotification(InputStream event, OutputStream output, Context context) throws IOException {
        handleNotification(HopEvents.snsEvent(event), context);
    }

    /** Lambda's entry for the EventBridge hop: the event read into ScheduledEvent with jackson-jr. */
    public void handleEvent(InputStream event, OutputStream output, Context context) throws IOException {
        handleEvent(HopEvents.scheduledEvent(event), context);
    }

    /** The SQS hop: each message's body is a payload; the messages that fail are reported for another delivery. */
    public SQSBatchResponse handleQueueMessages(SQSEvent event, Context context) {
        return traced(event, context, () -> HopDeliveries.eachMessage(event, context.getLogger(),
                payload -> handlePayload(QUEUE_SPAN, payload, context)));
    }

    /** The SNS hop: each notification's message is a payload; a failure fails the invocation for Lambda to retry. */
    public void handleNotification(SNSEvent event, Context context) throws IOException {
        traced(event, context, () -> {
            HopDeliveries.eachNotification(event, payload -> handlePayload(NOTIFICATION_SPAN, payload, context));
            return null;
        });
    }

    /** The EventBridge hop: the event's detail is the payload; a failure fails the invocation for Lambda to retry. */
    public void handleEvent(ScheduledEvent event, Context context) throws IOException {
        traced(event, context, () -> {
            handlePayload(EVENT_SPAN, HopDeliveries.detail(event), context);
            return null;
        });
    }

    // As the base class does around doHandleRequest: a SERVER span continuing the runtime's trace header, ended with
    // the outcome, then a flush of the SDK before the invocation returns, since Lambda may freeze the environment.
    private <T, E extends Exception> T traced(Object event, Context context, Invocation<T, E> invocation) throws E {
        AwsLambdaRequest request = AwsLambdaRequest.create(context, event, Map.of());
        io.opentelemetry.context.Context parent = invocations.extract(request);
        if (!invocations.shouldStart(parent, request)) {
            return invocation.run();
        }
        io.opentelemetry.context.Context server = invocations.start(parent, request);
        T result = null;
        Throwable failure = null;
        try (Scope scope = server.makeCurrent()) {
            result = invocation.run();
            return result;
        } catch (Throwable thrown) {
            failure = thrown;
            throw thrown;
        } finally {
            invocations.end(server, request, result, failure);
            CompletableResultCode.ofAll(List.of(telemetry.getSdkTracerProvider().forceFlush(),
                            telemetry.getSdkMeterProvider().forceFlush(), telemetry.getSdkLoggerProvider().forceFlush()))
                    .join(WrapperConfiguration.flushTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // One span per payload, as the X-Ray flavor has one subsegment per payload: a batch holds several callers.
    private void handlePayload(String spanName, byte[] received, Context context) throws IOException {
        Span span = tracer.spanBuilder(spanName).setSpanKind(SpanKind.INTERNAL).startSpan();
        try (Scope scope = span.makeCurrent()) {
            TriggerPayload payload = TriggerPayload.parse(received);
            annotate(span, payload);
            summarize(payload, received.length, context);
        } catch (RuntimeException | IOException failure) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, failure.getMessage());
            throw failure;
        } finally {
            span.end();
        }
    }

    private TriggeredSummary summarize(TriggerPayload payload, int payloadBytes, Context context) {
        int bucketCount = buckets.count();
        String traceId = LambdaTraceHeader.current().traceId();
        TriggeredSummary summary = TriggeredSummary.of(payload, bucketCount, traceId, context.getAwsRequestId());
        context.getLogger().log(summary.logLine(payload.callerFunctionName(), payloadBytes), LogLevel.INFO);
        return summary;
    }

    /** The LambdaEvent hop: the payload is the whole event; the base class wraps it in the SERVER span. */
    @Override
    protected void doHandleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        byte[] received = event.readAllBytes();
        TriggerPayload payload = TriggerPayload.parse(received);
        annotate(Span.current(), payload);
        output.write(RecordJson.write(summarize(payload, received.length, context)));
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
