package xrayasync.localcloud.core.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.protocols.xml.AwsXmlProtocolFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetBucketLocationRequest;
import software.amazon.awssdk.services.s3.model.GetBucketLocationResponse;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import xrayasync.localcloud.core.http.ResponseBody;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.JsonShapes;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.RequestContext;
import xrayasync.localcloud.core.protocol.RestProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.protocol.XmlShapes;

/**
 * S3's API over the local S3's state, path-style as SDKs address a custom endpoint: buckets (create, head, delete,
 * location, policy, versioning, encryption), objects (put, with aws-chunked bodies and checksums; head and get, with
 * ranges, parts and preconditions; list, delete one or many) and multipart uploads; taking and returning the AWS
 * SDK's model objects, with objects' bytes streamed both ways.
 */
public final class S3Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIST_PAGE = 1000;

    private final S3Service service;
    private final String region;
    private final ServiceModel model = ServiceModel.of(S3Client.class, "S3");

    public S3Api(S3Service service, String region) {
        this.service = service;
        this.region = region;
    }

    /** The API on the wire: S3's REST-XML protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(model, RestProtocol.XML_PAYLOAD)
                .on(ListBucketsRequest.class, (request, context) -> listBuckets())
                .on(CreateBucketRequest.class, (request, context) -> createBucket(request))
                .on(HeadBucketRequest.class, (request, context) -> headBucket(request))
                .on(DeleteBucketRequest.class, (request, context) -> deleteBucket(request))
                .on(GetBucketLocationRequest.class, this::getBucketLocation)
                .on(PutBucketPolicyRequest.class, (request, context) -> putBucketPolicy(request))
                .on(GetBucketPolicyRequest.class, (request, context) -> getBucketPolicy(request))
                .on(DeleteBucketPolicyRequest.class, (request, context) -> deleteBucketPolicy(request))
                .on(PutBucketVersioningRequest.class, (request, context) -> putBucketVersioning(request))
                .on(GetBucketVersioningRequest.class, (request, context) -> getBucketVersioning(request))
                .on(PutBucketEncryptionRequest.class, (request, context) -> putBucketEncryption(request))
                .on(GetBucketEncryptionRequest.class, (request, context) -> getBucketEncryption(request))
                .on(PutObjectRequest.class, this::putObject)
                .on(HeadObjectRequest.class, this::headObject)
                .on(GetObjectRequest.class, this::getObject)
                .on(ListObjectsV2Request.class, (request, context) -> listObjects(request))
                .on(DeleteObjectRequest.class, (request, context) -> deleteObject(request))
                .on(DeleteObjectsRequest.class, (request, context) -> deleteObjects(request))
                .on(CreateMultipartUploadRequest.class, (request, context) -> createMultipartUpload(request))
                .on(UploadPartRequest.class, this::uploadPart)
                .on(CompleteMultipartUploadRequest.class, (request, context) -> completeMultipartUpload(request))
                .on(AbortMultipartUploadRequest.class, (request, context) -> abortMultipartUpload(request));
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

    CreateBucketResponse createBucket(CreateBucketRequest request) {
        service.createBucket(request.bucket());
        return CreateBucketResponse.builder().location("/" + request.bucket()).build();
    }

    HeadBucketResponse headBucket(HeadBucketRequest request) {
        service.bucket(request.bucket());
        return HeadBucketResponse.builder().bucketRegion(region).build();
    }

    DeleteBucketResponse deleteBucket(DeleteBucketRequest request) {
        service.deleteBucket(request.bucket());
        return DeleteBucketResponse.builder().build();
    }

    /** S3 answers the location as the text of a LocationConstraint element, empty for us-east-1. */
    GetBucketLocationResponse getBucketLocation(GetBucketLocationRequest request, RequestContext context) {
        service.bucket(request.bucket());
        GetBucketLocationResponse response = GetBucketLocationResponse.builder()
                .locationConstraint(region.equals("us-east-1") ? null : region).build();
        context.streamingOutput(ResponseBody.of(XmlShapes.memberDocument(response, "LocationConstraint",
                namespace())));
        return response;
    }

    /** S3's namespace, as the SDK's binding of every S3 operation carries it. */
    private String namespace() {
        return model.operation("GetBucketLocation").orElseThrow().binding()
                .addtionalMetadata(AwsXmlProtocolFactory.XML_NAMESPACE_ATTRIBUTE);
    }

    PutBucketPolicyResponse putBucketPolicy(PutBucketPolicyRequest request) {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        // Kept as given and reported back; not enforced (nothing here checks a request's identity or transport).
        service.putBucketSettings(bucket.name(), request.policy(), bucket.versioning(), bucket.encryption());
        return PutBucketPolicyResponse.builder().build();
    }

    GetBucketPolicyResponse getBucketPolicy(GetBucketPolicyRequest request) {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        if (bucket.policy() == null) {
            throw new ServiceException(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
        }
        return GetBucketPolicyResponse.builder().policy(bucket.policy()).build();
    }

    DeleteBucketPolicyResponse deleteBucketPolicy(DeleteBucketPolicyRequest request) {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        service.putBucketSettings(bucket.name(), null, bucket.versioning(), bucket.encryption());
        return DeleteBucketPolicyResponse.builder().build();
    }

    PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        service.putBucketSettings(bucket.name(), bucket.policy(), request.versioningConfiguration().statusAsString(),
                bucket.encryption());
        return PutBucketVersioningResponse.builder().build();
    }

    GetBucketVersioningResponse getBucketVersioning(GetBucketVersioningRequest request) {
        return GetBucketVersioningResponse.builder().status(service.bucket(request.bucket()).versioning()).build();
    }

    PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request)
            throws JsonProcessingException {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        service.putBucketSettings(bucket.name(), bucket.policy(), bucket.versioning(),
                JSON.writeValueAsString(JsonShapes.write(request.serverSideEncryptionConfiguration())));
        return PutBucketEncryptionResponse.builder().build();
    }

    GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request)
            throws JsonProcessingException {
        S3Service.Bucket bucket = service.bucket(request.bucket());
        if (bucket.encryption() == null) {
            throw new ServiceException(404, "ServerSideEncryptionConfigurationNotFoundError", "The server side"
                    + " encryption configuration was not found");
        }
        ServerSideEncryptionConfiguration configuration = JsonShapes.read(JSON.readTree(bucket.encryption()),
                ServerSideEncryptionConfiguration.builder());
        return GetBucketEncryptionResponse.builder().serverSideEncryptionConfiguration(configuration).build();
    }

    PutObjectResponse putObject(PutObjectRequest request, RequestContext context) throws IOException {
        S3Service.ObjectHead stored = service.putObject(request.bucket(), request.key(), UploadedBody.of(context),
                request.contentType(), request.metadata(), request.serverSideEncryptionAsString());
        return PutObjectResponse.builder().eTag(stored.etag()).serverSideEncryption(stored.serverSideEncryption())
                .build();
    }

    HeadObjectResponse headObject(HeadObjectRequest request, RequestContext context) {
        S3Service.ObjectHead head = service.headObject(request.bucket(), request.key());
        return answer(head, RequestedBytes.of(head, new RequestedBytes.Preconditions(request.ifMatch(),
                request.ifNoneMatch(), request.ifModifiedSince(), request.ifUnmodifiedSince()), request.range(),
                request.partNumber()), context);
    }

    /** The bytes asked for, copied from the object's files to the client as they are sent. */
    GetObjectResponse getObject(GetObjectRequest request, RequestContext context) throws IOException {
        StoredObject object = service.open(request.bucket(), request.key());
        try {
            RequestedBytes bytes = RequestedBytes.of(object.head(), new RequestedBytes.Preconditions(
                    request.ifMatch(), request.ifNoneMatch(), request.ifModifiedSince(), request.ifUnmodifiedSince()),
                    request.range(), request.partNumber());
            HeadObjectResponse answer = answer(object.head(), bytes, context);
            context.streamingOutput(ResponseBody.of(object.regions(bytes.first(), bytes.length()), object));
            return asGetObject(answer);
        } catch (RuntimeException refused) {
            object.close();
            throw refused;
        }
    }

    /** What S3 reports of an object and of the bytes of it a GET or HEAD answers with. */
    private static HeadObjectResponse answer(S3Service.ObjectHead head, RequestedBytes bytes,
            RequestContext context) {
        if (bytes.partial()) {
            context.status(206);
        }
        return HeadObjectResponse.builder().contentLength(bytes.length()).eTag(head.etag())
                .lastModified(head.lastModified()).contentType(head.contentType()).metadata(head.metadata())
                .serverSideEncryption(head.serverSideEncryption()).acceptRanges("bytes")
                .contentRange(bytes.partial() ? bytes.contentRange(head.size()) : null)
                .partsCount(bytes.partsCount()).build();
    }

    /**
     * A GET answers with the members of the HEAD it stands for (S3 defines HeadObject as GetObject without the body),
     * copied by member name, so the two answers cannot drift apart.
     */
    private static GetObjectResponse asGetObject(HeadObjectResponse head) {
        GetObjectResponse.Builder get = GetObjectResponse.builder();
        Map<String, SdkField<?>> getFields = get.sdkFields().stream()
                .collect(Collectors.toMap(SdkField::memberName, field -> field));
        for (SdkField<?> field : head.sdkFields()) {
            Object value = field.getValueOrDefault(head);
            SdkField<?> same = getFields.get(field.memberName());
            if (value != null && same != null) {
                same.set(get, value);
            }
        }
        return get.build();
    }

    ListObjectsV2Response listObjects(ListObjectsV2Request request) {
        String prefix = request.prefix() == null ? "" : request.prefix();
        String after = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        int maxKeys = request.maxKeys() == null ? LIST_PAGE : Math.min(LIST_PAGE, Math.max(0, request.maxKeys()));
        List<S3Object> contents = new ArrayList<>();
        Set<String> commonPrefixes = new LinkedHashSet<>();
        String last = null;
        boolean truncated = false;
        for (S3Service.ObjectHead object : service.listObjects(request.bucket(), prefix)) {
            if (after != null && object.key().compareTo(after) <= 0) {
                continue;
            }
            String delimiter = request.delimiter();
            int cut = delimiter == null || delimiter.isEmpty() ? -1 : object.key().indexOf(delimiter, prefix.length());
            String group = cut < 0 ? null : object.key().substring(0, cut + delimiter.length());
            if (group != null && commonPrefixes.contains(group)) {
                continue;
            }
            if (contents.size() + commonPrefixes.size() == maxKeys) {
                truncated = true;
                break;
            }
            if (group != null) {
                commonPrefixes.add(group);
            } else {
                contents.add(S3Object.builder().key(object.key()).size(object.size()).eTag(object.etag())
                        .lastModified(object.lastModified()).storageClass("STANDARD").build());
            }
            last = object.key();
        }
        return ListObjectsV2Response.builder()
                .name(request.bucket()).prefix(prefix).delimiter(request.delimiter()).maxKeys(maxKeys)
                .keyCount(contents.size() + commonPrefixes.size()).isTruncated(truncated)
                .continuationToken(request.continuationToken()).startAfter(request.startAfter())
                .nextContinuationToken(truncated ? last : null)
                .contents(contents)
                .commonPrefixes(commonPrefixes.stream().map(group -> CommonPrefix.builder().prefix(group).build())
                        .toList())
                .build();
    }

    DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        service.deleteObject(request.bucket(), request.key());
        return DeleteObjectResponse.builder().build();
    }

    DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        List<DeletedObject> deleted = new ArrayList<>();
        for (ObjectIdentifier object : request.delete().objects()) {
            service.deleteObject(request.bucket(), object.key());
            deleted.add(DeletedObject.builder().key(object.key()).build());
        }
        return DeleteObjectsResponse.builder().deleted(Boolean.TRUE.equals(request.delete().quiet()) ? List.of()
                : deleted).build();
    }

    CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
        String uploadId = service.createMultipartUpload(request.bucket(), request.key(), request.contentType(),
                request.metadata(), request.serverSideEncryptionAsString());
        return CreateMultipartUploadResponse.builder().bucket(request.bucket()).key(request.key()).uploadId(uploadId)
                .serverSideEncryption(request.serverSideEncryptionAsString()).build();
    }

    UploadPartResponse uploadPart(UploadPartRequest request, RequestContext context) throws IOException {
        return UploadPartResponse.builder().eTag(service.uploadPart(request.bucket(), request.key(),
                request.uploadId(), request.partNumber(), UploadedBody.of(context))).build();
    }

    CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
        List<Integer> parts = request.multipartUpload() == null ? List.of()
                : request.multipartUpload().parts().stream().map(CompletedPart::partNumber).toList();
        S3Service.ObjectHead object = service.completeMultipartUpload(request.bucket(), request.key(),
                request.uploadId(), parts);
        return CompleteMultipartUploadResponse.builder().bucket(request.bucket()).key(request.key())
                .location("/" + request.bucket() + "/" + request.key()).eTag(object.etag())
                .serverSideEncryption(object.serverSideEncryption()).build();
    }

    AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
        service.abortMultipartUpload(request.bucket(), request.key(), request.uploadId());
        return AbortMultipartUploadResponse.builder().build();
    }
}
