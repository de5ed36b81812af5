package xrayasync.localcloud.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * AWS JSON 1.0 and 1.1 (CloudWatch Logs, SQS): every operation a POST to /, named in {@code X-Amz-Target} by the
 * operation identifier of its binding ({@code Logs_20140328.FilterLogEvents}), members in a JSON body both ways.
 */
public record AwsJsonProtocol(String version) implements ModelProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final AwsJsonProtocol V1_0 = new AwsJsonProtocol("1.0");
    public static final AwsJsonProtocol V1_1 = new AwsJsonProtocol("1.1");

    @Override
    public WireProtocol errors() {
        return WireProtocol.AWS_JSON;
    }

    @Override
    public Optional<Call> route(ServiceModel model, EdgeRequest request, Predicate<Operation> served) {
        String target = request.header("X-Amz-Target");
        return target == null ? Optional.empty() : model.operations().stream()
                .filter(operation -> target.equals(operation.binding().operationIdentifier()))
                .findFirst()
                .map(operation -> new Call(operation, Map.of()));
    }

    @Override
    public SdkRequest read(Call call, EdgeRequest request) {
        try {
            return JsonShapes.read(request.body().length == 0 ? null : JSON.readTree(request.body()),
                    call.operation().requestBuilder());
        } catch (IOException | IllegalArgumentException malformed) {
            throw new ServiceException(400, "SerializationException", "The request body of "
                    + call.operation().name() + " is not a JSON object: " + malformed.getMessage());
        }
    }

    @Override
    public void answer(EdgeRequest request, Call call, SdkResponse response, RequestContext context)
            throws IOException {
        LoopbackServer.respond(request.exchange(), 200, "application/x-amz-json-" + version,
                Map.of("x-amzn-RequestId", context.requestId()), JSON.writeValueAsBytes(JsonShapes.write(response)));
    }
}
