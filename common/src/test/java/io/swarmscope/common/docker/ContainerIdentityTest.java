package io.swarmscope.common.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerIdentityTest {

  @Test
  void readsSwarmLabelsAndStripsSlash() {
    var id = new ContainerIdentity("0123456789abcdef", "/web.1.xyz", "nginx:1",
        Map.of(ContainerIdentity.SERVICE_NAME, "shop_web", ContainerIdentity.STACK_NAMESPACE, "shop",
            ContainerIdentity.TASK_ID, "t1"));
    assertEquals("web.1.xyz", id.name());
    assertEquals("shop_web", id.serviceName());
    assertEquals("shop", id.stack());
    assertEquals("", id.nodeId());
    assertEquals("0123456789ab", id.shortId());
    assertTrue(id.isSwarmTask());
    assertFalse(new ContainerIdentity("x", "y", "z", null).isSwarmTask());
  }

  @Test
  void promLabelNamesAreSanitisedLikeCadvisor() {
    assertEquals("container_label_com_docker_swarm_service_name",
        ContainerIdentity.promLabelName("com.docker.swarm.service.name"));
    assertEquals("container_label_a_b_c", ContainerIdentity.promLabelName("a-b/c"));
  }
}
