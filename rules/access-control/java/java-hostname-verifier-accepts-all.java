import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import org.apache.http.impl.client.HttpClients;

class Verifiers {
    void bad() {
        // ruleid: java-hostname-verifier-accepts-all
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
    }

    HostnameVerifier bad2() {
        return new HostnameVerifier() {
            // ruleid: java-hostname-verifier-accepts-all
            @Override
            public boolean verify(String hostname, SSLSession session) {
                return true;
            }
        };
    }

    Object bad3() {
        // ruleid: java-hostname-verifier-accepts-all
        return HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
    }

    HostnameVerifier good() {
        return new HostnameVerifier() {
            // ok: java-hostname-verifier-accepts-all
            @Override
            public boolean verify(String hostname, SSLSession session) {
                return "api.example.com".equals(hostname);
            }
        };
    }

    void good2(HostnameVerifier strict) {
        // ok: java-hostname-verifier-accepts-all
        HttpsURLConnection.setDefaultHostnameVerifier(strict);
    }
}

class NoopHostnameVerifier implements HostnameVerifier {
    // ok: java-hostname-verifier-accepts-all
    public static final NoopHostnameVerifier INSTANCE = new NoopHostnameVerifier();

    @Override
    // ok: java-hostname-verifier-accepts-all
    public boolean verify(String s, SSLSession session) {
        return true;
    }
}
