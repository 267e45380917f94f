package dev.distillery.student;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A teacher URL where nothing listens, and {@code on-teacher-failure=error}. */
public class CascadeTeacherDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: connections to it are refused
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("distillery.student.teacher-url", "http://127.0.0.1:" + port,
                "distillery.student.cascade.teacher-timeout", "1s",
                "distillery.student.cascade.on-teacher-failure", "error");
    }
}
