package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.Photo;
import dev.entrapbx.simulator.model.User;

/**
 * {@code /users/{id}/photo} (metadata) and {@code /users/{id}/photo/$value} (bytes with ETag, 304 on a matching
 * If-None-Match), per https://learn.microsoft.com/graph/api/profilephoto-get. Without a photo Graph answers
 * 404 ImageNotFound.
 */
final class PhotoResource {
    private final String baseUrl;
    private final Directory directory;

    PhotoResource(String baseUrl, Directory directory) {
        this.baseUrl = baseUrl;
        this.directory = directory;
    }

    Response metadata(GraphRequest g) {
        User user = target(g);
        Photo photo = photo(g, user);
        ObjectNode o = Json.object();
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#users('" + user.id() + "')/photo/$entity");
        o.put("@odata.mediaContentType", photo.contentType());
        o.put("@odata.mediaEtag", photo.etag());
        o.put("id", photo.width() > 0 ? photo.width() + "X" + photo.height() : "default");
        if (photo.width() > 0) {
            o.put("height", photo.height());
            o.put("width", photo.width());
        } else {
            o.putNull("height");
            o.putNull("width");
        }
        return Response.odata(200, o);
    }

    Response value(GraphRequest g) {
        User user = target(g);
        Photo photo = photo(g, user);
        boolean notModified = g.http().header("If-None-Match").map(v -> etagMatches(v, photo.etag())).orElse(false);
        Response r = notModified ? Response.empty(304) : Response.bytes(200, photo.contentType(), photo.bytes());
        return r.header("ETag", photo.etag()).header("Cache-Control", "private");
    }

    private User target(GraphRequest g) {
        if (g.http().path().startsWith("/v1.0/me/")) {
            return UsersResource.signedInUser(g, directory);
        }
        String key = g.http().pathVariable("id");
        return directory.user(g.tenantId(), key).orElseThrow(() -> GraphException.notFound(key));
    }

    private Photo photo(GraphRequest g, User user) {
        return directory.photo(g.tenantId(), user.id()).orElseThrow(() -> new GraphException(404, "ImageNotFound",
                "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown."));
    }

    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals(etag.replaceFirst("^W/", ""))) {
                return true;
            }
        }
        return false;
    }
}
