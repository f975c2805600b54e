import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class Auth {
    private static final Logger log = LoggerFactory.getLogger(Auth.class);

    void login(String user, String password, Creds creds) {
        // ruleid: java-log-sensitive-value
        log.debug("login {} / {}", user, password);
        // ruleid: java-log-sensitive-value
        log.info("using client secret " + creds.getClientSecret());
        // ok: java-log-sensitive-value
        log.info("login {}", user);
        // ok: java-log-sensitive-value
        log.info("password changed for {}", user);
    }

    void lex(Object token, int tokenCount) {
        // ok: java-log-sensitive-value
        log.debug("unexpected token {} after {}", token, tokenCount);
    }

    interface Creds {
        String getClientSecret();
    }
}
