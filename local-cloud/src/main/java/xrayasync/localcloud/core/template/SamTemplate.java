package xrayasync.localcloud.core.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** A SAM template as CloudFormation reads it: short-form intrinsics in long form, Globals merged into functions. */
public final class SamTemplate {

    public static final String FUNCTION_TYPE = "AWS::Serverless::Function";

    private static final Set<String> FUNCTIONS = Set.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs",
            "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "ToJsonString", "Length");

    private final Map<String, Object> document;
    private final String body;

    private SamTemplate(Map<String, Object> document, String body) {
        this.document = document;
        this.body = body;
    }

    public static SamTemplate load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static SamTemplate parse(String yaml) {
        Object document = new Yaml(new IntrinsicConstructor()).load(yaml);
        if (!(document instanceof Map<?, ?> root) || !(root.get("Resources") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("Not a SAM template: the document has no Resources section.");
        }
        return new SamTemplate(map(root), yaml);
    }

    /** The template as it was written, for GetTemplate. */
    public String body() {
        return body;
    }

    /** The template's Description, or null. */
    public String description() {
        Object description = document.get("Description");
        return description == null ? null : String.valueOf(description).strip();
    }

    /** The transforms the template declares (AWS::Serverless-2016-10-31 for a SAM template). */
    public List<String> transforms() {
        Object transform = document.get("Transform");
        if (transform == null) {
            return List.of();
        }
        return transform instanceof List<?> many ? many.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(transform));
    }

    public Map<String, Object> parameters() {
        return section("Parameters");
    }

    public Map<String, Object> outputs() {
        return section("Outputs");
    }

    public Map<String, Object> resources() {
        return section("Resources");
    }

    /** The Conditions section: each condition's declaration, by name. */
    public Map<String, Object> conditions() {
        return section("Conditions");
    }

    /** The logical ids of the template's functions, in template order. */
    public List<String> functionIds() {
        return resources().entrySet().stream()
                .filter(resource -> FUNCTION_TYPE.equals(map(resource.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A resource's Properties, empty when it declares none. */
    public Map<String, Object> properties(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource named " + logicalId + ".");
        }
        Object properties = map(resource).get("Properties");
        return properties == null ? Map.of() : map(properties);
    }

    /** A function's Properties with Globals.Function merged in, as SAM does at deploy time. */
    public Map<String, Object> functionProperties(String logicalId) {
        Object globals = section("Globals").get("Function");
        return globals == null ? properties(logicalId) : map(merge(globals, properties(logicalId)));
    }

    private Map<String, Object> section(String name) {
        Object section = document.get(name);
        return section == null ? Map.of() : map(section);
    }

    // SAM's Globals rules: maps merge key by key, lists concatenate, anything else (intrinsics included) is replaced.
    private static Object merge(Object global, Object local) {
        if (global instanceof Map<?, ?> globalMap && local instanceof Map<?, ?> localMap
                && !isIntrinsic(globalMap) && !isIntrinsic(localMap)) {
            Map<String, Object> merged = new LinkedHashMap<>(map(globalMap));
            map(localMap).forEach((key, value) -> merged.merge(key, value, SamTemplate::merge));
            return merged;
        }
        if (global instanceof List<?> globalList && local instanceof List<?> localList) {
            List<Object> merged = new ArrayList<>(globalList);
            merged.addAll(localList);
            return merged;
        }
        return local;
    }

    static boolean isIntrinsic(Map<?, ?> value) {
        if (value.size() != 1) {
            return false;
        }
        String key = String.valueOf(value.keySet().iterator().next());
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    /** A mapping node of the template, typed as the map it is. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object map) {
        return (Map<String, Object>) map;
    }

    /** Reads CloudFormation's short forms (!Ref, !GetAtt, !Sub, …) into the long forms ({"Ref": …}, {"Fn::GetAtt": …}). */
    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new Intrinsic("Fn::" + name)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("Unsupported YAML node for " + key + ": " + node);
                };
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot < 1) {
                        throw new IllegalArgumentException("!GetAtt " + dotted + " is not of the form Resource.Attribute.");
                    }
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                return Map.of(key, value);
            }
        }
    }
}
