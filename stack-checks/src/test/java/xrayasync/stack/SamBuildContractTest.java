package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * Each function folder, copied alone, builds the way sam build builds it (aws-lambda-builders' Maven workflow):
 * mvn clean install with the tests, then dependency:copy-dependencies -DincludeScope=runtime.
 */
class SamBuildContractTest {

    private static final List<String> EXCLUDED_HTTP_CLIENTS = List.of("apache-client", "apache5-client",
            "netty-nio-client", "httpclient5");

    @TempDir
    Path scratch;

    /** A function of a flavor's template: the X-Ray SDK one at the root, the OpenTelemetry one in otel/. */
    enum FunctionBuild {
        XRAY_TRIGGERING("template.yaml", "TriggeringFunction", true),
        XRAY_TRIGGERED("template.yaml", "TriggeredFunction", true),
        OTEL_TRIGGERING("otel/template.yaml", "TriggeringFunction", false),
        OTEL_TRIGGERED("otel/template.yaml", "TriggeredFunction", false);

        final String template;
        final String logicalId;
        final boolean xraySdk;

        FunctionBuild(String template, String logicalId, boolean xraySdk) {
            this.template = template;
            this.logicalId = logicalId;
            this.xraySdk = xraySdk;
        }
    }

    @ParameterizedTest
    @EnumSource(FunctionBuild.class)
    void functionFolderBuildsAloneAsSamBuildDoes(FunctionBuild function) throws Exception {
        Path templateFile = ProjectRoot.locate().resolve(function.template);
        Map<String, Object> properties = SamTemplate.load(templateFile).functionProperties(function.logicalId);
        Path copy = scratch.resolve(function.name());
        copyWithoutBuildOutput(templateFile.getParent().resolve((String) properties.get("CodeUri")), copy);

        maven(copy, "clean", "install");
        maven(copy, "dependency:copy-dependencies", "-DincludeScope=runtime", "-Dmdep.prependGroupId=true");

        // The hop chooses the method (an Fn::If); the class is the same for every hop.
        String handler = StackDefinition.resolve(SamTemplate.load(templateFile), templateFile.getParent(),
                "xray-async", "us-east-1", "123456789012", Map.of()).function(function.logicalId).handler();
        String handlerPath = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
        assertTrue(Files.isRegularFile(copy.resolve("target/classes").resolve(handlerPath)), handlerPath);
        List<String> libraries;
        try (Stream<Path> jars = Files.list(copy.resolve("target/dependency"))) {
            libraries = jars.map(jar -> jar.getFileName().toString()).sorted().toList();
        }
        assertTrue(libraries.stream().anyMatch(jar -> jar.contains("url-connection-client")), libraries.toString());
        for (String excluded : EXCLUDED_HTTP_CLIENTS) {
            assertFalse(libraries.stream().anyMatch(jar -> jar.contains("." + excluded + "-")),
                    excluded + " must not be packaged: " + libraries);
        }
        assertFalse(libraries.stream().anyMatch(jar -> jar.contains("junit") || jar.contains("wiremock")),
                "test libraries must not be packaged: " + libraries);
        if (function.xraySdk) {
            assertTrue(libraries.stream().anyMatch(jar -> jar.contains("aws-xray-recorder-sdk-aws-sdk-v2-instrumentor")),
                    libraries.toString());
            assertTrue(registersTracingInterceptor(copy.resolve("target/dependency")),
                    "a packaged jar registers the X-Ray TracingInterceptor with the SDK");
        } else {
            // The instrumentor registers itself on every SDK client: beside OpenTelemetry's, both would write the header.
            assertFalse(libraries.stream().anyMatch(jar -> jar.contains("aws-xray-recorder")),
                    "no X-Ray SDK artifact in the OpenTelemetry flavor: " + libraries);
            assertFalse(registersTracingInterceptor(copy.resolve("target/dependency")), "no X-Ray TracingInterceptor");
            assertTrue(libraries.stream().anyMatch(jar -> jar.contains("opentelemetry-aws-sdk-2.2")), libraries.toString());
        }
    }

    private static boolean registersTracingInterceptor(Path libraries) throws IOException {
        try (Stream<Path> jars = Files.list(libraries)) {
            return jars.anyMatch(jar -> {
                try (JarFile file = new JarFile(jar.toFile())) {
                    var entry = file.getEntry("software/amazon/awssdk/global/handlers/execution.interceptors");
                    if (entry == null) {
                        return false;
                    }
                    try (InputStream content = file.getInputStream(entry)) {
                        return new String(content.readAllBytes()).contains("com.amazonaws.xray.interceptors.TracingInterceptor");
                    }
                } catch (IOException unreadable) {
                    throw new UncheckedIOException(unreadable);
                }
            });
        }
    }

    private static void copyWithoutBuildOutput(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(path -> !source.relativize(path).startsWith("target")).toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination);
                }
            }
        }
    }

    private static void maven(Path project, String... arguments) throws Exception {
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        List<String> command = Stream.concat(Stream.of(mvn.toString(), "-B", "-q"), Stream.of(arguments)).toList();
        Path log = project.resolveSibling(project.getFileName() + "-" + arguments[arguments.length - 1] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed in a lone copy of "
                + project.getFileName() + ":\n" + readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException unreadable) {
            return "(no log: " + unreadable.getMessage() + ")";
        }
    }
}
