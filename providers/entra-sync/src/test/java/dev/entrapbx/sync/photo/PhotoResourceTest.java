package dev.entrapbx.sync.photo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhotoResourceTest {

    @Test
    void graphsMediaEtagBecomesAPlainEntityTagValue() {
        // Graph's @odata.mediaEtag comes as W/"hash" (weak, quoted); HTTP entity tags are quoted by JAX-RS itself
        assertThat(PhotoResource.tag("W/\"0x8D9A\"")).isEqualTo("0x8D9A");
        assertThat(PhotoResource.tag("\"abc\"")).isEqualTo("abc");
        assertThat(PhotoResource.tag("abc")).isEqualTo("abc");
        assertThat(PhotoResource.tag(" W/\"a\\\"b\" ")).isEqualTo("a\\b");
    }
}
