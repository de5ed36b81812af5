package xrayasync.localcloud.core.cloudformation.providers;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.cloudformation.S3Location;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.LambdaFunction;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.lambda.TaskRoot;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.s3.StoredObject;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Lambda::Function, as the SAM transform makes it of a serverless function: its code from S3,
 * unpacked into the layout the cloud runs, deployed in the cloud's own Lambda (with its versions and alias).
 */
public final class FunctionProvider implements ResourceProvider, StackDefinition.CodeLocator {

    private final LambdaService lambda;
    private final S3Service s3;
    private final Path codeFolder;
    private final Path taskFolder;

    /**
     * @param codeFolder where code from S3 is unpacked, a folder per object
     * @param taskFolder where the task roots of deployed functions are assembled
     */
    public FunctionProvider(LambdaService lambda, S3Service s3, Path codeFolder, Path taskFolder) {
        this.lambda = lambda;
        this.s3 = s3;
        this.codeFolder = codeFolder;
        this.taskFolder = taskFolder;
    }

    @Override
    public String type() {
        return "AWS::Lambda::Function";
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
        FunctionDefinition function = stack.function(resource.logicalId());
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
            return function.name();
        } catch (IOException | IllegalStateException failure) {
            throw new ProvisioningException("The code of " + function.logicalId() + " could not be made ready to run: "
                    + failure.getMessage());
        }
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        lambda.remove(resource.physicalId());
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
}
