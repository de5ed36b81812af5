package xrayasync.localcloud.core.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait.Format;

/**
 * A request of the AWS query protocol read into the AWS SDK's model object: each member from the parameter of its
 * wire name ({@link QueryNames}), structures as {@code Name.Member}, lists as {@code Name.member.1} (or {@code Name.1}
 * when flattened), maps as {@code Name.entry.1.key} and {@code .value} (or {@code Name.1.key}), an empty list as
 * {@code Name=}.
 */
final class QueryShapes {

    private QueryShapes() {
    }

    static <T> T read(QueryString parameters, String prefix, SdkPojo builder, QueryNames names) {
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = value(parameters, prefix + names.member(field), field, names);
            if (value != null) {
                field.set(builder, value);
            }
        }
        return JsonShapes.build(builder);
    }

    private static Object value(QueryString parameters, String name, SdkField<?> field, QueryNames names) {
        return switch (WireValues.type(field)) {
            case SDK_POJO -> hasAnyUnder(parameters, name + ".")
                    ? read(parameters, name + ".", field.constructor().get(), names) : null;
            case LIST -> list(parameters, name, field, names);
            case MAP -> map(parameters, name, field, names);
            default -> parameters.first(name) == null ? null : WireValues.parse(field, parameters.first(name),
                    Format.ISO_8601);
        };
    }

    private static List<Object> list(QueryString parameters, String name, SdkField<?> field, QueryNames names) {
        if ("".equals(parameters.first(name))) {
            return List.of();
        }
        ListTrait trait = field.getRequiredTrait(ListTrait.class);
        String prefix = names.flattened(field) ? name + "." : name + "." + names.listMember(field) + ".";
        List<Object> list = new ArrayList<>();
        for (int index = 1; parameters.first(prefix + index) != null || hasAnyUnder(parameters, prefix + index + ".");
                index++) {
            list.add(value(parameters, prefix + index, trait.memberFieldInfo(), names));
        }
        return list.isEmpty() ? null : list;
    }

    private static Map<String, Object> map(QueryString parameters, String name, SdkField<?> field,
            QueryNames names) {
        MapTrait trait = field.getRequiredTrait(MapTrait.class);
        String prefix = names.flattened(field) ? name + "." : name + ".entry.";
        String key = "." + names.mapKey(field);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int index = 1; parameters.first(prefix + index + key) != null; index++) {
            map.put(parameters.first(prefix + index + key), value(parameters, prefix + index + "."
                    + names.mapValue(field), trait.valueFieldInfo(), names));
        }
        return map.isEmpty() ? null : map;
    }

    private static boolean hasAnyUnder(QueryString parameters, String prefix) {
        return parameters.names().stream().anyMatch(parameter -> parameter.startsWith(prefix));
    }
}
