package xrayasync.localcloud.core.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * How the local cloud keeps state that outlives a run (S3's objects, CloudFormation's stacks): JSON files, each written
 * whole to a new file and moved into place, so a file is either the old state or the new one, never half of each;
 * times as ISO 8601 text.
 */
public final class StateFiles {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, ToStringSerializer.instance)
            .addDeserializer(Instant.class, new JsonDeserializer<>() {
                @Override
                public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                    return Instant.parse(parser.getValueAsString());
                }
            }));

    private StateFiles() {
    }

    public static void write(Path file, Object state) {
        try {
            Files.createDirectories(file.getParent());
            Path written = file.resolveSibling(file.getFileName() + ".new");
            JSON.writeValue(written.toFile(), state);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("The local cloud cannot read its state in " + file + " (" + unreadable
                    .getMessage() + "); remove the file, or start with another --work-dir.", unreadable);
        }
    }
}
