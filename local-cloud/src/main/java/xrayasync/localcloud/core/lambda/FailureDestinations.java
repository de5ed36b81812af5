package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.sqs.SqsService;

/**
 * The on-failure destinations of async invocations: SQS queues, by ARN, of the cloud's own SQS. Lambda sends each
 * invocation record there as a message whose body is the record's JSON, so any SQS client receives it; a record
 * whose queue does not exist is written to the function's transcript in full rather than lost.
 */
public final class FailureDestinations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsService sqs;
    private final CloudLog log;
    private final String senderId;

    /** @param senderId who the records' messages are from (SQS's SenderId): the account, as for a service's send */
    public FailureDestinations(SqsService sqs, CloudLog log, String senderId) {
        this.sqs = sqs;
        this.log = log;
        this.senderId = senderId;
    }

    /** Sends the record; false when it could not be, and the transcript holds it instead. */
    boolean send(String queueArn, ObjectNode record) {
        String body = record.toString();
        try {
            sqs.send(queue(queueArn).orElseThrow(() -> new ServiceException(400, "InvalidParameterValue",
                    "the ARN names no SQS queue of this cloud's account and region")),
                    new SqsService.Outgoing(body, null, Map.of(), Map.of(), senderId, null));
            return true;
        } catch (ServiceException unsent) {
            RecordContext requestContext = new RecordContext(record);
            log.write(requestContext.functionName(), "The failure record of async event " + requestContext.requestId()
                    + " could not be sent to its on-failure destination " + queueArn + " (" + unsent.getMessage()
                    + "), so it is kept here instead; create the queue (deploy the stack that declares it) to receive"
                    + " the next ones: " + body);
            return false;
        }
    }

    /** The records a queue holds, oldest first, read without receiving them; none when the queue does not exist. */
    public List<ObjectNode> records(String queueArn) {
        Optional<String> queue = queue(queueArn);
        if (queue.isEmpty() || !sqs.exists(queue.get())) {
            return List.of();
        }
        return sqs.messages(queue.get()).stream().map(message -> parse(message.body())).toList();
    }

    /** The queue's URL, where an SQS client receives its records. */
    public Optional<String> queueUrl(String queueArn) {
        return queue(queueArn).map(sqs::url);
    }

    private Optional<String> queue(String queueArn) {
        return sqs.nameOfArn(queueArn);
    }

    private static ObjectNode parse(String body) {
        try {
            return (ObjectNode) JSON.readTree(body);
        } catch (JsonProcessingException | ClassCastException notARecord) {
            return JSON.createObjectNode().put("body", body);
        }
    }

    /** What a record says of its invocation, for a line about it. */
    private record RecordContext(ObjectNode record) {

        String functionName() {
            String arn = record.path("requestContext").path("functionArn").asText();
            try {
                return FunctionArn.parse(arn).functionName();
            } catch (IllegalArgumentException notAnArn) {
                return arn;
            }
        }

        String requestId() {
            return record.path("requestContext").path("requestId").asText();
        }
    }
}
