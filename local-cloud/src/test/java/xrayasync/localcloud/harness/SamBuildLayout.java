package xrayasync.localcloud.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import xrayasync.localcloud.core.template.SamTemplate;

/**
 * What {@code sam build} writes for a template (aws-lambda-builders' Maven workflow): each function's classes and
 * resources at the root of .aws-sam/build/LogicalId, its runtime jars in lib/, and the template beside them with
 * CodeUri naming those folders. The classes and jars come from the function projects' own Maven build.
 */
final class SamBuildLayout {

    private SamBuildLayout() {
    }

    /** Writes the layout of a template under a folder and returns the built template's path. */
    static Path write(Path template, Path folder) throws IOException {
        Path build = folder.resolve(".aws-sam/build");
        String text = Files.readString(template);
        SamTemplate parsed = SamTemplate.parse(text);
        for (String logicalId : parsed.functionIds()) {
            Path project = template.getParent().resolve(String.valueOf(parsed.properties(logicalId).get("CodeUri")));
            copyTree(project.resolve("target/classes"), build.resolve(logicalId));
            copyTree(project.resolve("target/dependency"), build.resolve(logicalId).resolve("lib"));
            text = text.replace("CodeUri: " + project.getFileName(), "CodeUri: " + logicalId);
        }
        Path built = build.resolve("template.yaml");
        Files.writeString(built, text);
        return built;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
