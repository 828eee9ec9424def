package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

class DirectoryEventListenerFactoryTest {

    private static AdminEvent event(ResourceType type, OperationType op, String path) {
        AdminEvent e = new AdminEvent();
        e.setResourceType(type);
        e.setOperationType(op);
        e.setResourcePath(path);
        return e;
    }

    @Test
    void userChangesNameTheirUser() {
        assertThat(DirectoryEventListenerFactory.userId(event(ResourceType.USER, OperationType.UPDATE, "users/u-1"))).isEqualTo("u-1");
        assertThat(DirectoryEventListenerFactory.userId(event(ResourceType.GROUP_MEMBERSHIP, OperationType.CREATE, "users/u-2/groups/g-1")))
                .isEqualTo("u-2");
    }

    @Test
    void otherEventsNameNoUser() {
        assertThat(DirectoryEventListenerFactory.userId(event(ResourceType.USER, OperationType.ACTION, "users/u-1/reset-password"))).isNull();
        assertThat(DirectoryEventListenerFactory.userId(event(ResourceType.CLIENT, OperationType.UPDATE, "clients/c-1"))).isNull();
        assertThat(DirectoryEventListenerFactory.userId(event(ResourceType.USER, OperationType.UPDATE, null))).isNull();
    }
}
