package dev.entrapbx.simulator.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.util.Set;

/** Validates ID tokens the way a relying party does: signature against the published JWKS, iss, aud, lifetime. */
public final class IdTokens {
    private IdTokens() { }

    public static JWTClaimsSet validate(TestHttp http, String jwksUri, String idToken, String clientId, String issuer)
            throws Exception {
        JWKSet keys = JWKSet.parse(http.get(jwksUri).body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "exp", "tid")));
        return processor.process(idToken, null);
    }
}
