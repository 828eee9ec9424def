package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.partner-a.example/logo.svg", "http://localhost:8080/x.png",
            "https://cdn.example/logo.png?v=2&size=large", "https://[2001:db8::1]/logo.png",
            "https://cdn.example/a%20b%22c.png"})
    void acceptsWebUrls(String url) {
        assertThat(SafeValues.webUrl(url)).as(url).contains(url);
        assertThat(SafeValues.imageUrl(url)).as(url).contains(url);
        assertThat(SafeValues.linkUrl(url)).as(url).contains(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
            "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "//evil.example/x.png",
            "/relative/logo.png", "logo.png", "ftp://files.example/logo.png", "file:///etc/passwd",
            "https://evil.example/x.png\"onerror=\"alert(1)", "https://evil.example/x.png'onerror='alert(1)",
            "https://evil.example/x.png) ; } body { background: red", "https://evil.example/<script>",
            "https://evil.example/x.png\\\"", "https://user:pass@evil.example/x.png", "https://", "https:///path",
            "https://evil.example/a b.png", "https://evil.example/x\n.png", "https://ex ample.com/x"})
    void refusesAnythingThatIsNotAPlainWebUrl(String url) {
        assertThat(SafeValues.webUrl(url)).as(url).isEmpty();
        assertThat(SafeValues.imageUrl(url)).as(url).isEmpty();
        assertThat(SafeValues.linkUrl(url)).as(url).isEmpty();
    }

    @Test
    void acceptsBase64ImageDataUrlsOnlyAsImages() {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        String svg = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=";
        assertThat(SafeValues.imageUrl(png)).contains(png);
        assertThat(SafeValues.imageUrl(svg)).contains(svg);
        assertThat(SafeValues.linkUrl(png)).isEmpty();
        assertThat(SafeValues.webUrl(png)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png,rawbytes", "data:image/svg+xml;utf8,<svg onload=alert(1)>",
            "data:image/png;base64,abc\");}</style><script>alert(1)</script>", "data:text/plain;base64,SGk=",
            "data:image/png;base64,", "data:image/x-icon;base64,AAAB"})
    void refusesOtherDataUrls(String url) {
        assertThat(SafeValues.imageUrl(url)).as(url).isEmpty();
    }

    @Test
    void refusesOversizedUrls() {
        assertThat(SafeValues.webUrl("https://cdn.example/" + "a".repeat(SafeValues.MAX_URL))).isEmpty();
        assertThat(SafeValues.imageUrl("data:image/png;base64," + "A".repeat(SafeValues.MAX_DATA_URL))).isEmpty();
    }

    @Test
    void mailtoOnlyAsLinkAndOnlyAPlainAddress() {
        assertThat(SafeValues.linkUrl("mailto:support@partner-a.example")).contains("mailto:support@partner-a.example");
        assertThat(SafeValues.linkUrl("mailto:support@partner-a.example?subject=<script>")).isEmpty();
        assertThat(SafeValues.imageUrl("mailto:support@partner-a.example")).isEmpty();
    }

    @Test
    void phoneNumbers() {
        assertThat(SafeValues.phone(" +49 30 1234-567 ")).contains("+49 30 1234-567");
        assertThat(SafeValues.phone("(030) 123.45/67")).contains("(030) 123.45/67");
        assertThat(SafeValues.phone("call us")).isEmpty();
        assertThat(SafeValues.phone("+1 <script>")).isEmpty();
        assertThat(SafeValues.phone("--")).isEmpty();
        assertThat(SafeValues.telUri("+49 30 1234-567")).isEqualTo("tel:+49301234567");
        assertThat(SafeValues.telUri("(030) 123")).isEqualTo("tel:030123");
    }

    @Test
    void textKeepsMarkupAsTextButDropsControlCharactersAndLimitsLength() {
        assertThat(SafeValues.text("  Partner\u0000 A\n\tVoice ")).contains("Partner A Voice");
        assertThat(SafeValues.text("</style><script>alert(1)</script>")).contains("</style><script>alert(1)</script>");
        assertThat(SafeValues.text(" \n ")).isEmpty();
        assertThat(SafeValues.text("x".repeat(200)).orElseThrow()).hasSize(SafeValues.MAX_TEXT);
    }
}
