package dev.bhatti.bench;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against a daemon with one hot sandbox (issue 14's figures):
 * page load (the browser's load event and the sandbox list's first paint, from navigation start),
 * the terminal's readiness on the sandbox page, and keystroke echo latency through the dashboard
 * (xterm input → WebSocket → the guest's shell echo → parsed into xterm's buffer) paired, in the
 * same run, with a plain WebSocket client's keystroke echo on the same sandbox.
 */
final class DashboardBench {
    private static final int LOADS = 20;
    private static final int KEYS = 100;
    private static final String ECHO = """
            const ch = arguments[0], done = arguments[arguments.length - 1], term = window.bhatti.term;
            const row = () => { const b = term.buffer.active; return b.getLine(b.baseY + b.cursorY).translateToString(true); };
            const before = row(), t0 = performance.now();
            const timer = setTimeout(() => { sub.dispose(); done(-1); }, 10000);
            const sub = term.onWriteParsed(() => {
              if (row() !== before) { clearTimeout(timer); sub.dispose(); done(performance.now() - t0); }
            });
            term.input(ch, true);""";

    private DashboardBench() {}

    static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = Files.createTempDirectory("bhatti-bench-dash-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(1000).withImageSnapshots(false);
        Daemon daemon = Daemon.start(config);
        ChromeDriver driver = null;
        try {
            String key = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                    .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
            String url = "http://127.0.0.1:" + daemon.port();
            HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/sandboxes"))
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String id = made.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            driver = browser();
            driver.get(url + "/");
            driver.findElement(By.id("api-key")).sendKeys(key);
            driver.findElement(By.id("sign-in-submit")).click();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(20));
            wait.until(d -> !d.findElements(By.cssSelector("#sandboxes tr[data-id]")).isEmpty());
            Shell shell = Shell.open(url.replace("http", "ws") + "/sandboxes/" + id + "/ws?token=" + key);
            System.out.printf("%-52s %s%n", "measurement (ms), Chromium " + driver.getCapabilities().getBrowserVersion(),
                    Latencies.HEADER);
            for (int run = 0; run <= runs; run++) {
                String tag = run == 0 ? " (warm-up)" : ", run " + run;
                long[] load = new long[LOADS];
                long[] list = new long[LOADS];
                for (int i = 0; i < LOADS; i++) {
                    driver.get(url + "/#/");
                    driver.navigate().refresh();
                    wait.until(d -> mark(d, "bhatti:list-rendered") >= 0);
                    load[i] = nanos(((Number) driver.executeScript(
                            "return performance.getEntriesByType('navigation')[0].loadEventEnd;")).doubleValue());
                    list[i] = nanos(mark(driver, "bhatti:list-rendered"));
                }
                long[] term = new long[5];
                for (int i = 0; i < term.length; i++) {
                    driver.get(url + "/#/sandbox/" + id);
                    driver.navigate().refresh();
                    wait.until(d -> mark(d, "bhatti:terminal-ready") >= 0);
                    term[i] = nanos(mark(driver, "bhatti:terminal-ready"));
                }
                long[] page = new long[KEYS];
                long[] plain = new long[KEYS];
                for (int i = 0; i < KEYS; i += 10) {
                    for (int j = i; j < i + 10; j++) {
                        page[j] = nanos(((Number) driver.executeAsyncScript(ECHO, key(j))).doubleValue());
                        plain[j] = shell.echo(key(j));
                    }
                    driver.executeScript("window.bhatti.term.input('\\u0015', true);");
                    shell.send("\u0015");
                    Thread.sleep(100);
                    shell.drain();
                }
                if (run > 0) {
                    print("page load (load event)" + tag, load);
                    print("sandbox list rendered (from navigation)" + tag, list);
                    print("terminal ready (session attached)" + tag, term);
                    print("keystroke echo, dashboard (xterm buffer)" + tag, page);
                    print("keystroke echo, plain WebSocket client" + tag, plain);
                }
            }
            shell.close();
        } finally {
            if (driver != null) {
                driver.quit();
            }
            daemon.close();
            Measure.deleteTree(dir);
        }
    }

    private static String key(int i) {
        return String.valueOf((char) ('a' + i % 26));
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), options);
    }

    /** The start time (ms since navigation) of a performance mark of the page, -1 while it has none. */
    private static double mark(org.openqa.selenium.WebDriver d, String name) {
        Object t = ((ChromeDriver) d).executeScript("const m = performance.getEntriesByName(arguments[0]);"
                + " return m.length ? m[0].startTime : -1;", name);
        return ((Number) t).doubleValue();
    }

    private static long nanos(double millis) {
        if (millis < 0) {
            throw new IllegalStateException("no echo within 10 s");
        }
        return (long) (millis * 1e6);
    }

    private static void print(String what, long[] nanos) {
        System.out.printf("%-52s %s%n", what, new Latencies(nanos).row());
    }

    /** A terminal over a plain WebSocket (java.net.http), the baseline a dashboard keystroke is compared with. */
    private record Shell(WebSocket ws, BlockingQueue<String> out) {
        static Shell open(String uri) throws Exception {
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    out.add(new String(b, StandardCharsets.UTF_8));
                    w.request(1);
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            Shell s = new Shell(ws, out);
            s.waitFor("$ ");
            return s;
        }

        void waitFor(String text) throws InterruptedException {
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.toString().contains(text)) {
                String s = out.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new IllegalStateException("the shell never printed " + text + "; saw: " + seen);
                }
                seen.append(s);
            }
        }

        void send(String text) {
            ws.sendBinary(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true).join();
        }

        long echo(String ch) throws InterruptedException {
            long t0 = System.nanoTime();
            send(ch);
            waitFor(ch);
            return System.nanoTime() - t0;
        }

        void drain() {
            out.clear();
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
