package xrayasync.localcloud.core.protocol;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * One AWS protocol, generic over services: which operation a request calls, its members read into the SDK's request
 * object, and the SDK's response object written as the answer, all from the service's model.
 */
public sealed interface ModelProtocol permits RestProtocol, AwsJsonProtocol, QueryProtocol {

    /** How this protocol's errors look on the wire. */
    WireProtocol errors();

    /**
     * The operation a request calls, or empty when it calls none of the model's. Where operations share a binding
     * (S3's ListBuckets and ListDirectoryBuckets are both GET /, told apart by host in AWS), one that is served wins.
     */
    Optional<Call> route(ServiceModel model, EdgeRequest request, Predicate<Operation> served);

    SdkRequest read(Call call, EdgeRequest request);

    void answer(EdgeRequest request, Call call, SdkResponse response, RequestContext context) throws IOException;
}
