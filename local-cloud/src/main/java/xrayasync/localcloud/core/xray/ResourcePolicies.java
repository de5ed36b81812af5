package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;

/**
 * X-Ray's resource policies (PutResourcePolicy, AWS::XRay::ResourcePolicy), kept in the store by name: what lets an
 * AWS service, SNS for one, send segments into this account. The local cloud reads a policy's Allow statements for a
 * service principal, an action and the source's ARN (StringLike/ArnLike on aws:SourceArn, with * wildcards); other
 * conditions are kept, not evaluated.
 */
public final class ResourcePolicies {

    static final String POLICIES = "xray-resource-policy";
    /** X-Ray's quota of resource policies per account and region. */
    static final int MAXIMUM = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A policy as kept: its name and document. */
    public record Policy(String name, String document) {
    }

    private final Store store;
    private final Records policies;

    public ResourcePolicies(Store store) {
        this.store = store;
        this.policies = store.records(POLICIES);
    }

    /** Puts a policy under its name, replacing one of that name. */
    public void put(String name, String document) {
        statements(document);
        store.transaction(() -> {
            if (policies.get(name, Policy.class).isEmpty() && policies.count() >= MAXIMUM) {
                throw new ServiceException(400, "PolicyCountLimitExceededException", "This account already has "
                        + MAXIMUM + " X-Ray resource policies in this region: delete one, or add the statement to an"
                        + " existing policy.");
            }
            policies.put(name, new Policy(name, document));
            return null;
        });
    }

    public void delete(String name) {
        policies.delete(name);
    }

    public List<Policy> all() {
        return policies.all(Policy.class).stream().map(Records.Entry::value).toList();
    }

    /** Whether some policy allows the service principal the action for the source. */
    public boolean allows(String servicePrincipal, String action, String sourceArn) {
        return all().stream().flatMap(policy -> statements(policy.document()).stream())
                .anyMatch(statement -> "Allow".equals(statement.path("Effect").asText())
                        && values(statement.path("Principal").path("Service")).contains(servicePrincipal)
                        && values(statement.path("Action")).stream().anyMatch(granted -> granted.equals(action)
                                || granted.equals("xray:*") || granted.equals("*"))
                        && sourceAllowed(statement.path("Condition"), sourceArn));
    }

    private static boolean sourceAllowed(JsonNode condition, String sourceArn) {
        for (String operator : List.of("ArnLike", "StringLike", "ArnEquals", "StringEquals")) {
            JsonNode source = condition.path(operator).path("aws:SourceArn");
            if (!source.isMissingNode()) {
                return values(source).stream().anyMatch(pattern -> matches(pattern, sourceArn));
            }
        }
        return true;
    }

    private static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), value);
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }

    private static List<JsonNode> statements(String document) {
        try {
            JsonNode statements = JSON.readTree(document).path("Statement");
            List<JsonNode> list = new ArrayList<>();
            if (statements.isArray()) {
                statements.forEach(list::add);
            } else if (statements.isObject()) {
                list.add(statements);
            }
            return list;
        } catch (JsonProcessingException malformed) {
            throw new ServiceException(400, "MalformedPolicyDocumentException", "The policy document is not JSON ("
                    + malformed.getOriginalMessage() + "): give an IAM policy document with a Statement list.");
        }
    }
}
