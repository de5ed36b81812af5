package xrayasync.localcloud.core.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * A service's API on the wire: its model and protocol turn each request into the SDK's request object, a handler the
 * service registered for that operation answers with the SDK's response object, and the protocol writes it. An
 * operation the model knows and no handler serves is answered with a sentence naming it, in the client's protocol.
 */
public final class ModelledApi implements EdgeRouter.Handler {

    /** Answers one operation with the SDK's model objects. */
    @FunctionalInterface
    public interface OperationHandler<Q extends SdkRequest, R extends SdkResponse> {
        R handle(Q request, RequestContext context) throws IOException, InterruptedException;
    }

    private final ServiceModel model;
    private final ModelProtocol protocol;
    private final Map<Class<?>, OperationHandler<SdkRequest, SdkResponse>> handlers = new LinkedHashMap<>();

    public ModelledApi(ServiceModel model, ModelProtocol protocol) {
        this.model = model;
        this.protocol = protocol;
    }

    /** Serves an operation, named by its request class, with the handler. */
    @SuppressWarnings("unchecked")
    public <Q extends SdkRequest, R extends SdkResponse> ModelledApi on(Class<Q> requestType,
            OperationHandler<Q, R> handler) {
        handlers.put(requestType, (OperationHandler<SdkRequest, SdkResponse>) (OperationHandler<?, ?>) handler);
        return this;
    }

    public WireProtocol errors() {
        return protocol.errors();
    }

    /** Whether a request calls one of this service's operations (how an unsigned request is routed). */
    public boolean recognizes(EdgeRequest request) {
        return protocol.route(model, request, this::serves).isPresent();
    }

    @Override
    public void handle(EdgeRequest request) throws IOException {
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
