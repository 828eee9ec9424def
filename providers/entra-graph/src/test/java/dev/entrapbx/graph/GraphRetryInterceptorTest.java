package dev.entrapbx.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class GraphRetryInterceptorTest {

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(GraphRetryInterceptor.retryAfter("7").getAsLong()).isEqualTo(7000);
        assertThat(GraphRetryInterceptor.retryAfter(null)).isEmpty();
        assertThat(GraphRetryInterceptor.retryAfter("soon")).isEmpty();
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(GraphRetryInterceptor.retryAfter(in10s).getAsLong()).isBetween(8000L, 10_000L);
    }

    @Test
    void backoffGrowsButStaysUnderTheCapWithJitter() {
        GraphRetryInterceptor r = new GraphRetryInterceptor(6, Duration.ofMillis(100), Duration.ofSeconds(2));
        for (int attempt = 0; attempt < 10; attempt++) {
            long cap = Math.min(2000, 100L << attempt);
            for (int i = 0; i < 50; i++) {
                assertThat(r.backoff(attempt)).isBetween(10L, Math.max(10L, cap));
            }
        }
    }

    @Test
    void readOnlyAndIdempotentPostActionsAreRepeatedAfterAnIoErrorButNoOtherPost() {
        assertThat(GraphRetryInterceptor.repeatableAction(post("https://graph.example/v1.0/communications/getPresencesByUserId"))).isTrue();
        assertThat(GraphRetryInterceptor.repeatableAction(post("https://graph.example/v1.0/users/u1/calendar/getSchedule"))).isTrue();
        assertThat(GraphRetryInterceptor.repeatableAction(post("https://graph.example/v1.0/users/u1/presence/setPresence"))).isTrue();
        assertThat(GraphRetryInterceptor.repeatableAction(post("https://graph.example/v1.0/users/u1/presence/clearPresence"))).isTrue();
        assertThat(GraphRetryInterceptor.repeatableAction(post("https://graph.example/v1.0/subscriptions"))).as("a second POST makes a second subscription")
                .isFalse();
        assertThat(GraphRetryInterceptor.repeatableAction(new okhttp3.Request.Builder().url("https://graph.example/v1.0/users/u1/presence/setPresence")
                .delete().build())).isFalse();
    }

    @Test
    void everyRequestIsCountedUnderOneEndpointFamilyOfAFixedVocabulary() {
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/users/delta()?$select=id"))).isEqualTo("users");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/users/u1/memberOf/microsoft.graph.group"))).isEqualTo("users");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/groups/delta"))).isEqualTo("groups");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/users/u1/photo/$value"))).isEqualTo("photos");
        assertThat(GraphRetryInterceptor.family(post("https://graph.example/v1.0/$batch"))).isEqualTo("batch");
        assertThat(GraphRetryInterceptor.family(post("https://graph.example/v1.0/communications/getPresencesByUserId"))).isEqualTo("presence");
        assertThat(GraphRetryInterceptor.family(post("https://graph.example/v1.0/users/u1/presence/setPresence"))).isEqualTo("presence");
        assertThat(GraphRetryInterceptor.family(post("https://graph.example/v1.0/users/u1/calendar/getSchedule"))).isEqualTo("calendar");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/contacts/delta"))).isEqualTo("contacts");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/users/m1/contactFolders/f1/contacts/delta"))).isEqualTo("contacts");
        assertThat(GraphRetryInterceptor.family(post("https://graph.example/v1.0/subscriptions"))).isEqualTo("subscriptions");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/domains?$select=id"))).isEqualTo("domains");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/organization"))).isEqualTo("organization");
        assertThat(GraphRetryInterceptor.family(get("https://graph.example/v1.0/applications/a1"))).isEqualTo("other");
    }

    private static okhttp3.Request get(String url) {
        return new okhttp3.Request.Builder().url(url).build();
    }

    private static okhttp3.Request post(String url) {
        return new okhttp3.Request.Builder().url(url).post(okhttp3.RequestBody.create(new byte[0])).build();
    }

    @Test
    void onlyThrottlingAndTransientServerErrorsAreRetried() {
        assertThat(GraphRetryInterceptor.retryable(429)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(503)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(504)).isTrue();
        assertThat(GraphRetryInterceptor.retryable(500)).isFalse();
        assertThat(GraphRetryInterceptor.retryable(403)).isFalse();
    }

    private static String untrusted(String url, String body) throws java.io.IOException {
        okhttp3.Request request = new okhttp3.Request.Builder().url(url).build();
        okhttp3.Response response = new okhttp3.Response.Builder().request(request).protocol(okhttp3.Protocol.HTTP_1_1).code(200)
                .message("OK").body(okhttp3.ResponseBody.create(body, okhttp3.MediaType.get("application/json; odata.metadata=minimal")))
                .build();
        return GraphRetryInterceptor.untrusted(request, response);
    }

    @Test
    void aDeltaPageNeedsItsValueAndExactlyOneLinkAndEveryJsonAnswerMustParse() throws Exception {
        String delta = "https://graph.example/v1.0/users/delta()";
        assertThat(untrusted(delta, "{\"value\":[{\"id\":\"a\"}],\"@odata.nextLink\":\"n\"}")).isNull();
        assertThat(untrusted(delta + "?$skiptoken=x", "{\"@odata.deltaLink\":\"d\",\"value\":[]}")).isNull();
        assertThat(untrusted(delta, "{\"value\":[{\"id\":\"a\"}]}")).contains("incomplete answer");
        assertThat(untrusted(delta, "{\"value\":[],\"@odata.nextLink\":\"n\",\"@odata.deltaLink\":\"d\"}")).contains("both");
        assertThat(untrusted(delta, "{\"@odata.nextLink\":\"n\"}")).contains("no 'value' array");
        assertThat(untrusted(delta, "{\"value\":[{\"id\":\"a\"},\u0000,]}")).startsWith("unreadable JSON");
        assertThat(untrusted(delta, "")).isEqualTo("an empty body");
        String list = "https://graph.example/v1.0/users";
        assertThat(untrusted(list, "{\"value\":[{\"id\":\"a\"}]}")).as("the last page of a listing").isNull();
        assertThat(untrusted(list, "{\"value\":[{\"id\":")).startsWith("unreadable JSON");
        assertThat(untrusted(list, "{} {}")).startsWith("unreadable JSON");
    }
}
