package dev.recsys.server.security;

import dev.recsys.models.io.SecretFile;
import dev.recsys.proto.v1.ModelAdminGrpc;
import dev.recsys.server.config.ServerConfig;
import dev.recsys.server.rpc.Caller;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per call, whether the caller may call the method, and records who the caller is in
 * {@link Caller#IDENTITY} (it goes into the registry's alias history).
 *
 * <ul>
 *   <li>{@link Access#OPEN}: health checks, always (probes carry no credentials).
 *   <li>{@link Access#READ}: Recommender calls, reflection and the read-only ModelAdmin calls. Open
 *       unless a recommender token is configured; then that token, the admin token, or an admin
 *       client certificate.
 *   <li>{@link Access#ADMIN}: Promote, Rollback, RemoveAlias. The admin token or a client
 *       certificate matching an {@link AdminIdentity} (a subject alternative name and the CA that
 *       issued it); refused outright when neither is configured, unless the server was started with
 *       {@code --insecure-admin}.
 * </ul>
 *
 * Tokens are compared through {@link SecretFile#matches} (hashed, constant time); messages name the
 * kind of credential and never its value.
 */
public final class Authorization implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(Authorization.class);

  /** What a method requires. */
  public enum Access { OPEN, READ, ADMIN }

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Set<String> ADMIN_METHODS = Set.of(
      ModelAdminGrpc.getPromoteMethod().getFullMethodName(),
      ModelAdminGrpc.getRollbackMethod().getFullMethodName(),
      ModelAdminGrpc.getRemoveAliasMethod().getFullMethodName());

  private final Optional<SecretFile> adminToken;
  private final Optional<SecretFile> recommenderToken;
  private final List<AdminIdentity> adminIdentities;
  private final boolean insecureAdmin;

  private Authorization(Optional<SecretFile> adminToken, Optional<SecretFile> recommenderToken,
      List<AdminIdentity> adminIdentities, boolean insecureAdmin) {
    this.adminToken = adminToken;
    this.recommenderToken = recommenderToken;
    this.adminIdentities = adminIdentities;
    this.insecureAdmin = insecureAdmin;
  }

  /**
   * The policy of the configured security; reads the token files and the client CA bundle now.
   *
   * @throws IOException naming a token file that is missing or empty, or a CA bundle that cannot be read
   * @throws IllegalArgumentException naming an admin identity that is malformed or whose issuer is not
   *     a CA of the client CA bundle (it could never match)
   */
  public static Authorization of(ServerConfig.Security security) throws IOException {
    Optional<SecretFile> admin = security.adminTokenFile().isPresent()
        ? Optional.of(SecretFile.open(security.adminTokenFile().get())) : Optional.empty();
    Optional<SecretFile> recommender = security.recommenderTokenFile().isPresent()
        ? Optional.of(SecretFile.open(security.recommenderTokenFile().get())) : Optional.empty();
    List<AdminIdentity> identities = security.adminIdentities().stream().map(AdminIdentity::parse).toList();
    if (!identities.isEmpty() && security.clientCa().isPresent()) {
      Set<X500Principal> cas = caSubjects(security.clientCa().get());
      for (AdminIdentity identity : identities) {
        if (!cas.contains(identity.issuer())) {
          throw new IllegalArgumentException("invalid setting admin-identities: " + identity + " names an issuer that is not a CA of --tls-client-ca "
              + security.clientCa().get() + " (its CAs: " + cas.stream().map(X500Principal::getName).sorted().toList() + "), so it could never match");
        }
      }
    }
    Authorization policy = new Authorization(admin, recommender, identities, security.insecureAdmin());
    if (security.tokens() && !security.tls()) {
      LOG.warn("--allow-plaintext-tokens: bearer tokens travel without TLS; anyone on the network path can read and replay them");
    }
    if (admin.isEmpty() && identities.isEmpty()) {
      if (security.insecureAdmin()) {
        LOG.warn("--insecure-admin: anyone who can reach this server may promote and roll back models");
      } else {
        LOG.info("no admin credential configured: Promote, Rollback and RemoveAlias are refused"
            + " (use --admin-token-file or --admin-identities)");
      }
    }
    return policy;
  }

  private static Set<X500Principal> caSubjects(java.nio.file.Path bundle) throws IOException {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(bundle)) {
      Set<X500Principal> subjects = new HashSet<>();
      for (Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x509) {
          subjects.add(x509.getSubjectX500Principal());
        }
      }
      return subjects;
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("client CA bundle " + bundle + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  /** The configured admin identity {@code leaf} matches, if any. */
  private Optional<AdminIdentity> adminIdentity(X509Certificate leaf) {
    if (leaf == null) {
      return Optional.empty();
    }
    return adminIdentities.stream().filter(i -> i.matches(leaf)).findFirst();
  }

  /** The access a method requires. */
  public static Access required(MethodDescriptor<?, ?> method) {
    if (HealthGrpc.SERVICE_NAME.equals(method.getServiceName())) {
      return Access.OPEN;
    }
    return ADMIN_METHODS.contains(method.getFullMethodName()) ? Access.ADMIN : Access.READ;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Access access = required(call.getMethodDescriptor());
    if (access == Access.OPEN) {
      return next.startCall(call, headers);
    }
    Presented presented = Presented.of(call, headers);
    Decision decision = access == Access.ADMIN ? admin(presented) : read(presented);
    if (decision.status != null) {
      String method = call.getMethodDescriptor().getFullMethodName();
      call.close(decision.status.withDescription(decision.status.getDescription() + " (" + method + ")"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Caller.IDENTITY, decision.identity);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Decision read(Presented p) {
    if (p.malformedHeader) {
      return Decision.deny(Status.UNAUTHENTICATED.withDescription("the authorization header must be 'Bearer <token>'"));
    }
    if (recommenderToken.isEmpty()) {
      return Decision.allow(p.cert != null ? p.cert.getSubjectX500Principal().getName()
          : p.token != null && isAdminToken(p.token) ? "admin-token" : "anonymous");
    }
    if (p.token != null && recommenderToken.get().matches(p.token)) {
      return Decision.allow("recommender-token");
    }
    if (p.token != null && isAdminToken(p.token)) {
      return Decision.allow("admin-token");
    }
    Optional<AdminIdentity> identity = adminIdentity(p.cert);
    if (identity.isPresent()) {
      return Decision.allow(identity.get().toString());
    }
    if (p.token == null) {
      return Decision.deny(Status.UNAUTHENTICATED.withDescription("this server requires a bearer token (authorization: Bearer <token>)"));
    }
    return Decision.deny(Status.PERMISSION_DENIED.withDescription("the bearer token presented is not valid on this server"));
  }

  private Decision admin(Presented p) {
    if (p.malformedHeader) {
      return Decision.deny(Status.UNAUTHENTICATED.withDescription("the authorization header must be 'Bearer <token>'"));
    }
    if (p.token != null && isAdminToken(p.token)) {
      return Decision.allow("admin-token");
    }
    Optional<AdminIdentity> identity = adminIdentity(p.cert);
    if (identity.isPresent()) {
      return Decision.allow(identity.get().toString());
    }
    if (adminToken.isEmpty() && adminIdentities.isEmpty()) {
      if (insecureAdmin) {
        return Decision.allow(p.cert != null ? p.cert.getSubjectX500Principal().getName() : "anonymous");
      }
      return Decision.deny(Status.PERMISSION_DENIED.withDescription(
          "model changes are disabled on this server: it has no admin credential configured (--admin-token-file or --admin-identities)"));
    }
    if (p.token == null && p.cert == null) {
      return Decision.deny(Status.UNAUTHENTICATED.withDescription(
          "model changes need an admin credential: a bearer token (authorization: Bearer <token>) or an allowed client certificate"));
    }
    String who = p.cert != null && p.token == null
        ? "client certificate " + p.cert.getSubjectX500Principal().getName() + " issued by " + p.cert.getIssuerX500Principal().getName()
        : "the bearer token presented";
    return Decision.deny(Status.PERMISSION_DENIED.withDescription(who + " is not allowed to change models"));
  }

  private boolean isAdminToken(String token) {
    return adminToken.isPresent() && adminToken.get().matches(token);
  }

  /** What the caller presented: a bearer token, a client certificate the handshake verified, or neither. */
  private record Presented(String token, X509Certificate cert, boolean malformedHeader) {

    static Presented of(ServerCall<?, ?> call, Metadata headers) {
      String header = headers.get(AUTHORIZATION);
      String token = null;
      boolean malformed = false;
      if (header != null) {
        String h = header.strip();
        if (h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
          token = h.substring(7).strip();
        }
        malformed = token == null || token.isEmpty();
      }
      return new Presented(malformed ? null : token, certificate(call), malformed);
    }

    /** The client certificate (the chain's first) that the TLS handshake verified, or null. */
    private static X509Certificate certificate(ServerCall<?, ?> call) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (session == null) {
        return null;
      }
      try {
        List<Certificate> chain = List.of(session.getPeerCertificates());
        return chain.isEmpty() || !(chain.getFirst() instanceof X509Certificate x509) ? null : x509;
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
  }

  private record Decision(String identity, Status status) {
    static Decision allow(String identity) {
      return new Decision(identity, null);
    }

    static Decision deny(Status status) {
      return new Decision(null, status);
    }
  }
}
