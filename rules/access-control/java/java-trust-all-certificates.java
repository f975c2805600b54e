import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

class TrustAll implements X509TrustManager {
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    // ruleid: java-trust-all-certificates
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}

class Factory {
    X509TrustManager insecure() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {}

            // ruleid: java-trust-all-certificates
            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() { return null; }
        };
    }
}

class Pinning implements X509TrustManager {
    private final X509TrustManager delegate;

    Pinning(X509TrustManager d) { delegate = d; }

    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    // ok: java-trust-all-certificates
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
}

class ExpiryCheck implements X509TrustManager {
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    // ok: java-trust-all-certificates
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("empty chain");
        }
        chain[0].checkValidity();
    }

    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}
