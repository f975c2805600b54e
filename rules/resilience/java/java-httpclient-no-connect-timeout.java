import java.net.http.HttpClient;
import java.time.Duration;

class Clients {
    // ruleid: java-httpclient-no-connect-timeout
    private final HttpClient plain = HttpClient.newHttpClient();

    HttpClient build() {
        // ruleid: java-httpclient-no-connect-timeout
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    HttpClient good() {
        // ok: java-httpclient-no-connect-timeout
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    HttpClient good2(Duration d) {
        // ok: java-httpclient-no-connect-timeout
        HttpClient.Builder b = HttpClient.newBuilder();
        b.connectTimeout(d);
        return b.build();
    }
}
