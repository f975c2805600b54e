import org.springframework.context.annotation.Bean;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;
import org.springframework.boot.web.client.RestTemplateBuilder;
import java.time.Duration;

class Config {
    @Bean
    RestTemplate restTemplate() {
        // ruleid: java-resttemplate-no-timeout
        return new RestTemplate();
    }

    // ruleid: java-resttemplate-no-timeout
    private final RestTemplate client = new RestTemplate();

    RestTemplate good(RestTemplateBuilder builder) {
        // ok: java-resttemplate-no-timeout
        return builder.setConnectTimeout(Duration.ofSeconds(3)).setReadTimeout(Duration.ofSeconds(10)).build();
    }

    RestTemplate good2() {
        SimpleClientHttpRequestFactory f = new SimpleClientHttpRequestFactory();
        f.setConnectTimeout(3000);
        f.setReadTimeout(10000);
        // ok: java-resttemplate-no-timeout
        return new RestTemplate(f);
    }

    RestTemplate good3(SimpleClientHttpRequestFactory f) {
        // ok: java-resttemplate-no-timeout
        RestTemplate t = new RestTemplate();
        t.setRequestFactory(f);
        return t;
    }
}
