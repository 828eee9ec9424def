package dev.entrapbx.sync.photo;

import dev.entrapbx.sync.jpa.UserPhotoEntity;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;
import org.keycloak.services.Urls;

/**
 * Token mapper "Entra profile photo": the standard OIDC {@code picture} claim, set to the user's
 * photo at {@code /realms/{realm}/entra-photos/{userId}} when the sync stored one (no claim
 * otherwise, so clients show their own placeholder). Fetching it needs the access token.
 */
public class PictureClaimMapper extends AbstractOIDCProtocolMapper implements OIDCIDTokenMapper, OIDCAccessTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = "entra-photo-picture";
    public static final String CLAIM = "picture";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, PictureClaimMapper.class);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Entra profile photo";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Sets the OpenID Connect 'picture' claim to the user's Microsoft Entra profile photo, as synced by "
                + "'Microsoft Entra ID users' (served at /realms/{realm}/entra-photos/{userId} to bearer tokens). "
                + "Users without a synced photo get no claim.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession, KeycloakSession session,
                            ClientSessionContext clientSessionCtx) {
        UserModel user = userSession.getUser();
        RealmModel realm = userSession.getRealm();
        UserPhotoEntity photo = session.getProvider(JpaConnectionProvider.class).getEntityManager().find(UserPhotoEntity.class, user.getId());
        if (photo != null && realm.getId().equals(photo.getRealmId())) {
            token.getOtherClaims().put(CLAIM, url(session, realm, user.getId()));
        }
    }

    static String url(KeycloakSession session, RealmModel realm, String userId) {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()) + "/"
                + PhotoResourceProviderFactory.PROVIDER_ID + "/" + userId;
    }
}
