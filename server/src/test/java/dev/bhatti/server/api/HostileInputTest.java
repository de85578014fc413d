package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile input against a real daemon with one real VM: NUL bytes, {@code =} in env and label keys,
 * names that are sandbox ids. Each is a 400 with a stable code and a message naming the field,
 * and creates or changes nothing.
 */
class HostileInputTest {
    private static DaemonFixture fx;
    private static String key;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        key = fx.adminKey;
        Raw.Response created = fx.post(key, "/sandboxes", "{\"name\":\"target\",\"labels\":{\"team\":\"red\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        id = (String) json(created).get("id");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static Map<String, Object> json(Raw.Response r) throws Exception {
        return SandboxApiTest.json(r.text());
    }

    private static void assertOnlyTheTargetExists() throws Exception {
        var list = SandboxApiTest.jsonList(fx.get(key, "/sandboxes").text());
        assertThat(list).extracting(s -> s.get("name")).containsExactly("target");
        assertThat(fx.daemon.config().dataDir().resolve("sandboxes").toFile().list()).containsExactly(id);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"cmd\":[\"echo\",\"a\\u0000b\"]}                   | invalid_command | cmd[1] contains a NUL byte",
        "{\"cmd\":[\"ec\\u0000ho\"]}                          | invalid_command | cmd[0] contains a NUL byte",
        "{\"cmd\":[\"echo\",null]}                            | invalid_command | cmd[1]",
        "{\"cmd\":[\"env\"],\"env\":{\"XA=B\":\"v\"}}         | invalid_env     | env key \"XA=B\" must not contain '='",
        "{\"cmd\":[\"env\"],\"env\":{\"\":\"v\"}}             | invalid_env     | env keys must not be empty",
        "{\"cmd\":[\"env\"],\"env\":{\"A\\u0000B\":\"v\"}}    | invalid_env     | contains a NUL byte",
        "{\"cmd\":[\"env\"],\"env\":{\"A\":\"v\\u0000w\"}}    | invalid_env     | env value of A contains a NUL byte",
        "{\"cmd\":[\"pwd\"],\"cwd\":\"/tmp\\u0000x\"}         | invalid_cwd     | cwd contains a NUL byte"})
    void execWithNulOrABadEnvKeyIs400NamingTheField(String body, String code, String message) throws Exception {
        Raw.Response r = fx.post(key, "/sandboxes/" + id + "/exec", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", code);
        assertThat((String) json(r).get("error")).contains(message).doesNotStartWith("internal error");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"name\":\"b1\",\"env\":{\"XA=B\":\"v\"}}           | invalid_env   | XA=B",
        "{\"name\":\"b2\",\"env\":{\"A\":\"v\\u0000w\"}}      | invalid_env   | env value of A contains a NUL byte",
        "{\"name\":\"b3\",\"labels\":{\"k=v\":\"x\"}}         | invalid_label | label key \"k=v\" must not contain '='",
        "{\"name\":\"b4\",\"labels\":{\"\":\"x\"}}            | invalid_label | label keys must be 1..63 characters",
        "{\"name\":\"sb-0123456789ab\"}                       | name_is_sandbox_id | sb-0123456789ab"})
    void createWithABadEnvLabelOrIdLikeNameIs400AndCreatesNothing(String body, String code, String message)
            throws Exception {
        Raw.Response r = fx.post(key, "/sandboxes", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", code);
        assertThat((String) json(r).get("error")).contains(message);
        assertOnlyTheTargetExists();
    }

    @Test
    void aNameEqualToAnExistingSandboxIdIsRefusedOnCreateAndOnRename() throws Exception {
        Raw.Response create = fx.post(key, "/sandboxes", "{\"name\":\"" + id + "\"}");
        assertThat(create.status()).as(create.text()).isEqualTo(400);
        assertThat(json(create)).containsEntry("code", "name_is_sandbox_id");
        assertThat(create.header("X-Bhatti-Existing")).isEmpty();
        Raw.Response rename = fx.patch(key, "/sandboxes/target", "{\"name\":\"" + id + "\"}");
        assertThat(rename.status()).as(rename.text()).isEqualTo(400);
        assertThat(json(rename)).containsEntry("code", "name_is_sandbox_id");
        assertThat((String) json(rename).get("error")).contains(id);
        assertThat(json(fx.get(key, "/sandboxes/target"))).containsEntry("name", "target");
        assertOnlyTheTargetExists();
    }

    @Test
    void aLabelKeyWithEqualsIsRefusedOnPatchAndTheLabelsStayFilterable() throws Exception {
        Raw.Response r = fx.patch(key, "/sandboxes/target", "{\"labels_add\":{\"a=b\":\"c\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", "invalid_label");
        assertThat((String) json(r).get("error")).contains("a=b");
        assertThat(json(fx.get(key, "/sandboxes/target")).get("labels")).isEqualTo(Map.of("team", "red"));
        assertThat(fx.get(key, "/sandboxes?label=team=red").text()).contains("\"target\"");
    }

    @Test
    void aTemplateEnvKeyWithEqualsIsRefused() throws Exception {
        Raw.Response r = fx.post(key, "/templates", "{\"name\":\"t1\",\"env\":{\"XA=B\":\"v\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", "invalid_env");
        assertThat((String) json(r).get("error")).contains("XA=B");
        assertThat(fx.get(key, "/templates").text()).isEqualTo("[]");
    }

    @Test
    void aFilePathWithNulSaysItContainsANulByte() throws Exception {
        Raw.Response r = fx.get(key, "/sandboxes/" + id + "/files?path=/tmp/a%00b");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", "invalid_path");
        assertThat((String) json(r).get("error")).contains("NUL byte").doesNotContain("is required");
    }

    @Test
    void bufferedExecOverTheCapShowsTheTruncationMarkerOnce() throws Exception {
        Raw.Response r = fx.post(key, "/sandboxes/" + id + "/exec",
                "{\"cmd\":[\"sh\",\"-c\",\"head -c 11534336 /dev/zero | tr '\\\\\\\\0' a >&2\"]}");
        assertThat(r.status()).as(r.text().substring(0, Math.min(300, r.text().length()))).isEqualTo(200);
        Map<String, Object> out = json(r);
        assertThat(out).containsEntry("truncated", true).containsEntry("exit_code", 0);
        String all = out.get("stdout") + "" + out.get("stderr");
        assertThat(all.split("truncated at 10 MiB", -1)).as("truncation markers").hasSize(2);
    }
}
