package xrayasync.localcloud.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner;
import xrayasync.localcloud.core.cloudformation.S3Location;
import xrayasync.localcloud.core.cloudformation.providers.FunctionProvider;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.s3.StoredObject;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's resource providers in the local cloud, one per resource type and found by its type name; and
 * where a deployed stack's code and templates are, in the cloud's own S3.
 */
final class CloudResources implements ResourceProvisioner, StackDefinition.CodeLocator {

    private final Map<String, ResourceProvider> providers = new TreeMap<>();
    private final FunctionProvider functions;
    private final S3Service s3;

    /**
     * @param functions the provider of AWS::Lambda::Function, which also says where a deployed function's code is
     * @param others the providers of every other resource type
     */
    CloudResources(FunctionProvider functions, List<ResourceProvider> others, S3Service s3) {
        this.functions = functions;
        this.s3 = s3;
        register(functions);
        others.forEach(this::register);
    }

    private void register(ResourceProvider provider) {
        if (providers.putIfAbsent(provider.type(), provider) != null) {
            throw new IllegalArgumentException("Two resource providers for " + provider.type());
        }
    }

    @Override
    public Path locate(String codeUri) {
        return functions.locate(codeUri);
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        return provider(resource).provision(stack, resource);
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        provider(resource).remove(stack, resource);
    }

    private ResourceProvider provider(ResourceDefinition resource) {
        ResourceProvider provider = providers.get(resource.type());
        if (provider == null) {
            throw new ProvisioningException("The local cloud does not emulate resource type " + resource.type() + " ("
                    + resource.logicalId() + "): it deploys " + String.join(", ", providers.keySet()) + " (and the"
                    + " AWS::Serverless types the SAM transform makes of them). Remove the resource to deploy here,"
                    + " or deploy the stack to AWS.");
        }
        return provider;
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
}
