package xrayasync.localcloud.core.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** The X-Ray daemon's UDP side: takes segment documents from the functions' X-Ray SDKs into the trace store. */
public final class XRayDaemon implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAXIMUM_DATAGRAM = 64 * 1024;
    // A deep kernel buffer and a reader that does nothing but parse keep bursts from concurrent functions intact.
    private static final int RECEIVE_BUFFER = 16 * 1024 * 1024;

    private final DatagramSocket socket;
    private final TraceStore store;
    private final Thread reader;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    public XRayDaemon(TraceStore store) throws SocketException {
        this.store = store;
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        reader = Thread.ofPlatform().daemon().name("xray-daemon").start(this::receive);
    }

    /** The value for AWS_XRAY_DAEMON_ADDRESS. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public long receivedCount() {
        return received.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    private void receive() {
        byte[] buffer = new byte[MAXIMUM_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            received.incrementAndGet();
            accept(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    /** Parses one datagram: the protocol header line, then one segment document; anything else is counted. */
    void accept(String datagram) {
        int newline = datagram.indexOf('\n');
        try {
            if (newline < 0 || !JSON.readTree(datagram.substring(0, newline)).path("format").asText().equals("json")) {
                malformed.incrementAndGet();
                return;
            }
            JsonNode document = JSON.readTree(datagram.substring(newline + 1));
            if (document instanceof ObjectNode segment) {
                store.put(segment);
            } else {
                malformed.incrementAndGet();
            }
        } catch (IOException | IllegalArgumentException unreadable) {
            malformed.incrementAndGet();
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join();
    }
}
