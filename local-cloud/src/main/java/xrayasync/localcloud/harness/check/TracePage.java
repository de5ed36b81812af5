package xrayasync.localcloud.harness.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xrayasync.localcloud.core.console.TraceConsole;
import xrayasync.localcloud.core.xray.InferredSegments;
import xrayasync.localcloud.core.xray.ServiceGraph;
import xrayasync.localcloud.core.xray.TraceStore;

/**
 * A trace saved as one self-contained HTML page: the console's timeline and service map with the trace inside it, to
 * open after the local cloud has stopped.
 */
public final class TracePage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TracePage() {
    }

    /** Writes the page of one trace into the folder and returns its path. */
    public static Path write(TraceStore store, String traceId, Path folder) throws IOException {
        List<ObjectNode> segments = new ArrayList<>(store.segments(traceId).orElse(List.of()));
        ServiceGraph graph = new ServiceGraph();
        graph.add(segments);
        segments.addAll(InferredSegments.of(segments));
        ObjectNode saved = JSON.createObjectNode();
        ObjectNode trace = saved.putObject("trace");
        trace.put("Id", traceId);
        ArrayNode documents = trace.putArray("Segments");
        for (ObjectNode segment : segments) {
            documents.addObject().put("Id", segment.path("id").asText()).put("Document", JSON.writeValueAsString(segment));
        }
        saved.set("services", graph.services());
        // A trace carries caller-supplied text: "</" would end the script element that holds it.
        String data = JSON.writeValueAsString(saved).replace("</", "<\\/");
        String page = TraceConsole.asset("index.html")
                .replace("<link rel=\"stylesheet\" href=\"console.css\">",
                        "<style>\n" + TraceConsole.asset("console.css") + "</style>")
                .replace("<script src=\"console.js\"></script>",
                        "<script type=\"application/json\" id=\"embedded-trace\">" + data + "</script>\n<script>\n"
                                + TraceConsole.asset("console.js") + "</script>");
        Files.createDirectories(folder);
        Path file = folder.resolve("trace-" + traceId + ".html");
        Files.writeString(file, page, StandardCharsets.UTF_8);
        return file;
    }
}
