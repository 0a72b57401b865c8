package dev.satflow.ops.console;

import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;

/**
 * A full-page screenshot of a running console, for the README: {@code ConsoleScreenshot URL FILE.png
 * [WIDTH [TYPE]]} with the test class path (Selenium, Debian's chromium and chromedriver). Waits for
 * the page to be live, opens the newest card (of TYPE, when given), waits for the images, then shoots.
 */
public final class ConsoleScreenshot {
    private ConsoleScreenshot() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ConsoleScreenshot URL FILE.png [WIDTH [TYPE]]");
            System.exit(2);
        }
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 1440;
        try (Chromium browser = Chromium.start(width, 1000)) {
            browser.driver.get(args[0]);
            var wait = browser.waiting(Duration.ofSeconds(60));
            wait.until(d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
            wait.until(d -> Integer.parseInt(d.findElement(By.id("cards")).getDomAttribute("data-count")) > 0);
            Thread.sleep(2500);
            String type = args.length > 3 ? args[3] : "";
            browser.driver.executeScript("const c = [...document.querySelectorAll('#cards .card')]"
                    + ".find(c => !arguments[0] || c.dataset.type === arguments[0]); if (c) c.click();", type);
            wait.until(d -> !d.findElement(By.id("detail")).getDomAttribute("data-qa-id").isEmpty());
            browser.viewport(width, 1000);
            String done = "return [...document.images].every(i => i.loading === 'lazy' || (i.complete && i.naturalWidth > 0))";
            wait.until(d -> Boolean.TRUE.equals(browser.driver.executeScript(done)));
            browser.fullPage(Path.of(args[1]), width);
            Thread.sleep(1500); // lazy card images below the fold load once the viewport grew
            browser.fullPage(Path.of(args[1]), width);
        }
        System.out.println("wrote " + args[1]);
    }
}
