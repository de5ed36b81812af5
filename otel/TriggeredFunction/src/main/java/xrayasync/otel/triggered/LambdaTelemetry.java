package xrayasync.otel.triggered;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** The OpenTelemetry SDK a function builds once at init, set up as AWS's X-Ray migration guide does for Lambda. */
final class LambdaTelemetry {

    private LambdaTelemetry() {
    }

    /** The SDK for this function, exporting to the X-Ray daemon Lambda runs beside it. */
    static OpenTelemetrySdk fromEnvironment(Map<String, String> environment) {
        return create(environment, XRayUdpSpanExporter.fromEnvironment(environment));
    }

    // AWS X-Ray Developer Guide, xray-migration-opentelemetry, "Lambda instrumentation": a SimpleSpanProcessor with an
    // X-Ray UDP exporter, a parent-based sampler, service.name set to the function name, the X-Ray Lambda propagator.
    // The SDK is not registered globally: the handler and the SDK clients take it explicitly, and a global one would
    // also make the Lambda client add a ClientContext that an Event invocation does not carry on.
    static OpenTelemetrySdk create(Map<String, String> environment, SpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setResource(Resource.getDefault().merge(resource(environment)))
                        // Lambda decides: a sampled header is traced, Sampled=0 is not, and so is an invocation
                        // without a parent (no header, or PassThrough's Root-only one), as with the X-Ray SDK.
                        .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
                        // Not OpenTelemetry's default ids: they would repeat across environments restored from one
                        // SnapStart snapshot (see XRayIdGenerator).
                        .setIdGenerator(new XRayIdGenerator())
                        // Each span leaves as it ends, so nothing is pending when the invocation returns.
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                // The Lambda propagator last, as its Javadoc composes it: it continues the runtime's trace header
                // unless a propagator before it found a context.
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), AwsXrayLambdaPropagator.getInstance())))
                .build();
    }

    /** What identifies the function's spans: its name as the service, and where it runs. */
    static Resource resource(Map<String, String> environment) {
        String functionName = environment.get("AWS_LAMBDA_FUNCTION_NAME");
        return Resource.create(Attributes.builder()
                .put("service.name", functionName)
                .put("cloud.provider", "aws")
                .put("cloud.platform", "aws_lambda")
                .put("cloud.region", environment.get("AWS_REGION"))
                .put("faas.name", functionName)
                .put("faas.version", environment.get("AWS_LAMBDA_FUNCTION_VERSION"))
                .build());
    }
}
