package xrayasync.localcloud.core.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.Owner;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.RestProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;

/** S3's API over the local S3's state, taking and returning the AWS SDK's model objects. */
public final class S3Api {

    private final S3Service service;

    public S3Api(S3Service service) {
        this.service = service;
    }

    /** The API on the wire: S3's REST-XML protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(S3Client.class, "S3"), RestProtocol.XML_PAYLOAD)
                .on(ListBucketsRequest.class, (request, context) -> listBuckets());
    }

    ListBucketsResponse listBuckets() throws InterruptedException {
        service.received();
        return ListBucketsResponse.builder()
                .owner(Owner.builder().id("local-cloud").build())
                .buckets(service.listBuckets().stream()
                        .map(bucket -> Bucket.builder().name(bucket.name()).creationDate(bucket.creationDate())
                                .build())
                        .toList())
                .build();
    }
}
