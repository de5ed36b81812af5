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
 * own protocol.
 */
public final class EdgeRouter implements HttpHandler {

    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/]+/([^/]+)/aws4_request");

    /**
     * A service behind the edge.
     *
     * @param signingName the service's name in a SigV4 credential scope (lambda, s3, xray)
     * @param recognizes whether an unsigned request is one of this service's
     */
    public record Service(String signingName, WireProtocol protocol, Predicate<HttpExchange> recognizes,
            HttpHandler handler) {
    }

    private final List<Service> services;
    private final HttpHandler fallback;

    public EdgeRouter(List<Service> services, HttpHandler fallback) {
        this.services = List.copyOf(services);
        this.fallback = fallback;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String signingName = signingName(exchange);
        for (Service service : services) {
            boolean addressed = signingName != null ? service.signingName().equals(signingName)
                    : service.recognizes().test(exchange);
            if (addressed) {
                service.protocol().handle(service.signingName(), service.handler(), exchange);
                return;
            }
        }
        if (signingName != null) {
            throw new ServiceException(400, "UnrecognizedClientException", "The local cloud emulates "
                    + services.stream().map(Service::signingName).toList() + ", not the '" + signingName
                    + "' service this request was signed for.");
        }
        fallback.handle(exchange);
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
