package xrayasync.localcloud.core.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * The AWS query protocol (CloudFormation, STS): the operation in the {@code Action} parameter of a form body (or of
 * the URL's query), members as flattened parameters, and the answer an XML document,
 * {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…}, in the service's namespace.
 *
 * @param endpointPrefix the service's name in its namespace, {@code http://<prefix>.amazonaws.com/doc/<version>/}
 * @param names how members are named on the wire: as the model says, or by SQS's rule
 */
public record QueryProtocol(String endpointPrefix, QueryNames names) implements ModelProtocol {

    /** The query protocol with the names the service's model gives. */
    public QueryProtocol(String endpointPrefix) {
        this(endpointPrefix, QueryNames.MODELLED);
    }

    @Override
    public WireProtocol errors() {
        return WireProtocol.QUERY;
    }

    private static QueryString parameters(EdgeRequest request) {
        String contentType = String.valueOf(request.header("Content-Type"));
        return contentType.startsWith("application/x-www-form-urlencoded")
                ? QueryString.parse(new String(request.body(), StandardCharsets.UTF_8))
                : QueryString.parse(request.rawQuery());
    }

    @Override
    public Optional<Call> route(ServiceModel model, EdgeRequest request, Predicate<Operation> served) {
        String action = parameters(request).first("Action");
        return action == null ? Optional.empty() : model.operation(action).map(operation -> new Call(operation, Map.of()));
    }

    @Override
    public SdkRequest read(Call call, EdgeRequest request) {
        return QueryShapes.read(parameters(request), "", call.operation().requestBuilder(), names);
    }

    @Override
    public void answer(EdgeRequest request, Call call, SdkResponse response, RequestContext context)
            throws IOException {
        String action = call.operation().name();
        // A model that moved to another protocol (SQS's) has no API version in its bindings; the request names it.
        String version = Objects.requireNonNullElse(call.operation().binding().apiVersion(),
                parameters(request).first("Version"));
        // The result element is there even for an answer with no members: clients look for it by the output's name.
        byte[] body = XmlShapes.document(action + "Response", "http://" + endpointPrefix + ".amazonaws.com/doc/"
                + version + "/", out -> {
                    out.writeStartElement(action + "Result");
                    XmlShapes.writeMembers(out, response, names);
                    out.writeEndElement();
                    out.writeStartElement("ResponseMetadata");
                    out.writeStartElement("RequestId");
                    out.writeCharacters(context.requestId());
                    out.writeEndElement();
                    out.writeEndElement();
                });
        LoopbackServer.respond(request.exchange(), 200, "text/xml", Map.of("x-amzn-RequestId", context.requestId()),
                body);
    }
}
