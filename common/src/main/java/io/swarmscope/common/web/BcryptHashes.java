package io.swarmscope.common.web;

import java.util.regex.Pattern;

/** Recognises a bcrypt hash in modular crypt format, the only kind basic_auth_users takes. */
final class BcryptHashes {

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  private BcryptHashes() {}

  static boolean looksLikeBcrypt(String hash) {
    return BCRYPT.matcher(hash).matches();
  }
}
