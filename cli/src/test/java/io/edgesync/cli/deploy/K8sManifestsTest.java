package io.edgesync.cli.deploy;

import static io.edgesync.cli.deploy.DeployFiles.list;
import static io.edgesync.cli.deploy.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.kafka.Topic;
import io.edgesync.shared.kafka.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** k8s/ as kustomize and the API server read it, checked without a cluster. */
class K8sManifestsTest {
    private static final Map<String, Integer> PORTS = Map.of("gateway", 7070, "dispatcher", 7071, "sink", 7072,
            "processor", 7073);

    private static Path k8s() {
        return DeployFiles.root().resolve("k8s");
    }

    private static Map<String, Object> kustomization() {
        return DeployFiles.yaml(k8s().resolve("kustomization.yaml"));
    }

    /** Every resource kustomize builds, in file order. */
    private static List<Map<String, Object>> resources() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : list(kustomization().get("resources"))) {
            for (Object doc : DeployFiles.yamlDocuments(k8s().resolve((String) r))) {
                out.add(map(doc));
            }
        }
        return out;
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return resources().stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(map(r.get("metadata")).get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(podSpec(workload).get("containers")).stream().map(DeployFiles::map).toList();
    }

    private static List<Map<String, Object>> workloads() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
            out.addAll(ofKind(kind));
        }
        return out;
    }

    @Test
    void everyFileParsesAndEveryResourceIsBuilt() {
        List<Path> files = DeployFiles.files("k8s", ".yaml", ".yml");
        Set<String> listed = new HashSet<>();
        list(kustomization().get("resources")).forEach(r -> listed.add((String) r));
        for (Path f : files) {
            List<Object> docs = DeployFiles.yamlDocuments(f);
            assertFalse(docs.isEmpty(), f + " is empty");
            String relative = k8s().relativize(f).toString();
            if (!relative.equals("kustomization.yaml")) {
                assertTrue(listed.contains(relative), relative + " is not in kustomization.yaml resources");
            }
        }
        for (Map<String, Object> r : resources()) {
            assertNotNull(r.get("apiVersion"), r.toString());
            assertNotNull(r.get("kind"), r.toString());
            assertNotNull(map(r.get("metadata")).get("name"), r.toString());
        }
        assertEquals("edgesync", kustomization().get("namespace"));
        assertEquals(1, ofKind("Namespace").size());
    }

    @Test
    void everyEdgesyncVariableIsADeclaredSettingOfTheServiceThatReadsIt() {
        Map<String, Set<String>> configMaps = new HashMap<>();
        ofKind("ConfigMap").forEach(c -> configMaps.put((String) map(c.get("metadata")).get("name"),
                map(c.get("data")).keySet()));
        List<String> unknown = new ArrayList<>();
        int serving = 0;
        for (Map<String, Object> w : workloads()) {
            for (Map<String, Object> c : containers(w)) {
                List<Object> args = list(c.get("args"));
                boolean serves = args.size() == 2 && "serve".equals(args.get(0));
                serving += serves ? 1 : 0;
                Set<String> known = serves ? ServeSettings.of((String) args.get(1)) : ServeSettings.all();
                Set<String> names = new HashSet<>();
                list(c.get("env")).forEach(e -> names.add((String) map(e).get("name")));
                list(c.get("envFrom")).forEach(e -> names.addAll(configMaps.getOrDefault(
                        (String) map(map(e).get("configMapRef")).get("name"), Set.of())));
                names.stream().filter(n -> n.startsWith("EDGESYNC_") && !known.contains(n))
                        .forEach(n -> unknown.add(c.get("name") + ": " + n));
            }
        }
        assertEquals(List.of(), unknown, "EDGESYNC_* variables no setting declares");
        assertEquals(4, serving, "gateway, dispatcher, sink and processor");
    }

    @Test
    void everyImageIsPinnedToARelease() {
        Map<String, String> rewritten = new HashMap<>();
        list(kustomization().get("images")).forEach(i -> rewritten.put((String) map(i).get("name"),
                map(i).get("newName") + ":" + map(i).get("newTag")));
        List<String> unpinned = new ArrayList<>();
        for (Map<String, Object> w : workloads()) {
            for (Map<String, Object> c : containers(w)) {
                String image = rewritten.getOrDefault((String) c.get("image"), (String) c.get("image"));
                if (!DeployFiles.pinned(image)) {
                    unpinned.add(c.get("name") + ": " + image);
                }
            }
        }
        assertEquals(List.of(), unpinned);
        String kafkaVersion = (String) map(map(named("Kafka", "edgesync").get("spec")).get("kafka")).get("version");
        assertTrue(kafkaVersion.matches("\\d+\\.\\d+\\.\\d+"), kafkaVersion);
    }

    @Test
    void gatewayDispatcherAndSinkAreDeploymentsWithAutoscalersAndProbes() {
        Map<String, Map<String, Object>> hpas = new HashMap<>();
        ofKind("HorizontalPodAutoscaler").forEach(h -> hpas.put((String) map(map(h.get("spec")).get("scaleTargetRef"))
                .get("name"), h));
        for (String service : List.of("gateway", "dispatcher", "sink")) {
            Map<String, Object> d = named("Deployment", service);
            Map<String, Object> hpa = hpas.get(service);
            assertNotNull(hpa, "HorizontalPodAutoscaler for " + service);
            assertEquals("Deployment", map(map(hpa.get("spec")).get("scaleTargetRef")).get("kind"));
            assertTrue((Integer) map(hpa.get("spec")).get("maxReplicas") > (Integer) map(hpa.get("spec")).get("minReplicas"));
            assertProbedOnItsPort(service, containers(d).get(0));
        }
        int sinkMax = (Integer) map(hpas.get("sink").get("spec")).get("maxReplicas");
        int cleanPartitions = (Integer) map(named("KafkaTopic", "telemetry.clean").get("spec")).get("partitions");
        assertTrue(sinkMax <= cleanPartitions, "more sinks than telemetry.clean partitions would idle");
    }

    @Test
    void theProcessorIsAStatefulSetWithAVolumeForItsStateStore() {
        Map<String, Object> p = named("StatefulSet", "processor");
        Map<String, Object> c = containers(p).get(0);
        assertProbedOnItsPort("processor", c);
        String stateDir = list(c.get("env")).stream().map(DeployFiles::map)
                .filter(e -> "EDGESYNC_PROCESSOR_STATE_DIR".equals(e.get("name"))).map(e -> (String) e.get("value"))
                .findFirst().orElseThrow();
        assertTrue(list(c.get("volumeMounts")).stream().map(DeployFiles::map)
                .anyMatch(m -> "state".equals(m.get("name")) && stateDir.equals(m.get("mountPath"))), c.toString());
        assertEquals("state", map(map(list(map(p.get("spec")).get("volumeClaimTemplates")).get(0)).get("metadata"))
                .get("name"));
    }

    private static void assertProbedOnItsPort(String service, Map<String, Object> c) {
        assertEquals(List.of("serve", service), list(c.get("args")));
        Map<String, Object> port = map(list(c.get("ports")).get(0));
        assertEquals(PORTS.get(service), port.get("containerPort"), service);
        assertEquals("http", port.get("name"));
        assertEquals("/health/ready", map(map(c.get("readinessProbe")).get("httpGet")).get("path"), service);
        assertEquals("/health/live", map(map(c.get("livenessProbe")).get("httpGet")).get("path"), service);
        assertEquals("http", map(map(c.get("readinessProbe")).get("httpGet")).get("port"), service);
    }

    @Test
    void cockroachDbIsThreeNodesWithVolumesAHeadlessServiceAndAnInitJob() {
        Map<String, Object> db = named("StatefulSet", "cockroachdb");
        assertEquals(3, map(db.get("spec")).get("replicas"));
        assertEquals("cockroachdb", map(db.get("spec")).get("serviceName"));
        assertEquals("None", map(named("Service", "cockroachdb").get("spec")).get("clusterIP"));
        assertFalse(list(map(db.get("spec")).get("volumeClaimTemplates")).isEmpty());
        String init = String.valueOf(containers(named("Job", "cockroachdb-init")).get(0).get("command"));
        assertTrue(init.contains("cockroach init") && init.contains("CREATE DATABASE IF NOT EXISTS edgesync"), init);
        assertFalse(list(map(named("StatefulSet", "minio").get("spec")).get("volumeClaimTemplates")).isEmpty());
    }

    @Test
    void secretsAreMountedFilesAndNeverInTheManifests() {
        assertEquals(List.of(), ofKind("Secret"), "secrets are created by hand, never committed");
        for (String service : List.of("gateway", "dispatcher", "sink")) {
            Map<String, Object> d = named("Deployment", service);
            assertTrue(list(podSpec(d).get("volumes")).stream().map(DeployFiles::map)
                    .anyMatch(v -> "edgesync-credentials".equals(map(v.get("secret")).get("secretName"))), service);
            for (Object e : list(containers(d).get(0).get("env"))) {
                String name = (String) map(e).get("name");
                if (name.endsWith("_FILE")) {
                    String path = (String) map(e).get("value");
                    assertTrue(list(containers(d).get(0).get("volumeMounts")).stream().map(DeployFiles::map)
                            .anyMatch(m -> path.startsWith(m.get("mountPath") + "/")), service + " mounts " + path);
                }
            }
        }
    }

    @Test
    void theIngressTerminatesTlsWithACertManagerCertificate() {
        Map<String, Object> ingress = named("Ingress", "edgesync");
        assertNotNull(map(map(ingress.get("metadata")).get("annotations")).get("cert-manager.io/cluster-issuer"));
        assertFalse(list(map(ingress.get("spec")).get("tls")).isEmpty());
        String rules = String.valueOf(map(ingress.get("spec")).get("rules"));
        assertTrue(rules.contains("name=gateway") && rules.contains("name=dispatcher"), rules);
    }

    @Test
    void everyContractTopicIsAKafkaTopicWithItsConfiguration() {
        Map<String, Map<String, Object>> topics = new HashMap<>();
        ofKind("KafkaTopic").forEach(t -> topics.put((String) map(t.get("spec")).get("topicName"), map(t.get("spec"))));
        for (Topic<?, ?> topic : Topics.ALL) {
            Map<String, Object> spec = topics.get(topic.name());
            assertNotNull(spec, "k8s/kafka/topics.yaml has no KafkaTopic for " + topic.name() + " (shared Topics.ALL)");
            Map<String, Object> config = map(spec.get("config"));
            topic.configs().forEach((k, v) -> assertEquals(v, String.valueOf(config.get(k)), topic.name() + " " + k));
        }
        assertEquals(Topics.ALL.size(), topics.size(), "KafkaTopics that are not in the contract: " + topics.keySet());
        assertFalse(ofKind("KafkaUser").isEmpty());
        for (Map<String, Object> user : ofKind("KafkaUser")) {
            assertFalse(list(map(map(user.get("spec")).get("authorization")).get("acls")).isEmpty(), user.toString());
        }
        assertEquals("enabled", map(map(named("Kafka", "edgesync").get("metadata")).get("annotations"))
                .get("strimzi.io/kraft"));
        // the listener without authentication admits only the EdgeSync services' pods
        for (Object l : list(map(map(named("Kafka", "edgesync").get("spec")).get("kafka")).get("listeners"))) {
            Map<String, Object> listener = map(l);
            if (!listener.containsKey("authentication")) {
                assertEquals("{matchLabels={app.kubernetes.io/component=edgesync-service}}",
                        String.valueOf(map(list(listener.get("networkPolicyPeers")).get(0)).get("podSelector")),
                        listener.toString());
            }
        }
    }

    @Test
    void theServicesAreScrapedAndAlertedOnWithTheComposeRules() {
        assertFalse(ofKind("PodMonitor").isEmpty() && ofKind("ServiceMonitor").isEmpty());
        for (Map<String, Object> w : workloads()) {
            if (containers(w).stream().anyMatch(c -> list(c.get("args")).contains("serve"))) {
                Map<String, Object> annotations = map(map(map(map(w.get("spec")).get("template")).get("metadata"))
                        .get("annotations"));
                assertEquals("true", annotations.get("prometheus.io/scrape"), w.toString());
                assertEquals("/metrics", annotations.get("prometheus.io/path"));
            }
        }
        Map<String, Object> compose = DeployFiles.yaml(DeployFiles.root().resolve("compose/prometheus/alerts.yml"));
        assertEquals(compose.get("groups"), map(named("PrometheusRule", "edgesync").get("spec")).get("groups"),
                "k8s/monitoring/prometheus-rule.yaml must hold the rules of compose/prometheus/alerts.yml");
    }
}
