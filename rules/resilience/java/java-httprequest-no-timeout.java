import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

class Requests {
    HttpRequest bad(URI uri) {
        // ruleid: java-httprequest-no-timeout
        return HttpRequest.newBuilder(uri).GET().build();
    }

    HttpRequest bad2(URI uri, String body) {
        // ruleid: java-httprequest-no-timeout
        HttpRequest req = HttpRequest.newBuilder()
                .uri(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return req;
    }

    HttpRequest good(URI uri) {
        // ok: java-httprequest-no-timeout
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    }

    HttpRequest good2(URI uri) {
        // ok: java-httprequest-no-timeout
        HttpRequest.Builder b = HttpRequest.newBuilder().uri(uri);
        b.timeout(Duration.ofSeconds(10));
        return b.build();
    }
}

class Factory {
    HttpRequest.Builder base(URI uri) {
        // ok: java-httprequest-no-timeout
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        return b;
    }
}
