package xrayasync.localcloud.core.cloudformation.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.protocol.JsonShapes;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/** CloudFormation's AWS::S3::Bucket in the cloud's S3, with its versioning and default encryption. */
public final class BucketProvider implements ResourceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Service s3;

    public BucketProvider(S3Service s3) {
        this.s3 = s3;
    }

    @Override
    public String type() {
        return "AWS::S3::Bucket";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        s3.ensureBucket(resource.physicalId());
        S3Service.Bucket bucket = s3.bucket(resource.physicalId());
        String versioning = Optional.ofNullable(properties.get("VersioningConfiguration"))
                .map(value -> String.valueOf(SamTemplate.map(value).get("Status"))).orElse(bucket.versioning());
        s3.putBucketSettings(bucket.name(), bucket.policy(), versioning, encryption(properties));
        return bucket.name();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        s3.deleteBucket(resource.physicalId());
    }

    /** A bucket's BucketEncryption, as S3's GetBucketEncryption reports it (its SSE algorithm). */
    private static String encryption(Map<String, Object> properties) {
        Object declared = properties.get("BucketEncryption");
        if (!(declared instanceof Map<?, ?> encryption)
                || !(encryption.get("ServerSideEncryptionConfiguration") instanceof List<?> rules)) {
            return null;
        }
        List<ServerSideEncryptionRule> converted = rules.stream()
                .map(rule -> SamTemplate.map(SamTemplate.map(rule).get("ServerSideEncryptionByDefault")))
                .map(byDefault -> ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(
                        ServerSideEncryptionByDefault.builder().sseAlgorithm(String.valueOf(byDefault
                                .get("SSEAlgorithm"))).build()).build())
                .toList();
        try {
            return JSON.writeValueAsString(JsonShapes.write(ServerSideEncryptionConfiguration.builder()
                    .rules(converted).build()));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
