package io.edgesync.cli.deploy;

import static io.edgesync.cli.deploy.DeployFiles.list;
import static io.edgesync.cli.deploy.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesync.cli.ConfigDocsAccess;
import io.edgesync.shared.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** compose/ as docker compose reads it, checked without a Docker engine. */
class ComposeFilesTest {
    private static final Map<String, Integer> PORTS = Map.of("gateway", 7070, "dispatcher", 7071, "sink", 7072,
            "processor", 7073);

    private static Map<String, Object> compose() {
        return DeployFiles.yaml(DeployFiles.root().resolve("compose/docker-compose.yml"));
    }

    private static Map<String, Object> services() {
        return map(compose().get("services"));
    }

    /** The service an {@code edgesync serve X} container runs, or null. */
    private static String serves(Map<String, Object> service) {
        List<Object> command = list(service.get("command"));
        return command.size() == 2 && "serve".equals(command.get(0)) ? (String) command.get(1) : null;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        map(service.get("environment")).forEach((k, v) -> env.put(k, v == null ? null : v.toString()));
        return env;
    }

    @Test
    void everyComposeFileParses() throws Exception {
        List<Path> yaml = DeployFiles.files("compose", ".yml", ".yaml");
        assertTrue(yaml.size() >= 4, "compose YAML files: " + yaml);
        for (Path file : yaml) {
            assertFalse(DeployFiles.yamlDocuments(file).isEmpty(), file + " is empty");
        }
        for (Path file : DeployFiles.files("compose", ".json")) {
            assertTrue(new ObjectMapper().readTree(file.toFile()).isObject(), file.toString());
        }
        assertTrue(services().keySet().containsAll(List.of("kafka", "topics", "cockroach-init", "minio", "mosquitto",
                "gateway", "processor", "sink", "dispatcher", "prometheus", "grafana")), services().keySet().toString());
    }

    @Test
    void everyEdgesyncVariableIsADeclaredSettingOfTheServiceThatReadsIt() {
        Set<String> all = ServeSettings.all();
        List<String> unknown = new ArrayList<>();
        services().forEach((name, s) -> {
            Map<String, Object> service = map(s);
            String serves = serves(service);
            Set<String> known = serves == null ? all : ServeSettings.of(serves);
            environment(service).keySet().stream().filter(k -> k.startsWith("EDGESYNC_"))
                    .filter(k -> !known.contains(k)).forEach(k -> unknown.add(name + ": " + k));
        });
        assertEquals(List.of(), unknown, "EDGESYNC_* variables that no setting declares");
        assertEquals(Set.of("gateway", "processor", "sink", "dispatcher"), new HashSet<>(services().values().stream()
                .map(s -> serves(map(s))).filter(java.util.Objects::nonNull).toList()));
    }

