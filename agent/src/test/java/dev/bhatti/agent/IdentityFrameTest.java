package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.IdentityRequest;
import dev.bhatti.proto.Payloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IDENTITY against a real lohar: a restored VM's new token, env, files, hostname and machine-id. */
class IdentityFrameTest {
    private static final String OLD = "0123456789abcdef0123456789abcdef";
    private static final String NEW = "fedcba9876543210fedcba9876543210";
    private LoharProcess lohar;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        root = Files.createTempDirectory("lohar-identity-root-");
        lohar = LoharProcess.start("--token", OLD, "--env", "FROM=snapshot", "--identity-root", root.toString());
    }

    @AfterEach
    void stop() throws Exception {
        lohar.close();
        try (var all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static IdentityRequest identity(String token, Map<String, IdentityRequest.File> files) {
        byte[] seed = new byte[64];
        new java.security.SecureRandom().nextBytes(seed);
        return new IdentityRequest(token, "sb-00000000c10e", "clone-1", "00112233445566778899aabbccddeeff",
                Map.of("FROM", "identity", "ONLY_NEW", "1"), files, null, List.of("10.0.2.3"),
                Base64.getEncoder().encodeToString(seed), null, List.of(), null);
    }

    private AgentSocket authed(String token) throws Exception {
        return AgentSocket.control(lohar).send(FrameType.AUTH, token.getBytes(StandardCharsets.UTF_8));
    }

    private String env(String token) throws Exception {
        try (AgentSocket s = authed(token)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("/bin/sh", "-c", "echo $FROM-${ONLY_NEW:-none}").build());
            return s.collect().stdout().strip();
        }
    }

    @Test
    void afterIdentityOnlyTheNewTokenOpensAConnectionAndExecsSeeTheNewEnv() throws Exception {
        assertThat(env(OLD)).isEqualTo("snapshot-none");
        try (AgentSocket s = authed(OLD)) {
            s.sendJson(FrameType.IDENTITY, identity(NEW, Map.of()));
            assertThat(Payloads.exit(s.expect(FrameType.EXIT).payload())).isZero();
        }
        try (AgentSocket s = authed(OLD)) {
            // A wrong AUTH is answered at once, and the connection closed: nothing else is sent on it.
            assertThat(s.expectError()).isEqualTo("auth required");
        }
        assertThat(env(NEW)).isEqualTo("identity-1");
    }

    @Test
    void identityWritesHostnameMachineIdResolverAndFilesUnderItsRoot() throws Exception {
        String content = Base64.getEncoder().encodeToString("hello clone\n".getBytes(StandardCharsets.UTF_8));
        try (AgentSocket s = authed(OLD)) {
            s.sendJson(FrameType.IDENTITY, identity(NEW, Map.of("/opt/app/config.txt",
                    new IdentityRequest.File(content, "0600"))));
            assertThat(Payloads.exit(s.expect(FrameType.EXIT).payload())).isZero();
        }
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("clone-1\n");
        assertThat(Files.readString(root.resolve("etc/machine-id"))).isEqualTo("00112233445566778899aabbccddeeff\n");
        assertThat(Files.readString(root.resolve("etc/resolv.conf"))).isEqualTo("nameserver 10.0.2.3\n");
        Path file = root.resolve("opt/app/config.txt");
        assertThat(Files.readString(file)).isEqualTo("hello clone\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aMalformedIdentityIsRefusedAndTheOldTokenStillWorks() throws Exception {
        try (AgentSocket s = authed(OLD)) {
            s.send(FrameType.IDENTITY, "{\"token\":\"short\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(s.expectError()).contains("token");
        }
        assertThat(env(OLD)).isEqualTo("snapshot-none");
    }

    @Test
    void withoutAnIdentityRootTheFrameIsRefused() throws Exception {
        try (LoharProcess plain = LoharProcess.start("--token", OLD);
             AgentSocket s = AgentSocket.control(plain).send(FrameType.AUTH, OLD.getBytes(StandardCharsets.UTF_8))) {
            s.sendJson(FrameType.IDENTITY, identity(NEW, Map.of()));
            assertThat(s.expectError()).startsWith("identity: ");
        }
    }
}
