package xrayasync.otel.triggering;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Hands the payload to TriggeredFunction through its EventBridge bus with PutEvents, one entry whose detail it is. */
final class EventBusSender implements AsyncHandOff {

    /** The entry's source, which the bus's rule matches. */
    static final String SOURCE = "xray-async.triggering";
    /** The entry's detail type, which the bus's rule matches. */
    static final String DETAIL_TYPE = "TriggerPayload";
    /**
     * EventBridge's limit for one PutEvents entry, counted as the UTF-8 bytes of Source, DetailType and Detail
     * (EventBridge API reference, PutEvents: 256 KB; user guide, "Calculating PutEvents event entry size").
     */
    static final int ENTRY_LIMIT = 256 * 1024;

    private final EventBridgeClient events;
    private final String target;

    EventBusSender(EventBridgeClient events, String eventBusName) {
        this.events = events;
        this.target = eventBusName;
    }

    @Override
    public AsyncHop hop() {
        return AsyncHop.EVENT_BRIDGE;
    }

    @Override
    public String target() {
        return target;
    }

    // The entry's TraceHeader field stays unset: the instrumented client's X-Amzn-Trace-Id header carries the trace,
    // and EventBridge hands either one on to the rule's targets (EventBridge guide, "X-Ray integration").
    @Override
    public Answer send(byte[] payload) {
        int entrySize = SOURCE.getBytes(StandardCharsets.UTF_8).length
                + DETAIL_TYPE.getBytes(StandardCharsets.UTF_8).length + payload.length;
        if (entrySize > ENTRY_LIMIT) {
            throw new IllegalArgumentException("The PutEvents entry for " + target + " is " + entrySize
                    + " bytes, over EventBridge's " + ENTRY_LIMIT + "-byte entry limit, so it was not sent. Send a"
                    + " reference to the data (an S3 key, for instance) instead.");
        }
        PutEventsResponse response;
        try {
            response = events.putEvents(request -> request.entries(PutEventsRequestEntry.builder()
                    .source(SOURCE)
                    .detailType(DETAIL_TYPE)
                    .detail(new String(payload, StandardCharsets.UTF_8))
                    .eventBusName(target)
                    .build()));
        } catch (SdkException failure) {
            throw AwsCallFailedException.of("EventBridge PutEvents to " + target, failure, remedy(failure));
        }
        // PutEvents answers 200 even when it refused the entry: only FailedEntryCount and the entry say so.
        PutEventsResultEntry entry = response.entries().isEmpty() ? null : response.entries().getFirst();
        boolean refused = response.failedEntryCount() != null && response.failedEntryCount() > 0;
        if (refused || entry == null || entry.eventId() == null) {
            throw new IllegalStateException("EventBridge PutEvents to " + target + " refused the entry ("
                    + (entry == null ? "no result entry" : entry.errorCode() + ": " + entry.errorMessage())
                    + "), so no event reached the bus; " + entryRemedy(entry));
        }
        return new Answer(response.sdkHttpResponse().statusCode(), entry.eventId());
    }

    private String entryRemedy(PutEventsResultEntry entry) {
        String code = entry == null || entry.errorCode() == null ? "" : entry.errorCode();
        return switch (code) {
            case "AccessDeniedException", "NotAuthorizedForSourceException" -> "the execution role needs"
                    + " events:PutEvents on the bus " + target + "; template.yaml grants it when AsyncHop is"
                    + " EventBridge.";
            case "ThrottlingException", "InternalFailure" -> "EventBridge could not take the entry now; invoke again.";
            default -> "check " + AsyncHop.EVENT_BRIDGE.destinationVariable() + " against the stack's "
                    + AsyncHop.EVENT_BRIDGE.stackOutput() + " output, then invoke again.";
        };
    }

    private String remedy(SdkException failure) {
        if (failure instanceof ResourceNotFoundException
                || failure instanceof EventBridgeException missing && missing.statusCode() == 404) {
            return AsyncHop.EVENT_BRIDGE.destinationVariable() + " is '" + target + "', which names no event bus in"
                    + " this region; set it to the stack's " + AsyncHop.EVENT_BRIDGE.stackOutput() + " output.";
        }
        if (!(failure instanceof EventBridgeException service)) {
            return "check that the EventBridge endpoint is reachable from the function, then invoke again.";
        }
        return switch (service.statusCode()) {
            case 403 -> "the execution role needs events:PutEvents on the bus " + target + "; template.yaml grants"
                    + " it when AsyncHop is EventBridge.";
            default -> service.statusCode() >= 500
                    ? "EventBridge failed on its side after the SDK's retries; the event was not sent, invoke again."
                    : "the event was not sent; invoke again.";
        };
    }
}
