package xrayasync.localcloud.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * Starts a function's JVM the way Lambda's Java runtime does: the runtime interface client's main class on the
 * system class path, the function's code loaded from the task root (the working directory) by the client itself.
 */
public final class RuntimeLauncher {

    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final Path java;
    private final String classPath;
    private final Path nativeLibrary;

    private RuntimeLauncher(Path java, String classPath, Path nativeLibrary) {
        this.java = java;
        this.classPath = classPath;
        this.nativeLibrary = nativeLibrary;
    }

    /**
     * Prepares launches from this JVM's runtime interface client; its native library is unpacked once, because
     * every JVM unpacking it to the same file at start crashes JVMs that start together.
     */
    public static RuntimeLauncher prepare(Path workDirectory) throws IOException {
        String classPath = Stream.of(AWSLambda.class, Context.class, PojoSerializer.class, SdkInternalThreadLocal.class)
                .map(RuntimeLauncher::location)
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
        String library = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "libaws-lambda-jni.linux-x86_64.so";
            case "aarch64", "arm64" -> "libaws-lambda-jni.linux-aarch_64.so";
            default -> throw new IllegalStateException("The Lambda runtime client has no native library for "
                    + System.getProperty("os.arch") + ".");
        };
        Path nativeLibrary = workDirectory.resolve(library);
        Files.createDirectories(workDirectory);
        try (InputStream packed = AWSLambda.class.getResourceAsStream("/jni/" + library)) {
            if (packed == null) {
                throw new IllegalStateException("The runtime interface client jar has no /jni/" + library + ".");
            }
            Files.copy(packed, nativeLibrary, StandardCopyOption.REPLACE_EXISTING);
        }
        return new RuntimeLauncher(Path.of(System.getProperty("java.home"), "bin", "java"), classPath, nativeLibrary);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Starts the runtime for a function in its task root, with exactly the given environment, and with the JVM options
     * Lambda's Java runtime passes, so that the template needs none of its own. The list is the managed runtime's
     * command line as captured from a java17 function (public wrapper scripts: aleph0io/lambda-benchmark-scimark2,
     * sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes), without the Log4Shell agent, which Lambda
     * dropped from Java 25 on, and with the tiering AWS documents for java25 ("Customize Java runtime startup
     * behavior", java-customization.html): tiered compilation stops at level 1 by default, except under SnapStart or
     * provisioned concurrency. The local cloud starts every environment on demand, SnapStart versions included (no
     * snapshot can be taken here), so level 1 applies to all of them. The function's own JAVA_TOOL_OPTIONS, read by
     * the JVM from the environment, still come on top as in Lambda.
     */
    Process launch(FunctionDefinition function, Path taskRoot, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of(java.toString(),
                // Inside Lambda the JVM sees the function's memory as the machine's; here a flag stands in for that.
                "-XX:MaxRAM=" + function.memoryMb() + "m",
                "-XX:MaxHeapSize=" + (function.memoryMb() * 85 / 100) + "m",
                "-XX:+UseSerialGC",
                // The runtime ships its own CDS archive (-Xshare:on with it); the JDK's default archive is the nearest.
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "--enable-native-access=ALL-UNNAMED",
                "-D" + JNI_PROPERTY + "=" + nativeLibrary,
                "-cp", classPath,
                AWSLambda.class.getName(),
                function.handler()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }
}
