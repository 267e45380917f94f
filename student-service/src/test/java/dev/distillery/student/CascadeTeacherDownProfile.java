package dev.distillery.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A teacher URL where nothing listens, and {@code on-teacher-failure=error}. */
public class CascadeTeacherDownProfile implements QuarkusTestProfile {

    /**
     * A local port held bound but never listening, for the life of the test JVM: connections to it are refused, and
     * no server (this test's own student on its random port, as happened once in CI) can be given it. A port taken
     * from a closed ServerSocket was free only until the next bind.
     */
    private static final Socket REFUSING = refusingPort();

    private static Socket refusingPort() {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("distillery.student.teacher-url", "http://127.0.0.1:" + REFUSING.getLocalPort(),
                "distillery.student.cascade.teacher-timeout", "1s",
                "distillery.student.cascade.on-teacher-failure", "error");
    }
}
