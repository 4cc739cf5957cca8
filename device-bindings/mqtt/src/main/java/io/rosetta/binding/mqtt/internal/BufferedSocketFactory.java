package io.rosetta.binding.mqtt.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets ({@code tcp://} broker connections) whose input is read through one buffer. Paho's receiver reads
 * a packet's fixed header byte by byte and then its rest from the socket's input stream, and asks that stream how many
 * bytes are {@linkplain InputStream#available() available} before each packet; straight on the socket that costs three
 * to four system calls per received message. Through the buffer, one {@code read} takes in as many packets as the
 * kernel holds (up to {@value #BUFFER_SIZE} bytes), the packets are parsed from memory, and {@code available()}
 * answers from the buffer alone.
 *
 * <p>Sockets are created unconnected ({@link #createSocket()}; Paho connects them with its connect timeout) or, through
 * the other methods, connected as {@link SocketFactory#getDefault()} does. Each socket hands out one buffered input
 * stream; closing the socket closes the stream, and a read timeout ({@link java.net.SocketTimeoutException}, which
 * Paho's receiver waits out in a loop) leaves the stream ready for the next read. Output is not buffered: Paho writes
 * each packet whole and flushes it.
 */
final class BufferedSocketFactory extends SocketFactory {

    /** The input buffer of a socket: a burst of small MQTT messages in one read. */
    static final int BUFFER_SIZE = 16 * 1024;

    private final int bufferSize;

    BufferedSocketFactory() {
        this(BUFFER_SIZE);
    }

    BufferedSocketFactory(int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize must be positive but was " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    @Override
    public Socket createSocket() {
        return new BufferedSocket(bufferSize);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(remote(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(remote(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** As {@code new Socket(host, port)}: a {@code null} host is the loopback address; an unknown one fails the connect. */
    private static InetSocketAddress remote(String host, int port) throws IOException {
        return host == null ? new InetSocketAddress(InetAddress.getByName(null), port) : new InetSocketAddress(host, port);
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A socket whose {@link #getInputStream()} is always the same {@link BufferedInput} over the socket's own stream. */
    static final class BufferedSocket extends Socket {

        private final int bufferSize;
        private final Object lock = new Object();
        private BufferedInput input;

        BufferedSocket(int bufferSize) {
            this.bufferSize = bufferSize;
        }

        /** The buffered stream; fails as the socket's own does when the socket is closed, unconnected or shut down for input. */
        @Override
        public InputStream getInputStream() throws IOException {
            InputStream raw = super.getInputStream();
            synchronized (lock) {
                if (input == null) {
                    input = new BufferedInput(raw, bufferSize);
                }
                return input;
            }
        }

        /** Closes the socket and drops its buffer: bytes still buffered are not handed out after the close. */
        @Override
        public synchronized void close() throws IOException {
            BufferedInput in;
            synchronized (lock) {
                in = input;
            }
            try {
                super.close();
            } finally {
                if (in != null) {
                    in.close();
                }
            }
        }
    }

    /**
     * A socket's input through a buffer. {@link #available()} answers the bytes already buffered, and 0 when the buffer
     * is empty, without asking the socket (which the {@link InputStream#available()} contract allows: it is an estimate
     * of what can be read without blocking): Paho asks before every packet, only to tell whether it is receiving, and
     * asking the socket costs a system call.
     */
    static final class BufferedInput extends BufferedInputStream {

        BufferedInput(InputStream in, int size) {
            super(in, size);
        }

        @Override
        public synchronized int available() throws IOException {
            if (buf == null) {
                throw new IOException("Stream closed");
            }
            return count - pos;
        }
    }
}
