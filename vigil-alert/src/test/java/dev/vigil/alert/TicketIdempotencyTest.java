package dev.vigil.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash between "the vendor created the issue" and "Vigil stored its number": GitHub and JIRA
 * create the issue but their answer never arrives (it comes after the receiver's timeout, as when
 * Vigil dies at that moment); the retried delivery finds the open issue by the group's fingerprint
 * label and creates no second one, and the resolved notice closes that issue.
 */
class TicketIdempotencyTest {
  private WireMockServer wm;
  @TempDir Path dir;
  private StateStore store;
  private MutableClock clock;
  private AlertEngine engine;

  @BeforeEach
  void open() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
    store = StateStore.open(null, dir);
    clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    String yaml = """
        builtin: {enabled: false}
        receivers:
          github: {type: github, api_url: "%1$s/gh", repo: acme/erp, token: "${GH_TOKEN}", timeout: 2s}
          jira: {type: jira, url: "%1$s/jira", user: ops@example.com, token: "${JIRA_TOKEN}", project: OPS, timeout: 2s}
        route:
          receiver: github
          group_wait: 0s
          group_interval: 1m
          routes:
            - {matchers: ['alertname="Down"'], receiver: github, continue: true}
            - {matchers: ['alertname="Down"'], receiver: jira}
        """.formatted("http://127.0.0.1:" + wm.port());
    engine = new AlertEngine(Fixtures.config(yaml, Map.of("GH_TOKEN", "ghp_secret_1", "JIRA_TOKEN", "jira_secret_2")),
        store, new Fixtures.Values(), clock);
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
    wm.stop();
  }

  private void step() {
    clock.advance(Duration.ofMinutes(2));
    engine.evaluate();
    for (String r : engine.receivers().keySet()) {
      engine.deliverDue(r);
    }
  }

  @Test
  void aCreateWhoseAnswerIsLostIsFoundAgainNotRepeated() {
    String githubMark = "vigil-fp-[0-9a-f]{16}";
    String jiraMark = githubMark;
    // GitHub: no open issue of the group until the create has happened at the vendor
    wm.stubFor(get(urlPathEqualTo("/gh/repos/acme/erp/issues")).withQueryParam("labels", matching(githubMark))
        .withQueryParam("state", equalTo("open")).inScenario("gh").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withBody("[]")));
    wm.stubFor(post("/gh/repos/acme/erp/issues").withRequestBody(matchingJsonPath("$.labels[0]", matching(githubMark)))
        .withRequestBody(matchingJsonPath("$.body", matching("(?s).*<!-- " + githubMark + " -->.*")))
        .inScenario("gh").willSetStateTo("created")
        .willReturn(aResponse().withStatus(201).withBody("{\"number\": 77}").withFixedDelay(4000)));
    wm.stubFor(get(urlPathEqualTo("/gh/repos/acme/erp/issues")).withQueryParam("labels", matching(githubMark))
        .inScenario("gh").whenScenarioStateIs("created")
        .willReturn(aResponse().withStatus(200).withBody("[{\"number\": 77, \"state\": \"open\"}]")));
    wm.stubFor(post("/gh/repos/acme/erp/issues/77/comments").willReturn(aResponse().withStatus(201).withBody("{}")));
    wm.stubFor(patch(urlEqualTo("/gh/repos/acme/erp/issues/77"))
        .withRequestBody(equalToJson("{\"state\": \"closed\", \"state_reason\": \"completed\"}"))
        .willReturn(aResponse().withStatus(200).withBody("{}")));
    // JIRA: the same with a JQL search on the label
    wm.stubFor(get(urlPathEqualTo("/jira/rest/api/2/search"))
        .withQueryParam("jql", matching("project = \"OPS\" AND labels = \"" + jiraMark + "\" AND statusCategory != Done.*"))
        .inScenario("jira").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withBody("{\"total\": 0, \"issues\": []}")));
    wm.stubFor(post("/jira/rest/api/2/issue").withRequestBody(matchingJsonPath("$.fields.labels[2]", matching(jiraMark)))
        .inScenario("jira").willSetStateTo("created")
        .willReturn(aResponse().withStatus(201).withBody("{\"id\": \"10001\", \"key\": \"OPS-9\"}").withFixedDelay(4000)));
    wm.stubFor(get(urlPathEqualTo("/jira/rest/api/2/search"))
        .withQueryParam("jql", matching("project = \"OPS\" AND labels = \"" + jiraMark + "\" AND statusCategory != Done.*"))
        .inScenario("jira").whenScenarioStateIs("created")
        .willReturn(aResponse().withStatus(200).withBody("{\"total\": 1, \"issues\": [{\"id\": \"10001\", \"key\": \"OPS-9\"}]}")));
    wm.stubFor(post("/jira/rest/api/2/issue/OPS-9/comment").willReturn(aResponse().withStatus(201).withBody("{}")));
    wm.stubFor(get("/jira/rest/api/2/issue/OPS-9/transitions").willReturn(aResponse().withStatus(200)
        .withBody("{\"transitions\": [{\"id\": \"31\", \"name\": \"Done\"}]}")));
    wm.stubFor(post("/jira/rest/api/2/issue/OPS-9/transitions").willReturn(aResponse().withStatus(204)));

    engine.raise("Down", "critical", Map.of(), "ERP is down");
    for (int i = 0; i == 0 || i < 5 && !engine.notifications(10).stream().allMatch(d -> d.status().equals(Job.DONE)); i++) {
      step();
    }
    // the creates happened at the vendors but their answers were lost; the retries found the issues
    List<AlertEngine.Delivery> log = engine.notifications(10);
    assertThat(log).hasSize(2).allSatisfy(d -> {
      assertThat(d.status()).isEqualTo(Job.DONE);
      assertThat(d.log()).anySatisfy(a -> assertThat(a.error()).matches("POST (GitHub|JIRA) .* timed out after 2000 ms"));
    });
    wm.verify(1, postRequestedFor(urlEqualTo("/gh/repos/acme/erp/issues")));
    wm.verify(1, postRequestedFor(urlEqualTo("/jira/rest/api/2/issue")));

    // the found issues are the ones the resolved notice closes
    engine.resolve("Down");
    step();
    wm.verify(1, patchRequestedFor(urlEqualTo("/gh/repos/acme/erp/issues/77")));
    wm.verify(1, postRequestedFor(urlEqualTo("/jira/rest/api/2/issue/OPS-9/transitions")));
    wm.verify(1, postRequestedFor(urlEqualTo("/gh/repos/acme/erp/issues")));
    wm.verify(1, postRequestedFor(urlEqualTo("/jira/rest/api/2/issue")));
    assertThat(engine.notifications(10).toString()).doesNotContain("ghp_secret_1", "jira_secret_2");
  }
}
