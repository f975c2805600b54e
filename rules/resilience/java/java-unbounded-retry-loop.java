import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

class Retry {
    Connection connect(String url) throws InterruptedException {
        // ruleid: java-unbounded-retry-loop
        while (true) {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                System.err.println("db not ready: " + e);
                Thread.sleep(1000);
            }
        }
    }

    void send(Runnable r) throws InterruptedException {
        // ruleid: java-unbounded-retry-loop
        while (true) {
            try {
                r.run();
                break;
            } catch (RuntimeException e) {
                Thread.sleep(500);
            }
        }
    }

    Connection bounded(String url) throws Exception {
        int attempts = 0;
        // ok: java-unbounded-retry-loop
        while (true) {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                if (++attempts >= 5) {
                    throw e;
                }
                Thread.sleep(1000L << attempts);
            }
        }
    }

    void poll(Runnable r) throws InterruptedException {
        // ok: java-unbounded-retry-loop
        while (true) {
            r.run();
            Thread.sleep(1000);
        }
    }
}
