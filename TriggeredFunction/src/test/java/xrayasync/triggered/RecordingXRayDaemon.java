package xrayasync.triggered;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** A UDP socket on loopback that receives segment documents the way the X-Ray daemon does. */
final class RecordingXRayDaemon implements AutoCloseable {

    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatagramSocket socket;
    private final BlockingQueue<JsonNode> documents = new LinkedBlockingQueue<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final Thread reader;

    RecordingXRayDaemon() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        reader = Thread.ofPlatform().daemon().name("xray-daemon-" + socket.getLocalPort()).start(this::receive);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[64 * 1024];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            try {
                if (datagram.startsWith(HEADER)) {
                    documents.add(JSON.readTree(datagram.substring(HEADER.length())));
                } else {
                    rejected.add(datagram);
                }
            } catch (IOException malformed) {
                rejected.add(datagram);
            }
        }
    }

    /** Waits for the given number of documents, failing when they do not all arrive in time. */
    List<JsonNode> await(int count, Duration timeout) throws InterruptedException {
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            JsonNode next = documents.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("Expected " + count + " segment documents, received " + received);
            }
            received.add(next);
        }
        assertWellFormed();
        return received;
    }

    /** Everything that arrives within the given quiet period. */
    List<JsonNode> drain(Duration quietPeriod) throws InterruptedException {
        Thread.sleep(quietPeriod.toMillis());
        List<JsonNode> received = new ArrayList<>();
        documents.drainTo(received);
        assertWellFormed();
        return received;
    }

    private void assertWellFormed() {
        if (!rejected.isEmpty()) {
            throw new AssertionError("Datagrams the X-Ray daemon would reject: " + rejected);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join();
    }
}
