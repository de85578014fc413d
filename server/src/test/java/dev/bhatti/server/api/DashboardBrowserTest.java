package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in a real browser (headless Chromium) against a real daemon with a real VM: sign
 * in with a key, see a sandbox created through the API appear, type in its terminal and read the
 * answer in xterm's buffer, resize the window and see {@code stty size} follow, upload a file and
 * read it back through the API, stop the sandbox and see its state change without a reload.
 * Screenshots go to {@code server/target/screenshots}.
 */
class DashboardBrowserTest {
    private static DaemonFixture fx;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        browser = new Browser(1280, 800);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            fx.close();
        }
    }

    /** The terminal's lines as xterm holds them (scrollback and screen), trailing blanks cut. */
    @SuppressWarnings("unchecked")
    private static List<String> terminalLines() {
        return (List<String>) browser.js("""
                const b = window.bhatti.term.buffer.active, out = [];
                for (let i = 0; i < b.length; i++) { const l = b.getLine(i); out.push(l ? l.translateToString(true) : ''); }
                return out;""");
    }

    private static void type(String text) {
        new Actions(browser.driver).sendKeys(text).perform();
    }

    /** Types {@code stty size} and answers its output line once it is in the buffer, e.g. "24 80". */
    private static String sttySize(int previous) {
        type("stty size" + Keys.ENTER);
        return browser.await(60, d -> {
            List<String> sizes = terminalLines().stream().map(String::trim).filter(l -> l.matches("\\d+ \\d+")).toList();
            return sizes.size() > previous ? sizes.getLast() : null;
        });
    }

    private static long termLong(String field) {
        return ((Number) browser.js("return window.bhatti.term." + field + ";")).longValue();
    }

    @Test
    void signInWatchASandboxAppearUseItsTerminalUploadAFileAndSeeItStopWithoutAReload() throws Exception {
        String url = fx.url();
        browser.driver.get(url + "/");
        browser.driver.findElement(By.id("api-key")).sendKeys(fx.adminKey);
        browser.driver.findElement(By.id("sign-in-submit")).click();
        browser.await(20, d -> d.findElement(By.id("sandbox-list")).isDisplayed());
        browser.js("window.__sameDocument = 42;");

        var created = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"web\",\"labels\":{\"team\":\"blue\"}}");
        assertThat(created.status()).isEqualTo(201);
        String id = (String) SandboxApiTest.json(created.text()).get("id");
        By row = By.cssSelector("#sandboxes tr[data-id='" + id + "']");
        browser.await(60, d -> d.findElements(row).isEmpty() ? null : true);
        assertThat(browser.driver.findElement(row).findElement(By.cssSelector("td.thermal")).getText()).isEqualTo("hot");
        assertThat(browser.driver.findElement(row).findElement(By.cssSelector("td.labels")).getText()).contains("team");
        browser.screenshot("list-1280x800");

        browser.driver.findElement(row).findElement(By.cssSelector("td.name a")).click();
        browser.await(30, d -> Boolean.TRUE.equals(browser.js("return !!(window.bhatti && window.bhatti.terminalReady);")));
        browser.driver.findElement(By.id("terminal")).click();
        type("echo hi" + Keys.ENTER);
        browser.await(60, d -> terminalLines().stream().anyMatch(l -> l.trim().equals("hi")) ? true : null);

        String before = sttySize(0);
        assertThat(before).isEqualTo(termLong("rows") + " " + termLong("cols"));
        long cols = termLong("cols");
        browser.driver.manage().window().setSize(new Dimension(900, 640));
        browser.await(20, d -> termLong("cols") != cols ? true : null);
        String after = sttySize(1);
        assertThat(after).as("the shell sees the terminal's new size").isEqualTo(termLong("rows") + " " + termLong("cols"))
                .isNotEqualTo(before);
        browser.driver.manage().window().setSize(new Dimension(1280, 800));
        browser.screenshot("terminal-1280x800");

        Path upload = Files.createTempDirectory("bhatti-upload-").resolve("greeting.txt");
        Files.writeString(upload, "uploaded through the dashboard\n");
        browser.js("document.getElementById('upload-file').style.display = 'block';");
        browser.driver.findElement(By.id("upload-file")).sendKeys(upload.toAbsolutePath().toString());
        browser.await(60, d -> d.findElement(By.id("files-status")).getText().contains("uploaded greeting.txt") ? true : null);
        var read = fx.get(fx.adminKey, "/sandboxes/" + id + "/files?path=/workspace/greeting.txt");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("uploaded through the dashboard\n");

        assertThat(fx.post(fx.adminKey, "/sandboxes/" + id + "/stop", "{}").status()).isEqualTo(200);
        browser.await(60, d -> "cold".equals(d.findElement(By.id("sb-thermal")).getText()) ? true : null);
        browser.await(20, d -> d.findElements(By.cssSelector("#events li[data-type='stopped']")).isEmpty() ? null : true);
        assertThat(browser.js("return window.__sameDocument;")).as("no reload").isEqualTo(42L);

        assertThat((Boolean) browser.js("return performance.getEntriesByType('resource')"
                + ".every(e => e.name.startsWith(location.origin) || e.name.startsWith(location.origin.replace('http', 'ws')));"))
                .as("nothing loaded from another origin").isTrue();

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        browser.await(10, d -> Boolean.TRUE.equals(browser.js("return document.documentElement.scrollWidth <= window.innerWidth;")));
        browser.screenshot("sandbox-390x844");
        browser.driver.get(url + "/#/");
        browser.await(30, d -> d.findElements(row).isEmpty() ? null : true);
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("no horizontal scroll at phone width").isTrue();
        browser.screenshot("list-390x844");
    }

    @Test
    void dashboardFilesNeedNoKeyAndAllowNothingFromAnotherOrigin() {
        var page = fx.get(null, "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.text()).doesNotContain("http://", "https://");
        for (String vendor : List.of("/ui/vendor/xterm.css", "/ui/vendor/xterm.mjs", "/ui/vendor/addon-fit.mjs")) {
            var r = fx.get(null, vendor);
            assertThat(r.status()).as(vendor + " is bundled in the jar").isEqualTo(200);
            assertThat(r.text()).hasSizeGreaterThan(1000);
        }
        // unchecked by the contract, which would read the path as /openapi.json
        assertThat(fx.raw(null).send("GET", "/ui/../openapi.json", java.util.Map.of(), null).status()).isEqualTo(404);
        assertThat(fx.raw(null).send("GET", "/ui/%2e%2e/openapi.json", java.util.Map.of(), null).status()).isEqualTo(404);
        assertThat(fx.get(null, "/sandboxes").status()).as("the API still needs a key").isEqualTo(401);
    }
}
