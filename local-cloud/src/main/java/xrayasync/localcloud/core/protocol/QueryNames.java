package xrayasync.localcloud.core.protocol;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

/**
 * How the query protocol names a model's members, in a request's parameters and an answer's elements: a member's
 * name, whether its list or map is flattened (its members repeated under its own name, numbered in a request), and
 * the names of a wrapped list's members and of a map entry's key and value.
 */
public enum QueryNames {

    /** As the service's model gives them (CloudFormation, STS): the members' location names and their traits. */
    MODELLED {
        @Override
        String member(SdkField<?> field) {
            return field.locationName();
        }

        @Override
        boolean flattened(SdkField<?> field) {
            return type(field) == MarshallingKnownType.LIST ? field.getRequiredTrait(ListTrait.class).isFlattened()
                    : field.getRequiredTrait(MapTrait.class).isFlattened();
        }

        @Override
        String mapKey(SdkField<?> field) {
            return field.getRequiredTrait(MapTrait.class).keyLocationName();
        }

        @Override
        String mapValue(SdkField<?> field) {
            return field.getRequiredTrait(MapTrait.class).valueLocationName();
        }
    },

    /**
     * SQS's, whose model the SDK now has only in its AWS JSON form, without the query names it had: every list and map
     * flattened under one singular name (Attribute.N, AttributeName.N, MessageAttribute.N, QueueUrl.N, Tag.N), a list
     * of structures under its structure's name (SendMessageBatchRequestEntry.N, BatchResultErrorEntry, Message), a
     * map entry's parts Name and Value (Key and Value for tags, as AWS's tags are everywhere). The rule, not a table,
     * gives the names SQS's query API used, which the SDKs' models carried as location names before SQS moved to AWS
     * JSON in 2023; the one it misses (AddPermission's ActionName.N) belongs to an operation the cloud does not serve.
     */
    SINGULAR_FLATTENED {
        @Override
        String member(SdkField<?> field) {
            String name = field.locationName();
            return switch (type(field)) {
                case LIST -> {
                    SdkField<?> element = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                    yield type(element) == MarshallingKnownType.SDK_POJO
                            ? element.constructor().get().getClass().getEnclosingClass().getSimpleName()
                            : singular(name);
                }
                case MAP -> singular(name);
                default -> name;
            };
        }

        @Override
        boolean flattened(SdkField<?> field) {
            return true;
        }

        @Override
        String mapKey(SdkField<?> field) {
            return field.locationName().equals("Tags") ? "Key" : "Name";
        }

        @Override
        String mapValue(SdkField<?> field) {
            return "Value";
        }
    };

    /** The member's name: its parameter's (before any numbering) and its element's. */
    abstract String member(SdkField<?> field);

    /** Whether a list or map member is flattened. */
    abstract boolean flattened(SdkField<?> field);

    abstract String mapKey(SdkField<?> field);

    abstract String mapValue(SdkField<?> field);

    /** The name of each member of a list that is not flattened. */
    String listMember(SdkField<?> field) {
        String name = field.getRequiredTrait(ListTrait.class).memberLocationName();
        return name != null ? name : "member";
    }

    private static MarshallingKnownType type(SdkField<?> field) {
        return field.marshallingType().getKnownType();
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }
}
