package xrayasync.localcloud.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.LambdaFunction;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.lambda.TaskRoot;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.protocol.JsonShapes;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.s3.StoredObject;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's resource providers in the local cloud: what the SAM transform makes of a function (the function
 * from its code in S3, unpacked into the layout the cloud runs; its versions and alias), log groups, queues, buckets
 * and bucket policies, made real in the cloud's own Lambda, CloudWatch Logs, SQS and S3.
 */
final class CloudResources implements ResourceProvisioner, StackDefinition.CodeLocator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaService lambda;
    private final S3Service s3;
    private final LogsService logs;
    private final Map<String, ResourceProvider> providers = new LinkedHashMap<>();
    private final Path codeFolder;
    private final Path taskFolder;

    /**
     * @param codeFolder where code from S3 is unpacked, a folder per object
     * @param taskFolder where the task roots of deployed functions are assembled
     * @param providers the providers of further resource types, each registered under its type name
     */
    CloudResources(LambdaService lambda, S3Service s3, LogsService logs, List<ResourceProvider> providers,
            Path codeFolder, Path taskFolder) {
        this.lambda = lambda;
        this.s3 = s3;
        this.logs = logs;
        providers.forEach(provider -> {
            if (this.providers.putIfAbsent(provider.type(), provider) != null) {
                throw new IllegalArgumentException("Two resource providers for " + provider.type());
            }
        });
        this.codeFolder = codeFolder;
        this.taskFolder = taskFolder;
    }

    /** A deployed function's code: the folder its S3 object is unpacked into (unpacked when the function is made). */
    @Override
    public Path locate(String codeUri) {
        S3Location location = S3Location.of(codeUri).orElseThrow(() -> new IllegalArgumentException("CodeUri "
                + codeUri + " is a local path, and CloudFormation deploys code from S3: package the template first"
                + " (sam deploy does; or aws cloudformation package --s3-bucket …)."));
        return codeFolder.resolve(location.bucket()).resolve(URLEncoder.encode(location.key(), StandardCharsets.UTF_8));
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        ResourceProvider provider = providers.get(resource.type());
        if (provider != null) {
            return provider.provision(stack, resource);
        }
        return switch (resource.type()) {
            case "AWS::Lambda::Function" -> function(stack, stack.function(resource.logicalId())).name();
            case "AWS::Lambda::Version" -> {
                LambdaFunction function = lambda.function(owner(stack, resource).name());
                yield owner(stack, resource).arn().qualified(function.aliasVersion().orElseThrow().number()).toString();
            }
            case "AWS::IAM::Role", "AWS::Lambda::Alias", "AWS::Lambda::EventInvokeConfig" -> resource.physicalId();
            case "AWS::Logs::LogGroup" -> {
                Object retention = stack.resolvedProperties(resource.logicalId()).get("RetentionInDays");
                logs.createGroup(resource.physicalId(), retention == null ? null
                        : Integer.valueOf(String.valueOf(retention)));
                yield resource.physicalId();
            }
            case "AWS::S3::Bucket" -> bucket(stack, resource);
            case "AWS::S3::BucketPolicy" -> bucketPolicy(stack, resource);
            default -> throw new ProvisioningException("The local cloud does not emulate resource type "
                    + resource.type() + " (" + resource.logicalId() + "): it deploys AWS::Serverless::Function (with"
                    + " the role, version, alias and async settings SAM makes of it), AWS::Logs::LogGroup,"
                    + " AWS::SQS::Queue, AWS::S3::Bucket and AWS::S3::BucketPolicy. Remove the resource to deploy"
                    + " here, or deploy the stack to AWS.");
        };
    }

    /** The function a resource SAM made of one belongs to: its logical id begins the resource's (FnVersion1a2b… to Fn). */
    private static FunctionDefinition owner(StackDefinition stack, ResourceDefinition resource) {
        return stack.functions().stream().filter(function -> resource.logicalId().startsWith(function.logicalId()))
                .findFirst().orElseThrow();
    }

    private FunctionDefinition function(StackDefinition stack, FunctionDefinition function) {
        Path code = function.codeDirectory();
        try {
            if (code.startsWith(codeFolder)) {
                if (!Files.isDirectory(code)) {
                    unpack(code);
                }
                if (!TaskRoot.isDeploymentLayout(code)) {
                    throw new ProvisioningException("The code of " + function.logicalId() + " holds no .class file and"
                            + " no lib/*.jar, so Lambda's Java runtime has nothing to run: build the function first"
                            + " (sam build) and deploy what it built.");
                }
            }
            TaskRoot root = TaskRoot.assemble(function, taskFolder.resolve(stack.stackName())
                    .resolve(function.logicalId()).resolve(UUID.randomUUID().toString()));
            lambda.deploy(function, root, new LambdaFunction.Owner(stack.stackName(), stack.stackId()));
            return function;
        } catch (IOException | IllegalStateException failure) {
            throw new ProvisioningException("The code of " + function.logicalId() + " could not be made ready to run: "
                    + failure.getMessage());
        }
    }

    /** Unpacks a code zip from S3 into its folder, every entry kept inside it. */
    private void unpack(Path folder) throws IOException {
        String bucket = folder.getParent().getFileName().toString();
        String key = URLDecoder.decode(folder.getFileName().toString(), StandardCharsets.UTF_8);
        StoredObject zip;
        try {
            zip = s3.open(bucket, key);
        } catch (ServiceException missing) {
            throw new ProvisioningException("Error occurred while GetObject. S3 Error Code: " + missing.errorCode()
                    + ". S3 Error Message: " + missing.getMessage() + " (s3://" + bucket + "/" + key + ")");
        }
        Path unpacking = folder.resolveSibling(folder.getFileName() + ".unpacking");
        Files.createDirectories(unpacking);
        int entries = 0;
        try (zip; ZipInputStream entriesOf = new ZipInputStream(zip.stream())) {
            for (ZipEntry entry = entriesOf.getNextEntry(); entry != null; entry = entriesOf.getNextEntry()) {
                Path target = unpacking.resolve(entry.getName()).normalize();
                if (!target.startsWith(unpacking)) {
                    throw new ProvisioningException("The zip s3://" + bucket + "/" + key + " has an entry outside its"
                            + " folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entriesOf, target);
                    entries++;
                }
            }
        } catch (ZipException notAZip) {
            throw new ProvisioningException("s3://" + bucket + "/" + key + " is not a zip file (" + notAZip.getMessage()
                    + "): Lambda takes a function's code as a zip.");
        }
        if (entries == 0) {
            throw new ProvisioningException("s3://" + bucket + "/" + key + " is not a zip file with code in it:"
                    + " Lambda takes a function's code as a zip.");
        }
        Files.move(unpacking, folder);
    }

    private String bucket(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        s3.ensureBucket(resource.physicalId());
        S3Service.Bucket bucket = s3.bucket(resource.physicalId());
        String versioning = Optional.ofNullable(properties.get("VersioningConfiguration"))
                .map(value -> String.valueOf(SamTemplate.map(value).get("Status"))).orElse(bucket.versioning());
        s3.putBucketSettings(bucket.name(), bucket.policy(), versioning, encryption(properties));
        return bucket.name();
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

    /** Keeps the policy on its bucket, to be read back; it is not enforced. */
    private String bucketPolicy(StackDefinition stack, ResourceDefinition resource) {
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
        ResourceProvider provider = providers.get(resource.type());
        if (provider != null) {
            provider.remove(stack, resource);
            return;
        }
        switch (resource.type()) {
            case "AWS::Lambda::Function" -> lambda.remove(resource.physicalId());
            case "AWS::Logs::LogGroup" -> logs.deleteGroup(resource.physicalId());
            case "AWS::S3::Bucket" -> s3.deleteBucket(resource.physicalId());
            case "AWS::S3::BucketPolicy" -> {
                String bucketName = String.valueOf(stack.resolvedProperties(resource.logicalId()).get("Bucket"));
                if (s3.listBuckets().stream().anyMatch(bucket -> bucket.name().equals(bucketName))) {
                    S3Service.Bucket bucket = s3.bucket(bucketName);
                    s3.putBucketSettings(bucketName, null, bucket.versioning(), bucket.encryption());
                }
            }
            default -> {
                // What SAM makes of a function goes with it; nothing else was made.
            }
        }
    }

    @Override
    public String template(String templateUrl) {
        S3Location location = S3Location.of(templateUrl).orElseThrow(() -> new ServiceException(400,
                "ValidationError", "TemplateURL must be an Amazon S3 URL: " + templateUrl));
        try (StoredObject template = s3.open(location.bucket(), location.key()); InputStream body = template.stream()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        } catch (ServiceException missing) {
            throw new ServiceException(400, "ValidationError", "S3 error: " + missing.getMessage() + " ("
                    + templateUrl + ")");
        }
    }

    /** A bucket and key, from s3://bucket/key or an https or http URL (path-style, or the bucket in the host). */
    private record S3Location(String bucket, String key) {

        static Optional<S3Location> of(String url) {
            if (url.startsWith("s3://")) {
                String rest = url.substring("s3://".length());
                int slash = rest.indexOf('/');
                return slash < 1 ? Optional.empty()
                        : Optional.of(new S3Location(rest.substring(0, slash), rest.substring(slash + 1)));
            }
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                return Optional.empty();
            }
            URI uri = URI.create(url);
            String path = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
            String host = uri.getHost() == null ? "" : uri.getHost();
            int dotS3 = host.indexOf(".s3.");
            if (dotS3 > 0 || host.endsWith(".s3.amazonaws.com")) {
                return Optional.of(new S3Location(host.substring(0, host.indexOf(".s3")), path));
            }
            int slash = path.indexOf('/');
            return slash < 1 ? Optional.empty()
                    : Optional.of(new S3Location(path.substring(0, slash), path.substring(slash + 1)));
        }
    }
}
