import java.util.List;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;

// ruleid: java-cors-any-origin-with-credentials
@CrossOrigin(originPatterns = "*", allowCredentials = "true")
@RestController
class AccountApi {
}

// ok: java-cors-any-origin-with-credentials
@CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")
@RestController
class GoodApi {
}

class Cors {
    CorsConfiguration config() {
        CorsConfiguration c = new CorsConfiguration();
        c.setAllowCredentials(true);
        // ruleid: java-cors-any-origin-with-credentials
        c.addAllowedOriginPattern("*");
        return c;
    }

    CorsConfiguration publicApi() {
        CorsConfiguration c = new CorsConfiguration();
        // ok: java-cors-any-origin-with-credentials
        c.addAllowedOriginPattern("*");
        c.setAllowCredentials(false);
        return c;
    }

    void registry(CorsRegistry registry) {
        // ok: java-cors-any-origin-with-credentials
        registry.addMapping("/api/**").allowedOrigins("https://app.example.com").allowCredentials(true);
    }
}
