package xrayasync.localcloud.core.sts;

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.QueryProtocol;
import xrayasync.localcloud.core.protocol.ServiceModel;

/**
 * STS's GetCallerIdentity, which {@code sam deploy --guided} asks before it looks for a companion stack: every caller
 * is the account's root user, as nothing here checks who signs.
 */
public final class StsApi {

    private final String account;

    public StsApi(String account) {
        this.account = account;
    }

    /** The API on the wire: STS's query protocol, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(StsClient.class, "STS"), new QueryProtocol("sts"))
                .on(GetCallerIdentityRequest.class, (request, context) -> GetCallerIdentityResponse.builder()
                        .account(account).userId(account).arn("arn:aws:iam::" + account + ":root").build());
    }
}
