package xrayasync.localcloud.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who a loopback listener answers: AWS clients (the SDKs, the AWS CLI, the SAM CLI), which send no {@code Origin}, and
 * pages of its own origin (the console). Listening on loopback keeps other machines out, but not a web page open in
 * the user's browser: it can send requests to localhost (its {@code Origin} names the page), or rebind a domain name
 * of its own to 127.0.0.1 (its {@code Host} names that domain). Both are refused with 403 and a sentence.
 */
final class OriginPolicy {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private final int port;

    OriginPolicy(int port) {
        this.port = port;
    }

    /** Throws a 403 {@link ServiceException} for a request this listener must not answer. */
    void check(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && !isLoopbackName(hostName(host))) {
            throw new ServiceException(403, "AccessDeniedException", "The local cloud answers requests addressed to"
                    + " localhost or 127.0.0.1 only, not to '" + host + "' (a web page can point a domain of its own at"
                    + " 127.0.0.1 to reach it): set AWS_ENDPOINT_URL=http://localhost:" + port + ".");
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !isOwn(origin)) {
            throw new ServiceException(403, "AccessDeniedException", "The local cloud refuses requests that a web page"
                    + " of another origin (" + origin + ") sends through your browser: only its own console, at"
                    + " http://localhost:" + port + "/console/, and AWS clients (SDKs, the AWS CLI, the SAM CLI, which"
                    + " send no Origin header) may call it.");
        }
    }

    private boolean isOwn(String origin) {
        try {
            URI uri = new URI(origin);
            return "http".equals(uri.getScheme()) && uri.getHost() != null && isLoopbackName(uri.getHost())
                    && uri.getPort() == port && (uri.getPath() == null || uri.getPath().isEmpty());
        } catch (URISyntaxException notAnOrigin) {
            // "null" (a file or a sandboxed frame) and anything unparsable are other origins.
            return false;
        }
    }

    /** The name in a Host header, without its port; an IPv6 literal keeps its brackets. */
    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean isLoopbackName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.endsWith(".localhost") || lower.equals("[::1]")
                || IPV4_LOOPBACK.matcher(lower).matches();
    }
}
