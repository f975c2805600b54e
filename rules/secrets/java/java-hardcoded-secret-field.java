public class DbConfig {
    // ruleid: java-hardcoded-secret-field
    private static final String DB_PASSWORD = "Tr0ub4dor-and-3";
    // ruleid: java-hardcoded-secret-field
    private String apiKey = "a8f5f167f44f4964e6c998dee827110c";
    // ok: java-hardcoded-secret-field
    private String clientSecret = System.getenv("CLIENT_SECRET");
    // ok: java-hardcoded-secret-field
    private static final String PASSWORD_PROPERTY = "spring.datasource.password";
    // ok: java-hardcoded-secret-field
    private static final String API_KEY_HEADER = "X-API-KEY";
    // ok: java-hardcoded-secret-field
    private String password = "changeme";

    void init() {
        // ruleid: java-hardcoded-secret-field
        String token = "ya29a0AfH6SMBx8Qw3";
        // ruleid: java-hardcoded-secret-field
        this.clientSecret = "Zx81Lq0pWm29KsTq";
        // ok: java-hardcoded-secret-field
        String secret = "";
        // ok: java-hardcoded-secret-field
        String password2 = "${DB_PASSWORD}";
    }
}
