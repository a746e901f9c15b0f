package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.exporter.docker.DockerView;
import org.junit.jupiter.api.Test;

class SwarmIdentityCollectorTest {

  @Test
  void exportsNodeMetaForSwarmprom() {
    var view = new FakeDockerView();
    view.engine = new EngineIdentity("awubx9y93btejophi5qxi09p7", "node-7", true, "20.10.24");
    assertEquals("""
        # HELP node_meta Swarm identity of this node: constant 1 labelled with the node id and name.
        # TYPE node_meta gauge
        node_meta{container_label_com_docker_swarm_node_id="awubx9y93btejophi5qxi09p7",node_id="awubx9y93btejophi5qxi09p7",node_name="node-7"} 1.0
        """, Exposition.text(new SwarmIdentityCollector(view)));
  }

  @Test
  void exportsNothingWithoutDocker() {
    assertEquals("", Exposition.text(new SwarmIdentityCollector(DockerView.none())));
  }
}
