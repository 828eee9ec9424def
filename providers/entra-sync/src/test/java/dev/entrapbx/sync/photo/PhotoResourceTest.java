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

    @Test
    void onlyJpegPngAndGifAreServed() {
        assertThat(PhotoResource.servedType("image/jpeg")).isEqualTo("image/jpeg");
        assertThat(PhotoResource.servedType("image/PNG; charset=binary")).isEqualTo("image/png");
        assertThat(PhotoResource.servedType(" image/gif ")).isEqualTo("image/gif");
        assertThat(PhotoResource.servedType("image/svg+xml")).as("an SVG from a tenant can carry script").isNull();
        assertThat(PhotoResource.servedType("text/html")).isNull();
        assertThat(PhotoResource.servedType("image/webp")).isNull();
        assertThat(PhotoResource.servedType("")).isNull();
        assertThat(PhotoResource.servedType(null)).isNull();
    }
}
