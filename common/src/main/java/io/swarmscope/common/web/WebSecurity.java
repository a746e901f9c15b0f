package io.swarmscope.common.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What a {@link WebConfig} means for a JDK HTTP server (client_java's {@code HTTPServer.Builder}
 * takes both): an {@link HttpsConfigurator} when TLS is configured, an {@link Authenticator} when
 * users are. Certificates and keys are loaded here, so a broken file fails at start, not at the
 * first scrape.
 */
public final class WebSecurity {

  private final Optional<HttpsConfigurator> https;
  private final Optional<Authenticator> authenticator;

  private WebSecurity(Optional<HttpsConfigurator> https, Optional<Authenticator> authenticator) {
    this.https = https;
    this.authenticator = authenticator;
  }

  public static WebSecurity of(WebConfig config) {
    Optional<HttpsConfigurator> https = config.tls().map(tls -> {
      SSLContext context = PemServerContext.create(tls.certFile(), tls.keyFile());
      String[] protocols = tls.minVersion().equals("TLSv1.3")
          ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
      return new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = context.getDefaultSSLParameters();
          p.setProtocols(Arrays.stream(protocols)
              .filter(Arrays.asList(p.getProtocols())::contains).toArray(String[]::new));
          params.setSSLParameters(p);
        }
      };
    });
    Optional<Authenticator> auth = config.authenticates()
        ? Optional.of(new BcryptAuthenticator(config.users())) : Optional.empty();
    return new WebSecurity(https, auth);
  }

  public Optional<HttpsConfigurator> https() {
    return https;
  }

  public Optional<Authenticator> authenticator() {
    return authenticator;
  }

  /** For the start-up log line: {@code "https, basic auth"}, {@code "http"}, ... */
  public String describe() {
    return (https.isPresent() ? "https" : "http")
        + (authenticator.isPresent() ? ", basic auth" : "");
  }
}
