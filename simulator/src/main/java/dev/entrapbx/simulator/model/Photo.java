package dev.entrapbx.simulator.model;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.imageio.ImageIO;

/** A user's profile photo. The ETag changes whenever the bytes change. */
public record Photo(byte[] bytes, String contentType, String etag, int width, int height) {
    public Photo {
        Objects.requireNonNull(bytes, "photo bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("A photo must not be empty");
        }
        if (contentType == null || !contentType.startsWith("image/")) {
            throw new IllegalArgumentException("A photo content type must be image/*, got " + contentType);
        }
        bytes = bytes.clone();
    }

    /** A photo with its ETag (a hash of the bytes) and, when the image can be decoded, its size. */
    public static Photo of(byte[] bytes, String contentType) {
        int w = 0;
        int h = 0;
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image != null) {
                w = image.getWidth();
                h = image.getHeight();
            }
        } catch (IOException | RuntimeException ignored) {
            // size stays unknown for bytes that are not a decodable image
        }
        return new Photo(bytes, contentType, "W/\"" + hash(bytes) + "\"", w, h);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
