package xrayasync.localcloud.harness.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.xray.model.Trace;
import xrayasync.localcloud.core.console.TraceConsole;
import xrayasync.localcloud.core.protocol.JsonShapes;
import xrayasync.localcloud.core.xray.ServiceGraph;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayApi;

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
        ServiceGraph graph = new ServiceGraph();
        store.segments(traceId).ifPresent(graph::add);
        // The shapes BatchGetTraces and GetTraceGraph answer with, which the console reads from the API otherwise.
        ObjectNode saved = JSON.createObjectNode();
        saved.set("trace", JsonShapes.write(XRayApi.trace(store, traceId)
                .orElse(Trace.builder().id(traceId).segments(List.of()).build())));
        ArrayNode services = saved.putArray("services");
        graph.services().forEach(service -> services.add(JsonShapes.write(service)));
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
