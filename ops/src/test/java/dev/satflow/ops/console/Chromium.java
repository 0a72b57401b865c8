package dev.satflow.ops.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver (the packages
 * {@code chromium} and {@code chromium-driver}, which {@code ./satflow test} installs): explicit
 * paths, so Selenium Manager never runs and nothing is downloaded; a fresh profile per browser; no
 * background networking and no DNS beyond localhost (the test machines have no network).
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Skips the calling test when the browser or its driver is missing, except under CI (the
     * {@code CI} environment variable set), where that fails it: a skip there would hide a missing install.
     */
    static void require() {
        require(System.getenv(), BINARY, DRIVER);
    }

    static void require(Map<String, String> env, Path binary, Path driver) {
        boolean present = Files.isExecutable(binary) && Files.isExecutable(driver);
        String msg = "no Chromium at " + binary + " or no chromedriver at " + driver
                + " (apt-get install chromium chromium-driver; ./satflow test installs them)";
        if (env.get("CI") != null) {
            if (!present) {
                fail("CI is set and the browser test cannot run: " + msg);
            }
        } else {
            Assumptions.assumeTrue(present, msg);
        }
    }

    /** A browser whose viewport is exactly {@code width × height} CSS pixels. */
    static Chromium start(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("satflow-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Chromium c = new Chromium(driver, profile);
        c.viewport(width, height);
        return c;
    }

    /** Pins the viewport (the window size includes browser chrome, so it alone gives a smaller page). */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    WebDriverWait waiting(Duration d) {
        WebDriverWait w = new WebDriverWait(driver, d, Duration.ofMillis(200));
        w.ignoring(StaleElementReferenceException.class); // cards come and go while a condition looks at them
        return w;
    }

    /** A PNG of the whole page (the viewport stretched to the page's height for the shot). */
    byte[] fullPage(Path file, int width) throws IOException {
        long h = ((Number) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        viewport(width, (int) Math.min(8000, h));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
        return png;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> all = Files.walk(profile)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a leftover temporary profile
            }
        }
    }
}
