package xrayasync.localcloud.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** REST operations are found by method, URI template and required query, as the SDK's bindings give them. */
class RestRouteTest {

    private static final ServiceModel LAMBDA = ServiceModel.of(LambdaClient.class, "Lambda");
    private static final ServiceModel S3 = ServiceModel.of(S3Client.class, "S3");

    /** The operation a request calls, the most specific route first, with its path variables. */
    private static Optional<Map.Entry<String, Map<String, String>>> route(ServiceModel model, String method,
            String pathAndQuery, String... headers) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        QueryString query = QueryString.parse(question < 0 ? null : pathAndQuery.substring(question + 1));
        return model.operations().stream().map(RestRoute::of)
                .sorted(Comparator.comparingInt(RestRoute::specificity).reversed())
                .flatMap(route -> route.match(method, path, query, List.of(headers)::contains)
                        .map(variables -> Map.entry(route.operation().name(), variables)).stream())
                .findFirst();
    }

    @Test
    void aPathVariableIsDecoded() {
        var call = route(LAMBDA, "GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/"
                + "configuration").orElseThrow();

        assertEquals("GetFunctionConfiguration", call.getKey());
        assertEquals("arn:aws:lambda:us-east-1:1:function:f", call.getValue().get("FunctionName"));
    }

    @Test
    void theCollectionAndAnItemOfItAreDifferentOperations() {
        assertEquals("ListFunctions", route(LAMBDA, "GET", "/2015-03-31/functions/").orElseThrow().getKey());
        assertEquals("GetFunction", route(LAMBDA, "GET", "/2015-03-31/functions/f").orElseThrow().getKey());
    }

    @Test
    void theMethodChoosesAmongOperationsOfOnePath() {
        assertEquals("Invoke", route(LAMBDA, "POST", "/2015-03-31/functions/f/invocations").orElseThrow().getKey());
        assertTrue(route(LAMBDA, "GET", "/2015-03-31/functions/f/invocations").isEmpty());
    }

    @Test
    void s3sBucketComesFirstInThePathAndAGreedyKeyTakesTheRest() {
        var call = route(S3, "GET", "/photos/2026/11/cat.jpg").orElseThrow();

        assertEquals("GetObject", call.getKey());
        assertEquals(Map.of("Bucket", "photos", "Key", "2026/11/cat.jpg"), call.getValue());
    }

    @Test
    void aRequiredQueryParameterTellsOperationsOfOnePathApart() {
        assertEquals("ListObjectsV2", route(S3, "GET", "/photos?list-type=2&prefix=a").orElseThrow().getKey());
        assertEquals("GetBucketLocation", route(S3, "GET", "/photos?location").orElseThrow().getKey());
        assertEquals("DeleteObjects", route(S3, "POST", "/photos?delete").orElseThrow().getKey());
    }

    @Test
    void aRequiredQueryMemberTellsOperationsOfOneTemplateApart() {
        assertEquals("ListParts", route(S3, "GET", "/photos/cat.jpg?uploadId=u1").orElseThrow().getKey());
        assertEquals("UploadPart", route(S3, "PUT", "/photos/cat.jpg?partNumber=1&uploadId=u1").orElseThrow().getKey());
        assertEquals("PutObject", route(S3, "PUT", "/photos/cat.jpg").orElseThrow().getKey());
        assertEquals("CopyObject", route(S3, "PUT", "/photos/cat.jpg", "x-amz-copy-source").orElseThrow().getKey());
        assertEquals("CompleteMultipartUpload", route(S3, "POST", "/photos/cat.jpg?uploadId=u1").orElseThrow()
                .getKey());
    }

    @Test
    void aTrailingSlashAddressesTheBucketItself() {
        assertEquals("ListObjectsV2", route(S3, "GET", "/photos/?list-type=2").orElseThrow().getKey());
    }

    @Test
    void aPathNoOperationTakesIsNoneOfTheService() {
        assertTrue(route(LAMBDA, "GET", "/2015-03-31/nothing/here").isEmpty());
    }
}
