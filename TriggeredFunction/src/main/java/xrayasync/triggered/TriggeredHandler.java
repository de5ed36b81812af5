package xrayasync.triggered;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceID;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * TriggeredFunction: validates the caller's payload, records the caller on its trace, lists S3 buckets.
 *
 * <p>Each async hop has its own handler method, named by the template's Handler string. The Java runtime interface
 * client loads {@code Class::method} as a POJO handler whatever interfaces the class implements: with a method name,
 * EventHandlerLoader.loadEventHandler goes to loadEventPojoHandler, which picks the public method of that name and,
 * for an (event, Context) signature, deserializes the event with aws-lambda-java-serialization's mixins for the
 * aws-lambda-java-events types (aws-lambda-java-libs, aws-lambda-java-runtime-interface-client 2.9.0,
 * EventHandlerLoader.java: loadEventHandler, loadEventPojoHandler, getTwoLengthHandler, getSerializer). Only the
 * class name alone takes the RequestStreamHandler path.
 * Checked here too: each of the three handler strings, loaded through that client's EventHandlerLoader (its released
 * POM brings aws-lambda-java-serialization 1.2.0) with events/triggered-*-event.json, reaches its method with the
 * payload parsed, and the SQS method's answer is written as {"batchItemFailures":[{"itemIdentifier":…}]}.
 */
public final class TriggeredHandler implements RequestStreamHandler, Resource {

    static final String HANDLER_SUBSEGMENT = "## handleRequest";
    static final String QUEUE_SUBSEGMENT = "## handleQueueMessages";
    static final String NOTIFICATION_SUBSEGMENT = "## handleNotification";
    static final String EVENT_SUBSEGMENT = "## handleEvent";
    private final BucketListing buckets;
    private final Region region;

    /** Called by Lambda once per execution environment. */
    public TriggeredHandler() {
        this(region(System.getenv("AWS_REGION")));
    }

    private TriggeredHandler(Region region) {
        this(s3Client(region, PackagedHttpClient.create()), region);
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    TriggeredHandler(S3Client s3, Region region) {
        this.buckets = new BucketListing(s3);
        this.region = region;
    }

    /** Before Lambda snapshots a SnapStart version: prime the SDK and X-Ray code paths without calling AWS. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        new SnapStartPriming(region).prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the client holds no open connection, credentials come from the restored environment.
    }

    static Region region(String awsRegion) {
        if (awsRegion == null || awsRegion.isBlank()) {
            throw new IllegalStateException("Environment variable AWS_REGION is missing or empty: Lambda sets it;"
                    + " when running elsewhere, export the region the stack is deployed in.");
        }
        return Region.of(awsRegion.trim());
    }

    // Endpoints are not set here: the SDK takes them from AWS_ENDPOINT_URL* when present.
    static S3Client s3Client(Region region, SdkHttpClient http) {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .build();
    }

    /** The LambdaEvent hop: the payload is the whole event. */
    @Override
    public void handleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        output.write(RecordJson.write(handle(HANDLER_SUBSEGMENT, event.readAllBytes(), context)));
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
        return HopDeliveries.eachMessage(event, context.getLogger(),
                payload -> handle(QUEUE_SUBSEGMENT, payload, context));
    }

    /** The SNS hop: each notification's message is a payload; a failure fails the invocation for Lambda to retry. */
    public void handleNotification(SNSEvent event, Context context) throws IOException {
        HopDeliveries.eachNotification(event, payload -> handle(NOTIFICATION_SUBSEGMENT, payload, context));
    }

    /** The EventBridge hop: the event's detail is the payload; a failure fails the invocation for Lambda to retry. */
    public void handleEvent(ScheduledEvent event, Context context) throws IOException {
        handle(EVENT_SUBSEGMENT, HopDeliveries.detail(event), context);
    }

    private TriggeredSummary handle(String subsegmentName, byte[] received, Context context) throws IOException {
        // Lambda's own segment for the function is a facade the SDK cannot annotate, so the caller's ids go on a
        // subsegment; X-Ray indexes subsegment annotations for filter expressions all the same.
        Subsegment handling = AWSXRay.beginSubsegment(subsegmentName);
        try {
            TriggerPayload payload = TriggerPayload.parse(received);
            handling.putAnnotation("caller_request_id", payload.callerRequestId());
            handling.putAnnotation("caller_function_name", payload.callerFunctionName());
            if (payload.callerTraceId() != null) {
                handling.putAnnotation("caller_trace_id", payload.callerTraceId());
            }
            int bucketCount = buckets.count();
            TraceID trace = LambdaSegmentContext.getTraceHeaderFromEnvironment().getRootTraceId();
            String traceId = trace == null ? null : trace.toString();
            TriggeredSummary summary = TriggeredSummary.of(payload, bucketCount, traceId, context.getAwsRequestId());
            context.getLogger().log(summary.logLine(payload.callerFunctionName(), received.length), LogLevel.INFO);
            return summary;
        } catch (RuntimeException | IOException failure) {
            handling.addException(failure);
            throw failure;
        } finally {
            AWSXRay.endSubsegment();
        }
    }
}
