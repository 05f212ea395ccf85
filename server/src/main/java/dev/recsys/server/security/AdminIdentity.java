package dev.recsys.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * A client-certificate identity allowed to change models: a subject alternative name <em>and</em>
 * the CA that must have issued it. A subject name alone is not enough: every CA in the client CA
 * bundle is trusted to authenticate, and any of them could issue a certificate with the same
 * subject; pinning the issuer keeps admin rights with the CA meant to grant them.
 *
 * <p>Written {@code <kind>:<name>|<issuer DN>}, e.g. {@code uri:spiffe://example.org/mlops|CN=Ops
 * CA,O=Example} or {@code dns:mlops.example.com|CN=Ops CA}; kinds {@code dns}, {@code uri},
 * {@code email}, {@code ip}. DNS names and e-mail addresses compare without case, URIs exactly, IP
 * addresses as addresses; issuers as X.500 names (spacing and case of attribute names do not matter).
 *
 * @param kind which subject alternative name
 * @param name the name, as configured
 * @param issuer the issuing CA's subject
 */
public record AdminIdentity(Kind kind, String name, X500Principal issuer) {

  /** Subject alternative name kinds, with their numbers in {@link X509Certificate#getSubjectAlternativeNames()}. */
  public enum Kind {
    EMAIL(1), DNS(2), URI(6), IP(7);

    final int tag;

    Kind(int tag) {
      this.tag = tag;
    }
  }

  private static final String FORMAT = "<dns|uri|email|ip>:<name>|<issuer DN>, e.g. 'uri:spiffe://example.org/mlops|CN=Ops CA,O=Example'";

  /**
   * Parses one configured identity.
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static AdminIdentity parse(String text) {
    String value = text.strip();
    int bar = value.indexOf('|');
    int colon = value.indexOf(':');
    if (bar < 0 || colon < 0 || colon > bar) {
      throw invalid(value, bar < 0 && value.contains("=")
          ? "a subject name alone is not accepted (any CA in the client CA bundle could issue it); give a subject alternative name and its issuer: "
              + FORMAT
          : "it is not of the form " + FORMAT);
    }
    Kind kind;
    try {
      kind = Kind.valueOf(value.substring(0, colon).strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(value, "'" + value.substring(0, colon) + "' is not a name kind (dns, uri, email or ip); expected " + FORMAT);
    }
    String name = value.substring(colon + 1, bar).strip();
    if (name.isEmpty()) {
      throw invalid(value, "the name is empty; expected " + FORMAT);
    }
    if (kind == Kind.IP) {
      name = ipAddress(name).orElseThrow(() -> invalid(value, "'" + value.substring(colon + 1, bar).strip() + "' is not an IP address"));
    }
    X500Principal issuer;
    try {
      issuer = new X500Principal(value.substring(bar + 1).strip());
    } catch (IllegalArgumentException e) {
      throw invalid(value, "'" + value.substring(bar + 1).strip() + "' is not an X.500 name such as CN=Ops CA,O=Example");
    }
    return new AdminIdentity(kind, name, issuer);
  }

  /** Whether {@code leaf} (a certificate the TLS handshake verified) was issued by this issuer and carries this name. */
  public boolean matches(X509Certificate leaf) {
    if (!issuer.equals(leaf.getIssuerX500Principal())) {
      return false;
    }
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    for (List<?> entry : names) {
      if (entry.size() >= 2 && entry.get(0) instanceof Integer tag && tag == kind.tag && entry.get(1) instanceof String presented
          && same(presented)) {
        return true;
      }
    }
    return false;
  }

  private boolean same(String presented) {
    return switch (kind) {
      case DNS, EMAIL -> name.equalsIgnoreCase(presented);
      case URI -> name.equals(presented);
      case IP -> ipAddress(presented).map(name::equals).orElse(false);
    };
  }

  /** A literal IP address in canonical form; never a host-name lookup. */
  private static java.util.Optional<String> ipAddress(String text) {
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(InetAddress.getByName(text).getHostAddress());
    } catch (UnknownHostException e) {
      return java.util.Optional.empty();
    }
  }

  /** How the identity is recorded (the alias history's "by"). */
  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + name + " (issued by " + issuer.getName() + ")";
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException("invalid setting admin-identities: '" + value + "': " + why);
  }
}
