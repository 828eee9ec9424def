package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColourTest {

    @Test
    void parsesOnlyHashRrggbb() {
        assertThat(Colour.parse("#0B5cAd")).contains(new Colour(0x0b, 0x5c, 0xad));
        assertThat(Colour.parse("  #ffffff ")).contains(Colour.WHITE);
        assertThat(Colour.of("#0B5CAD").hex()).isEqualTo("#0b5cad");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "red", "#fff", "#ffffff00", "ffffff", "#gggggg", "#12345", "rgb(1,2,3)",
            "#000000;}</style><script>alert(1)</script>", "#000000 !important", "var(--x)", "#fff\nfff"})
    void refusesEverythingElse(String value) {
        assertThat(Colour.parse(value)).as(value).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(Colour.parse(null)).isEmpty();
    }

    @Test
    void contrastMatchesWcagReferenceValues() {
        assertThat(Colour.BLACK.contrast(Colour.WHITE)).isCloseTo(21.0, within(0.001));
        assertThat(Colour.WHITE.contrast(Colour.WHITE)).isCloseTo(1.0, within(0.001));
        // WCAG examples / well-known pairs
        assertThat(Colour.of("#767676").contrast(Colour.WHITE)).isCloseTo(4.54, within(0.01));
        assertThat(Colour.of("#777777").contrast(Colour.WHITE)).isLessThan(4.5);
        assertThat(Colour.of("#5e5e5e").contrast(Colour.WHITE)).isGreaterThan(6.4);
        assertThat(Colour.of("#0b5cad").contrast(Colour.of("#ffffff")))
                .isEqualTo(Colour.of("#ffffff").contrast(Colour.of("#0b5cad")));
    }

    @Test
    void readableTextIsWhiteOnDarkAndBlackOnLight() {
        assertThat(Colour.of("#0b5cad").readableText(Colour.AA_TEXT)).isEqualTo(Colour.WHITE);
        assertThat(Colour.of("#ffd400").readableText(Colour.AA_TEXT)).isEqualTo(Colour.BLACK);
        assertThat(Colour.of("#f0f0f0").readableText(Colour.AA_TEXT)).isEqualTo(Colour.BLACK);
    }

    @Test
    void everyColourGetsATextColourOfAtLeastAa() {
        for (int r = 0; r < 256; r += 15) {
            for (int g = 0; g < 256; g += 15) {
                for (int b = 0; b < 256; b += 15) {
                    Colour c = new Colour(r, g, b);
                    assertThat(c.contrast(c.readableText(Colour.AA_TEXT))).as(c.hex()).isGreaterThanOrEqualTo(Colour.AA_TEXT);
                }
            }
        }
    }

    @Test
    void adjustedForDarkensALightColourUntilItReachesTheRatio() {
        Colour yellow = Colour.of("#ffd400");
        assertThat(yellow.contrast(Colour.WHITE)).isLessThan(2);
        Colour link = yellow.adjustedFor(Colour.WHITE, Colour.AA_TEXT, Colour.BLACK);
        assertThat(link.contrast(Colour.WHITE)).isGreaterThanOrEqualTo(Colour.AA_TEXT);
        assertThat(link).isNotEqualTo(Colour.BLACK); // darkened, not replaced
        Colour already = Colour.of("#0b5cad");
        assertThat(already.adjustedFor(Colour.WHITE, Colour.AA_TEXT, Colour.BLACK)).isEqualTo(already);
    }
}
