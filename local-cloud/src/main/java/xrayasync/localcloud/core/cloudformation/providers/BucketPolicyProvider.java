package xrayasync.localcloud.core.cloudformation.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/** CloudFormation's AWS::S3::BucketPolicy: the policy kept on its bucket, to be read back; it is not enforced. */
public final class BucketPolicyProvider implements ResourceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Service s3;

    public BucketPolicyProvider(S3Service s3) {
        this.s3 = s3;
    }

    @Override
    public String type() {
        return "AWS::S3::BucketPolicy";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        S3Service.Bucket bucket = s3.bucket(String.valueOf(properties.get("Bucket")));
        try {
            s3.putBucketSettings(bucket.name(), JSON.writeValueAsString(properties.get("PolicyDocument")),
                    bucket.versioning(), bucket.encryption());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        String bucketName = String.valueOf(stack.resolvedProperties(resource.logicalId()).get("Bucket"));
        if (s3.listBuckets().stream().anyMatch(bucket -> bucket.name().equals(bucketName))) {
            S3Service.Bucket bucket = s3.bucket(bucketName);
            s3.putBucketSettings(bucketName, null, bucket.versioning(), bucket.encryption());
        }
    }
}
