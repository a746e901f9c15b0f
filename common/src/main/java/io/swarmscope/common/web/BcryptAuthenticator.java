package io.swarmscope.common.web;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP basic authentication against the bcrypt hashes of a {@link WebConfig}; a refused request
 * gets 401 with a {@code WWW-Authenticate} challenge.
 *
 * <p>A bcrypt check costs tens of milliseconds of CPU by design, and Prometheus sends the same
 * credentials every scrape: like exporter-toolkit, successful checks are remembered (by a SHA-256
 * of user, hash and password, never the password itself), so a scrape costs one hash lookup.
 * Unknown users are checked against a dummy hash so that timing does not tell which users exist.
 * Thread-safe.
 */
public final class BcryptAuthenticator extends BasicAuthenticator {

  private static final int MAX_REMEMBERED = 256;
  // A valid hash of a random string: unknown users cost as much as known ones.
  private static final String DUMMY_HASH = BCrypt.hashpw("swarmscope-no-such-user", BCrypt.gensalt(10));

  private final Map<String, String> users;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  public BcryptAuthenticator(Map<String, String> users) {
    super("swarmscope");
    this.users = Map.copyOf(users);
  }

  @Override
  public boolean checkCredentials(String user, String password) {
    String hash = users.get(user);
    if (hash == null) {
      BCrypt.checkpw(password, DUMMY_HASH);
      return false;
    }
    String key = digest(user, hash, password);
    if (verified.contains(key)) {
      return true;
    }
    boolean ok;
    try {
      ok = BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    if (ok) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.add(key);
    }
    return ok;
  }

  private static String digest(String user, String hash, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {user, hash, password}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