    @Test
    void secretSettingsComeFromMountedFilesNeverFromLiterals() {
        Set<String> secretNames = new HashSet<>();
        ConfigDocsAccess.services().values().forEach(list -> list.stream().filter(Setting::secret)
                .forEach(s -> secretNames.add(s.envName())));
        Map<String, Object> declared = map(compose().get("secrets"));
        List<String> problems = new ArrayList<>();
        services().forEach((name, s) -> {
            Map<String, Object> service = map(s);
            Set<String> mounted = new HashSet<>();
            list(service.get("secrets")).forEach(x -> mounted.add(x instanceof Map ? (String) map(x).get("source") : (String) x));
            for (String m : mounted) {
                if (!declared.containsKey(m)) {
                    problems.add(name + " mounts undeclared secret " + m);
                }
            }
            environment(service).forEach((k, v) -> {
                if (secretNames.contains(k)) {
                    problems.add(name + ": secret " + k + " set as a literal; use " + k + "_FILE");
                }
                if (k.endsWith("_FILE") && v != null && v.startsWith("/run/secrets/")
                        && !mounted.contains(v.substring("/run/secrets/".length()))) {
                    problems.add(name + ": " + k + " names " + v + " but the service does not mount that secret");
                }
            });
        });
        declared.forEach((name, d) -> {
            String file = (String) map(d).get("file");
            if (file == null || !file.startsWith("./secrets/")) {
                problems.add("secret " + name + " is not a file under compose/secrets/: " + file);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyImageIsPinnedToARelease() throws Exception {
        List<String> unpinned = new ArrayList<>();
        services().forEach((name, s) -> {
            Object image = map(s).get("image");
            if (image == null && map(s).get("build") == null) {
                unpinned.add(name + ": no image");
            } else if (image != null && !DeployFiles.pinned((String) image)) {
                unpinned.add(name + ": " + image);
            }
        });
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(
                Files.readString(DeployFiles.root().resolve("compose/Dockerfile")));
        int froms = 0;
        while (from.find()) {
            froms++;
            if (!DeployFiles.pinned(from.group(1))) {
                unpinned.add("Dockerfile: " + from.group(1));
            }
        }
        assertEquals(2, froms, "a build stage and a runtime stage");
        assertEquals(List.of(), unpinned);
        assertFalse(DeployFiles.pinned("grafana/grafana:latest"));
        assertFalse(DeployFiles.pinned("apache/kafka:4"));
        assertFalse(DeployFiles.pinned("apache/kafka"));
    }

    @Test
    void servicesAreHealthCheckedOnReadinessAndStartAfterTheTopicsAndTheDatabase() {
        Map<String, Object> services = services();
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            Map<String, Object> service = map(s);
            String serves = serves(service);
            if (serves != null) {
                String test = String.valueOf(map(service.get("healthcheck")).get("test"));
                if (!test.contains("http://localhost:" + PORTS.get(serves) + "/health/ready")) {
                    problems.add(name + ": health check " + test);
                }
                Map<String, Object> deps = map(service.get("depends_on"));
                if (!"service_completed_successfully".equals(map(deps.get("topics")).get("condition"))) {
                    problems.add(name + " does not wait for the topics job");
                }
                if (!"service_completed_successfully".equals(map(deps.get("cockroach-init")).get("condition"))) {
                    problems.add(name + " does not wait for the database init job");
                }
                if (!"unless-stopped".equals(service.get("restart")) && !"always".equals(service.get("restart"))) {
                    problems.add(name + " is not restarted when it exits");
                }
            }
            // a dependency on a service of another profile must be optional, or compose refuses the model
            Set<Object> profiles = new HashSet<>(list(service.get("profiles")));
            map(service.get("depends_on")).forEach((dep, condition) -> {
                Map<String, Object> target = map(services.get(dep));
                if (target.isEmpty()) {
                    problems.add(name + " depends on unknown service " + dep);
                }
                List<Object> targetProfiles = list(target.get("profiles"));
                boolean alwaysThere = targetProfiles.isEmpty()
                        || (!profiles.isEmpty() && targetProfiles.containsAll(profiles));
                if (!alwaysThere && !Boolean.FALSE.equals(map(condition).get("required"))) {
                    problems.add(name + " requires " + dep + " of profiles " + targetProfiles);
                }
            });
        });
        assertEquals(List.of(), problems);
        assertEquals("service_healthy", map(map(map(services.get("topics")).get("depends_on")).get("kafka")).get("condition"));
        assertEquals("service_healthy", map(map(map(services.get("gateway")).get("depends_on")).get("dispatcher")).get("condition"));
    }

    @Test
    void cockroachIsAThreeNodeClusterWithAnInitJobAndASingleNodeProfile() throws Exception {
        Map<String, Object> services = services();
        List<String> nodes = services.entrySet().stream()
                .filter(e -> list(map(e.getValue()).get("command")).contains("start"))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of("roach-1", "roach-2", "roach-3"), nodes);
        for (String node : nodes) {
            Map<String, Object> service = map(services.get(node));
            assertTrue(list(service.get("command")).contains("--join=roach-1,roach-2,roach-3"), node);
            assertEquals(List.of("cluster"), list(service.get("profiles")), node);
            assertTrue(list(service.get("volumes")).stream().anyMatch(v -> v.toString().equals(node + ":/cockroach/cockroach-data")), node);
        }
        Map<String, Object> single = map(services.get("cockroach-single"));
        assertEquals("start-single-node", list(single.get("command")).get(0));
        assertEquals(List.of("single"), list(single.get("profiles")));
        assertTrue(Files.readString(DeployFiles.root().resolve("compose/.env")).contains("COMPOSE_PROFILES=cluster"));
        String init = Files.readString(DeployFiles.root().resolve("compose/cockroach/init.sh"));
        assertTrue(init.contains("cockroach init") && init.contains("CREATE DATABASE IF NOT EXISTS edgesync"), init);
        String url = Files.readString(DeployFiles.root().resolve("compose/secrets.sh"));
        assertTrue(url.contains("jdbc:postgresql://cockroach:26257/edgesync"), "secrets.sh writes the JDBC URL");
    }

    @Test
    void kafkaKeepsItsDataOnItsVolume() {
        Map<String, Object> kafka = map(services().get("kafka"));
        String logDirs = environment(kafka).get("KAFKA_LOG_DIRS");
        assertTrue(list(kafka.get("volumes")).contains("kafka-data:" + logDirs), kafka.toString());
        assertTrue(map(compose().get("volumes")).containsKey("kafka-data"));
        assertTrue(map(compose().get("volumes")).containsKey("processor-state"));
    }

    @Test
    void theImageRunsAsANonRootUserFromACachedDependencyLayer() throws Exception {
        String dockerfile = Files.readString(DeployFiles.root().resolve("compose/Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(runtime);
        assertTrue(user.find(), "the runtime stage sets USER");
        assertFalse(user.group(1).startsWith("root") || user.group(1).startsWith("0"), user.group(1));
        // every module's POM is copied before the sources, so the dependency download is a layer of its own
        String pom = Files.readString(DeployFiles.root().resolve("pom.xml"));
        int sources = dockerfile.indexOf("COPY . .");
        assertTrue(sources > 0);
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (module.find()) {
            int at = dockerfile.indexOf("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
            assertTrue(at > 0 && at < sources, "the Dockerfile copies " + module.group(1) + "/pom.xml before the sources");
        }
        List<String> ignored = Files.readAllLines(DeployFiles.root().resolve(".dockerignore"));
        assertTrue(ignored.containsAll(List.of(".git", "**/target", "compose/secrets", "**/*.jwk")), ignored.toString());
    }

    @Test
    void prometheusScrapesEveryServiceAndGrafanaIsProvisioned() throws Exception {
        String prometheus = Files.readString(DeployFiles.root().resolve("compose/prometheus/prometheus.yml"));
        PORTS.forEach((service, port) -> assertTrue(prometheus.contains("\"" + service + ":" + port + "\""), service));
        Map<String, Object> config = DeployFiles.yaml(DeployFiles.root().resolve("compose/prometheus/prometheus.yml"));
        assertEquals(List.of("/etc/prometheus/alerts.yml"), list(config.get("rule_files")));
        Map<String, Object> grafana = map(services().get("grafana"));
        assertTrue(list(grafana.get("volumes")).contains("./grafana/provisioning:/etc/grafana/provisioning:ro"));
        Map<String, Object> datasource = map(list(DeployFiles.yaml(DeployFiles.root()
                .resolve("compose/grafana/provisioning/datasources/prometheus.yml")).get("datasources")).get(0));
        assertEquals("http://prometheus:9090", datasource.get("url"));
        for (Object mount : list(services().values().stream().map(s -> map(s).get("volumes")).toList())) {
            for (Object v : list(mount)) {
                String source = v.toString().split(":")[0];
                if (source.startsWith("./") && !source.startsWith("./secrets/")) {
                    assertTrue(Files.exists(DeployFiles.root().resolve("compose").resolve(source)), "mounted " + source);
                }
            }
        }
    }

    @Test
    void theTlsOverlayChangesOnlyKnownServicesWithDeclaredSettingsAndMountedSecrets() {
        Map<String, Object> overlay = DeployFiles.yaml(DeployFiles.root().resolve("compose/tls.yml"));
        Map<String, Object> base = services();
        Set<String> secrets = new HashSet<>(map(compose().get("secrets")).keySet());
        secrets.addAll(map(overlay.get("secrets")).keySet());
        List<String> problems = new ArrayList<>();
        map(overlay.get("services")).forEach((name, s) -> {
            Map<String, Object> service = map(s);
            if (!base.containsKey(name)) {
                problems.add("overlay service " + name + " is not in docker-compose.yml");
                return;
            }
            String serves = serves(map(base.get(name)));
            Set<String> known = serves == null ? ServeSettings.all() : ServeSettings.of(serves);
            Set<String> mounted = new HashSet<>();
            list(service.get("secrets")).forEach(x -> mounted.add((String) x));
            for (String m : mounted) {
                if (!secrets.contains(m)) {
                    problems.add(name + " mounts undeclared secret " + m);
                }
            }
            environment(service).forEach((k, v) -> {
                if (k.startsWith("EDGESYNC_") && !known.contains(k)) {
                    problems.add(name + ": " + k + " is no setting");
                }
                if (k.endsWith("_FILE") && v.startsWith("/run/secrets/") && !mounted.contains(v.substring(13))) {
                    problems.add(name + ": " + k + " names an unmounted secret " + v);
                }
            });
            String test = String.valueOf(map(service.get("healthcheck")).get("test"));
            if (serves != null && service.containsKey("healthcheck") && !test.contains("/health/ready")) {
                problems.add(name + ": health check " + test);
            }
        });
        assertEquals(List.of(), problems);
        String certs = DeployFiles.root().resolve("compose/tls-certs.sh").toFile().exists() ? "ok" : "missing";
        assertEquals("ok", certs, "compose/tls-certs.sh creates what tls.yml mounts");
    }
}
