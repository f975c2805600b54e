import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

class Fetch {
    InputStream bad(URL url) throws IOException {
        // ruleid: java-urlconnection-no-timeout
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        conn.setRequestMethod("GET");
        return conn.getInputStream();
    }

    int bad2(String u) throws IOException {
        // ruleid: java-urlconnection-no-timeout
        HttpURLConnection c = (HttpURLConnection) new URL(u).openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    InputStream good(URL url) throws IOException {
        // ok: java-urlconnection-no-timeout
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        conn.setConnectTimeout(5000);
        conn.setReadTimeout(30000);
        return conn.getInputStream();
    }

    InputStream good2(URL url, int timeoutMs) throws IOException {
        // ok: java-urlconnection-no-timeout
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        if (timeoutMs > 0) {
            conn.setReadTimeout(timeoutMs);
        }
        return conn.getInputStream();
    }

    InputStream resource(ClassLoader cl) throws IOException {
        // ok: java-urlconnection-no-timeout
        return cl.getResource("app.properties").openConnection().getInputStream();
    }
}
