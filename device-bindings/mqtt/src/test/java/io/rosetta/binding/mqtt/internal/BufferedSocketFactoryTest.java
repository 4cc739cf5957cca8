package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The buffered input of plain TCP broker sockets, over a real loopback connection: a burst of MQTT packets in one
 * read, {@code available()} from the buffer, read timeouts that leave the stream usable, and the socket's close.
 */
class BufferedSocketFactoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BufferedSocketFactory factory = new BufferedSocketFactory();
    private ServerSocket server;
    private Socket client;
    private Socket peer;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {client, peer, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the test's own sockets
            }
        }
    }

    /** Connects as Paho does: an unconnected socket from the factory, connect with a timeout, then a read timeout. */
    private void connectLikePaho(int readTimeoutMillis) throws IOException {
        client = factory.createSocket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
        client.setSoTimeout(readTimeoutMillis);
        peer = server.accept();
    }

    /** A plain socket's own input stream, to count what reaches the socket under a {@link BufferedSocketFactory.BufferedInput}. */
    private InputStream connectPlain() throws IOException {
        client = new Socket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
        client.setSoTimeout((int) WAIT.toMillis());
        peer = server.accept();
        return client.getInputStream();
    }

    /** An MQTT 3.1.1 QoS 0 PUBLISH packet. */
    private static byte[] publish(String topic, String payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + t.length + p.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        do {
            int digit = remaining % 128;
            remaining /= 128;
            out.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        out.write(t.length >> 8);
        out.write(t.length & 0xff);
        out.writeBytes(t);
        out.writeBytes(p);
        return out.toByteArray();
    }

    /** Reads one packet the way Paho's receiver does: the header byte, the remaining length byte by byte, then the rest. */
    private static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(data.readByte());
        int remaining = 0;
        int multiplier = 1;
        byte digit;
        do {
            digit = data.readByte();
            packet.write(digit);
            remaining += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        byte[] rest = new byte[remaining];
        data.readFully(rest);
        packet.writeBytes(rest);
        return packet.toByteArray();
    }

    @Test
    void aBurstOfPacketsInOneSegmentIsReadWithOneFill() throws IOException {
        InputStream socketInput = connectPlain();
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            byte[] p = publish("sensors/room-" + i + "/state", "{\"temperature\":21." + i + ",\"humidity\":4" + i + "}");
            packets.add(p);
            segment.writeBytes(p);
        }
        OutputStream out = peer.getOutputStream();
        out.write(segment.toByteArray());
        out.flush();
        CountingStream raw = new CountingStream(socketInput);
        await().atMost(WAIT).until(() -> socketInput.available() >= segment.size());
        raw.availableCalls = 0;
        BufferedSocketFactory.BufferedInput in = new BufferedSocketFactory.BufferedInput(raw, BufferedSocketFactory.BUFFER_SIZE);

        for (byte[] expected : packets) {
            assertThat(readPacket(in)).isEqualTo(expected);
        }
        assertThat(raw.reads).as("reads from the socket").isEqualTo(1);
        assertThat(raw.availableCalls).as("available() asked of the socket").isZero();
    }

    @Test
    void availableAnswersFromTheBufferAloneWithoutASystemCall() throws IOException {
        InputStream socketInput = connectPlain();
        byte[] packet = publish("a/b", "payload");
        peer.getOutputStream().write(packet);
        CountingStream raw = new CountingStream(socketInput);
        await().atMost(WAIT).until(() -> socketInput.available() >= packet.length);
        raw.availableCalls = 0;
        BufferedSocketFactory.BufferedInput in = new BufferedSocketFactory.BufferedInput(raw, 64);

        assertThat(in.read()).isEqualTo(0x30);
        assertThat(in.available()).isEqualTo(packet.length - 1);
        assertThat(raw.availableCalls).isZero();

        in.readNBytes(packet.length - 1);
        assertThat(in.available()).isZero();
        assertThat(raw.availableCalls).as("available() asked of the socket").isZero();
    }

    @Test
    void aReadTimeoutLeavesTheStreamUsable() throws IOException {
        connectLikePaho(50);
        InputStream in = client.getInputStream();
        OutputStream out = peer.getOutputStream();
        byte[] first = publish("t/1", "one");
        byte[] second = publish("t/2", "two");

        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

        client.setSoTimeout((int) WAIT.toMillis());
        // the first packet and only the head of the second: the receiver waits out the rest
        out.write(first);
        out.write(second, 0, 4);
        out.flush();
        assertThat(readPacket(in)).isEqualTo(first);
        byte[] head = in.readNBytes(4);
        assertThat(head).containsExactly(second[0], second[1], second[2], second[3]);
        client.setSoTimeout(50);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

        client.setSoTimeout((int) WAIT.toMillis()); // the reads of bytes already sent wait as long as they need
        out.write(second, 4, second.length - 4);
        out.write(first);
        out.flush();
        byte[] tail = new byte[second.length - 4];
        new DataInputStream(in).readFully(tail);
        assertThat(tail).containsExactly(Arrays.copyOfRange(second, 4, second.length));
        assertThat(readPacket(in)).isEqualTo(first);
    }

    @Test
    void theSocketHandsOutOneBufferedStreamAndClosingTheSocketClosesIt() throws IOException {
        connectLikePaho(5000);
        InputStream in = client.getInputStream();
        assertThat(in).isInstanceOf(BufferedSocketFactory.BufferedInput.class).isSameAs(client.getInputStream());

        peer.getOutputStream().write(publish("t", "buffered but unread"));
        assertThat(in.read()).isEqualTo(0x30);
        client.close();

        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
        assertThatThrownBy(in::available).isInstanceOf(IOException.class);
        assertThatThrownBy(client::getInputStream).isInstanceOf(SocketException.class);
    }

    @Test
    void theOtherCreateMethodsConnectLikeTheDefaultFactory() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = server.getLocalPort();
        List<Socket> sockets = new ArrayList<>();
        try {
            sockets.add(factory.createSocket(loopback.getHostAddress(), port));
            sockets.add(factory.createSocket(loopback, port));
            sockets.add(factory.createSocket(loopback.getHostAddress(), port, loopback, 0));
            sockets.add(factory.createSocket(loopback, port, loopback, 0));
            for (Socket s : sockets) {
                try (Socket accepted = server.accept()) {
                    assertThat(s.isConnected()).isTrue();
                    assertThat(s.getPort()).isEqualTo(port);
                    assertThat(s.getInputStream()).isInstanceOf(BufferedSocketFactory.BufferedInput.class);
                    accepted.getOutputStream().write(7);
                    assertThat(s.getInputStream().read()).isEqualTo(7);
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void anUnreachablePortFailsTheConnectAndLeavesNoSocketOpen() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertThatThrownBy(() -> factory.createSocket(InetAddress.getLoopbackAddress(), closed)).isInstanceOf(IOException.class);
    }

    /** Counts the reads and {@code available()} calls that reach the socket. */
    private static final class CountingStream extends FilterInputStream {
        int reads;
        int availableCalls;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            reads++;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            availableCalls++;
            return super.available();
        }
    }
}
