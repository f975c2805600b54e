import java.sql.Connection;
import java.sql.DriverManager;

public class Clients {
    void setup(HikariConfig config, String url) throws Exception {
        // ruleid: java-hardcoded-secret-call
        config.setPassword("h1kar1-Pr0d-Pw");
        // ruleid: java-hardcoded-secret-call
        Connection c = DriverManager.getConnection(url, "app", "jdbc-Pa55-2024");
        // ruleid: java-hardcoded-secret-call
        AWSCredentials creds = new BasicAWSCredentials("AKIAXXXXXXXXXXXXXXXX", "j9Xk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4J");

        // ok: java-hardcoded-secret-call
        config.setPassword(System.getenv("DB_PASSWORD"));
        // ok: java-hardcoded-secret-call
        config.setPassword("");
        // ok: java-hardcoded-secret-call
        config.setUsername("app-user-2024");
        // ok: java-hardcoded-secret-call
        Connection c2 = DriverManager.getConnection(url, "sa", "password");
    }
}
