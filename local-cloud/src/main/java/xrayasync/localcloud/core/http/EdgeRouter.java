package xrayasync.localcloud.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every service on one edge port, routed as AWS clients address them, so that {@code AWS_ENDPOINT_URL} alone points
 * any client at the local cloud: a signed request names its service in the SigV4 credential scope
 * ({@code Credential=AKID/20261124/us-east-1/lambda/aws4_request}); an unsigned one (a browser, curl) is routed by its
 * shape, and what no service recognizes goes to the fallback (the console). Each service's errors are answered in its
 * own protocol, and a request to a service the cloud does not emulate in the protocol it was sent in.
 */
public final class EdgeRouter implements HttpHandler {

    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/]+/([^/]+)/aws4_request");

    /** Answers one request the edge has read. */
    @FunctionalInterface
    public interface Handler {
        void handle(EdgeRequest request) throws IOException;
    }

    /**
     * A service behind the edge.
     *
     * @param signingName the service's name in a SigV4 credential scope (lambda, s3, xray, logs, cloudformation)
     * @param recognizes whether an unsigned request is one of this service's
     */
    public record Service(String signingName, WireProtocol protocol, Predicate<EdgeRequest> recognizes,
            Handler handler) {
    }

    private final List<Service> services;
    private final Handler fallback;

    public EdgeRouter(List<Service> services, Handler fallback) {
        this.services = List.copyOf(services);
        this.fallback = fallback;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        EdgeRequest request = new EdgeRequest(exchange);
        String signingName = signingName(exchange);
        for (Service service : services) {
            boolean addressed = signingName != null ? service.signingName().equals(signingName)
                    : service.recognizes().test(request);
            if (addressed) {
                service.protocol().handle(service.signingName(), exchange, () -> service.handler().handle(request));
                return;
            }
        }
        if (signingName != null) {
            WireProtocol.of(exchange, signingName).respond(exchange, new ServiceException(501, "NotImplemented",
                    "The local cloud emulates " + services.stream().map(Service::signingName).toList() + ", not the '"
                            + signingName + "' service this request was signed for."));
            return;
        }
        fallback.handle(request);
    }

    /** The service a signed request was signed for, or null for an unsigned request. */
    static String signingName(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return null;
        }
        Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
        return scope.find() ? scope.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
