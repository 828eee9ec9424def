package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void cursorsRoundTripWithinTheirPhoneSystem() {
        assertThat(Cursors.parseFeed("org-a", Cursors.feed("org-a", 42))).isEqualTo(42);
        assertThat(Cursors.parseFeed("org-a", "0")).isZero();
        assertThat(Cursors.parsePage("org-a", Cursors.page("org-a", "5f1c-user"))).isEqualTo("5f1c-user");
    }

    @Test
    void anotherPhoneSystemsCursorIsRefused() {
        String b = Cursors.feed("org-b", 42);
        assertThatThrownBy(() -> Cursors.parseFeed("org-a", b)).hasMessageContaining("another phone system");
        assertThatThrownBy(() -> Cursors.parsePage("org-a", Cursors.page("org-b", "u"))).hasMessageContaining("another phone system");
    }

    @Test
    void garbageIsRefusedWithAnExplanation() {
        String tag = Cursors.tag("org-a");
        assertThatThrownBy(() -> Cursors.parseFeed("org-a", "abc")).hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> Cursors.parseFeed("org-a", "x1." + tag)).hasMessageContaining("not a cursor of this feed");
        assertThatThrownBy(() -> Cursors.parseFeed("org-a", "-5." + tag)).hasMessageContaining("not a cursor of this feed");
        assertThatThrownBy(() -> Cursors.parsePage("org-a", "!!!." + tag)).hasMessageContaining("not a cursor of this read");
    }
}
