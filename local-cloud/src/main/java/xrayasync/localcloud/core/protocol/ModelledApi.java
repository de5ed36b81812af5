package xrayasync.localcloud.core.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * A service's API on the wire: its model and protocol turn each request into the SDK's request object, a handler the
 * service registered for that operation answers with the SDK's response object, and the protocol writes it. A service
 * that speaks more than one protocol (SQS: AWS JSON, and the query protocol older clients send) answers each request,
 * its errors too, in the protocol it came in. An operation the model knows and no handler serves is answered with a
 * sentence naming it, in the client's protocol.
 */
public final class ModelledApi implements EdgeRouter.Handler {

    /** Answers one operation with the SDK's model objects. */
    @FunctionalInterface
    public interface OperationHandler<Q extends SdkRequest, R extends SdkResponse> {
        R handle(Q request, RequestContext context) throws IOException, InterruptedException;
    }

    private final ServiceModel model;
    private final List<ModelProtocol> protocols;
    private final Map<Class<?>, OperationHandler<SdkRequest, SdkResponse>> handlers = new LinkedHashMap<>();

    /** @param others protocols the service also speaks; a request is read in the first that recognizes it */
    public ModelledApi(ServiceModel model, ModelProtocol protocol, ModelProtocol... others) {
        this.model = model;
        this.protocols = Stream.concat(Stream.of(protocol), Stream.of(others)).toList();
    }

    /** Serves an operation, named by its request class, with the handler. */
    @SuppressWarnings("unchecked")
    public <Q extends SdkRequest, R extends SdkResponse> ModelledApi on(Class<Q> requestType,
            OperationHandler<Q, R> handler) {
        handlers.put(requestType, (OperationHandler<SdkRequest, SdkResponse>) (OperationHandler<?, ?>) handler);
        return this;
    }

    /** How errors look when the request's protocol is not known: the first protocol's way. */
    public WireProtocol errors() {
        return protocols.getFirst().errors();
    }

    /** Whether a request calls one of this service's operations (how an unsigned request is routed). */
    public boolean recognizes(EdgeRequest request) {
        return protocols.stream().anyMatch(protocol -> protocol.route(model, request, this::serves).isPresent());
    }

    @Override
    public void handle(EdgeRequest request) throws IOException {
        ModelProtocol protocol = protocols.stream()
                .filter(candidate -> candidate.route(model, request, this::serves).isPresent())
                .findFirst().orElse(protocols.getFirst());
        // The edge answers what escapes in the first protocol's shape; a request in another has its errors answered here.
        if (protocol == protocols.getFirst()) {
            answer(protocol, request);
        } else {
            protocol.errors().handle(model.serviceName(), request.exchange(), () -> answer(protocol, request));
        }
    }

    private void answer(ModelProtocol protocol, EdgeRequest request) throws IOException {
        Call call = protocol.route(model, request, this::serves).orElseThrow(() -> new ServiceException(404,
                "UnknownOperationException", "No " + model.serviceName() + " operation is " + request.method() + " "
                        + request.rawPath() + "."));
        OperationHandler<SdkRequest, SdkResponse> handler = handlers.get(call.operation().requestType());
        if (handler == null) {
            throw new ServiceException(501, "NotImplemented", "The local cloud does not emulate "
                    + model.serviceName() + " " + call.operation().name() + "; it serves " + served() + ".");
        }
        try (RequestContext context = new RequestContext(request)) {
            SdkResponse response;
            try {
                response = handler.handle(protocol.read(call, request), context);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ServiceException(503, "ServiceUnavailable", "The local cloud is shutting down.");
            }
            protocol.answer(request, call, response, context);
        }
    }

    private boolean serves(Operation operation) {
        return handlers.containsKey(operation.requestType());
    }

    private String served() {
        return String.join(", ", handlers.keySet().stream()
                .map(type -> type.getSimpleName().replaceFirst("Request$", "")).toList());
    }
}
